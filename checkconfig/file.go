package checkconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/BurntSushi/toml"

	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/rules"
)

// FileName is the name of a configuration file.
const FileName = "tbls.conf"

// Config is what applies in one directory: the checks that run and those
// whose findings fail the run.
type Config struct {
	Checks Set
	Fail   Set
}

// Default is the configuration where no file and no flag says otherwise:
// every check runs and fails.
func Default() Config {
	return Config{Checks: AllChecks(), Fail: AllChecks()}
}

// Enabled reports whether findings with code are reported.
func (c Config) Enabled(code rules.Code) bool { return c.Checks.Has(code) }

// Fails reports whether a reported finding with code fails the run.
func (c Config) Fails(code rules.Code) bool { return c.Checks.Has(code) && c.Fail.Has(code) }

// file is a configuration file's content.
type file struct {
	Checks *[]string `toml:"checks"`
	Fail   *[]string `toml:"fail"`
}

// ReadFile reads the configuration file at path: its checks and fail
// lists, each Inherit when the file leaves it out. An unknown key, a value
// that is not an array of strings, or a bad pattern is an error naming the
// file and the key. Only a regular file of bounded size is read
// (internal/safeio): a tbls.conf committed as a FIFO or a link to a device
// is an error, not a hang.
func ReadFile(path string) (checks, fail List, err error) {
	data, err := safeio.ReadFile(path)
	if err != nil {
		return List{}, List{}, err
	}
	return parseFile(path, string(data))
}

func parseFile(path, data string) (checks, fail List, err error) {
	var f file
	md, err := toml.Decode(data, &f)
	if err != nil {
		return List{}, List{}, fmt.Errorf("%s: %v", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		var keys []string
		for _, k := range undecoded {
			keys = append(keys, k.String())
		}
		return List{}, List{}, fmt.Errorf("%s: unknown key %s: a %s holds only checks and fail", path, strings.Join(keys, ", "), FileName)
	}
	list := func(key string, items *[]string) (List, error) {
		if items == nil {
			return Inherit, nil
		}
		for _, item := range *items {
			if strings.Contains(item, ",") {
				return List{}, fmt.Errorf("%s: %s: %q: one pattern a string (%s = [\"all\", \"-TB302\"])", path, key, item, key)
			}
		}
		l, err := ParseSlice(*items)
		if err != nil {
			return List{}, fmt.Errorf("%s: %s: %v", path, key, err)
		}
		return l, nil
	}
	if checks, err = list("checks", f.Checks); err != nil {
		return List{}, List{}, err
	}
	if fail, err = list("fail", f.Fail); err != nil {
		return List{}, List{}, err
	}
	return checks, fail, nil
}

// Loader finds the configuration of directories, reading each
// configuration file once. It is safe for concurrent use. A Loader does
// not notice files that change after it read them: make a new one (the
// language server does when a tbls.conf changes).
type Loader struct {
	checks, fail List // the command line's, applied over the files

	mu   sync.Mutex
	dirs map[string]dirConfig // by absolute directory: the files' configuration
}

type dirConfig struct {
	cfg Config
	err error
}

// NewLoader returns a Loader that applies the command line's -checks and
// -fail lists over the files. An empty string is "inherit": the files
// decide.
func NewLoader(checks, fail string) (*Loader, error) {
	l := &Loader{checks: Inherit, fail: Inherit, dirs: make(map[string]dirConfig)}
	var err error
	if checks != "" {
		if l.checks, err = ParseList(checks); err != nil {
			return nil, fmt.Errorf("-checks: %v", err)
		}
	}
	if fail != "" {
		if l.fail, err = ParseList(fail); err != nil {
			return nil, fmt.Errorf("-fail: %v", err)
		}
	}
	return l, nil
}

// Dir returns the configuration of the Go package or datafiles in dir: the
// tbls.conf files of dir and its parents, then the command line's lists.
// The error names the file that is wrong.
func (l *Loader) Dir(dir string) (Config, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Config{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	dc := l.fileConfig(abs)
	if dc.err != nil {
		return Config{}, dc.err
	}
	return Config{Checks: l.checks.Apply(dc.cfg.Checks), Fail: l.fail.Apply(dc.cfg.Fail)}, nil
}

// fileConfig returns the configuration the files of dir and its parents
// make, memoized. l.mu is held.
func (l *Loader) fileConfig(dir string) dirConfig {
	if dc, ok := l.dirs[dir]; ok {
		return dc
	}
	var dc dirConfig
	parent := filepath.Dir(dir)
	if parent == dir {
		dc.cfg = Default()
	} else {
		dc = l.fileConfig(parent)
	}
	if dc.err == nil {
		path := filepath.Join(dir, FileName)
		checks, fail, err := ReadFile(path)
		switch {
		case err == nil:
			dc.cfg = Config{Checks: checks.Apply(dc.cfg.Checks), Fail: fail.Apply(dc.cfg.Fail)}
		case errors.Is(err, fs.ErrNotExist):
		case isNotDir(err):
			// dir is a file's path or a missing directory: no file here.
		default:
			dc.err = err
		}
	}
	l.dirs[dir] = dc
	return dc
}

// isNotDir reports whether err says that a path element is not a
// directory (ENOTDIR), which reading dir/tbls.conf gives for a dir that
// is a file.
func isNotDir(err error) bool {
	return errors.Is(err, syscall.ENOTDIR)
}

// CheckTree reads every configuration file in the tree under root
// (skipping hidden directories, vendor, node_modules and testdata, which
// neither the go command nor the datafile walk checks) and returns the
// first error, so that a broken tbls.conf is reported even where nothing
// was found to filter.
func (l *Loader) CheckTree(root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // an unreadable subdirectory is the checker's to report
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || name == "vendor" || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Name() == FileName {
			if _, err := l.Dir(filepath.Dir(path)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Decide reports whether a finding with code in file is reported, and
// whether it fails the run, by the configuration of the file's directory.
// The error is a configuration file's.
func (l *Loader) Decide(file string, code rules.Code) (report, fail bool, err error) {
	cfg, err := l.Dir(filepath.Dir(file))
	if err != nil {
		return false, false, err
	}
	return cfg.Enabled(code), cfg.Fails(code), nil
}

// Filter returns the diagnostics that their directories' configurations
// enable, and how many of those fail the run. The error is a configuration
// file's.
func (l *Loader) Filter(diags []report.Diagnostic) (kept []report.Diagnostic, failing int, err error) {
	for _, d := range diags {
		enabled, fails, err := l.Decide(d.File, d.Code)
		if err != nil {
			return nil, 0, err
		}
		if !enabled {
			continue
		}
		kept = append(kept, d)
		if fails {
			failing++
		}
	}
	return kept, failing, nil
}

package resolve

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
)

// ReadDatafile reads the datafile path with internal/safeio: a regular
// file (after symbolic links), bounded in size, never a device or a FIFO.
func ReadDatafile(path string) ([]byte, error) { return safeio.ReadFile(path) }

// skipDir is the datafile walk's rule: _migration/ and the like are walked,
// as tbls check walks them.
var skipDir = datafile.SkipDir

// DatafilePaths returns the datafiles below dir (or dir itself when it is a
// file), sorted.
func DatafilePaths(dir string) ([]string, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		if !IsDatafile(dir) {
			return nil, fmt.Errorf("%s is not a datafile (.datasource, .pipe, .connection or .incl)", dir)
		}
		return []string{dir}, nil
	}
	var out []string
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		if IsDatafile(path) {
			out = append(out, path)
		}
		return nil
	})
	return out, err
}

// LoadDatafiles reads and resolves the datafiles at paths. A file that
// cannot be read is skipped and its error returned with the others.
func LoadDatafiles(paths []string) ([]*File, []error) {
	var files []*File
	var errs []error
	for _, path := range paths {
		src, err := ReadDatafile(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, Datafile(path, datafile.ParseFile(path, src)))
	}
	return files, errs
}

// projectDirs are the folders Tinybird projects keep their datafiles in,
// below the project's root.
var projectDirs = map[string]bool{
	"datasources": true, "pipes": true, "endpoints": true, "materializations": true,
	"copies": true, "sinks": true, "connections": true, "includes": true, "fixtures": true,
}

// ProjectRoot returns the root of the Tinybird project holding the file or
// directory path: the nearest directory at or above it with a Tinybird
// marker (.tinyb, tinybird.json, .tinyenv) or a go.mod; else, for a
// datafile in one of the folders Tinybird projects use (datasources,
// pipes, …), that folder's parent; else the file's directory.
func ProjectRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	dir := abs
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		dir = filepath.Dir(abs)
	}
	for d := dir; ; {
		for _, marker := range []string{".tinyb", "tinybird.json", ".tinyenv", "go.mod"} {
			if _, err := os.Stat(filepath.Join(d, marker)); err == nil {
				return d
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	if projectDirs[filepath.Base(dir)] {
		return filepath.Dir(dir)
	}
	return dir
}

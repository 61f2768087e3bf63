package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/internal/safeio"
)

// loadMode asks go list for the package graph and the export data of every
// package: workspace packages are then parsed and type-checked here, from
// source, and dependencies come from export data, read once.
// The export data is asked for in a second go list run, of the
// dependencies alone: compiling the workspace packages themselves (which
// -export does for every listed package) costs seconds on a large package
// and fails on code being edited.
//
// Not NeedCompiledGoFiles: for a package using cgo those are the files cgo
// generates, in the build cache, not the files the user edits (and listing
// them runs cgo). A package's GoFiles (cgo files included) are checked
// instead, with go/types' FakeImportC, as tbvet does.
const loadMode = packages.NeedName | packages.NeedFiles |
	packages.NeedImports | packages.NeedDeps |
	packages.NeedModule | packages.NeedTypesSizes

const exportMode = packages.NeedName | packages.NeedExportFile

// A view is one go/packages load: a module, or the modules of a go.work.
type view struct {
	s        *Session
	root     string   // directory go list runs in
	patterns []string // package patterns, relative to root or absolute
	dirs     []string // directories whose Go files the view covers
	files    []string // single files it covers: a lone file's ad hoc package

	loadMu sync.Mutex // serializes loads

	mu           sync.Mutex
	state        *loaded
	stale        bool
	loadErr      error
	tried        map[string]string // unknown file → package clause it was last loaded with
	triedImports map[string]bool   // imports a reload was already asked for
	triedClauses map[string]string // file → the package clause a reload was asked for
	loads        int               // completed loads, for tests
}

// reloadFor marks v stale so that the import path gets loaded, and reports
// whether it did: an import that one reload did not resolve (a typo, a
// module not required yet) must not cost a go list per keystroke.
func (v *view) reloadFor(path string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.triedImports[path] {
		return false
	}
	if v.triedImports == nil {
		v.triedImports = make(map[string]bool)
	}
	v.triedImports[path] = true
	v.stale = true
	return true
}

// reloadForClause marks v stale so that filename, whose package clause
// is now clause, is loaded again, and reports whether it did: once per
// file and clause until the file matches its package again, as go list
// may put the file where it was (a mismatched clause is then a type
// error, not a reason to run go list per keystroke).
func (v *view) reloadForClause(filename, clause string) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.triedClauses[filename] == clause {
		return false
	}
	if v.triedClauses == nil {
		v.triedClauses = make(map[string]string)
	}
	v.triedClauses[filename] = clause
	v.stale = true
	return true
}

// clauseMatches records that filename's package clause is its package's.
func (v *view) clauseMatches(filename string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.triedClauses, filename)
}

// loaded is the result of one go/packages load.
type loaded struct {
	fset    *token.FileSet         // positions of parsed files and of export data
	pkgs    map[string]*pkgState   // workspace packages by ID
	byFile  map[string][]*pkgState // workspace packages by compiled Go file
	meta    map[string]*packages.Package
	byPath  map[string]*packages.Package // non-test packages of the graph by import path
	exports *exportCache
	parses  *parseCache // the workspace files' syntax, in fset
	memo    memo        // the workspace packages' checks, by key
}

// discoverViews finds what AddFolder(dir) loads: the go.work governing
// dir, else the module containing dir, plus every module below dir that
// neither covers. special lists the Go files below dir that are not
// regular files (see skippedFile).
//
// Without nested, modules below dir are not looked for: a file opened
// outside the workspace folders loads its own module and nothing else.
func discoverViews(ctx context.Context, dir string, env []string, nested bool) (views []*view, special []string, err error) {
	var goenv struct{ GOWORK, GOMOD string }
	out, err := runGo(ctx, dir, env, "env", "-json", "GOWORK", "GOMOD")
	if err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(out, &goenv); err != nil {
		return nil, nil, fmt.Errorf("reading go env output in %s: %v", dir, err)
	}
	switch {
	case goenv.GOWORK != "" && goenv.GOWORK != "off":
		out, err := runGo(ctx, dir, env, "list", "-m", "-f", "{{.Dir}}")
		if err != nil {
			return nil, nil, err
		}
		v := &view{root: dir}
		for _, mdir := range strings.Fields(string(out)) {
			switch {
			case within(mdir, dir):
				v.dirs = append(v.dirs, mdir)
				v.patterns = append(v.patterns, mdir+"/...")
			case within(dir, mdir):
				v.dirs = append(v.dirs, dir)
				v.patterns = append(v.patterns, "./...")
			}
		}
		if len(v.dirs) > 0 {
			views = append(views, v)
		}
	case goenv.GOMOD != "" && goenv.GOMOD != os.DevNull:
		views = append(views, &view{root: dir, patterns: []string{"./..."}, dirs: []string{dir}})
	}
	if !nested {
		return views, nil, nil
	}
	// Modules below dir that the views so far do not load (nested modules,
	// or a folder holding several modules without a go.work).
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable directories hold nothing we can load
		}
		if d.IsDir() {
			name := d.Name()
			if path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".go") && !d.Type().IsRegular() && !safeio.IsRegular(path) {
			special = append(special, path)
			return nil
		}
		if d.Name() == "go.mod" {
			mdir := filepath.Dir(path)
			if !slices.ContainsFunc(views, func(v *view) bool { return slices.Contains(v.dirs, mdir) }) {
				views = append(views, &view{root: mdir, patterns: []string{"./..."}, dirs: []string{mdir}})
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return views, special, nil
}

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}

func runGo(ctx context.Context, dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s in %s: %v: %s", strings.Join(args, " "), dir, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

// match returns the length of the longest view directory containing
// filename, 0 when none does.
func (v *view) match(filename string) int {
	n := 0
	for _, f := range v.files {
		if filename == f {
			return len(f) + 1 // a file's own view is the most specific
		}
	}
	for _, d := range v.dirs {
		if within(filename, d) && len(d) > n {
			n = len(d)
		}
	}
	return n
}

func (v *view) contains(filename string) bool {
	if b := filepath.Base(filename); b == "go.work" || b == "go.work.sum" {
		return within(filename, v.root) || v.match(filename) > 0
	}
	return v.match(filename) > 0
}

func (v *view) invalidate() {
	v.mu.Lock()
	v.stale = true
	v.mu.Unlock()
}

// fileChangedOnDisk reloads the view on its next use when a Go file was
// created or deleted: the file set of a package changed.
func (v *view) fileChangedOnDisk(filename string) {
	if !v.contains(filename) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.tried, filename)
	if v.state == nil {
		return
	}
	_, known := v.state.byFile[filename]
	_, err := os.Stat(filename)
	if known != (err == nil) {
		v.stale = true
	}
}

// cancelRuns cancels in-flight runs of the packages containing filename.
func (v *view) cancelRuns(filename string) {
	v.mu.Lock()
	var sts []*pkgState
	if v.state != nil {
		sts = v.state.byFile[filename]
	}
	v.mu.Unlock()
	for _, st := range sts {
		st.cancelRun()
	}
}

// lookup returns the workspace package filename belongs to. retry says
// that the file is unknown and worth one reload: a Go file the last load
// did not see with its current package clause.
func (v *view) lookup(filename string) (st *pkgState, retry bool) {
	v.mu.Lock()
	state := v.state
	v.mu.Unlock()
	if state == nil {
		return nil, false
	}
	if sts := state.byFile[filename]; len(sts) > 0 {
		return sts[0], false
	}
	if !strings.HasSuffix(filename, ".go") {
		return nil, false
	}
	data, _, err := v.s.content(filename)
	if err != nil {
		return nil, false
	}
	clause := ""
	if f, err := parser.ParseFile(token.NewFileSet(), filename, data, parser.PackageClauseOnly); err == nil {
		clause = f.Name.Name
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if last, ok := v.tried[filename]; ok && last == clause {
		return nil, false
	}
	if v.tried == nil {
		v.tried = make(map[string]string)
	}
	v.tried[filename] = clause
	return nil, true
}

// ensureLoaded runs go/packages for v unless its last load is current.
func (s *Session) ensureLoaded(ctx context.Context, v *view) error {
	v.loadMu.Lock()
	defer v.loadMu.Unlock()
	v.mu.Lock()
	current := (v.state != nil || v.loadErr != nil) && !v.stale
	err := v.loadErr
	v.mu.Unlock()
	if current {
		return err
	}
	start := time.Now()
	cfg := &packages.Config{
		Mode:    loadMode,
		Context: ctx,
		Dir:     v.root,
		Env:     s.env(),
		Overlay: s.loadOverlay(),
		Tests:   true,
	}
	pkgs, err := packages.Load(cfg, v.patterns...)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		err = fmt.Errorf("loading Go packages in %s: %v (fix go.mod or go.work; tbls reloads when they change)", v.root, err)
		s.log.Warn("load failed", "dir", v.root, "err", err)
		v.mu.Lock()
		v.loadErr, v.state, v.stale = err, nil, false
		v.mu.Unlock()
		return err
	}
	state := &loaded{
		fset:   token.NewFileSet(),
		pkgs:   make(map[string]*pkgState),
		byFile: make(map[string][]*pkgState),
		meta:   make(map[string]*packages.Package),
	}
	state.byPath = make(map[string]*packages.Package)
	state.parses = &parseCache{fset: state.fset}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		state.meta[p.ID] = p
		if p.ID == p.PkgPath {
			state.byPath[p.PkgPath] = p
		}
	})
	var depPaths []string
	roots := make(map[string]bool)
	for _, p := range pkgs {
		roots[p.PkgPath] = true
	}
	for path := range state.byPath {
		if !roots[path] && path != "unsafe" {
			depPaths = append(depPaths, path)
		}
	}
	slices.Sort(depPaths)
	if len(depPaths) > 0 {
		ecfg := *cfg
		ecfg.Mode, ecfg.Tests = exportMode, false
		deps, err := packages.Load(&ecfg, depPaths...)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.log.Warn("loading dependency export data failed", "dir", v.root, "err", err)
		}
		for _, d := range deps {
			if m := state.byPath[d.PkgPath]; m != nil && d.ExportFile != "" {
				m.ExportFile = d.ExportFile
			}
		}
	}
	state.exports = &exportCache{
		fset:   state.fset,
		meta:   state.meta,
		byPath: make(map[string]*types.Package),
		byID:   make(map[string]*types.Package),
		errs:   make(map[string]error),
	}
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") || len(p.GoFiles) == 0 {
			continue // generated test mains, and directories without Go files
		}
		st := newPkgState(s, v, state, p)
		state.pkgs[p.ID] = st
		for _, f := range p.GoFiles {
			state.byFile[f] = append(state.byFile[f], st)
		}
	}
	// A file of a package and of its test variant belongs to the plain
	// package; a _test.go file to the first test variant holding it.
	for _, sts := range state.byFile {
		slices.SortStableFunc(sts, func(a, b *pkgState) int {
			ap, bp := a.id == a.path, b.id == b.path
			switch {
			case ap && !bp:
				return -1
			case bp && !ap:
				return 1
			}
			return strings.Compare(a.id, b.id)
		})
	}
	v.mu.Lock()
	v.state, v.loadErr, v.stale = state, nil, false
	v.loads++
	v.mu.Unlock()
	s.log.Info("loaded", "dir", v.root, "packages", len(state.pkgs), "all", len(state.meta), "took", time.Since(start))
	return nil
}

// exportCache reads dependency types from the export data go list
// produced, each package once, sharing one package map so that a type
// reached through two paths is one type.
type exportCache struct {
	mu     sync.Mutex
	fset   *token.FileSet
	meta   map[string]*packages.Package
	byPath map[string]*types.Package // the map gcexportdata fills
	byID   map[string]*types.Package
	errs   map[string]error
}

func (c *exportCache) load(id string) (*types.Package, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loadLocked(id)
}

func (c *exportCache) loadLocked(id string) (*types.Package, error) {
	if p, ok := c.byID[id]; ok {
		return p, nil
	}
	if err, ok := c.errs[id]; ok {
		return nil, err
	}
	p, err := c.read(id)
	if err != nil {
		c.errs[id] = err
		return nil, err
	}
	c.byID[id] = p
	return p, nil
}

func (c *exportCache) read(id string) (*types.Package, error) {
	m := c.meta[id]
	if m == nil {
		return nil, fmt.Errorf("package %s is not in the loaded package graph", id)
	}
	if m.PkgPath == "unsafe" {
		return types.Unsafe, nil
	}
	// Dependencies first, each from its own export data, so that this
	// package's export data finds them complete in byPath.
	for _, imp := range m.Imports {
		if _, err := c.loadLocked(imp.ID); err != nil {
			continue // reported when (and if) the import is used
		}
	}
	if m.ExportFile == "" {
		msg := "no export data"
		if len(m.Errors) > 0 {
			msg = m.Errors[0].Msg
		}
		return nil, fmt.Errorf("could not load %s: %s", m.PkgPath, msg)
	}
	f, err := os.Open(m.ExportFile)
	if err != nil {
		return nil, fmt.Errorf("could not load %s: %v", m.PkgPath, err)
	}
	defer f.Close()
	// go list -export still names compiler archives in Go 1.26, which
	// gcexportdata.Read refuses ("can't read export data … directly from
	// an archive file"): NewReader extracts the export data first.
	//lint:ignore SA1019 needed until go list gives bare export data (Go 1.29)
	r, err := gcexportdata.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("could not load %s from %s: %v", m.PkgPath, m.ExportFile, err)
	}
	p, err := gcexportdata.Read(r, c.fset, c.byPath, m.PkgPath)
	if err != nil {
		return nil, fmt.Errorf("could not load %s from %s: %v", m.PkgPath, m.ExportFile, err)
	}
	return p, nil
}

package cache

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
)

// This file type-checks workspace packages, gopls's way: a package is
// checked whole, from its files' current texts and its dependencies'
// checked types, and the result, a checked, never changes once made.
// Results are memoized by a key that hashes everything they are computed
// from (the package, its files' texts, its workspace dependencies' keys),
// so an unchanged package is never checked twice, and an edit makes a new
// key for the edited package and those that import it, nothing else.
//
// No lock is held while a check waits for another: a check of a package
// first checks its workspace dependencies (each a memoized future), then
// itself. An import that closes a cycle is refused, from the files'
// current imports, before anything waits, so the futures a check waits
// for form no cycle.

// errReload means a file imports a package the loaded graph does not
// have: the view must be loaded again with go list.
var errReload = errors.New("imports changed: reload needed")

// pkgState is one workspace package of a load: what go list said of it.
// It holds no check state but small caches, each under its own lock that
// is never held while waiting for anything.
type pkgState struct {
	s              *Session
	v              *view
	state          *loaded
	id, path, name string
	meta           *packages.Package
	filenames      []string
	goVersion      string
	sizes          types.Sizes
	module         *analysis.Module

	runMu sync.Mutex
	runs  map[*context.CancelFunc]struct{} // in-flight Diagnose runs

	importsMu sync.Mutex
	imports   map[string]importsEntry // file → its import paths, for wsDeps

	mu      sync.Mutex
	last    *checked   // the latest check, for Stats and split checks
	rest    *restCheck // the latest rest check, for split checks (split.go)
	nChecks int        // checks done, for tests and benchmarks
	stats   splitStats
}

// checked is a type-checked package at one key. It never changes once
// made: analyses, completion and hover read it without locks.
type checked struct {
	key [32]byte
	st  *pkgState
	pkg *types.Package
	// info is the type information of every file: one part for a whole
	// check (own), two for a split check (own, F's, and the rest's).
	info  *analyzer.TypesInfo
	own   *types.Info
	files []*fileState
	deps  map[string][32]byte // the keys of the workspace dependencies checked against
	rest  *restCheck          // the rest of a split check (split.go), nil for a whole check
	errs  []types.Error

	analysis *future[*Result] // the analyzers' run of this check, shared; under st.mu
	running  bool             // a caller is computing analysis; under st.mu
	snap     *Package         // made once; under st.mu
}

// fileState is one file of a check.
type fileState struct {
	parse    uint64 // numbers the parses of the session
	name     string
	content  []byte
	syntax   *ast.File
	tok      *token.File
	parseErr error

	namesOnce sync.Once
	names     map[string]bool // see identNames
}

// future is a value computed once by the first caller, which other
// callers wait for without holding any lock.
type future[T any] struct {
	done chan struct{}
	val  T
	err  error
}

func newFuture[T any]() *future[T] { return &future[T]{done: make(chan struct{})} }

// wait returns the value once computed, or ctx's error.
func (f *future[T]) wait(ctx context.Context) (T, error) {
	select {
	case <-f.done:
		return f.val, f.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

func newPkgState(s *Session, v *view, state *loaded, p *packages.Package) *pkgState {
	st := &pkgState{
		s: s, v: v, state: state,
		id: p.ID, path: p.PkgPath, name: p.Name,
		meta:      p,
		filenames: p.GoFiles,
		sizes:     p.TypesSizes,
		runs:      make(map[*context.CancelFunc]struct{}),
		imports:   make(map[string]importsEntry),
	}
	if st.sizes == nil {
		st.sizes = types.SizesFor("gc", "amd64")
	}
	if m := p.Module; m != nil {
		st.module = &analysis.Module{Path: m.Path, Version: m.Version, GoVersion: m.GoVersion}
		if m.GoVersion != "" {
			st.goVersion = "go" + m.GoVersion
		}
	}
	return st
}

func newInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

// startRun registers a run that SetOverlay may cancel.
func (st *pkgState) startRun(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	st.runMu.Lock()
	st.runs[&cancel] = struct{}{}
	st.runMu.Unlock()
	return ctx, func() {
		st.runMu.Lock()
		delete(st.runs, &cancel)
		st.runMu.Unlock()
		cancel()
	}
}

func (st *pkgState) cancelRun() {
	st.runMu.Lock()
	defer st.runMu.Unlock()
	for c := range st.runs {
		(*c)()
	}
}

// input is the current text of one file.
type input struct {
	name    string
	content []byte
	version uint64
}

func (st *pkgState) inputs() []input {
	in := make([]input, len(st.filenames))
	for i, name := range st.filenames {
		data, ver, err := st.s.content(name)
		if err != nil {
			data = nil // a vanished or skipped file checks as empty until the reload
		}
		in[i] = input{name, data, ver}
	}
	return in
}

// check returns the package checked against its files' current texts,
// from the memo when nothing it depends on changed.
func (st *pkgState) check(ctx context.Context) (*checked, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	files, err := st.parseAll(st.inputs())
	if err != nil {
		return nil, err
	}
	// Workspace dependencies first, without any lock held; an import
	// closing a cycle is refused instead (see importsReach).
	deps := make(map[string]*checked)
	for _, f := range files {
		for _, spec := range f.syntax.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				continue
			}
			dep := st.wsDep(path)
			if dep == nil || deps[dep.id] != nil || dep == st || dep.importsReach(st) {
				continue
			}
			c, err := dep.check(ctx)
			if err != nil {
				return nil, err
			}
			deps[dep.id] = c
		}
	}
	key := st.key(files, deps)
	e, mine := st.state.memo.claim(key)
	if !mine {
		c, err := e.wait(ctx)
		if err == nil || ctx.Err() != nil {
			return c, err
		}
		return st.check(ctx) // the check it waited for was cancelled
	}
	c, err := st.trySplit(ctx, key, files, deps)
	if c == nil && err == nil {
		c, err = st.typeCheck(ctx, key, files, deps)
	}
	st.state.memo.settle(st.id, key, e, c, err)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	st.last = c
	st.nChecks++
	st.mu.Unlock()
	return c, nil
}

// wsDep returns the workspace package path denotes for st, nil when it is
// not one. A variant of a workspace package that go list made for a test
// (p [q.test], when p imports q) is not checked here: the package itself
// stands for it, as it does for an import added since the load, so that
// a fresh load and an edited workspace resolve imports alike.
func (st *pkgState) wsDep(path string) *pkgState {
	imp := st.resolve(path)
	if imp == nil {
		return nil
	}
	if dep := st.state.pkgs[imp.ID]; dep != nil {
		return dep
	}
	return st.state.pkgs[imp.PkgPath]
}

// key hashes what a check of st is computed from.
func (st *pkgState) key(files []*fileState, deps map[string]*checked) [32]byte {
	h := sha256.New()
	var n [8]byte
	write := func(b []byte) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	write([]byte(st.id))
	if st.s.forceFull {
		// Tests compare with checks that share nothing: a key of its own.
		binary.LittleEndian.PutUint64(n[:], uint64(time.Now().UnixNano()))
		h.Write(n[:])
	}
	// Files by parse, not by text: a check's syntax must be the parse the
	// FileSet still holds (a text parsed again gets a new parse, whose
	// positions differ).
	for _, f := range files {
		write([]byte(f.name))
		binary.LittleEndian.PutUint64(n[:], f.parse)
		h.Write(n[:])
	}
	ids := make([]string, 0, len(deps))
	for id := range deps {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		write([]byte(id))
		h.Write(deps[id].key[:])
	}
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// parseAll returns the syntax of every input, from the parse cache when
// the text was parsed before, and errReload when a file imports a package
// the loaded graph lacks (once per import path).
func (st *pkgState) parseAll(in []input) ([]*fileState, error) {
	files := make([]*fileState, len(in))
	var reload error
	for i, fi := range in {
		files[i] = st.state.parses.parse(fi)
		// A file whose package clause changed may belong to another
		// package now (p and p_test share a directory): go list decides.
		switch name := files[i].syntax.Name.Name; {
		case name == st.name:
			st.v.clauseMatches(fi.name)
		case name != "_" && st.v.reloadForClause(fi.name, name):
			reload = errReload
		}
		for _, spec := range files[i].syntax.Imports {
			path, err := strconv.Unquote(spec.Path.Value)
			if err != nil || path == "unsafe" || path == "C" {
				continue
			}
			if st.resolve(path) == nil && st.v.reloadFor(path) {
				reload = errReload
			}
		}
	}
	return files, reload
}

// typeCheck checks the package whole.
func (st *pkgState) typeCheck(ctx context.Context, key [32]byte, files []*fileState, deps map[string]*checked) (*checked, error) {
	start := time.Now()
	syntax := syntaxOf(files)
	pkg := types.NewPackage(st.path, st.name)
	info := newInfo()
	var errs []types.Error
	cfg := st.config(ctx, deps, &errs)
	cfg.FakeImportC = importsC(syntax)
	_ = types.NewChecker(cfg, st.state.fset, pkg, info).Files(syntax)
	if err := ctx.Err(); err != nil {
		return nil, err // imports may have failed for it: not a result
	}
	st.s.log.Debug("checked", "pkg", st.id, "files", len(files), "took", time.Since(start))
	// No InitOrder: a split check cannot have go/types' order of the whole
	// package, and a check must not say more than another of the same
	// texts. Nothing reads it.
	info.InitOrder = nil
	return &checked{key: key, st: st, pkg: pkg, own: info, info: analyzer.NewTypesInfo(info), files: files, deps: depKeys(deps), errs: errs, analysis: newFuture[*Result]()}, nil
}

// importer returns the importer of a check: workspace packages from deps,
// the others from export data.
func (st *pkgState) importer(ctx context.Context, deps map[string]*checked) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		imp := st.resolve(path)
		if imp == nil {
			return nil, fmt.Errorf("could not import %s: it is not among the dependencies go list reported for %s", path, st.path)
		}
		if dep := st.wsDep(path); dep != nil {
			if c := deps[dep.id]; c != nil {
				return c.pkg, nil
			}
			return nil, fmt.Errorf("import cycle not allowed: %s imports %s, which imports %s", st.path, dep.path, st.path)
		}
		return st.state.exports.load(imp.ID)
	})
}

// resolve returns the package an import path of this package denotes: the
// one go list resolved, or, for an import added since, the package of that
// path already in the loaded graph, which needs no reload.
func (st *pkgState) resolve(path string) *packages.Package {
	if p := st.meta.Imports[path]; p != nil {
		return p
	}
	return st.state.byPath[path]
}

// importsReach reports whether target is st or one of the workspace
// packages st imports, directly or not, by its files' current imports.
// Both packages of an import cycle see it, whichever is checked first:
// each refuses the import that closes it, as go build does.
func (st *pkgState) importsReach(target *pkgState) bool {
	seen := map[*pkgState]bool{st: true}
	queue := []*pkgState{st}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if p == target {
			return true
		}
		for _, d := range p.wsDeps() {
			if !seen[d] {
				seen[d] = true
				queue = append(queue, d)
			}
		}
	}
	return false
}

// wsDeps returns the workspace packages that st's files import now,
// reading only their import declarations.
func (st *pkgState) wsDeps() []*pkgState {
	var deps []*pkgState
	for _, name := range st.filenames {
		data, ver, err := st.s.content(name)
		if err != nil {
			continue
		}
		st.importsMu.Lock()
		e, ok := st.imports[name]
		st.importsMu.Unlock()
		if !ok || e.version != ver {
			e = importsEntry{version: ver}
			if f, _ := parser.ParseFile(token.NewFileSet(), name, data, parser.ImportsOnly); f != nil {
				for _, spec := range f.Imports {
					if path, err := strconv.Unquote(spec.Path.Value); err == nil {
						e.paths = append(e.paths, path)
					}
				}
			}
			st.importsMu.Lock()
			st.imports[name] = e
			st.importsMu.Unlock()
		}
		for _, path := range e.paths {
			if d := st.wsDep(path); d != nil && !slices.Contains(deps, d) {
				deps = append(deps, d)
			}
		}
	}
	return deps
}

// importsEntry is the import paths of one version of a file.
type importsEntry struct {
	version uint64
	paths   []string
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// importsC reports whether one of files imports "C": the package uses cgo
// and is checked with FakeImportC, which leaves C's names untyped, as
// tbvet does.
func importsC(files []*ast.File) bool {
	for _, f := range files {
		for _, spec := range f.Imports {
			if spec.Path.Value == `"C"` {
				return true
			}
		}
	}
	return false
}

// fileAt returns the file holding pos.
func fileAt(files []*fileState, pos token.Pos) *fileState {
	for _, fs := range files {
		if fs.tok != nil && int(pos) >= fs.tok.Base() && int(pos) <= fs.tok.Base()+fs.tok.Size() {
			return fs
		}
	}
	return nil
}

// memo holds the checks by key: a check in flight is a future that other
// callers wait for; a failed or cancelled one is dropped so that the next
// caller checks again. Only the latest checksPerPackage checks of each
// package are kept: a large package's type information is big.
type memo struct {
	mu      sync.Mutex
	entries map[[32]byte]*future[*checked]
	byPkg   map[string][][32]byte // package ID → keys settled, oldest first
}

// checksPerPackage is how many checks of one package the memo keeps: the
// current one. A large package's type information is hundreds of
// megabytes; an undo checks again.
const checksPerPackage = 1

// claim returns the entry of key; mine is true when the caller must
// compute it (and then settle it).
func (m *memo) claim(key [32]byte) (e *future[*checked], mine bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.entries[key]; ok {
		return e, false
	}
	if m.entries == nil {
		m.entries = make(map[[32]byte]*future[*checked])
		m.byPkg = make(map[string][][32]byte)
	}
	e = newFuture[*checked]()
	m.entries[key] = e
	return e, true
}

// settle records the outcome of the entry of key, a check of package id,
// and wakes its waiters.
func (m *memo) settle(id string, key [32]byte, e *future[*checked], c *checked, err error) {
	e.val, e.err = c, err
	m.mu.Lock()
	if err != nil {
		delete(m.entries, key)
	} else {
		keys := append(m.byPkg[id], key)
		for len(keys) > checksPerPackage {
			delete(m.entries, keys[0])
			keys = keys[1:]
		}
		m.byPkg[id] = slices.Clone(keys)
	}
	m.mu.Unlock()
	close(e.done)
}

// parseCache holds the syntax of each file's latest texts, so that a
// check reuses the parse of every file an edit did not touch. A replaced
// parse leaves the shared FileSet after a while: results handed out just
// before must stay mappable.
type parseCache struct {
	mu      sync.Mutex
	fset    *token.FileSet
	byName  map[string][]*fileState // the latest parses of each file, newest last
	retired []*token.File
	parses  uint64
}

// parsesPerFile is how many texts of one file keep their parse: an editor
// toggling between two versions (undo, redo) parses neither again.
const parsesPerFile = 2

func (c *parseCache) parse(fi input) *fileState {
	c.mu.Lock()
	for _, fs := range c.byName[fi.name] {
		if string(fs.content) == string(fi.content) {
			c.mu.Unlock()
			return fs
		}
	}
	c.mu.Unlock()
	const mode = parser.AllErrors | parser.ParseComments | parser.SkipObjectResolution
	// The FileSet is safe for concurrent use; parsing needs no lock.
	f, err := parser.ParseFile(c.fset, fi.name, fi.content, mode)
	if f == nil {
		f = &ast.File{Name: ast.NewIdent("_")} // only when the source cannot be read, which []byte rules out
	}
	fs := &fileState{name: fi.name, content: fi.content, syntax: f, tok: c.fset.File(f.FileStart), parseErr: err}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.parses++
	fs.parse = c.parses
	if c.byName == nil {
		c.byName = make(map[string][]*fileState)
	}
	list := append(c.byName[fi.name], fs)
	if len(list) > parsesPerFile {
		if old := list[0].tok; old != nil {
			c.retired = append(c.retired, old)
		}
		list = list[1:]
	}
	c.byName[fi.name] = slices.Clone(list)
	const keep = 64
	if n := len(c.retired) - keep; n > 0 {
		for _, t := range c.retired[:n] {
			c.fset.RemoveFile(t)
		}
		c.retired = slices.Delete(c.retired, 0, n)
	}
	return fs
}

package cache

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// errReload means a file imports a package the loaded graph does not
// have: the view must be loaded again with go list.
var errReload = errors.New("imports changed: reload needed")

// pkgState is one workspace package and its latest check.
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

	// mu guards the fields below and the mutable parts of the check
	// states (a merged info's pins and pending deltas, lazy per-file
	// caches). It is held to bring cur up to date and to take a
	// snapshot, never while analyzers run.
	mu      sync.Mutex
	cur     *checkState
	gen     uint64 // bumped whenever cur changes
	result  *Result
	resGen  uint64
	running *run // the analysis in flight, if any
	snap    *Package
	retired []*token.File // replaced files, removed from the FileSet later
	nFull   int           // counters, for tests and benchmarks
	nIncr   int
}

// run is one analysis of a generation, which concurrent Diagnose calls
// for the same generation share.
type run struct {
	gen  uint64
	done chan struct{} // closed when res and err are set
	res  *Result
	err  error
}

// checkState is a type-checked package at one generation. It never
// changes once made, except for lazy caches filled under pkgState.mu:
// an incremental check makes a new checkState that shares the unchanged
// files, so an analysis may read an older one without a lock.
type checkState struct {
	pkg       *types.Package
	merged    *mergedInfo
	files     []*fileState
	byName    map[string]*fileState
	owner     map[string]int            // package-level name → index of the declaring file
	wsImports map[string]*types.Package // workspace imports, by ID, as checked against
	initOrder []*types.Initializer      // this generation's InitOrder (the merged info's may lag)
	noIncr    bool                      // duplicate declarations: only full checks are exact
	otherErrs []types.Error             // type errors outside the package's files
}

// mergedInfo is the type information of a package as one types.Info,
// as analyzers need it, shared by the generations that incremental
// checks derive from one full check. Analyses pin it while they read it;
// an incremental check of a pinned info is queued as a delta and applied
// by the next analysis once the pins are gone, so that neither an edit
// nor a snapshot waits for an analysis. Guarded by pkgState.mu.
type mergedInfo struct {
	info    *types.Info
	pins    int
	idle    chan struct{} // closed when pins drops to 0
	pending []infoDelta
}

// infoDelta is one incremental check to apply to a merged info: the
// entries of old's nodes go, those of add come, and InitOrder changes.
type infoDelta struct {
	old       *ast.File
	oldInfo   *types.Info // the entries of old's nodes, when known
	add       *types.Info
	initOrder []*types.Initializer
}

// apply brings m up to date; m must not be pinned.
func (m *mergedInfo) apply() {
	for _, d := range m.pending {
		if d.oldInfo != nil {
			deleteInfo(m.info, d.oldInfo)
		} else {
			deleteFileInfo(m.info, d.old)
		}
		mergeInfo(m.info, d.add)
		m.info.InitOrder = d.initOrder
	}
	m.pending = nil
}

func (m *mergedInfo) pin() {
	if m.pins == 0 {
		m.idle = make(chan struct{})
	}
	m.pins++
}

func (m *mergedInfo) unpin() {
	m.pins--
	if m.pins == 0 {
		close(m.idle)
	}
}

// fileState is one file of a checked package. Its fields do not change
// once it is part of a checkState, except the lazy ones.
type fileState struct {
	name     string
	content  []byte
	version  uint64 // last version known to have this content; under pkgState.mu
	syntax   *ast.File
	tok      *token.File
	parseErr error
	decls    map[string]types.Object // package-level objects it declares
	hasTypes bool                    // declares types or methods
	errs     []types.Error           // type errors positioned in the file
	refs     map[string]bool         // package-level names it uses; lazy
	info     *types.Info             // its slice of the merged info; lazy
	shape    string                  // what the package's InitOrder depends on in it; lazy
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
			data = nil // a vanished file checks as empty until the reload
		}
		in[i] = input{name, data, ver}
	}
	return in
}

// importChain lists the packages being checked by this goroutine, to
// refuse import cycles instead of deadlocking on their locks.
type importChain struct {
	id   string
	next *importChain
}

type chainKey struct{}

// typesForImport returns the package's types for importing packages,
// checking it first if needed.
func (st *pkgState) typesForImport(ctx context.Context) (*types.Package, error) {
	for c, _ := ctx.Value(chainKey{}).(*importChain); c != nil; c = c.next {
		if c.id == st.id {
			return nil, fmt.Errorf("import cycle through %s", st.path)
		}
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.update(ctx); err != nil {
		return nil, err
	}
	return st.cur.pkg, nil
}

// update brings cur up to date with the current file contents.
func (st *pkgState) update(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	prev, _ := ctx.Value(chainKey{}).(*importChain)
	ctx = context.WithValue(ctx, chainKey{}, &importChain{st.id, prev})
	in := st.inputs()
	if st.cur == nil || st.s.forceFull || st.cur.noIncr {
		if st.cur != nil && st.upToDate(in) {
			return nil
		}
		return st.fullCheck(ctx, in)
	}
	for id, was := range st.cur.wsImports {
		dep := st.state.pkgs[id]
		if dep == nil {
			continue
		}
		now, err := dep.typesForImport(ctx)
		if err != nil || now != was {
			return st.fullCheck(ctx, in)
		}
	}
	for i, fi := range in {
		fs := st.cur.files[i]
		if fi.version == fs.version || bytes.Equal(fi.content, fs.content) {
			fs.version = fi.version
			continue
		}
		ok, err := st.incremental(ctx, i, fi)
		if err != nil {
			return err
		}
		if !ok {
			return st.fullCheck(ctx, in)
		}
	}
	return nil
}

func (st *pkgState) upToDate(in []input) bool {
	for i, fi := range in {
		fs := st.cur.files[i]
		if fi.version != fs.version && !bytes.Equal(fi.content, fs.content) {
			return false
		}
		fs.version = fi.version
	}
	return true
}

func (st *pkgState) parse(fi input) (*ast.File, *token.File, error) {
	const mode = parser.AllErrors | parser.ParseComments | parser.SkipObjectResolution
	f, err := parser.ParseFile(st.state.fset, fi.name, fi.content, mode)
	if f == nil {
		// Only when the source cannot be read, which []byte input rules
		// out; keep a well-formed empty file anyway.
		f = &ast.File{Name: ast.NewIdent("_")}
	}
	return f, st.state.fset.File(f.FileStart), err
}

// retire schedules the removal of a replaced file from the FileSet. The
// last few stay, so results handed out just before stay mappable.
func (st *pkgState) retire(tok *token.File) {
	if tok == nil {
		return
	}
	st.retired = append(st.retired, tok)
	const keep = 32
	if n := len(st.retired) - keep; n > 0 {
		for _, t := range st.retired[:n] {
			st.state.fset.RemoveFile(t)
		}
		st.retired = slices.Delete(st.retired, 0, n)
	}
}

// importer returns the importer of the package's checks; it records the
// workspace packages it hands out in ws.
func (st *pkgState) importer(ctx context.Context, ws map[string]*types.Package) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		imp := st.resolve(path)
		if imp == nil {
			return nil, fmt.Errorf("could not import %s: it is not among the dependencies go list reported for %s", path, st.path)
		}
		if dep := st.state.pkgs[imp.ID]; dep != nil {
			// A cycle is refused before waiting for anything, from the
			// files' current imports, whichever goroutine checks which
			// package first: each package of the cycle refuses the
			// import that closes it, as go build does.
			if dep == st || dep.importsReach(st) {
				return nil, fmt.Errorf("import cycle not allowed: %s imports %s, which imports %s", st.path, dep.path, st.path)
			}
			p, err := dep.typesForImport(ctx)
			if err == nil && ws != nil {
				ws[imp.ID] = p
			}
			return p, err
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
			if imp := st.resolve(path); imp != nil {
				if d := st.state.pkgs[imp.ID]; d != nil && !slices.Contains(deps, d) {
					deps = append(deps, d)
				}
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

func (st *pkgState) config(ctx context.Context, ws map[string]*types.Package, errs *[]types.Error, files []*ast.File) *types.Config {
	return &types.Config{
		Importer:    st.importer(ctx, ws),
		Sizes:       st.sizes,
		GoVersion:   st.goVersion,
		FakeImportC: importsC(files),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				*errs = append(*errs, te)
			}
		},
	}
}

// fullCheck parses the files whose text changed and type-checks the whole
// package.
func (st *pkgState) fullCheck(ctx context.Context, in []input) error {
	start := time.Now()
	files := make([]*fileState, len(in))
	var reused map[string]*fileState
	if st.cur != nil {
		reused = st.cur.byName
	}
	syntax := make([]*ast.File, len(in))
	for i, fi := range in {
		fs := &fileState{name: fi.name, content: fi.content, version: fi.version}
		if old := reused[fi.name]; old != nil && bytes.Equal(old.content, fi.content) {
			// go/types never modifies syntax trees: reuse the parse.
			fs.syntax, fs.tok, fs.parseErr = old.syntax, old.tok, old.parseErr
		} else {
			fs.syntax, fs.tok, fs.parseErr = st.parse(fi)
			if old != nil {
				st.retire(old.tok)
			}
		}
		files[i], syntax[i] = fs, fs.syntax
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Every file's new imports at once: one go list run loads them all.
	var reload error
	for _, f := range syntax {
		if err := st.checkImports(f); err != nil {
			reload = err
		}
	}
	if reload != nil {
		return reload
	}
	pkg := types.NewPackage(st.path, st.name)
	info := newInfo()
	ws := make(map[string]*types.Package)
	var errs []types.Error
	_ = types.NewChecker(st.config(ctx, ws, &errs, syntax), st.state.fset, pkg, info).Files(syntax)
	if err := ctx.Err(); err != nil {
		return err
	}
	cs := &checkState{
		pkg: pkg, merged: &mergedInfo{info: info}, files: files, wsImports: ws,
		initOrder: info.InitOrder,
		byName:    make(map[string]*fileState, len(files)),
		owner:     make(map[string]int),
	}
	for i, fs := range files {
		cs.byName[fs.name] = fs
		decls, dup := topLevelDecls(fs.syntax, info)
		fs.decls, fs.hasTypes = decls, hasTypesOrMethods(fs.syntax)
		cs.noIncr = cs.noIncr || dup
		for name := range decls {
			if _, ok := cs.owner[name]; ok {
				cs.noIncr = true
			}
			cs.owner[name] = i
		}
	}
	for _, e := range errs {
		if fs := fileAt(files, e.Pos); fs != nil {
			fs.errs = append(fs.errs, e)
		} else {
			cs.otherErrs = append(cs.otherErrs, e)
		}
	}
	st.cur = cs
	st.gen++
	st.nFull++
	st.s.log.Debug("full check", "pkg", st.id, "files", len(files), "took", time.Since(start))
	return nil
}

// checkImports returns errReload when f imports a package go list did
// not report for this package, and no reload was asked for it yet.
func (st *pkgState) checkImports(f *ast.File) error {
	var reload error
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil || path == "unsafe" || path == "C" {
			continue
		}
		if st.resolve(path) == nil && st.v.reloadFor(path) {
			reload = errReload
		}
	}
	return reload
}

// importsC reports whether one of files imports "C": the package uses cgo
// and is checked with FakeImportC, which leaves C's names untyped.
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

// importPaths returns the import paths of f, in order.
func importPaths(f *ast.File) []string {
	paths := make([]string, len(f.Imports))
	for i, spec := range f.Imports {
		paths[i] = spec.Path.Value
	}
	return paths
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

// topLevelDecls returns the package-level objects f declares; dup reports
// a declaration without an object (a redeclaration), which makes the
// incremental path inexact.
func topLevelDecls(f *ast.File, info *types.Info) (decls map[string]types.Object, dup bool) {
	decls = make(map[string]types.Object)
	add := func(id *ast.Ident) {
		if id == nil || id.Name == "_" {
			return
		}
		obj := info.Defs[id]
		if obj == nil || decls[id.Name] != nil {
			dup = true
			return
		}
		decls[id.Name] = obj
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						add(id)
					}
				case *ast.TypeSpec:
					add(spec.Name)
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name != "init" {
				add(d.Name)
			}
		}
	}
	return decls, dup
}

func hasTypesOrMethods(f *ast.File) bool {
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.TYPE {
				return true
			}
		case *ast.FuncDecl:
			if d.Recv != nil {
				return true
			}
		}
	}
	return false
}

// incremental re-parses and re-checks file i alone. It returns false when
// the edit may change what other files see, or the package's
// initialization order, and a full check is needed.
//
// The file is checked in a package of its own whose scope holds the
// other files' objects, already typed. Its package-level objects are then
// mapped onto the old ones, which the other files' information refers
// to, and so are the objects reachable from their types (parameters and
// results of its functions, fields of anonymous struct types): Defs and
// Uses of the file name the package's objects, as a full check would.
// What stays new: the file's local objects belong to the file's own
// package (Pkg() is not the package's Types), the scopes of the file
// lead to that package's scope (LookupParent from them finds the new
// objects of the file's own declarations), Types and Selections hold
// the new, identical types, and the package's objects keep the position
// they were first checked at. The analyzers depend on none of these
// (TestIncrementalObjects).
func (st *pkgState) incremental(ctx context.Context, i int, fi input) (bool, error) {
	start := time.Now()
	cs := st.cur
	old := cs.files[i]
	// Errors without a position belong to no known file: an incremental
	// check could not tell whether they went away.
	if old.hasTypes || len(cs.otherErrs) > 0 {
		return false, nil
	}
	syntax, tok, parseErr := st.parse(fi)
	discard := func() {
		if tok != nil {
			st.state.fset.RemoveFile(tok)
		}
	}
	// A changed import list changes the package's Imports, which the
	// analyzers read (does the package use the SDK?) and which go/types
	// qualifies type names in every file's messages by.
	if syntax.Name.Name != st.name || hasTypesOrMethods(syntax) || !slices.Equal(importPaths(syntax), importPaths(old.syntax)) {
		discard()
		return false, nil
	}
	if err := st.checkImports(syntax); err != nil {
		discard()
		return false, err
	}
	pkg := types.NewPackage(st.path, st.name)
	// Every file's imports, as go/types qualifies a type in a message by
	// path when two imported packages share a name.
	pkg.SetImports(slices.Clone(cs.pkg.Imports()))
	scope := pkg.Scope()
	for j, fs := range cs.files {
		if j != i {
			for _, obj := range fs.decls {
				scope.Insert(obj)
			}
		}
	}
	info := newInfo()
	var errs []types.Error
	ws := make(map[string]*types.Package)
	_ = types.NewChecker(st.config(ctx, ws, &errs, []*ast.File{syntax}), st.state.fset, pkg, info).Files([]*ast.File{syntax})
	if err := ctx.Err(); err != nil {
		discard()
		return false, err
	}
	for id, p := range ws {
		if was, ok := cs.wsImports[id]; ok && was != p {
			discard()
			return false, nil
		}
	}
	decls, dup := topLevelDecls(syntax, info)
	if dup || !sameSurface(old.decls, decls) || !sameFollowOns(cs, old, errs) {
		discard()
		return false, nil
	}
	// An initialization cycle through another file would invalidate
	// types in both files: leave such edits to the full check.
	refs := packageRefs(syntax, info.Uses, scope, cs.pkg.Scope())
	if st.reaches(refs, i) {
		discard()
		return false, nil
	}
	// The package's InitOrder is kept, with this file's initializers
	// replaced, when the file's declarations depend on the same objects
	// as before; a new dependency may reorder the whole package.
	shape := initShape(syntax, info.Uses, scope, cs.pkg.Scope())
	if shape != cs.shape(old) {
		discard()
		return false, nil
	}

	// Commit: from here on nothing may fail.
	remap := make(map[types.Object]types.Object, len(decls))
	seen := make(map[types.Type]bool)
	for name, obj := range decls {
		o := old.decls[name]
		remap[obj] = o
		pairObjects(remap, o.Type(), obj.Type(), seen)
	}
	for id, obj := range info.Defs {
		if o, ok := remap[obj]; ok {
			info.Defs[id] = o
		}
	}
	for id, obj := range info.Uses {
		if o, ok := remap[obj]; ok {
			info.Uses[id] = o
		}
	}
	initOrder, ok := patchInitOrder(cs.initOrder, old.syntax, syntax, info)
	if !ok {
		discard()
		return false, nil
	}
	fs := &fileState{
		name: fi.name, content: fi.content, version: fi.version,
		syntax: syntax, tok: tok, parseErr: parseErr,
		decls: old.decls, errs: errs, refs: refs, info: info, shape: shape,
	}
	next := &checkState{
		pkg: cs.pkg, merged: cs.merged, owner: cs.owner, initOrder: initOrder, otherErrs: cs.otherErrs,
		files:     slices.Clone(cs.files),
		byName:    maps.Clone(cs.byName),
		wsImports: maps.Clone(cs.wsImports),
	}
	next.files[i] = fs
	next.byName[fs.name] = fs
	maps.Copy(next.wsImports, ws)
	m := cs.merged
	m.pending = append(m.pending, infoDelta{old: old.syntax, oldInfo: old.info, add: info, initOrder: initOrder})
	if m.pins == 0 {
		m.apply()
	}
	st.cur = next
	st.retire(old.tok)
	st.gen++
	st.nIncr++
	st.s.log.Debug("incremental check", "pkg", st.id, "file", fi.name, "took", time.Since(start))
	return true, nil
}

// sameFollowOns reports whether the type errors of a check of the whole
// package would be those of its files with old's replaced by errs.
// go/types drops an error about an invalid type or operand (a follow-on
// of another error) when the check reported an error before it: an
// incremental check has fewer errors before, and whether the edited file
// has errors decides whether other files' follow-ons would be dropped.
func sameFollowOns(cs *checkState, old *fileState, errs []types.Error) bool {
	for _, e := range errs {
		if isFollowOn(e.Msg) {
			return false
		}
	}
	if (len(old.errs) == 0) == (len(errs) == 0) {
		return true
	}
	return !slices.ContainsFunc(cs.files, func(fs *fileState) bool { return fs != old && len(fs.errs) > 0 })
}

// isFollowOn mirrors the test go/types applies before dropping an error.
func isFollowOn(msg string) bool {
	return strings.Index(msg, "invalid operand") > 0 || strings.Index(msg, "invalid type") > 0
}

// sameSurface reports whether a file's new package-level objects look,
// from other files, exactly like the old ones.
func sameSurface(old, cur map[string]types.Object) bool {
	if len(old) != len(cur) {
		return false
	}
	for name, o := range old {
		n := cur[name]
		if n == nil || reflect.TypeOf(o) != reflect.TypeOf(n) || !types.Identical(o.Type(), n.Type()) {
			return false
		}
		if oc, ok := o.(*types.Const); ok {
			nc := n.(*types.Const)
			ov, nv := oc.Val(), nc.Val()
			if ov.Kind() != nv.Kind() || ov.ExactString() != nv.ExactString() {
				return false
			}
		}
	}
	return true
}

// pairObjects maps the objects reachable from the type n (fields,
// parameters, results, type parameters, interface methods) to their
// counterparts in o, an identical type.
func pairObjects(remap map[types.Object]types.Object, o, n types.Type, seen map[types.Type]bool) {
	if o == n || o == nil || n == nil || seen[n] {
		return
	}
	seen[n] = true
	pair := func(o, n types.Object) {
		if o != nil && n != nil && o != n {
			remap[n] = o
			pairObjects(remap, o.Type(), n.Type(), seen)
		}
	}
	tuple := func(o, n *types.Tuple) {
		if o != nil && n != nil && o.Len() == n.Len() {
			for i := range n.Len() {
				pair(o.At(i), n.At(i))
			}
		}
	}
	typeParams := func(o, n *types.TypeParamList) {
		if o != nil && n != nil && o.Len() == n.Len() {
			for i := range n.Len() {
				pair(o.At(i).Obj(), n.At(i).Obj())
				pairObjects(remap, o.At(i).Constraint(), n.At(i).Constraint(), seen)
			}
		}
	}
	switch n := n.(type) {
	case *types.Pointer:
		if o, ok := o.(*types.Pointer); ok {
			pairObjects(remap, o.Elem(), n.Elem(), seen)
		}
	case *types.Slice:
		if o, ok := o.(*types.Slice); ok {
			pairObjects(remap, o.Elem(), n.Elem(), seen)
		}
	case *types.Array:
		if o, ok := o.(*types.Array); ok {
			pairObjects(remap, o.Elem(), n.Elem(), seen)
		}
	case *types.Chan:
		if o, ok := o.(*types.Chan); ok {
			pairObjects(remap, o.Elem(), n.Elem(), seen)
		}
	case *types.Map:
		if o, ok := o.(*types.Map); ok {
			pairObjects(remap, o.Key(), n.Key(), seen)
			pairObjects(remap, o.Elem(), n.Elem(), seen)
		}
	case *types.Struct:
		if o, ok := o.(*types.Struct); ok && o.NumFields() == n.NumFields() {
			for i := range n.NumFields() {
				pair(o.Field(i), n.Field(i))
			}
		}
	case *types.Signature:
		if o, ok := o.(*types.Signature); ok {
			typeParams(o.TypeParams(), n.TypeParams())
			tuple(o.Params(), n.Params())
			tuple(o.Results(), n.Results())
		}
	case *types.Interface:
		if o, ok := o.(*types.Interface); ok && o.NumExplicitMethods() == n.NumExplicitMethods() && o.NumEmbeddeds() == n.NumEmbeddeds() {
			for i := range n.NumExplicitMethods() {
				pair(o.ExplicitMethod(i), n.ExplicitMethod(i))
			}
			for i := range n.NumEmbeddeds() {
				pairObjects(remap, o.EmbeddedType(i), n.EmbeddedType(i), seen)
			}
		}
	case *types.Named:
		if o, ok := o.(*types.Named); ok && o.TypeArgs().Len() == n.TypeArgs().Len() {
			for i := range n.TypeArgs().Len() {
				pairObjects(remap, o.TypeArgs().At(i), n.TypeArgs().At(i), seen)
			}
		}
	case *types.TypeParam:
		if o, ok := o.(*types.TypeParam); ok {
			pair(o.Obj(), n.Obj())
		}
	}
}

// packageRefs returns the package-level names f uses.
func packageRefs(f *ast.File, uses map[*ast.Ident]types.Object, scopes ...*types.Scope) map[string]bool {
	refs := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := uses[id]; obj != nil && slices.Contains(scopes, obj.Parent()) {
				refs[obj.Name()] = true
			}
		}
		return true
	})
	return refs
}

// reaches reports whether the names in refs lead, through the
// package-level references of other files, back to a name declared by
// file target.
func (st *pkgState) reaches(refs map[string]bool, target int) bool {
	cs := st.cur
	seen := map[int]bool{target: true}
	var queue []int
	for name := range refs {
		if j, ok := cs.owner[name]; ok && !seen[j] {
			seen[j] = true
			queue = append(queue, j)
		}
	}
	for len(queue) > 0 {
		fs := cs.files[queue[0]]
		queue = queue[1:]
		if fs.refs == nil {
			fs.refs = packageRefs(fs.syntax, cs.uses(fs), cs.pkg.Scope())
		}
		for name := range fs.refs {
			j, ok := cs.owner[name]
			switch {
			case !ok:
			case j == target:
				return true
			case !seen[j]:
				seen[j] = true
				queue = append(queue, j)
			}
		}
	}
	return false
}

// uses returns the Uses map holding fs's identifiers: its own when an
// incremental check made it, else the merged one (which holds every file
// of the full check, pinned or not).
func (cs *checkState) uses(fs *fileState) map[*ast.Ident]types.Object {
	if fs.info != nil {
		return fs.info.Uses
	}
	return cs.merged.info.Uses
}

// shape returns fs's initShape, computing it once.
func (cs *checkState) shape(fs *fileState) string {
	if fs.shape == "" {
		fs.shape = initShape(fs.syntax, cs.uses(fs), cs.pkg.Scope())
	}
	return fs.shape
}

// initShape describes what go/types computes the package's
// initialization order from, as far as file f contributes: its
// package-level declarations in order (names, initializer arity) and,
// for each initializer and function, the package-level objects and
// methods it refers to. Two versions of a file with the same shape (and
// the same surface) leave InitOrder as it was, up to the file's own
// initializers. It may say more than go/types uses, never less.
func initShape(f *ast.File, uses map[*ast.Ident]types.Object, scopes ...*types.Scope) string {
	var b strings.Builder
	deps := func(nodes ...ast.Node) {
		set := make(map[string]bool)
		for _, n := range nodes {
			if n == nil || reflect.ValueOf(n).IsNil() {
				continue
			}
			ast.Inspect(n, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok {
					return true
				}
				switch obj := uses[id].(type) {
				case *types.Const, *types.Var:
					if slices.Contains(scopes, obj.Parent()) {
						set[obj.Name()] = true
					}
				case *types.Func:
					if recv := obj.Signature().Recv(); recv != nil {
						set[types.TypeString(recv.Type(), nil)+"."+obj.Name()] = true
					} else if slices.Contains(scopes, obj.Parent()) {
						set[obj.Name()] = true
					}
				}
				return true
			})
		}
		b.WriteString(" [")
		b.WriteString(strings.Join(slices.Sorted(maps.Keys(set)), " "))
		b.WriteString("]")
	}
	names := func(ids []*ast.Ident) {
		for _, id := range ids {
			b.WriteString(" ")
			b.WriteString(id.Name)
		}
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok != token.CONST && d.Tok != token.VAR {
				continue
			}
			var last []ast.Expr // a constant spec without values repeats the last ones
			for _, spec := range d.Specs {
				vs, ok := spec.(*ast.ValueSpec)
				if !ok {
					continue
				}
				values := vs.Values
				if d.Tok == token.CONST && len(values) == 0 && vs.Type == nil {
					values = last
				} else {
					last = values
				}
				fmt.Fprintf(&b, "%s%d", d.Tok, len(values))
				names(vs.Names)
				switch {
				case len(values) == 1 && len(vs.Names) > 1:
					deps(vs.Type, values[0])
				default:
					for _, v := range values {
						deps(vs.Type, v)
					}
					if len(values) == 0 {
						deps(vs.Type)
					}
				}
				b.WriteString("\n")
			}
		case *ast.FuncDecl:
			b.WriteString("func")
			names([]*ast.Ident{d.Name})
			deps(d.Type, d.Body)
			b.WriteString("\n")
		}
	}
	return b.String()
}

// patchInitOrder returns order with the initializers of oldFile replaced
// by those of newFile, a file of the same initShape; info is newFile's,
// with its package-level objects mapped to the package's.
func patchInitOrder(order []*types.Initializer, oldFile, newFile *ast.File, info *types.Info) ([]*types.Initializer, bool) {
	type at struct{ spec, value int }
	oldAt := make(map[ast.Expr]at)
	var newSpecs []*ast.ValueSpec
	for _, f := range []*ast.File{oldFile, newFile} {
		n := 0
		for _, d := range f.Decls {
			if d, ok := d.(*ast.GenDecl); ok && d.Tok == token.VAR {
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok {
						continue
					}
					if f == oldFile {
						for i, v := range vs.Values {
							oldAt[v] = at{n, i}
						}
					} else {
						newSpecs = append(newSpecs, vs)
					}
					n++
				}
			}
		}
	}
	out := make([]*types.Initializer, len(order))
	for k, in := range order {
		a, ok := oldAt[in.Rhs]
		if !ok {
			out[k] = in
			continue
		}
		if a.spec >= len(newSpecs) || a.value >= len(newSpecs[a.spec].Values) {
			return nil, false
		}
		vs := newSpecs[a.spec]
		names := vs.Names
		if len(vs.Values) != 1 || len(names) == 1 {
			if a.value >= len(names) {
				return nil, false
			}
			names = names[a.value : a.value+1]
		}
		lhs := make([]*types.Var, len(names))
		for i, id := range names {
			v, ok := info.Defs[id].(*types.Var)
			if !ok {
				return nil, false
			}
			lhs[i] = v
		}
		out[k] = &types.Initializer{Lhs: lhs, Rhs: vs.Values[a.value]}
	}
	return out, true
}

// deleteFileInfo removes every entry keyed by a node of f.
func deleteFileInfo(info *types.Info, f *ast.File) {
	delete(info.FileVersions, f)
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if e, ok := n.(ast.Expr); ok {
			delete(info.Types, e)
		}
		switch n := n.(type) {
		case *ast.Ident:
			delete(info.Defs, n)
			delete(info.Uses, n)
			delete(info.Instances, n)
		case *ast.SelectorExpr:
			delete(info.Selections, n)
		}
		delete(info.Implicits, n)
		delete(info.Scopes, n)
		return true
	})
}

// deleteInfo removes the entries of src from dst: cheaper than walking a
// file when src is the file's slice of dst.
func deleteInfo(dst, src *types.Info) {
	for k := range src.Types {
		delete(dst.Types, k)
	}
	for k := range src.Defs {
		delete(dst.Defs, k)
	}
	for k := range src.Uses {
		delete(dst.Uses, k)
	}
	for k := range src.Implicits {
		delete(dst.Implicits, k)
	}
	for k := range src.Instances {
		delete(dst.Instances, k)
	}
	for k := range src.Scopes {
		delete(dst.Scopes, k)
	}
	for k := range src.Selections {
		delete(dst.Selections, k)
	}
	for k := range src.FileVersions {
		delete(dst.FileVersions, k)
	}
}

// mergeInfo adds the entries of src to dst.
func mergeInfo(dst, src *types.Info) {
	for k, v := range src.Types {
		dst.Types[k] = v
	}
	for k, v := range src.Defs {
		dst.Defs[k] = v
	}
	for k, v := range src.Uses {
		dst.Uses[k] = v
	}
	for k, v := range src.Implicits {
		dst.Implicits[k] = v
	}
	for k, v := range src.Instances {
		dst.Instances[k] = v
	}
	for k, v := range src.Scopes {
		dst.Scopes[k] = v
	}
	for k, v := range src.Selections {
		dst.Selections[k] = v
	}
	for k, v := range src.FileVersions {
		dst.FileVersions[k] = v
	}
}

// fileInfo returns fs's slice of the merged info; fs must be current.
func (cs *checkState) fileInfo(fs *fileState) *types.Info {
	if fs.info != nil {
		return fs.info
	}
	src, info := cs.merged.info, newInfo()
	if v, ok := src.FileVersions[fs.syntax]; ok {
		info.FileVersions[fs.syntax] = v
	}
	ast.Inspect(fs.syntax, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if e, ok := n.(ast.Expr); ok {
			if tv, ok := src.Types[e]; ok {
				info.Types[e] = tv
			}
		}
		switch n := n.(type) {
		case *ast.Ident:
			if o, ok := src.Defs[n]; ok {
				info.Defs[n] = o
			}
			if o, ok := src.Uses[n]; ok {
				info.Uses[n] = o
			}
			if in, ok := src.Instances[n]; ok {
				info.Instances[n] = in
			}
		case *ast.SelectorExpr:
			if s, ok := src.Selections[n]; ok {
				info.Selections[n] = s
			}
		}
		if o, ok := src.Implicits[n]; ok {
			info.Implicits[n] = o
		}
		if s, ok := src.Scopes[n]; ok {
			info.Scopes[n] = s
		}
		return true
	})
	fs.info = info
	return info
}

// typeErrors returns the type errors of the package in file order.
func (cs *checkState) typeErrors() []types.Error {
	var errs []types.Error
	for _, fs := range cs.files {
		// Sorted by position within the file: an incremental check
		// reports the file's errors in its own order.
		fe := slices.Clone(fs.errs)
		sort.SliceStable(fe, func(i, j int) bool { return fe[i].Pos < fe[j].Pos })
		errs = append(errs, fe...)
	}
	errs = append(errs, cs.otherErrs...)
	return errs
}

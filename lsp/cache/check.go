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
	"reflect"
	"slices"
	"sort"
	"strconv"
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

	mu      sync.Mutex // guards the fields below, and cur's contents
	cur     *checkState
	gen     uint64 // bumped whenever cur changes
	result  *Result
	resGen  uint64
	snap    *Package
	retired []*token.File // replaced files, removed from the FileSet later
	nFull   int           // counters, for tests and benchmarks
	nIncr   int
}

// checkState is a type-checked package. Its merged Info is updated in
// place by incremental checks, always under pkgState.mu.
type checkState struct {
	pkg       *types.Package
	info      *types.Info
	files     []*fileState
	byName    map[string]*fileState
	owner     map[string]*fileState     // package-level name → declaring file
	wsImports map[string]*types.Package // workspace imports, by ID, as checked against
	noIncr    bool                      // duplicate declarations: only full checks are exact
	otherErrs []types.Error             // type errors outside the package's files
}

// fileState is one file of a checked package.
type fileState struct {
	name     string
	content  []byte
	version  uint64
	syntax   *ast.File
	tok      *token.File
	parseErr error
	decls    map[string]types.Object // package-level objects it declares
	hasTypes bool                    // declares types or methods
	errs     []types.Error           // type errors positioned in the file
	refs     map[string]bool         // package-level names it uses; lazy
	info     *types.Info             // its slice of the merged info; lazy
}

func newPkgState(s *Session, v *view, state *loaded, p *packages.Package) *pkgState {
	st := &pkgState{
		s: s, v: v, state: state,
		id: p.ID, path: p.PkgPath, name: p.Name,
		meta:      p,
		filenames: p.CompiledGoFiles,
		sizes:     p.TypesSizes,
		runs:      make(map[*context.CancelFunc]struct{}),
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

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

func (st *pkgState) config(ctx context.Context, ws map[string]*types.Package, errs *[]types.Error) *types.Config {
	return &types.Config{
		Importer:  st.importer(ctx, ws),
		Sizes:     st.sizes,
		GoVersion: st.goVersion,
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
	for _, f := range syntax {
		if err := st.checkImports(f); err != nil {
			return err
		}
	}
	pkg := types.NewPackage(st.path, st.name)
	info := newInfo()
	ws := make(map[string]*types.Package)
	var errs []types.Error
	_ = types.NewChecker(st.config(ctx, ws, &errs), st.state.fset, pkg, info).Files(syntax)
	if err := ctx.Err(); err != nil {
		return err
	}
	cs := &checkState{
		pkg: pkg, info: info, files: files, wsImports: ws,
		byName: make(map[string]*fileState, len(files)),
		owner:  make(map[string]*fileState),
	}
	for _, fs := range files {
		cs.byName[fs.name] = fs
		decls, dup := topLevelDecls(fs.syntax, info)
		fs.decls, fs.hasTypes = decls, hasTypesOrMethods(fs.syntax)
		cs.noIncr = cs.noIncr || dup
		for name := range decls {
			if cs.owner[name] != nil {
				cs.noIncr = true
			}
			cs.owner[name] = fs
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
// not report for this package.
func (st *pkgState) checkImports(f *ast.File) error {
	for _, spec := range f.Imports {
		path, err := strconv.Unquote(spec.Path.Value)
		if err != nil || path == "unsafe" || path == "C" {
			continue
		}
		if st.resolve(path) == nil && st.v.reloadFor(path) {
			return errReload
		}
	}
	return nil
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
// the edit may change what other files see, and a full check is needed.
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
	if syntax.Name.Name != st.name || hasTypesOrMethods(syntax) {
		discard()
		return false, nil
	}
	if err := st.checkImports(syntax); err != nil {
		discard()
		return false, err
	}
	// The package scope holds the other files' objects, already typed:
	// go/types treats a package-level object with a type as checked.
	pkg := types.NewPackage(st.path, st.name)
	scope := pkg.Scope()
	for _, fs := range cs.files {
		if fs != old {
			for _, obj := range fs.decls {
				scope.Insert(obj)
			}
		}
	}
	info := newInfo()
	var errs []types.Error
	ws := make(map[string]*types.Package)
	_ = types.NewChecker(st.config(ctx, ws, &errs), st.state.fset, pkg, info).Files([]*ast.File{syntax})
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
	if dup || !sameSurface(old.decls, decls) {
		discard()
		return false, nil
	}
	// An initialization cycle through another file would invalidate
	// types in both files: leave such edits to the full check.
	refs := packageRefs(syntax, info, pkg.Scope(), cs.pkg.Scope())
	if st.reaches(refs, old) {
		discard()
		return false, nil
	}

	// Commit: from here on nothing may fail. Identifiers of the file's
	// package-level objects are mapped onto the old objects, which the
	// other files' type information refers to.
	remap := make(map[types.Object]types.Object, len(decls))
	for name, obj := range decls {
		remap[obj] = old.decls[name]
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
	deleteFileInfo(cs.info, old.syntax)
	mergeInfo(cs.info, info)
	fs := &fileState{
		name: fi.name, content: fi.content, version: fi.version,
		syntax: syntax, tok: tok, parseErr: parseErr,
		decls: old.decls, errs: errs, refs: refs, info: info,
	}
	cs.files[i] = fs
	cs.byName[fs.name] = fs
	for id, p := range ws {
		cs.wsImports[id] = p
	}
	st.retire(old.tok)
	st.gen++
	st.nIncr++
	st.s.log.Debug("incremental check", "pkg", st.id, "file", fi.name, "took", time.Since(start))
	return true, nil
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

// packageRefs returns the package-level names f uses.
func packageRefs(f *ast.File, info *types.Info, scopes ...*types.Scope) map[string]bool {
	refs := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if obj := info.Uses[id]; obj != nil && slices.Contains(scopes, obj.Parent()) {
				refs[obj.Name()] = true
			}
		}
		return true
	})
	return refs
}

// reaches reports whether the names in refs lead, through the package-level
// references of other files, back to a name declared by target.
func (st *pkgState) reaches(refs map[string]bool, target *fileState) bool {
	cs := st.cur
	seen := map[*fileState]bool{target: true}
	var queue []*fileState
	push := func(refs map[string]bool) bool {
		for name := range refs {
			fs := cs.owner[name]
			if fs == target {
				return true
			}
			if fs != nil && !seen[fs] {
				seen[fs] = true
				queue = append(queue, fs)
			}
		}
		return false
	}
	for name := range refs {
		if fs := cs.owner[name]; fs != nil && !seen[fs] {
			seen[fs] = true
			queue = append(queue, fs)
		}
	}
	for len(queue) > 0 {
		fs := queue[0]
		queue = queue[1:]
		if fs.refs == nil {
			fs.refs = packageRefs(fs.syntax, cs.info, cs.pkg.Scope())
		}
		if push(fs.refs) {
			return true
		}
	}
	return false
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
	src, info := cs.info, newInfo()
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

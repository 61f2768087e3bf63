package cache

import (
	"context"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sync"
	"time"

	"github.com/tbls-dev/tbls/analyzer"
)

// This file is the engine's one fast path, a split check: when an edit
// changes one file F of a package whose other files (the rest) cannot see
// F, the rest is checked once, alone, and each edit of F checks F only,
// against the rest's objects. The result is the whole check's, not an
// approximation of it: the conditions below make the rest's check
// independent of F and F's check see exactly what a whole check would
// show it, and the differential tests (TestSplitMatchesWhole,
// FuzzSplitEdits, TestWorkspaceEditsMatchFresh, FuzzWorkspaceEdit) compare
// split checks with whole ones.
//
// The conditions, each checked before the split result is used:
//
//  1. The rest does not refer to F. No identifier of the rest's files is
//     spelled like a package-level name F declares (any identifier at
//     all: a field or a local of that name is enough to refuse), and no
//     file of the rest imports a package under such a name. So the rest
//     type-checks the same with or without F: no object of F is reachable
//     from it, no name of F collides with one of it.
//  2. F adds no method to a type of the rest: each method F declares has
//     a receiver type F itself defines (not an alias).
//  3. F's package clause is the package's, F has no dot import, and no
//     file of the package imports "C" (cgo checks use FakeImportC, whose
//     C objects are not shared).
//  4. At most one of the two checks reports type errors. go/types leaves
//     out some errors that follow others ("invalid operand" after any
//     first error); with errors on one side only, each side's errors are
//     exactly those a whole check reports in its files.
//
// F's check sees the rest through a new package of the same path whose
// scope holds the rest's objects: go/types finds them there, already
// typed, and compares packages by path where the language says "same
// package" (unexported fields and methods). The result's type information
// is two parts, F's and the rest's (analyzer.TypesInfo): the rest's maps,
// the bulk of a large package's memory, are shared by every split check on
// the rest, never copied. No check has an InitOrder (see typeCheck). The
// package's scope holds every object, but the scopes of the rest's files
// still have the rest's package scope as parent, so a reader must look
// objects up in the package's scope, not through Scope.LookupParent from a
// file of the rest (nothing in tbls does).
//
// When a condition fails, or the edit changed imports or more than one
// file, the package is checked whole, as before.

// restCheck is a check of every file of a package but one, for split
// checks of that one. It never changes once made.
type restCheck struct {
	excluded string       // the file left out
	files    []*fileState // the others, in package order
	deps     map[string][32]byte
	pkg      *types.Package
	errs     []types.Error
	// names holds every identifier spelled in the files and the local
	// names of their imports: what F may not declare (condition 1).
	names map[string]bool

	// info is the rest's type information, which every split check on
	// the rest shares, never copied nor changed.
	info *types.Info

	mu       sync.Mutex
	analysis *restAnalysis // the analyzers' run on the rest, made once (split_analysis.go)
}

// splitStats counts split checks, for tests and benchmarks.
type splitStats struct {
	split, rest int
}

// trySplit returns the split check of files, nil when a condition fails
// (the caller then checks the package whole).
func (st *pkgState) trySplit(ctx context.Context, key [32]byte, files []*fileState, deps map[string]*checked) (*checked, error) {
	st.mu.Lock()
	last, rest := st.last, st.rest
	st.mu.Unlock()
	if last == nil || len(last.files) != len(files) || !sameDeps(last.deps, deps) {
		return nil, nil
	}
	edited := -1
	for i, f := range files {
		if last.files[i].name != f.name {
			return nil, nil
		}
		if last.files[i] != f {
			if edited >= 0 {
				return nil, nil // more than one file changed
			}
			edited = i
		}
	}
	if edited < 0 {
		return nil, nil
	}
	f := files[edited]
	if importsC(syntaxOf(files)) || !splittable(f.syntax, st.name) {
		return nil, nil
	}
	if rest == nil || !rest.matches(f.name, files, deps) {
		// The syntax alone refuses most edits of a file the others use,
		// before the rest is checked for nothing.
		spelled := func(name string) bool {
			for i, o := range files {
				if i != edited && o.identNames()[name] {
					return true
				}
			}
			return false
		}
		if !independent(f.syntax, spelled) {
			return nil, nil
		}
		var err error
		if rest, err = st.checkRest(ctx, files, edited, deps); err != nil {
			return nil, err
		}
		st.mu.Lock()
		st.rest = rest
		st.stats.rest++
		st.mu.Unlock()
	}
	if !rest.independentOf(f.syntax) {
		return nil, nil
	}
	c, err := st.checkAgainst(ctx, key, rest, files, f, deps)
	if c == nil || err != nil {
		return nil, err
	}
	st.mu.Lock()
	st.stats.split++
	st.mu.Unlock()
	return c, nil
}

// matches reports whether r is the rest of files without excluded.
func (r *restCheck) matches(excluded string, files []*fileState, deps map[string]*checked) bool {
	if r.excluded != excluded || len(r.files) != len(files)-1 || !sameDeps(r.deps, deps) {
		return false
	}
	i := 0
	for _, f := range files {
		if f.name == excluded {
			continue
		}
		if r.files[i] != f {
			return false
		}
		i++
	}
	return true
}

// checkRest checks files without files[edited].
func (st *pkgState) checkRest(ctx context.Context, files []*fileState, edited int, deps map[string]*checked) (*restCheck, error) {
	start := time.Now()
	r := &restCheck{excluded: files[edited].name, files: slices.Delete(slices.Clone(files), edited, edited+1), deps: depKeys(deps)}
	r.pkg = types.NewPackage(st.path, st.name)
	r.info = newInfo()
	cfg := st.config(ctx, deps, &r.errs)
	_ = types.NewChecker(cfg, st.state.fset, r.pkg, r.info).Files(syntaxOf(r.files))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.info.InitOrder = nil // the rest's order is not the package's (see typeCheck)
	r.names = make(map[string]bool)
	for _, fs := range r.files {
		for name := range fs.identNames() {
			r.names[name] = true
		}
		for _, spec := range fs.syntax.Imports {
			if obj := r.info.PkgNameOf(spec); obj != nil {
				r.names[obj.Name()] = true
			}
		}
	}
	st.s.log.Debug("checked the rest", "pkg", st.id, "without", r.excluded, "took", time.Since(start))
	return r, nil
}

// independentOf reports whether the rest cannot see anything f declares
// (condition 1) and f adds no method to the rest's types (condition 2).
func (r *restCheck) independentOf(f *ast.File) bool {
	return independent(f, func(name string) bool { return r.names[name] })
}

// independent reports whether f declares no package-level name for which
// spelled is true, and adds methods only to types it defines.
func independent(f *ast.File, spelled func(name string) bool) bool {
	defined := make(map[string]bool) // types f defines (not aliases)
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, spec := range gd.Specs {
				if ts, ok := spec.(*ast.TypeSpec); ok && !ts.Assign.IsValid() {
					defined[ts.Name.Name] = true
				}
			}
		}
	}
	declares := func(id *ast.Ident) bool {
		return id.Name != "_" && spelled(id.Name)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv != nil {
				if len(d.Recv.List) != 1 || !defined[receiverBase(d.Recv.List[0].Type)] {
					return false
				}
				continue
			}
			if d.Name.Name != "init" && declares(d.Name) {
				return false
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					if declares(spec.Name) {
						return false
					}
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						if declares(id) {
							return false
						}
					}
				}
			}
		}
	}
	return true
}

// receiverBase returns the name of a receiver's base type (T in T, *T,
// T[P], (*T)), "" when the syntax is anything else.
func receiverBase(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.ParenExpr:
			e = t.X
		case *ast.StarExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// splittable reports condition 3 for f.
func splittable(f *ast.File, pkgName string) bool {
	if f.Name == nil || f.Name.Name != pkgName {
		return false
	}
	for _, spec := range f.Imports {
		if spec.Name != nil && spec.Name.Name == "." {
			return false
		}
	}
	return true
}

// checkAgainst checks f against the rest and returns the package's check,
// nil when both sides report type errors (condition 4).
func (st *pkgState) checkAgainst(ctx context.Context, key [32]byte, rest *restCheck, files []*fileState, f *fileState, deps map[string]*checked) (*checked, error) {
	start := time.Now()
	pkg := types.NewPackage(st.path, st.name)
	for _, name := range rest.pkg.Scope().Names() {
		pkg.Scope().Insert(rest.pkg.Scope().Lookup(name))
	}
	own := newInfo()
	var errs []types.Error
	cfg := st.config(ctx, deps, &errs)
	_ = types.NewChecker(cfg, st.state.fset, pkg, own).Files([]*ast.File{f.syntax})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	own.InitOrder = nil // F's order is not the package's (see typeCheck)
	if len(errs) > 0 && len(rest.errs) > 0 {
		return nil, nil
	}
	imports := slices.Clone(rest.pkg.Imports())
	for _, p := range pkg.Imports() {
		if !slices.Contains(imports, p) {
			imports = append(imports, p)
		}
	}
	pkg.SetImports(imports)
	info := analyzer.NewTypesInfo(own, rest.info)
	st.s.log.Debug("checked one file", "pkg", st.id, "file", f.name, "took", time.Since(start))
	return &checked{
		key: key, st: st, pkg: pkg, own: own, info: info, files: files, deps: depKeys(deps), rest: rest,
		errs: slices.Concat(rest.errs, errs), analysis: newFuture[*Result](),
	}, nil
}

// config returns the types.Config of a check of st, appending its errors
// to errs.
func (st *pkgState) config(ctx context.Context, deps map[string]*checked, errs *[]types.Error) *types.Config {
	return &types.Config{
		Importer:  st.importer(ctx, deps),
		Sizes:     st.sizes,
		GoVersion: st.goVersion,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				*errs = append(*errs, te)
			}
		},
	}
}

// depKeys returns the keys of the workspace dependencies of a check.
func depKeys(deps map[string]*checked) map[string][32]byte {
	keys := make(map[string][32]byte, len(deps))
	for id, c := range deps {
		keys[id] = c.key
	}
	return keys
}

// sameDeps reports whether deps are the dependencies keys records.
func sameDeps(keys map[string][32]byte, deps map[string]*checked) bool {
	if len(keys) != len(deps) {
		return false
	}
	for id, c := range deps {
		if k, ok := keys[id]; !ok || k != c.key {
			return false
		}
	}
	return true
}

func syntaxOf(files []*fileState) []*ast.File {
	out := make([]*ast.File, len(files))
	for i, f := range files {
		out[i] = f.syntax
	}
	return out
}

// identNames returns the names of every identifier of the file, computed
// once per parse.
func (fs *fileState) identNames() map[string]bool {
	fs.namesOnce.Do(func() {
		fs.names = make(map[string]bool)
		ast.Inspect(fs.syntax, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				fs.names[id.Name] = true
			}
			return true
		})
	})
	return fs.names
}

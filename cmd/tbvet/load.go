package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// list returns the packages matching patterns (the roots, the packages to
// check) with their files and imports, and every package they depend on
// (through Imports), the way go vet's unitchecker sees them: nothing is
// parsed or type-checked yet (see check).
//
// It exists because packages.Load in LoadSyntax mode runs
// `go list -export`, which compiles the packages to check as well as their
// dependencies. After an edit that compile dominates: on the generated
// 27,000-line schema it costs about 30 times a `go vet` of the package. Here
// the patterns are listed without -export, in one go list, which is all a
// run whose results are all in the cache needs: the dependencies' files
// are listed too, for the cache keys.
//
// Nor are they listed with -compiled, which would double the cost of that
// go list (it makes go run or look up cgo for every package using it,
// down to the standard library's): the files to check are GoFiles, and a
// package using cgo is type-checked with go/types' FakeImportC, which
// leaves C's names untyped instead of reporting them.
//
// Packages with errors are returned with their Errors set, like
// packages.Load's; the error is for failures to run go list.
func list(patterns []string, tests bool, buildFlags []string) ([]*packages.Package, error) {
	const listMode = packages.NeedName | packages.NeedFiles |
		packages.NeedImports | packages.NeedDeps | packages.NeedModule
	return packages.Load(&packages.Config{Mode: listMode, Tests: tests, BuildFlags: buildFlags}, patterns...)
}

// check parses and type-checks the roots in need, and the roots they import
// (a test variant imports the variant of the package under test, which is
// also a root), filling in the fields that packages.Load's LoadSyntax mode
// would. The packages they import that are not roots are loaded from export
// data, which `go list -export` locates (the build cache answers it after
// the first run); cache remembers its answer, under a key that keys
// computes from those packages' files, so that after an edit of a checked
// package that go list is not run again. It returns the type-checked
// roots; the error is for failures to run go list.
func check(roots, need []*packages.Package, buildFlags []string, cache *resultCache, keys *keyer) ([]*packages.Package, error) {
	byID := make(map[string]*packages.Package, len(roots))
	for _, p := range roots {
		byID[p.ID] = p
	}
	var order []*packages.Package // dependencies first
	visited := make(map[string]bool)
	var visit func(p *packages.Package)
	visit = func(p *packages.Package) {
		if visited[p.ID] {
			return
		}
		visited[p.ID] = true
		for _, imp := range p.Imports {
			if r := byID[imp.ID]; r != nil {
				visit(r)
			}
		}
		order = append(order, p)
	}
	for _, p := range need {
		visit(p)
	}

	var deps []*packages.Package
	seen := make(map[string]bool)
	for _, p := range order {
		for _, imp := range p.Imports {
			if byID[imp.ID] == nil && !seen[imp.PkgPath] && imp.PkgPath != "unsafe" && imp.PkgPath != "C" {
				seen[imp.PkgPath] = true
				deps = append(deps, imp)
			}
		}
	}
	slices.SortFunc(deps, func(a, b *packages.Package) int { return strings.Compare(a.PkgPath, b.PkgPath) })
	depPaths := make([]string, len(deps))
	for i, d := range deps {
		depPaths[i] = d.PkgPath
	}
	if len(depPaths) == 0 {
		// List something, for the target platform, whose types' sizes
		// the type checker needs.
		depPaths = []string{"unsafe"}
	}

	fset := token.NewFileSet()
	key, keyed := keys.exportsKey(deps)
	info, remembered := (*exportInfo)(nil), false
	if keyed {
		info, remembered = cache.exports(key)
	}
	if remembered {
		cache.setExportsNote("; dependencies' export data: remembered")
		for _, p := range order {
			parse(p, fset)
		}
	} else {
		cache.setExportsNote("; dependencies' export data: listed")
		// go list -export runs while the files parse: it mostly waits for
		// the go command, on the other core.
		type listed struct {
			info *exportInfo
			err  error
		}
		done := make(chan listed, 1)
		go func() {
			info, err := listExports(depPaths, buildFlags)
			done <- listed{info, err}
		}()
		for _, p := range order {
			parse(p, fset)
		}
		l := <-done
		if l.err != nil {
			return nil, l.err
		}
		info = l.info
		if keyed {
			cache.putExports(key, info)
		}
	}
	imported, importErrs := importExports(info, fset)
	sizes := types.SizesFor(info.Compiler, info.Arch)
	if sizes == nil {
		sizes = types.SizesFor("gc", runtime.GOARCH)
	}
	for _, p := range order {
		p.TypesSizes = sizes
		typeCheck(p, fset, byID, imported, importErrs)
	}
	return order, nil
}

// parse parses p's files into fset.
func parse(p *packages.Package, fset *token.FileSet) {
	p.Fset = fset
	p.CompiledGoFiles = p.GoFiles // what was parsed, for the analysis passes
	for _, name := range p.CompiledGoFiles {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if f != nil {
			p.Syntax = append(p.Syntax, f)
		}
		if err != nil {
			p.Errors = append(p.Errors, packages.Error{Pos: name, Msg: err.Error(), Kind: packages.ParseError})
		}
	}
}

// typeCheck type-checks p's parsed files, filling in the fields that
// packages.Load's LoadSyntax mode would. Its imports come from roots (by
// ID), else from imported (by import path, from export data), else fail
// with the reason in importErrs.
func typeCheck(p *packages.Package, fset *token.FileSet, roots map[string]*packages.Package, imported map[string]*types.Package, importErrs map[string]error) {
	p.TypesInfo = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
	conf := types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			imp := p.Imports[path]
			if imp == nil {
				return nil, fmt.Errorf("%s does not import %q", p.ID, path)
			}
			if r := roots[imp.ID]; r != nil && r.Types != nil {
				return r.Types, nil
			}
			if tp := imported[imp.PkgPath]; tp != nil {
				return tp, nil
			}
			if err := importErrs[imp.PkgPath]; err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("no type information for %q", path)
		}),
		Sizes:       p.TypesSizes,
		FakeImportC: usesCgo(p),
		Error: func(err error) {
			te, ok := err.(types.Error)
			if !ok {
				p.Errors = append(p.Errors, packages.Error{Msg: err.Error(), Kind: packages.TypeError})
				return
			}
			p.TypeErrors = append(p.TypeErrors, te)
			p.Errors = append(p.Errors, packages.Error{Pos: te.Fset.Position(te.Pos).String(), Msg: te.Msg, Kind: packages.TypeError})
		},
	}
	if p.Module != nil && p.Module.GoVersion != "" {
		conf.GoVersion = "go" + strings.TrimPrefix(p.Module.GoVersion, "go")
	}
	p.Types, _ = conf.Check(p.PkgPath, fset, p.Syntax, p.TypesInfo) // errors went to conf.Error
	p.IllTyped = len(p.Errors) > 0
	// The imported packages carry the types the checked package saw, so
	// that drivers walking the graph find them there.
	for _, imp := range p.Imports {
		if roots[imp.ID] == nil && imp.Types == nil {
			imp.Types = imported[imp.PkgPath]
		}
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// usesCgo reports whether a file of p imports "C".
func usesCgo(p *packages.Package) bool {
	for _, f := range p.Syntax {
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				return true
			}
		}
	}
	return false
}

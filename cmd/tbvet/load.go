package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
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
// Packages with errors are returned with their Errors set, like
// packages.Load's; the error is for failures to run go list.
func list(patterns []string, tests bool, buildFlags []string) ([]*packages.Package, error) {
	const listMode = packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
		packages.NeedImports | packages.NeedDeps | packages.NeedModule
	return packages.Load(&packages.Config{Mode: listMode, Tests: tests, BuildFlags: buildFlags}, patterns...)
}

// check parses and type-checks the roots in need, and the roots they import
// (a test variant imports the variant of the package under test, which is
// also a root), filling in the fields that packages.Load's LoadSyntax mode
// would. The packages they import that are not roots are loaded from export
// data, with one more go list (with -export), which the build cache answers
// after the first run. It returns the type-checked roots; the error is for
// failures to run go list.
func check(roots, need []*packages.Package, buildFlags []string) ([]*packages.Package, error) {
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

	var depPaths []string
	seen := make(map[string]bool)
	for _, p := range order {
		for _, imp := range p.Imports {
			if byID[imp.ID] == nil && !seen[imp.ID] && imp.PkgPath != "unsafe" && imp.PkgPath != "C" {
				seen[imp.ID] = true
				depPaths = append(depPaths, imp.PkgPath)
			}
		}
	}
	if len(depPaths) == 0 {
		// Load something, for the types' sizes of the target platform.
		depPaths = []string{"unsafe"}
	}
	fset := token.NewFileSet()
	type loadResult struct {
		pkgs []*packages.Package
		err  error
	}
	// go list -export runs while the files parse: it mostly waits for the
	// go command, on the other core. A FileSet is safe for concurrent use.
	done := make(chan loadResult, 1)
	go func() {
		cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedTypesSizes, Fset: fset, BuildFlags: buildFlags}
		pkgs, err := packages.Load(cfg, depPaths...)
		done <- loadResult{pkgs, err}
	}()
	for _, p := range order {
		parse(p, fset)
	}
	loaded := <-done
	if loaded.err != nil {
		return nil, loaded.err
	}
	deps := make(map[string]*packages.Package)
	var sizes types.Sizes
	packages.Visit(loaded.pkgs, nil, func(p *packages.Package) {
		deps[p.PkgPath] = p
		if sizes == nil {
			sizes = p.TypesSizes
		}
	})
	if sizes == nil {
		sizes = types.SizesFor("gc", runtime.GOARCH)
	}
	for _, p := range order {
		p.TypesSizes = sizes
		typeCheck(p, fset, byID, deps)
	}
	return order, nil
}

// parse parses p's files into fset.
func parse(p *packages.Package, fset *token.FileSet) {
	p.Fset = fset
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
// packages.Load's LoadSyntax mode would.
func typeCheck(p *packages.Package, fset *token.FileSet, roots, deps map[string]*packages.Package) {
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
			if d := deps[imp.PkgPath]; d != nil && d.Types != nil {
				return d.Types, nil
			}
			return nil, fmt.Errorf("no type information for %q", path)
		}),
		Sizes: p.TypesSizes,
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
	// Imports point at what the checked package saw, so that drivers
	// walking the graph find types there.
	for path, imp := range p.Imports {
		if r := roots[imp.ID]; r != nil {
			p.Imports[path] = r
		} else if d := deps[imp.PkgPath]; d != nil {
			p.Imports[path] = d
		}
	}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

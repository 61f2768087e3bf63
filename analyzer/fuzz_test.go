package analyzer_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
)

// fuzzImports are the packages fuzzed sources may import and get types
// for; any other import fails to type-check, which the analyzers must
// survive too.
var fuzzImports = []string{"github.com/tbls-dev/tbls/tinybird", "time", "fmt", "strings"}

// FuzzSuite feeds arbitrary Go source using the SDK to every analyzer,
// type-checked in process against the real tinybird package, type errors
// and all: no analyzer may panic, and every diagnostic and every edit of a
// fix must lie inside the file. The seed corpus is the analysistest data.
func FuzzSuite(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join(testModule, "*", "*.go"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed files under %s: %v", testModule, err)
	}
	for _, name := range seeds {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(src))
	}
	exports := exportFiles(f)

	f.Fuzz(func(t *testing.T, src string) {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, "fuzz.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil || file.Name == nil || file.Name.Name == "_" {
			return // go/analysis drivers never run on files that do not parse
		}
		lookup := func(path string) (io.ReadCloser, error) {
			if name, ok := exports[path]; ok {
				return os.Open(name)
			}
			return nil, fmt.Errorf("package %q is not available to the fuzz test", path)
		}
		conf := types.Config{Importer: importer.ForCompiler(fset, "gc", lookup), Error: func(error) {}}
		info := &types.Info{
			Types:        make(map[ast.Expr]types.TypeAndValue),
			Defs:         make(map[*ast.Ident]types.Object),
			Uses:         make(map[*ast.Ident]types.Object),
			Implicits:    make(map[ast.Node]types.Object),
			Selections:   make(map[*ast.SelectorExpr]*types.Selection),
			Scopes:       make(map[ast.Node]*types.Scope),
			Instances:    make(map[*ast.Ident]types.Instance),
			FileVersions: make(map[*ast.File]string),
		}
		pkg, _ := conf.Check("example.com/fuzz", fset, []*ast.File{file}, info)
		if pkg == nil {
			return
		}
		diags := runSuite(t, fset, file, pkg, info)
		for _, d := range analyzer.IndexMismatches(&analysis.Pass{Fset: fset, Files: []*ast.File{file}, Pkg: pkg, TypesInfo: info}, false) {
			t.Errorf("index mismatch: %s", d)
		}
		t.Logf("%d diagnostics", len(diags))
		for _, d := range diags {
			checkInFile(t, file, d.Message, d.Pos, d.End)
			if !strings.HasPrefix(d.Message, d.Category+" ") {
				t.Errorf("message %q does not start with its code %q", d.Message, d.Category)
			}
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					checkInFile(t, file, d.Message+": fix "+fix.Message, e.Pos, e.End)
				}
			}
		}
	})
}

// runSuite runs every analyzer of the Suite on one type-checked file the
// way a driver does, and returns what they report.
func runSuite(t *testing.T, fset *token.FileSet, file *ast.File, pkg *types.Package, info *types.Info) []analysis.Diagnostic {
	var diags []analysis.Diagnostic
	pass := &analysis.Pass{
		Fset:       fset,
		Files:      []*ast.File{file},
		Pkg:        pkg,
		TypesInfo:  info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		ResultOf:   make(map[*analysis.Analyzer]any),
		Report:     func(d analysis.Diagnostic) { diags = append(diags, d) },
		ReadFile:   func(string) ([]byte, error) { return nil, os.ErrNotExist },
	}
	// Each analyzer runs after those it requires, with their results,
	// whose own reports count too.
	done := make(map[*analysis.Analyzer]bool)
	var run func(a *analysis.Analyzer)
	run = func(a *analysis.Analyzer) {
		if done[a] {
			return
		}
		done[a] = true
		for _, r := range a.Requires {
			run(r)
		}
		pass.Analyzer = a
		res, err := a.Run(pass)
		if err != nil {
			t.Errorf("%s: %v", a.Name, err)
		}
		pass.ResultOf[a] = res
	}
	for _, a := range analyzer.Suite {
		run(a)
	}
	return diags
}

func checkInFile(t *testing.T, file *ast.File, what string, pos, end token.Pos) {
	if !pos.IsValid() || pos < file.FileStart || end > file.FileEnd || (end.IsValid() && end < pos) {
		t.Errorf("%s: range [%d, %d) is not inside the file [%d, %d)", what, pos, end, file.FileStart, file.FileEnd)
	}
}

// exportFiles returns the export data files of fuzzImports and their
// dependencies, built once by the go command.
func exportFiles(f *testing.F) map[string]string {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedExportFile | packages.NeedImports | packages.NeedDeps}
	pkgs, err := packages.Load(cfg, fuzzImports...)
	if err != nil {
		f.Fatalf("loading %v: %v", fuzzImports, err)
	}
	m := make(map[string]string)
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			f.Errorf("loading %s: %v", p.PkgPath, e)
		}
		if p.ExportFile != "" {
			m[p.PkgPath] = p.ExportFile
		}
	})
	return m
}

package lsp

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
)

// cursor marks the cursor in test sources.
const cursor = "‸"

// sdkTypes loads the real SDK package once for the tests that type-check
// snippets against it.
var sdkTypes = sync.OnceValues(func() (*types.Package, error) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedTypes | packages.NeedImports | packages.NeedDeps}
	pkgs, err := packages.Load(cfg, sdkPath)
	if err != nil {
		return nil, err
	}
	if len(pkgs) != 1 || pkgs[0].Types == nil || len(pkgs[0].Errors) > 0 {
		return nil, fmt.Errorf("loading %s: %v", sdkPath, pkgs[0].Errors)
	}
	return pkgs[0].Types, nil
})

// sdkImporter resolves the SDK to the loaded package and the standard
// library from export data.
type sdkImporter struct{ sdk *types.Package }

func (i sdkImporter) Import(path string) (*types.Package, error) {
	if path == sdkPath {
		return i.sdk, nil
	}
	return importer.Default().Import(path)
}

// snippetFile is one file of a test package: its name and its source, with
// at most one cursor mark.
type snippetFile struct{ name, src string }

// checkSnippets parses and type-checks files as one package, tolerating
// syntax and type errors as the cache does for unsaved buffers. It returns
// the package, the texts without the cursor, and the cursor's file and
// offset.
func checkSnippets(t testing.TB, files ...snippetFile) (p *typedPackage, texts map[string][]byte, curFile string, curOff int) {
	t.Helper()
	sdk, err := sdkTypes()
	if err != nil {
		t.Fatal(err)
	}
	p = &typedPackage{fset: token.NewFileSet()}
	texts = make(map[string][]byte)
	curOff = -1
	for _, f := range files {
		src := f.src
		if i := strings.Index(src, cursor); i >= 0 {
			curFile, curOff = f.name, i
			src = src[:i] + src[i+len(cursor):]
		}
		texts[f.name] = []byte(src)
		af, _ := parser.ParseFile(p.fset, f.name, src, parser.ParseComments|parser.SkipObjectResolution)
		p.files = append(p.files, af)
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Implicits:  make(map[ast.Node]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:     make(map[ast.Node]*types.Scope),
	}
	conf := types.Config{Importer: sdkImporter{sdk}, Error: func(error) {}}
	p.pkg, _ = conf.Check("example.com/schema", p.fset, p.files, info)
	tinfo := analyzer.NewTypesInfo(info)
	p.info = func(*ast.File) *analyzer.TypesInfo { return tinfo }
	return p, texts, curFile, curOff
}

// typeErrors type-checks p's files again and returns the errors, or "".
func typeErrors(p *typedPackage) string {
	sdk, _ := sdkTypes()
	var errs []string
	conf := types.Config{Importer: sdkImporter{sdk}, Error: func(err error) { errs = append(errs, err.Error()) }}
	conf.Check("example.com/schema", p.fset, p.files, nil)
	return strings.Join(errs, "\n")
}

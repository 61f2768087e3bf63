package analyzer_test

import (
	"fmt"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
)

// renderModel prints what a model holds, one line per fact, positions as
// file:line.
func renderModel(pkg *packages.Package, m *analyzer.Model) []string {
	at := func(n interface{ Pos() token.Pos }) string {
		p := pkg.Fset.Position(n.Pos())
		return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
	}
	var out []string
	for _, r := range m.Resources {
		out = append(out, fmt.Sprintf("resource %s %q const=%v kind=%v var=%s at %s", r.Func, r.Name, r.NameConst, r.Kind, r.VarName, at(r.NameExpr)))
	}
	for _, t := range m.Tokens {
		out = append(out, fmt.Sprintf("token %q var=%s at %s", t.Name, t.VarName, at(t.NameExpr)))
	}
	for _, g := range m.Grants {
		res := "?"
		if g.Resource != nil {
			res = g.Resource.Name
		}
		out = append(out, fmt.Sprintf("grant %s %s inline=%q scope=%s on %s (%v) at %d helper=%v shared=%v",
			g.TokenVar, "", g.Inline, g.Scope, res, g.Kind, pkg.Fset.Position(g.Pos).Line, g.Access.Helper, g.Access.Shared != nil))
	}
	for _, t := range m.Targets {
		res := "?"
		if t.Resource != nil {
			res = t.Resource.Name
		}
		out = append(out, fmt.Sprintf("target %s=%s → %s (%v)", t.Field, t.VarName, res, t.Kind))
	}
	slices.Sort(out)
	return out
}

// TestModel reads the model test package typed and from its syntax alone:
// both must find every form of grant, and the same ones.
func TestModel(t *testing.T) {
	cfg := &packages.Config{
		Mode: packages.LoadSyntax | packages.NeedModule,
		Dir:  testModule,
		Env:  append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./model")
	if err != nil {
		t.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 {
		t.Fatalf("%d errors loading the model package", n)
	}
	pkg := pkgs[0]
	typed := renderModel(pkg, analyzer.NewModel(pkg.Fset, pkg.Syntax, pkg.Types, pkg.TypesInfo))
	sdk := pkg.Types.Imports()[0]
	syntax := renderModel(pkg, analyzer.NewSyntaxModel(pkg.Fset, pkg.Syntax, pkg.PkgPath, sdk))
	if !slices.Equal(typed, syntax) {
		t.Errorf("typed and syntax-only models differ:\ntyped:\n%s\nsyntax:\n%s", strings.Join(typed, "\n"), strings.Join(syntax, "\n"))
	}
	got := strings.Join(typed, "\n")
	for _, want := range []string{
		// a list at the field, a helper, a helper returning a pointer, an inline token
		`grant example.com/tbvettest/model.ingest  inline="" scope=APPEND on events (datasource) at 25 helper=false shared=false`,
		`grant example.com/tbvettest/model.AppRead  inline="" scope=READ on events (datasource) at 26 helper=true shared=false`,
		`grant example.com/tbvettest/model.AppRead  inline="" scope=READ on events (datasource) at 27 helper=true shared=false`,
		`grant   inline="inline_ds" scope=APPEND on events (datasource) at 28 helper=false shared=false`,
		// a shared list built with append, shown where the resource uses it
		`grant example.com/tbvettest/model.ingest  inline="" scope=APPEND on shared (datasource) at 32 helper=false shared=true`,
		`grant example.com/tbvettest/model.AppRead  inline="" scope=READ on shared (datasource) at 32 helper=true shared=true`,
		// append of a list and a shared list with ..., on an endpoint named by a constant expression
		`grant   inline="inline_ep" scope=READ on ev_top (endpoint) at 35 helper=false shared=false`,
		`grant example.com/tbvettest/model.AppRead  inline="" scope=READ on ev_top (endpoint) at 35 helper=false shared=true`,
		`target Datasource=Events → events (copy pipe)`,
		// an element naming a variable that holds one access
		`grant example.com/tbvettest/model.ingest  inline="" scope=READ on by_var (endpoint) at 45 helper=true shared=false`,
		`resource DefineEndpoint "ev_top" const=true kind=endpoint var=Top at model.go:34`,
		`token "ingest" var=ingest at model.go:9`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the model lacks %q; it holds:\n%s", want, got)
		}
	}
}

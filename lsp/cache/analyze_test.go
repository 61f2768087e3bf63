package cache

import (
	"context"
	"fmt"
	"go/ast"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// TestRequiresChain runs an analyzer whose requirement has a requirement
// of its own, neither in the session's list: every level runs once, in
// order, and sees the results of what it requires.
func TestRequiresChain(t *testing.T) {
	dir := writeModule(t, "example.com/schema", map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	var calls []string
	// base counts the package's composite literals through inspect.
	base := &analysis.Analyzer{
		Name: "base", Doc: "counts composite literals",
		Requires:   []*analysis.Analyzer{inspect.Analyzer},
		ResultType: reflect.TypeFor[int](),
		Run: func(pass *analysis.Pass) (any, error) {
			calls = append(calls, "base")
			n := 0
			insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
			for range insp.Root().Preorder((*ast.CompositeLit)(nil)) {
				n++
			}
			return n, nil
		},
	}
	middle := &analysis.Analyzer{
		Name: "middle", Doc: "doubles base's count",
		Requires:   []*analysis.Analyzer{base},
		ResultType: reflect.TypeFor[int](),
		Run: func(pass *analysis.Pass) (any, error) {
			calls = append(calls, "middle")
			return 2 * pass.ResultOf[base].(int), nil
		},
	}
	top := &analysis.Analyzer{
		Name: "top", Doc: "reports middle's result",
		Requires: []*analysis.Analyzer{middle, base},
		Run: func(pass *analysis.Pass) (any, error) {
			calls = append(calls, "top")
			pass.Reportf(pass.Files[0].Name.Pos(), "middle=%d base=%d", pass.ResultOf[middle].(int), pass.ResultOf[base].(int))
			return nil, nil
		},
	}
	s := New(Options{Analyzers: []*analysis.Analyzer{top}, Env: testEnv})
	if err := s.AddFolder(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	res := filepath.Join(dir, "resources.go")
	r := diagnose(t, s, res)
	if !slices.Equal(calls, []string{"base", "middle", "top"}) {
		t.Errorf("runs = %v, want base, middle, top once each", calls)
	}
	if len(r.AnalyzerErrors) != 0 {
		t.Fatalf("analyzer errors: %v", r.AnalyzerErrors)
	}
	// resources.go has 4 composite literals (the options, the slice and
	// its two elements), tokens.go 3 (the nodes, their element and the
	// output schema): middle = 14.
	var got []string
	for _, f := range r.Files {
		for _, d := range f.Diagnostics {
			got = append(got, d.Analyzer+": "+d.Message)
		}
	}
	if want := []string{"top: middle=14 base=7"}; !slices.Equal(got, want) {
		t.Errorf("diagnostics = %q, want %q (only the session's analyzers report)", got, want)
	}

	// A failing requirement skips what depends on it, at any depth.
	failing := &analysis.Analyzer{
		Name: "failing", Doc: "fails", ResultType: reflect.TypeFor[int](),
		Run: func(*analysis.Pass) (any, error) { return nil, fmt.Errorf("broken") },
	}
	mid2 := &analysis.Analyzer{Name: "mid2", Doc: "needs failing", Requires: []*analysis.Analyzer{failing},
		Run: func(*analysis.Pass) (any, error) { t.Error("mid2 ran"); return nil, nil }}
	top2 := &analysis.Analyzer{Name: "top2", Doc: "needs mid2", Requires: []*analysis.Analyzer{mid2},
		Run: func(*analysis.Pass) (any, error) { t.Error("top2 ran"); return nil, nil }}
	s = New(Options{Analyzers: []*analysis.Analyzer{top2}, Env: testEnv})
	if err := s.AddFolder(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	r = diagnose(t, s, res)
	if len(r.AnalyzerErrors) != 1 || !strings.Contains(r.AnalyzerErrors[0].Error(), "broken") {
		t.Errorf("analyzer errors = %v, want failing's alone", r.AnalyzerErrors)
	}
}

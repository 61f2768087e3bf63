package plugin

import (
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
)

func build(t *testing.T, conf any) []*analysis.Analyzer {
	t.Helper()
	p, err := New(conf)
	if err != nil {
		t.Fatalf("New(%v): %v", conf, err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func names(as []*analysis.Analyzer) []string {
	var ns []string
	for _, a := range as {
		ns = append(ns, a.Name)
	}
	return ns
}

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin("tbvet")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newPlugin(map[string]any{}); err != nil {
		t.Fatal(err)
	}
}

func TestDefaultIsTheSuite(t *testing.T) {
	as := build(t, nil)
	if len(as) != len(analyzer.Suite) {
		t.Fatalf("got %v, want the whole Suite", names(as))
	}
	for i, a := range as {
		if a != analyzer.Suite[i] {
			t.Errorf("analyzer %d is a copy of %s, want the Suite's own", i, a.Name)
		}
	}
}

func TestDisableAnalyzer(t *testing.T) {
	as := build(t, map[string]any{"disable": []string{"jwt"}})
	if slices.Contains(names(as), "jwt") || len(as) != len(analyzer.Suite)-1 {
		t.Fatalf("disable jwt: got %v", names(as))
	}
}

func TestEnableOnly(t *testing.T) {
	as := build(t, map[string]any{"enable": []string{"scope"}})
	if !slices.Equal(names(as), []string{"scope"}) {
		t.Fatalf("enable scope: got %v", names(as))
	}
}

func TestDisableOneCodeWrapsItsAnalyzer(t *testing.T) {
	as := build(t, map[string]any{"disable": []string{"TB302"}})
	i := slices.IndexFunc(as, func(a *analysis.Analyzer) bool { return a.Name == "tokenuse" })
	if i < 0 {
		t.Fatalf("disabling TB302 dropped tokenuse entirely: %v", names(as))
	}
	if as[i] == analyzer.TokenUse {
		t.Fatal("tokenuse was not wrapped to drop TB302")
	}
}

func TestWithoutCodesDropsOnlyThoseCodes(t *testing.T) {
	inner := &analysis.Analyzer{
		Name: "fake",
		Doc:  "fake reports one diagnostic per code",
		Run: func(pass *analysis.Pass) (any, error) {
			for _, c := range []string{"TB301", "TB302"} {
				pass.Report(analysis.Diagnostic{Category: c, Message: c})
			}
			return nil, nil
		},
	}
	var got []string
	pass := &analysis.Pass{Report: func(d analysis.Diagnostic) { got = append(got, d.Category) }}
	if _, err := withoutCodes(inner, []string{"TB302"}).Run(pass); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"TB301"}) {
		t.Fatalf("reported %v, want [TB301]", got)
	}
}

func TestBadSettings(t *testing.T) {
	for _, conf := range []any{
		map[string]any{"disable": []string{"TB999"}},
		map[string]any{"enable": []string{"nosuchanalyzer"}},
		map[string]any{"disabled": []string{"TB302"}}, // a typo of a field name
		map[string]any{"disable": "TB302"},            // not a list
	} {
		_, err := New(conf)
		if err == nil {
			t.Errorf("New(%v) accepted bad settings", conf)
			continue
		}
		if !strings.Contains(err.Error(), "tbvet plugin settings") {
			t.Errorf("New(%v): error %q does not say where the problem is", conf, err)
		}
	}
}

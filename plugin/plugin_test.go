package plugin

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/rules"
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

// TestDefaultReadsConfigFiles: by default every analyzer of the Suite runs,
// each wrapped to ask the tbls.conf files about its diagnostics.
func TestDefaultReadsConfigFiles(t *testing.T) {
	as := build(t, nil)
	if !slices.Equal(names(as), names(analyzer.Suite)) {
		t.Fatalf("got %v, want the Suite's analyzers", names(as))
	}
	for i, a := range as {
		if a == analyzer.Suite[i] {
			t.Errorf("%s is not wrapped to read tbls.conf files", a.Name)
		}
	}
}

// TestWithoutConfigFilesIsTheSuite: with config-files false and no checks,
// the Suite's own analyzers run, unwrapped.
func TestWithoutConfigFilesIsTheSuite(t *testing.T) {
	as := build(t, map[string]any{"config-files": false})
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
	as := build(t, map[string]any{"disable": []string{"jwt"}, "config-files": false})
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
		map[string]any{"checks": "TB9*"},              // a glob that names no check
		map[string]any{"checks": "-TB999"},            // removes a check that does not exist
		map[string]any{"checks": 3},
		map[string]any{"checks": []any{"all", 3}},
		map[string]any{"config-files": "yes"},
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

// fakeAnalyzer reports one diagnostic per code, in the file of the pass.
func fakeAnalyzer(codes ...string) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: "fake",
		Doc:  "fake reports one diagnostic per code",
		Run: func(pass *analysis.Pass) (any, error) {
			for _, c := range codes {
				pass.Report(analysis.Diagnostic{Pos: pass.Files[0].Package, Category: c, Message: c})
			}
			return nil, nil
		},
	}
}

// runIn runs a on a pass whose one file is dir/x.go and returns the codes
// it reports.
func runIn(t *testing.T, a *analysis.Analyzer, dir string) ([]string, error) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join(dir, "x.go"), "package x\n", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	pass := &analysis.Pass{Fset: fset, Files: []*ast.File{f}, Report: func(d analysis.Diagnostic) { got = append(got, d.Category) }}
	_, err = a.Run(pass)
	return got, err
}

// TestChecksAndConfigFiles: the checks setting, in -checks syntax, and the
// tbls.conf files of each diagnostic's directory decide what is reported,
// as they do for tbvet.
func TestChecksAndConfigFiles(t *testing.T) {
	root := t.TempDir()
	write := func(rel, text string) {
		t.Helper()
		path := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("legacy/tbls.conf", "checks = [\"inherit\", \"-TB201\"]\n")
	write("broken/tbls.conf", "checks = \"all\"\n")
	fake := fakeAnalyzer("TB101", "TB201", "TB302")

	for _, tc := range []struct {
		conf map[string]any
		dir  string
		want string
	}{
		{nil, "app", "TB101 TB201 TB302"},
		{nil, "legacy", "TB101 TB302"},
		{nil, "legacy/deeper", "TB101 TB302"},
		{map[string]any{"checks": "inherit,-TB302"}, "legacy", "TB101"},
		{map[string]any{"checks": []any{"inherit", "TB201"}}, "legacy", "TB101 TB201 TB302"},
		{map[string]any{"checks": "inherit,-TB1*", "config-files": false}, "legacy", "TB201 TB302"},
	} {
		p, err := New(tc.conf)
		if err != nil {
			t.Fatal(err)
		}
		pl := p.(*Plugin)
		var a *analysis.Analyzer
		if pl.loader != nil {
			a = pl.withConfigFiles(fake)
		} else {
			var off []string
			for _, c := range []string{"TB101", "TB201", "TB302"} {
				if !pl.static.Has(rules.Code(c)) {
					off = append(off, c)
				}
			}
			a = withoutCodes(fake, off)
		}
		got, err := runIn(t, a, filepath.Join(root, tc.dir))
		if err != nil || strings.Join(got, " ") != tc.want {
			t.Errorf("%v in %s: reported %v (%v), want %s", tc.conf, tc.dir, got, err, tc.want)
		}
	}

	p, _ := New(nil)
	if _, err := runIn(t, p.(*Plugin).withConfigFiles(fake), filepath.Join(root, "broken")); err == nil || !strings.Contains(err.Error(), filepath.Join("broken", "tbls.conf")) {
		t.Errorf("a broken tbls.conf: error %v, want one naming the file", err)
	}
}

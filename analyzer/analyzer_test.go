package analyzer_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/rules"
)

// testModule is the module-mode test data: its go.mod replaces the tbls
// module with this checkout, so the tests run against the real SDK and
// cannot drift from it.
var testModule = filepath.Join("..", "testdata", "src", "tbvettest")

const testPkg = "example.com/tbvettest/"

func TestTokenName(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, testModule, analyzer.TokenName, testPkg+"tokenname")
}

// TestTokenRenameTitle: the fix of TB101 says, in its title (all an editor
// shows before applying it), that the renamed token is a new one and the
// old one loses access on deploy, as the datafile checker's fix does.
func TestTokenRenameTitle(t *testing.T) {
	t.Parallel()
	results := analysistest.Run(t, testModule, analyzer.TokenName, testPkg+"tokenname")
	found := false
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if !strings.Contains(d.Message, `"aliased-token"`) {
				continue
			}
			found = true
			want := rules.RenameTitle(rules.SubjectToken, "aliased-token", "aliased_token")
			if len(d.SuggestedFixes) != 1 || d.SuggestedFixes[0].Message != want || !strings.Contains(want, "aliased-token loses access on deploy") {
				t.Errorf("fixes of %q: %+v, want one titled %q", d.Message, d.SuggestedFixes, want)
			}
		}
	}
	if !found {
		t.Fatal(`no TB101 for "aliased-token"`)
	}
}

func TestResourceName(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, testModule, analyzer.ResourceName, testPkg+"resourcename")
}

func TestScope(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, testModule, analyzer.Scope, testPkg+"scope")
}

func TestTokenUse(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, testModule, analyzer.TokenUse, testPkg+"tokenuse")
}

func TestJWT(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, testModule, analyzer.JWT, testPkg+"jwt")
}

// TestNoFindings runs every analyzer on packages where none may report
// anything: look-alikes of the SDK in other packages, and the SDK itself,
// whose internals build values the analyzers would otherwise flag. The
// analyzers run as one, so that the packages are loaded once.
func TestNoFindings(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, testModule, suiteAsOne(), testPkg+"lookalike", testPkg+"fake/...", "github.com/tbls-dev/tbls/tinybird")
}

// suiteAsOne returns an analyzer that runs every analyzer of the Suite on
// its pass, reporting what they report. It requires what they require, so
// that the pass carries their results.
func suiteAsOne() *analysis.Analyzer {
	var requires []*analysis.Analyzer
	for _, a := range analyzer.Suite {
		for _, r := range a.Requires {
			if !slices.Contains(requires, r) {
				requires = append(requires, r)
			}
		}
	}
	return &analysis.Analyzer{
		Name:     "suite",
		Doc:      "run the whole suite",
		Requires: requires,
		Run: func(pass *analysis.Pass) (any, error) {
			for _, a := range analyzer.Suite {
				p := *pass
				p.Analyzer = a
				if _, err := a.Run(&p); err != nil {
					return nil, err
				}
			}
			return nil, nil
		},
	}
}

// TestSuite checks that the Suite holds one analyzer per analyzer named in
// the rules' check table, with documentation derived from doc.go.
func TestSuite(t *testing.T) {
	want := make(map[string]bool)
	for _, c := range rules.Checks() {
		if c.Analyzer != "" && c.Analyzer != rules.AnalyzerDatafile {
			want[c.Analyzer] = true
		}
	}
	got := make(map[string]*analysis.Analyzer)
	for _, a := range analyzer.Suite {
		got[a.Name] = a
	}
	for name := range want {
		if got[name] == nil {
			t.Errorf("Suite has no analyzer %q, which rules names as the owner of checks", name)
		}
	}
	if err := analysis.Validate(analyzer.Suite); err != nil {
		t.Fatal(err)
	}
	for _, a := range analyzer.Suite {
		if !want[a.Name] {
			t.Errorf("analyzer %q owns no check in rules", a.Name)
		}
		title, _, _ := strings.Cut(a.Doc, "\n")
		if title == "" || strings.HasSuffix(title, ".") || strings.ToLower(title[:1]) != title[:1] {
			t.Errorf("%s: first Doc line %q must be a lower-case title without a period", a.Name, title)
		}
		for _, c := range rules.ChecksOf(a.Name) {
			if !strings.Contains(a.Doc, string(c.Code)+"  "+c.Title) {
				t.Errorf("%s: Doc does not list %s %q:\n%s", a.Name, c.Code, c.Title, a.Doc)
			}
		}
	}
}

func TestDatasource(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, testModule, analyzer.Datasource, testPkg+"datasource")
}

func TestPipe(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, testModule, analyzer.Pipe, testPkg+"pipe")
}

func TestProject(t *testing.T) {
	t.Parallel()
	analysistest.Run(t, testModule, analyzer.Project, testPkg+"project")
}

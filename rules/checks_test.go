package rules

import (
	"strings"
	"testing"
	"unicode"
)

func TestCheckTable(t *testing.T) {
	analyzers := map[string]bool{
		AnalyzerTokenName: true, AnalyzerResourceName: true, AnalyzerScope: true,
		AnalyzerTokenUse: true, AnalyzerJWT: true,
		AnalyzerDatasource: true, AnalyzerPipe: true, AnalyzerProject: true, AnalyzerDatafile: true,
	}
	var prev Code
	for _, c := range Checks() {
		if c.Code <= prev {
			t.Errorf("%s is out of order after %s", c.Code, prev)
		}
		prev = c.Code
		if c.Code != TB001 && !IsWorkspaceCheck(c.Code) && !analyzers[c.Analyzer] {
			t.Errorf("%s: unknown analyzer %q", c.Code, c.Analyzer)
		}
		if c.Severity != Error && c.Severity != Warning {
			t.Errorf("%s: no severity", c.Code)
		}
		if c.Title == "" || strings.HasSuffix(c.Title, ".") || unicode.IsUpper(rune(c.Title[0])) && !strings.HasPrefix(c.Title, "JWT") && !strings.HasPrefix(c.Title, "FixedParams") && !strings.HasPrefix(c.Title, "Permissions") && !strings.HasPrefix(c.Title, "Nullable") {
			t.Errorf("%s: title %q should be one lower-case line without a period", c.Code, c.Title)
		}
		if c.Doc == "" || c.Bad == "" || c.Good == "" || c.Bad == c.Good {
			t.Errorf("%s: documentation or examples missing", c.Code)
		}
		if got, ok := Lookup(c.Code); !ok || got.Title != c.Title {
			t.Errorf("Lookup(%s) = %v, %v", c.Code, got, ok)
		}
		if !strings.HasSuffix(c.URL(), "#"+strings.ToLower(string(c.Code))) {
			t.Errorf("%s: URL %s has no anchor", c.Code, c.URL())
		}
	}
	if _, ok := Lookup("TB999"); ok {
		t.Error("Lookup(TB999) found a check")
	}
	// The severities fixed by the project's check table.
	warnings := map[Code]bool{TB001: true, TB203: true, TB204: true, TB206: true, TB301: true, TB302: true, TB403: true, TB710: true}
	for _, c := range Checks() {
		if want := warnings[c.Code]; (c.Severity == Warning) != want {
			t.Errorf("%s: severity %s", c.Code, c.Severity)
		}
	}
	if n := len(Checks()); n != 59 {
		t.Errorf("%d checks, want 59", n)
	}
}

func TestOwnerAndChecksOf(t *testing.T) {
	if a, ok := Owner(TB201); !ok || a != AnalyzerScope {
		t.Errorf("Owner(TB201) = %q, %v", a, ok)
	}
	if _, ok := Owner(TB001); ok {
		t.Error("TB001 has an owner")
	}
	if _, ok := Owner("TB999"); ok {
		t.Error("TB999 has an owner")
	}
	var n int
	for _, a := range []string{AnalyzerTokenName, AnalyzerResourceName, AnalyzerScope, AnalyzerTokenUse, AnalyzerJWT, AnalyzerDatasource, AnalyzerPipe, AnalyzerProject, AnalyzerDatafile} {
		n += len(ChecksOf(a))
	}
	if n != len(Checks())-2 { // TB001 and the workspace check TB710
		t.Errorf("ChecksOf covers %d checks, want %d", n, len(Checks())-2)
	}
	if _, ok := Owner(TB801); ok {
		t.Error("TB801, a datafile check, has a Go analyzer as owner")
	}
}

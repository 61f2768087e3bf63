// Package nogo_test checks that every analyzer of analyzer.Suite has a
// package under nogo/ exporting it as Analyzer, for Bazel's nogo.
package nogo_test

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/nogo/datasource"
	"github.com/tbls-dev/tbls/nogo/jwt"
	"github.com/tbls-dev/tbls/nogo/pipe"
	"github.com/tbls-dev/tbls/nogo/project"
	"github.com/tbls-dev/tbls/nogo/resourcename"
	"github.com/tbls-dev/tbls/nogo/scope"
	"github.com/tbls-dev/tbls/nogo/tokenname"
	"github.com/tbls-dev/tbls/nogo/tokenuse"
)

// exported maps each nogo package's directory to its Analyzer. A new
// analyzer needs a package, nogo/NAME/NAME.go, and a line here.
var exported = map[string]*analysis.Analyzer{
	"datasource":   datasource.Analyzer,
	"jwt":          jwt.Analyzer,
	"pipe":         pipe.Analyzer,
	"project":      project.Analyzer,
	"resourcename": resourcename.Analyzer,
	"scope":        scope.Analyzer,
	"tokenname":    tokenname.Analyzer,
	"tokenuse":     tokenuse.Analyzer,
}

func TestEveryAnalyzerHasANogoPackage(t *testing.T) {
	for _, a := range analyzer.Suite {
		got, ok := exported[a.Name]
		switch {
		case !ok:
			t.Errorf("analyzer %s has no nogo package: add nogo/%s/%s.go exporting it as Analyzer, and it to this test", a.Name, a.Name, a.Name)
		case got != a:
			t.Errorf("nogo/%s exports %s (%p), not analyzer %s (%p)", a.Name, got.Name, got, a.Name, a)
		}
	}
}

func TestNoStrayNogoPackage(t *testing.T) {
	inSuite := make(map[string]bool)
	for _, a := range analyzer.Suite {
		inSuite[a.Name] = true
	}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	dirs := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dirs++
		if !inSuite[e.Name()] {
			t.Errorf("nogo/%s exports no analyzer of analyzer.Suite", e.Name())
		}
		if _, ok := exported[e.Name()]; !ok {
			t.Errorf("nogo/%s is not checked by this test: add it to exported", e.Name())
		}
	}
	if dirs != len(exported) {
		t.Errorf("%d packages under nogo/, %d in exported", dirs, len(exported))
	}
}

// TestAnalyzersValidate runs analysis.Validate on the exported analyzers,
// as nogo's generated main does before it runs them.
func TestAnalyzersValidate(t *testing.T) {
	var all []*analysis.Analyzer
	for _, a := range exported {
		all = append(all, a)
	}
	if err := analysis.Validate(all); err != nil {
		t.Error(err)
	}
}

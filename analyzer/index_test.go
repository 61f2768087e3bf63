package analyzer_test

import (
	"os"
	"os/exec"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/internal/schemagen"
)

// TestIndexMatchesReference checks, on every test package, the SDK and a
// generated schema with mistakes, that the shared index finds exactly the
// nodes, tokens, initializers and functions a plain walk resolving every
// node finds. (analysistest cannot run this: the test packages' want
// comments are for the real analyzers.)
func TestIndexMatchesReference(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command on PATH to load packages")
	}
	t.Parallel()
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	gen := t.TempDir()
	if err := schemagen.Write(gen, schemagen.Config{Datasources: 20, Endpoints: 20, Files: 2, Mistakes: true, ReplaceDir: root}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir      string
		patterns []string
	}{
		{testModule, []string{"./...", "github.com/tbls-dev/tbls/tinybird"}},
		{gen, []string{"./..."}},
	} {
		cfg := &packages.Config{
			Mode:  packages.LoadSyntax | packages.NeedModule,
			Dir:   tc.dir,
			Tests: true,
			Env:   append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off"),
		}
		pkgs, err := packages.Load(cfg, tc.patterns...)
		if err != nil {
			t.Fatal(err)
		}
		if n := packages.PrintErrors(pkgs); n > 0 {
			t.Fatalf("loading %v in %s: %d errors", tc.patterns, tc.dir, n)
		}
		graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.CheckIndex}, pkgs, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, act := range graph.Roots {
			if act.Err != nil {
				t.Errorf("%s: %v", act, act.Err)
			}
			n++
			for _, d := range act.Diagnostics {
				t.Errorf("%s: %s", act.Package.PkgPath, d.Message)
			}
		}
		if n < len(tc.patterns) {
			t.Errorf("%v in %s: only %d packages checked", tc.patterns, tc.dir, n)
		}
	}
}

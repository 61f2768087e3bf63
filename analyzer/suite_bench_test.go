package analyzer_test

import (
	"os"
	"os/exec"
	"testing"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/internal/schemagen"
)

// BenchmarkSuite runs every analyzer of the Suite, in process, over the
// issue's workload: the generated schema package of 1,000 datasources and
// 1,000 endpoints with 4 token accesses each (~27,000 lines in 21 files).
// Loading and type-checking happen once, outside the timer, so ns/op is
// tbvet's own analysis cost, the part that go vet -vettool adds to a build.
func BenchmarkSuite(b *testing.B) {
	if _, err := exec.LookPath("go"); err != nil {
		b.Skip("no go command on PATH to load the generated module")
	}
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{ReplaceDir: root}); err != nil {
		b.Fatal(err)
	}
	cfg := &packages.Config{
		Mode: packages.LoadSyntax | packages.NeedModule,
		Dir:  dir,
		Env:  append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		b.Fatal(err)
	}
	if n := packages.PrintErrors(pkgs); n > 0 || len(pkgs) != 1 {
		b.Fatalf("loading the generated module: %d errors, %d packages (want 0 and 1)", n, len(pkgs))
	}
	b.ReportAllocs()
	for b.Loop() {
		graph, err := checker.Analyze(analyzer.Suite, pkgs, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, act := range graph.Roots {
			if act.Err != nil {
				b.Fatalf("%s: %v", act, act.Err)
			}
			// The generated schema is valid: a finding is a false positive.
			if len(act.Diagnostics) > 0 {
				b.Fatalf("%s reported %d findings on the valid schema, first: %s", act, len(act.Diagnostics), act.Diagnostics[0].Message)
			}
		}
	}
}

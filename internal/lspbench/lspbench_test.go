package lspbench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// TestSmoke runs the harness against tbls on a small module: a few edits,
// every one answered with diagnostics for its version. The figures of the
// full benchmark come from scripts/bench-lsp.sh.
func TestSmoke(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := schemagen.FindModuleRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "tbls")
	if out, err := exec.Command("go", "build", "-o", bin, filepath.Join(root, "cmd", "tbls")).CombinedOutput(); err != nil {
		t.Fatalf("building tbls: %v\n%s", err, out)
	}
	dir := t.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{Datasources: 4, Endpoints: 4, Files: 2, ReplaceDir: root}); err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	file := ""
	for _, e := range entries {
		if b, _ := os.ReadFile(e); len(b) > 0 && filepath.Base(e) != "tokens.go" {
			file = filepath.Base(e)
		}
	}
	for _, kind := range []string{EditScope, EditTypeError} {
		res, err := Run(context.Background(), Config{
			Command: []string{bin}, Dir: dir, File: file, Env: []string{"GOFLAGS=-mod=mod"},
			Edits: 6, Kind: kind, Completion: true,
		})
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if len(res.Diagnostics) != 6 {
			t.Errorf("%s: %d diagnostics latencies, want 6", kind, len(res.Diagnostics))
		}
		if res.PeakRSS <= 0 {
			t.Errorf("%s: no peak RSS", kind)
		}
	}
}

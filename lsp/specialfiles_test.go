//go:build unix

package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"go.lsp.dev/uri"
)

// TestSpecialFiles puts, in the workspace, datafiles and Go files that
// are a symlink to /dev/zero and FIFOs, as anyone can commit to a
// repository (issue 8, failure 2): diagnostics and hover must still be
// answered, and the special files skipped.
func TestSpecialFiles(t *testing.T) {
	dir := featureModule(t, map[string]string{"tokens.go": goTokens, "resources.go": goResources, "legacy.datasource": legacyDatafile})
	for _, name := range []string{"evil.datasource", "zero.go"} {
		if err := os.Symlink("/dev/zero", filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fifo.pipe", "fifo.go", "sub/fifo.go"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := featureClient(t, dir, UTF16, false)
	u := uri.File(filepath.Join(dir, "resources.go"))
	c.open(u, "go", 1, goResources)
	if ds := c.diagnosticsFor(u, 1); len(ds) == 0 {
		t.Error("no diagnostics for resources.go")
	}
	md := hoverText(c.hoverAt(u, position(t, goResources, "Token: AppRead, Scope: tb.Read", len("Token: Ap"), UTF16)))
	if !strings.Contains(md, "legacy.datasource:4") {
		t.Errorf("hover lacks the datafile grant:\n%s", md)
	}
}

//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// TestCheckSpecialFiles runs tbls check on a module holding a datafile
// that is a symlink to /dev/zero, a FIFO datafile and a FIFO Go file (issue
// 8, failure 2): each is skipped with a message naming it, the rest is
// checked, and the status says something could not be checked (1, even
// with findings: the run is incomplete). go vet checks the Go package
// without the FIFO, which an -overlay replaces, and a FIFO Go file named
// as a target is refused before go vet sees it.
func TestCheckSpecialFiles(t *testing.T) {
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{Datasources: 2, Endpoints: 2, Files: 1, ReplaceDir: root}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.pipe"), []byte("TOKEN app_read APPEND\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.datasource")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"fifo.pipe", "fifo.go"} {
		if err := syscall.Mkfifo(filepath.Join(dir, name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, errOut, code := runTbls(t, dir, []string{"GOFLAGS=-mod=mod"}, "check", "./...")
	if code != 1 {
		t.Errorf("status %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, name := range []string{"zero.datasource", "fifo.pipe", "fifo.go"} {
		if !strings.Contains(errOut, name) || !strings.Contains(errOut, "not a regular file") {
			t.Errorf("stderr does not say %s was skipped:\n%s", name, errOut)
		}
	}
	if !strings.Contains(out, "bad.pipe") {
		t.Errorf("the regular datafile was not checked:\n%s", out)
	}
	// The package of fifo.go is checked without it.
	if !strings.Contains(errOut, "checked 1 Go package and 1 datafile:") {
		t.Errorf("the Go package was not checked without the FIFO:\n%s", errOut)
	}
	// Named as a target, the FIFO Go file is skipped too, never read.
	out, errOut, code = runTbls(t, dir, []string{"GOFLAGS=-mod=mod"}, "check", "fifo.go")
	if code != 1 || !strings.Contains(errOut, "fifo.go: not a regular file") {
		t.Errorf("check fifo.go: status %d, want 1 saying it is not a regular file\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

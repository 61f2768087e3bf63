package lsp

import (
	"path/filepath"
	"slices"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestTestFileOpenedFirst opens a package's test files before its other
// files (issue 8, failure 5): each file's diagnostics are published,
// whatever the order of opening.
func TestTestFileOpenedFirst(t *testing.T) {
	const (
		names     = "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar Good = tinybird.DefineToken(\"good\")\n"
		namesTest = "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar inTest = tinybird.DefineToken(\"bad name\")\n"
		xTest     = "package schema_test\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar xTest = tinybird.DefineToken(\"bad-x\")\n"
	)
	for _, order := range [][]string{
		{"names_test.go", "x_test.go", "names.go"},
		{"names.go", "names_test.go", "x_test.go"},
		{"x_test.go", "names.go", "names_test.go"},
	} {
		t.Run(order[0], func(t *testing.T) {
			files := map[string]string{"names.go": names, "names_test.go": namesTest, "x_test.go": xTest}
			dir := writeModule(t, files)
			c := initializeIn(t, dir, protocol.ClientCapabilities{})
			for _, name := range order {
				c.open(uri.File(filepath.Join(dir, name)), "go", 1, files[name])
			}
			// The test files' tokens have bad names (TB101) and are
			// granted nowhere (TB302).
			for name, want := range map[string]int{"names.go": 0, "names_test.go": 2, "x_test.go": 2} {
				if ds := c.diagnosticsFor(uri.File(filepath.Join(dir, name)), 1); len(ds) != want {
					t.Errorf("%s: %v, want %d diagnostics", name, codes(ds), want)
				}
			}
		})
	}
}

// TestCgoFile opens a file that imports "C" (issue 8, failure 6): its
// diagnostics are published, C's names left untyped as tbvet does.
func TestCgoFile(t *testing.T) {
	const (
		cgo   = "package schema\n\n// #include <stdlib.h>\nimport \"C\"\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar T = tinybird.DefineToken(\"bad name\")\n\nfunc free() { C.free(nil) }\n"
		plain = "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar U = tinybird.DefineToken(\"bad-name\")\n"
	)
	dir := writeModule(t, map[string]string{"cgo.go": cgo, "plain.go": plain})
	c := initializeIn(t, dir, protocol.ClientCapabilities{})
	for name, text := range map[string]string{"cgo.go": cgo, "plain.go": plain} {
		u := uri.File(filepath.Join(dir, name))
		c.open(u, "go", 1, text)
		if ds := c.diagnosticsFor(u, 1); !slices.Equal(codes(ds), []string{"TB101"}) {
			t.Errorf("%s: %v, want [TB101]", name, codes(ds))
		}
	}
}

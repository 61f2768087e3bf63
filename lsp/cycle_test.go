package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestImportCycle opens two workspace packages that import each other
// (issue 8, failure 1), edits both many times, and checks that every
// version's diagnostics come, that hover is answered, and that shutdown
// and exit end Serve. Checking one package waited, holding its lock, for
// the other's, whose check waited for the first.
func TestImportCycle(t *testing.T) {
	const (
		aGo = "package a\n\nimport (\n\t\"example.com/lsptest/b\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar A = tinybird.DefineToken(\"bad name\")\n\nvar _ = b.B\n"
		bGo = "package b\n\nimport (\n\t\"example.com/lsptest/a\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar B = tinybird.DefineToken(\"bad-name\")\n\nvar _ = a.A\n"
	)
	dir := writeModule(t, map[string]string{"a/a.go": aGo, "b/b.go": bGo})
	for try := range 3 {
		c := initializeIn(t, dir, protocol.ClientCapabilities{})
		au, bu := uri.File(filepath.Join(dir, "a", "a.go")), uri.File(filepath.Join(dir, "b", "b.go"))
		c.open(au, "go", 1, aGo)
		c.open(bu, "go", 1, bGo)
		const n = 20
		for v := int32(2); v <= n; v++ {
			c.changeAll(au, v, aGo+strings.Repeat("\n", int(v)))
			c.changeAll(bu, v, bGo+strings.Repeat("\n", int(v)))
		}
		for _, u := range []uri.URI{au, bu} {
			if ds := c.diagnosticsFor(u, n); !strings.Contains(fmt.Sprint(codes(ds)), "TB101") {
				t.Errorf("try %d: %s: %v, want TB101", try, filepath.Base(u.FsPath()), codes(ds))
			}
		}
		var h *protocol.Hover
		if _, err := c.call(protocol.MethodTextDocumentHover, &protocol.HoverParams{
			TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: au}, Position: protocol.Position{Line: 7, Character: 5}},
		}, &h); err != nil {
			t.Fatalf("try %d: hover: %v", try, err)
		}
		if _, err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
			t.Fatalf("try %d: shutdown: %v", try, err)
		}
		if err := c.conn.Notify(context.Background(), protocol.MethodExit, nil); err != nil {
			t.Fatal(err)
		}
		if err := c.serveResult(); err != nil {
			t.Errorf("try %d: Serve after shutdown and exit = %v", try, err)
		}
	}
}

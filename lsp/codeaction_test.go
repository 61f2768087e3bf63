package lsp

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// A pipe granting APPEND to a token whose quoted name holds characters
// outside the BMP: in UTF-16 they count twice, so a wrong conversion puts
// every range after them off.
const pipeWithAppend = "TOKEN \"tök😀\" APPEND\n\nNODE n\nSQL >\n    SELECT 1\n"

func TestCodeActionFixAppliedDatafile(t *testing.T) {
	for _, tc := range []struct {
		name            string
		enc             Encoding
		documentChanges bool
	}{{"utf16 changes", UTF16, false}, {"utf8 documentChanges", UTF8, true}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			c := featureClient(t, dir, tc.enc, tc.documentChanges)
			u := uri.File(filepath.Join(dir, "top_events.pipe"))
			c.open(u, "tinybird", 1, pipeWithAppend)
			diags := c.diagnosticsFor(u, 1)
			var tb201 *protocol.Diagnostic
			for i := range diags {
				if codeString(diags[i].Code) == "TB201" {
					tb201 = &diags[i]
				}
			}
			if tb201 == nil {
				t.Fatalf("no TB201 in %v", diags)
			}
			if want := position(t, pipeWithAppend, "APPEND", 0, tc.enc); tb201.Range.Start != want {
				t.Fatalf("TB201 at %v, want %v", tb201.Range.Start, want)
			}
			// TB201 has two fixes (change the scope, remove the line), so
			// neither is preferred; datafiles get no suppression action.
			actions := c.codeActions(u, tb201.Range, []protocol.Diagnostic{*tb201})
			var titles []string
			var a *protocol.CodeAction
			for _, x := range actions {
				titles = append(titles, x.Title)
				if x.Kind == nil || *x.Kind != protocol.CodeActionKindQuickFix || x.IsPreferred == nil || *x.IsPreferred || len(x.Diagnostics) != 1 || x.Diagnostics[0].Range != tb201.Range {
					t.Errorf("action %q: kind %v, preferred %v, diagnostics %v", x.Title, x.Kind, x.IsPreferred, x.Diagnostics)
				}
				if x.Title == "Change the scope to READ" {
					a = x
				}
			}
			if len(actions) != 2 || a == nil {
				t.Fatalf("actions %q, want the two fixes of TB201", titles)
			}
			// TB101 has one fix: preferred.
			for _, d := range diags {
				if codeString(d.Code) != "TB101" {
					continue
				}
				as := c.codeActions(u, d.Range, []protocol.Diagnostic{d})
				if len(as) != 1 || as[0].IsPreferred == nil || !*as[0].IsPreferred {
					t.Errorf("TB101 actions %+v, want one preferred fix", as)
				}
			}
			fixed := applyEdit(t, a.Edit, u, 1, pipeWithAppend, tc.enc)
			if !strings.HasPrefix(fixed, "TOKEN \"tök😀\" READ\n") {
				t.Fatalf("fixed text:\n%s", fixed)
			}
			c.changeAll(u, 2, fixed)
			for _, d := range c.diagnosticsFor(u, 2) {
				if codeString(d.Code) == "TB201" {
					t.Errorf("TB201 still reported after the fix: %v", d)
				}
			}
		})
	}
}

func TestCodeActionOnlyAndStale(t *testing.T) {
	dir := t.TempDir()
	c := featureClient(t, dir, UTF16, false)
	u := uri.File(filepath.Join(dir, "top_events.pipe"))
	c.open(u, "tinybird", 1, pipeWithAppend)
	diags := c.diagnosticsFor(u, 1)
	whole := protocol.Range{End: protocol.Position{Line: 10}}
	if got := c.codeActions(u, whole, diags, protocol.CodeActionKindRefactor); len(got) != 0 {
		t.Errorf("only=refactor returned %d actions", len(got))
	}
	if got := c.codeActions(u, whole, diags, protocol.CodeActionKindQuickFix); len(got) == 0 {
		t.Error("only=quickfix returned no action")
	}
	// No diagnostics in the context: the ones overlapping the range count.
	if got := c.codeActions(u, protocol.Range{Start: position(t, pipeWithAppend, "APPEND", 2, UTF16), End: position(t, pipeWithAppend, "APPEND", 2, UTF16)}, nil); len(got) == 0 {
		t.Error("no action at the cursor without context diagnostics")
	}
}

func TestSuppressEdit(t *testing.T) {
	tests := []struct {
		name, text string
		line       uint32
		want       string
	}{
		{"indented", "package p\n\nvar x = f(\n\t\t\"é\", g)\n", 3, "package p\n\nvar x = f(\n\t\t//tbvet:ignore TB201 <reason>\n\t\t\"é\", g)\n"},
		{"joins a directive above", "package p\n\n\t//tbvet:ignore TB206 dup on purpose\n\tx\n", 3, "package p\n\n\t//tbvet:ignore TB206,TB201 dup on purpose\n\tx\n"},
		{"already listed above", "package p\n\n//tbvet:ignore TB201 why\nx\n", 3, "package p\n\n//tbvet:ignore TB201 why\n//tbvet:ignore TB201 <reason>\nx\n"},
		{"first line", "x\n", 0, "//tbvet:ignore TB201 <reason>\nx\n"},
	}
	for _, tt := range tests {
		for _, enc := range []Encoding{UTF16, UTF8} {
			m := NewMapper([]byte(tt.text), enc)
			e, ok := suppressEdit([]byte(tt.text), m, tt.line, "TB201")
			if !ok {
				t.Fatalf("%s: no edit", tt.name)
			}
			got := applyEdit(t, &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{"file:///x.go": {e}}}, "file:///x.go", 0, tt.text, enc)
			if got != tt.want {
				t.Errorf("%s (%v): got\n%s\nwant\n%s", tt.name, enc.Kind(), got, tt.want)
			}
		}
	}
}

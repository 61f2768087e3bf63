package lsp

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/rules"
)

// goSchema misspells a sorting-key column: TB510, whose fix renames it to
// the nearest column.
const goSchema = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

var Events = tb.DefineDatasource("events", tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("timestamp", tb.DateTime()), tb.Col("pays", tb.String())}, // é😀
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"timestmap"}}),
})
`

// TestGoSchemaCheckHoverAndFix checks that a schema check reaches the
// editor like the others: published at the sorting-key entry, explained
// by hover from the check table, and fixed by its code action.
func TestGoSchemaCheckHoverAndFix(t *testing.T) {
	dir := featureModule(t, map[string]string{"schema.go": goSchema})
	c := featureClient(t, dir, UTF16, false)
	u := uri.File(filepath.Join(dir, "schema.go"))
	c.open(u, "go", 1, goSchema)
	var d *protocol.Diagnostic
	for _, x := range c.diagnosticsFor(u, 1) {
		if codeString(x.Code) == string(rules.TB510) {
			d = &x
		}
	}
	if d == nil {
		t.Fatalf("no TB510 in %v", c.diagnosticsFor(u, 1))
	}
	if want := position(t, goSchema, `"timestmap"`, 0, UTF16); d.Range.Start != want || d.Range.End.Character != want.Character+uint32(len(`"timestmap"`)) {
		t.Errorf("TB510 at %v, want the string literal at %v", d.Range, want)
	}
	if src, _ := d.Source.Get(); src != rules.AnalyzerDatasource {
		t.Errorf("source %q, want %q", src, rules.AnalyzerDatasource)
	}

	md := hoverText(c.hoverAt(u, d.Range.Start))
	if !strings.Contains(md, "**TB510** "+mustCheck(t, rules.TB510).Title) {
		t.Errorf("hover lacks the check:\n%s", md)
	}

	var fix *protocol.CodeAction
	for _, a := range c.codeActions(u, d.Range, []protocol.Diagnostic{*d}) {
		if a.Title == `Use column "timestamp"` {
			fix = a
		}
	}
	if fix == nil {
		t.Fatal(`no "Use column \"timestamp\"" action`)
	}
	fixed := applyEdit(t, fix.Edit, u, 1, goSchema, UTF16)
	if !strings.Contains(fixed, `SortingKey: []string{"timestamp"}`) {
		t.Fatalf("fixed text:\n%s", fixed)
	}
	c.changeAll(u, 2, fixed)
	if ds := c.diagnosticsFor(u, 2); len(ds) != 0 {
		t.Errorf("diagnostics after the fix: %v", ds)
	}
}

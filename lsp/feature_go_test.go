package lsp

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/rules"
)

// The Go workspace of the feature tests: a token in one file, resources
// granting it in another (with non-ASCII text before the ranges, which
// UTF-16 counts differently), and a datafile on disk granting it too.
const (
	goTokens = `package schema

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app_read")
`
	goResources = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

var Events = tb.DefineDatasource("events", tb.DatasourceOptions{
	Description: "événements 😀", Schema: tb.Schema{tb.Col("id", tb.Int32())},
	Tokens:      []tb.TokenAccess{{Token: AppRead, Scope: tb.Read}},
})

var Top = tb.DefineEndpoint("top_events", tb.EndpointOptions{
	Description: "top", Nodes: []tb.Node{{Name: "top", SQL: "SELECT 1 AS n"}}, Output: tb.Schema{tb.Col("n", tb.UInt64())},
	Tokens:      []tb.TokenAccess{{Token: AppRead, Scope: /* é😀 */ tb.Append}},
})
`
	legacyDatafile = "SCHEMA >\n    `id` Int32\n\nTOKEN app_read READ\n"
)

// goFeatureClient opens resources.go in a server on the feature module and
// returns it with its URI and the TB201 diagnostic of version 1.
func goFeatureClient(t *testing.T, enc Encoding, documentChanges bool) (*testClient, uri.URI, protocol.Diagnostic) {
	t.Helper()
	dir := featureModule(t, map[string]string{"tokens.go": goTokens, "resources.go": goResources, "legacy.datasource": legacyDatafile})
	c := featureClient(t, dir, enc, documentChanges)
	u := uri.File(filepath.Join(dir, "resources.go"))
	c.open(u, "go", 1, goResources)
	for _, d := range c.diagnosticsFor(u, 1) {
		if codeString(d.Code) == string(rules.TB201) {
			if want := position(t, goResources, "tb.Append", 0, enc); d.Range.Start != want {
				t.Fatalf("TB201 at %v, want %v", d.Range.Start, want)
			}
			return c, u, d
		}
	}
	t.Fatal("no TB201 on the endpoint's APPEND")
	return nil, "", protocol.Diagnostic{}
}

func TestGoCodeActions(t *testing.T) {
	for _, tc := range []struct {
		name            string
		enc             Encoding
		documentChanges bool
	}{{"utf16 changes", UTF16, false}, {"utf8 documentChanges", UTF8, true}} {
		t.Run(tc.name, func(t *testing.T) {
			c, u, tb201 := goFeatureClient(t, tc.enc, tc.documentChanges)
			actions := c.codeActions(u, tb201.Range, []protocol.Diagnostic{tb201})
			byTitle := map[string]*protocol.CodeAction{}
			var titles []string
			for _, a := range actions {
				byTitle[a.Title] = a
				titles = append(titles, a.Title)
			}
			fix, suppress := byTitle["Change the scope to READ"], byTitle["Suppress TB201 here"]
			if fix == nil || suppress == nil {
				t.Fatalf("actions %q lack the fix or the suppression", titles)
			}
			if fix.IsPreferred == nil || *fix.IsPreferred != (len(actions) == 2) {
				t.Errorf("fix preferred = %v with actions %q", fix.IsPreferred, titles)
			}
			if suppress.IsPreferred != nil && *suppress.IsPreferred {
				t.Error("the suppression is preferred")
			}

			fixed := applyEdit(t, fix.Edit, u, 1, goResources, tc.enc)
			if !strings.Contains(fixed, "Scope: /* é😀 */ tb.Read}") {
				t.Fatalf("fixed text:\n%s", fixed)
			}
			c.changeAll(u, 2, fixed)
			if ds := c.diagnosticsFor(u, 2); len(ds) != 0 {
				t.Errorf("diagnostics after the fix: %v", ds)
			}

			suppressed := applyEdit(t, suppress.Edit, u, 1, goResources, tc.enc)
			if !strings.Contains(suppressed, "\n\t//tbvet:ignore TB201 <reason>\n\tTokens:      []tb.TokenAccess{{Token: AppRead, Scope: /* é😀 */ tb.Append}},") {
				t.Fatalf("suppressed text:\n%s", suppressed)
			}
			c.changeAll(u, 3, suppressed)
			if ds := c.diagnosticsFor(u, 3); len(ds) != 0 {
				t.Errorf("diagnostics after the suppression: %v", ds)
			}
		})
	}
}

func TestGoCompletionServer(t *testing.T) {
	c, u, _ := goFeatureClient(t, UTF16, false)
	tests := []struct {
		name, text, marker string
		delta              int
		labels             []string
	}{
		{"endpoint selector", strings.Replace(goResources, "/* é😀 */ tb.Append", "/* é😀 */ tb.", 1), "/* é😀 */ tb.", len("/* é😀 */ tb."), []string{"Read"}},
		{"datasource selector, partial", strings.Replace(goResources, "Scope: tb.Read", "Scope: tb.Ap", 1), "Scope: tb.Ap", len("Scope: tb.Ap"), []string{"Read", "Append"}},
		{"datasource string", strings.Replace(goResources, "Scope: tb.Read", `Scope: ""`, 1), `Scope: ""`, len(`Scope: "`), []string{"READ", "APPEND"}},
		{"empty value", strings.Replace(goResources, "/* é😀 */ tb.Append", "", 1), "AppRead, Scope: }},", len("AppRead, Scope: "), []string{"tb.Read"}},
		{"description", goResources, "événements", 2, nil},
		{"comment", goResources, "é😀 */", 1, nil},
		{"token field", goResources, "Token: AppRead", len("Token: App"), nil},
	}
	for i, tt := range tests {
		version := int32(10 + i)
		c.changeAll(u, version, tt.text)
		pos := position(t, tt.text, tt.marker, tt.delta, UTF16)
		if tt.name == "empty value" {
			// the last occurrence: the endpoint's
			i := strings.LastIndex(tt.text, tt.marker)
			p, _ := NewMapper([]byte(tt.text), UTF16).OffsetPosition(i + tt.delta)
			pos = p
		}
		list := c.complete(u, pos)
		if got := labels(list); !slices.Equal(got, tt.labels) {
			t.Errorf("%s: completion %v, want %v", tt.name, got, tt.labels)
			continue
		}
		for _, it := range list.Items {
			te, ok := it.TextEdit.(*protocol.TextEdit)
			doc, _ := it.Documentation.(*protocol.MarkupContent)
			if !ok || te.Range.Start.Line != pos.Line || te.Range.Start.Character > pos.Character || te.Range.End.Character < pos.Character || doc == nil || doc.Value == "" {
				t.Errorf("%s: item %s: edit %+v, doc %+v", tt.name, it.Label, it.TextEdit, it.Documentation)
			}
		}
	}
}

func TestGoHoverAccessMap(t *testing.T) {
	c, u, tb201 := goFeatureClient(t, UTF16, false)
	wantMap := []string{
		"Token `app_read`, defined at `tokens.go:5`, granted on 3 resources:",
		"- datasource `legacy`: **READ** at `legacy.datasource:4`",
		"- datasource `events`: **READ** at `resources.go:7`",
		"- endpoint `top_events`: **APPEND** at `resources.go:12`",
	}
	tests := []struct {
		name, marker string
		delta        int
		want         []string
	}{
		{"token reference", "Token: AppRead, Scope: tb.Read", len("Token: Ap"), wantMap},
		{"scope with a diagnostic", "tb.Append", 4, append([]string{"**TB201** " + mustCheck(t, rules.TB201).Title, "Scope `APPEND`: " + rules.ScopeDoc("APPEND")}, wantMap...)},
		{"scope", "tb.Read", 4, append([]string{"Scope `READ`: " + rules.ScopeDoc("READ")}, wantMap...)},
	}
	for _, tt := range tests {
		md := hoverText(c.hoverAt(u, position(t, goResources, tt.marker, tt.delta, UTF16)))
		for _, w := range tt.want {
			if !strings.Contains(md, w) {
				t.Errorf("%s: hover lacks %q:\n%s", tt.name, w, md)
			}
		}
	}
	if !strings.Contains(hoverText(c.hoverAt(u, tb201.Range.Start)), "TB201") {
		t.Error("hover at the diagnostic's start lacks its check")
	}
	// The DefineToken call, in the other file.
	tu := uri.URI(strings.Replace(string(u), "resources.go", "tokens.go", 1))
	c.open(tu, "go", 1, goTokens)
	md := hoverText(c.hoverAt(tu, position(t, goTokens, "DefineToken", 2, UTF16)))
	for _, w := range wantMap {
		if !strings.Contains(md, w) {
			t.Errorf("DefineToken: hover lacks %q:\n%s", w, md)
		}
	}
	// Nothing on ordinary code.
	if h := c.hoverAt(u, position(t, goResources, "package", 2, UTF16)); h != nil {
		t.Errorf("hover on the package clause: %s", hoverText(h))
	}
}

// TestGoHoverSharedListAfterEdit follows a Tokens list held in a variable
// of another file, after an edit that moves that file's declarations: the
// access map must read the new check, not positions of the older text.
func TestGoHoverSharedListAfterEdit(t *testing.T) {
	tokens := "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar AppRead = tinybird.DefineToken(\"app_read\")\n\nvar common = []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}}\n"
	resources := "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar Events = tinybird.DefineDatasource(\"events\", tinybird.DatasourceOptions{Tokens: common})\n"
	dir := featureModule(t, map[string]string{"tokens.go": tokens, "resources.go": resources})
	c := featureClient(t, dir, UTF16, false)
	u := uri.File(filepath.Join(dir, "tokens.go"))
	c.open(u, "go", 1, tokens)
	c.diagnosticsFor(u, 1)
	want := "- datasource `events`: **READ** at `resources.go:5`"
	for version, text := range []string{tokens, strings.Replace(tokens, "\nvar AppRead", "\n// Moved down by two lines.\n\nvar AppRead", 1)} {
		if version > 0 {
			c.changeAll(u, int32(version+1), text)
			c.diagnosticsFor(u, int32(version+1))
		}
		md := hoverText(c.hoverAt(u, position(t, text, "DefineToken", 2, UTF16)))
		if !strings.Contains(md, want) {
			t.Errorf("version %d: hover lacks %q:\n%s", version+1, want, md)
		}
	}
}

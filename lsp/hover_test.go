package lsp

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/resolve"
	"github.com/tbls-dev/tbls/rules"
)

func TestHoverDatafileAccessMap(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"datasources/events.datasource": "SCHEMA >\n    `id` Int32\n\nTOKEN \"tök😀\" READ\nTOKEN ingest APPEND\n",
		"pipes/other.pipe":              "NODE n\nSQL >\n    TOKEN \"tök😀\" APPEND\n", // inside SQL: not a grant
	})
	for _, enc := range []Encoding{UTF16, UTF8} {
		c := featureClient(t, dir, enc, false)
		u := uri.File(filepath.Join(dir, "pipes", "top_events.pipe"))
		c.open(u, "tinybird", 1, pipeWithAppend)
		c.diagnosticsFor(u, 1)
		h := c.hoverAt(u, position(t, pipeWithAppend, "APPEND", 3, enc))
		md := hoverText(h)
		for _, want := range []string{
			"**TB201** " + mustCheck(t, rules.TB201).Title, rules.DocURL(rules.TB201),
			"Scope `APPEND`: " + rules.ScopeDoc("APPEND"),
			"Token `tök😀`, granted on 2 resources:",
			"- datasource `events`: **READ** at `datasources/events.datasource:4`",
			"- pipe `top_events`: **APPEND** at `pipes/top_events.pipe:1`",
		} {
			if !strings.Contains(md, want) {
				t.Errorf("%v: hover lacks %q:\n%s", enc.Kind(), want, md)
			}
		}
		if strings.Contains(md, "other.pipe") || strings.Contains(md, "`other`") {
			t.Errorf("a TOKEN line in an SQL body counted as a grant:\n%s", md)
		}
		if h != nil && (h.Range == nil || h.Range.Start != position(t, pipeWithAppend, "TOKEN", 0, enc) || h.Range.End != position(t, pipeWithAppend, "APPEND", len("APPEND"), enc)) {
			t.Errorf("%v: hover range %v", enc.Kind(), h.Range)
		}
		// An edit of the open pipe shows in the next hover.
		edited := strings.Replace(pipeWithAppend, "APPEND", "READ", 1)
		c.changeAll(u, 2, edited)
		c.diagnosticsFor(u, 2)
		md = hoverText(c.hoverAt(u, position(t, edited, "READ", 1, enc)))
		if !strings.Contains(md, "- pipe `top_events`: **READ**") || strings.Contains(md, "TB201") {
			t.Errorf("%v: hover after the edit:\n%s", enc.Kind(), md)
		}
		// Off a TOKEN line: nothing.
		if h := c.hoverAt(u, position(t, edited, "SELECT", 0, enc)); h != nil {
			t.Errorf("hover in the SQL body: %v", hoverText(h))
		}
	}
}

func mustCheck(t *testing.T, code rules.Code) rules.Check {
	c, ok := rules.Lookup(code)
	if !ok {
		t.Fatalf("no check %s", code)
	}
	return c
}

func TestHoverMarkdownNoGrants(t *testing.T) {
	md := hoverMarkdown(hoverTarget{token: "lonely"}, nil, &tokenAccess{def: &resolve.Decl{Kind: resolve.Token, Name: "lonely", File: "/w/tokens.go", Line: 3, Go: true}}, func(s string) string { return strings.TrimPrefix(s, "/w/") })
	if md != "Token `lonely`, defined at `tokens.go:3`: granted on no resource of the workspace." {
		t.Errorf("got %q", md)
	}
}

// TestHoverAccessMapCountsDatafilesByExtension: a buffer the editor marks
// as a datafile by its language but whose file is not one (notes.txt) is
// no resource of the project, for hover as for tbls access and code
// lenses; the hover index this replaced counted it.
func TestHoverAccessMapCountsDatafilesByExtension(t *testing.T) {
	dir := t.TempDir()
	events := "SCHEMA >\n    `id` Int32\n\nTOKEN shared READ\n"
	writeFiles(t, dir, map[string]string{"datasources/events.datasource": events})
	c := featureClient(t, dir, UTF16, false)
	notes := uri.File(filepath.Join(dir, "notes.txt"))
	c.open(notes, "tinybird", 1, "TOKEN shared APPEND\n")
	u := uri.File(filepath.Join(dir, "datasources", "events.datasource"))
	c.open(u, "tinybird", 1, events)
	c.diagnosticsFor(u, 1)
	md := hoverText(c.hoverAt(u, position(t, events, "READ", 1, UTF16)))
	if !strings.Contains(md, "Token `shared`, granted on 1 resource:\n\n- datasource `events`: **READ** at `datasources/events.datasource:4`") {
		t.Errorf("hover on the datasource's grant:\n%s", md)
	}
	if strings.Contains(md, "notes") || strings.Contains(md, "APPEND") {
		t.Errorf("a buffer of notes.txt counted as a datafile:\n%s", md)
	}
	// The buffer itself still hovers (its own TOKEN line), without being
	// counted.
	md = hoverText(c.hoverAt(notes, position(t, "TOKEN shared APPEND\n", "APPEND", 1, UTF16)))
	if !strings.Contains(md, "Scope `APPEND`") || strings.Contains(md, "notes") {
		t.Errorf("hover in notes.txt:\n%s", md)
	}
}

package lsp

import (
	"fmt"
	"slices"
	"testing"
)

func TestExtractGoAccess(t *testing.T) {
	p, _, _, _ := checkSnippets(t,
		snippetFile{"tokens.go", header + "var Ingest = tinybird.DefineToken(\"ingest\")\n"},
		snippetFile{"resources.go", header[:len("package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\n")] + `
var shared = []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}}

var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Tokens: append(shared,
		tinybird.TokenAccess{Token: Ingest, Scope: tinybird.Append},
		tinybird.TokenAccess{Name: "loader", Permissions: []tinybird.Scope{tinybird.Read, tinybird.Append}},
	),
})

var Top = tinybird.DefinePipe("top", tinybird.PipeOptions{
	Endpoint: &tinybird.EndpointConfig{},
	Tokens:   []tinybird.TokenAccess{{Token: AppRead, Scope: "READ"}, {Name: "dashboard"}},
})
`})
	ga := extractGoAccess(p)
	var got []string
	for _, g := range ga.grants {
		tok := g.token
		if tok == "" {
			tok = ga.defs[g.tokenVar].name
		}
		got = append(got, fmt.Sprintf("%s %s %s %s %s:%d", tok, g.scope, g.kind, g.resource, g.file, g.line))
	}
	want := []string{
		"app_read READ datasource events resources.go:9", // the shared list, where the datasource uses it
		"ingest APPEND datasource events resources.go:10",
		"loader READ datasource events resources.go:11",
		"loader APPEND datasource events resources.go:11",
		"app_read READ endpoint top resources.go:17",
		"dashboard READ endpoint top resources.go:17",
	}
	if !slices.Equal(got, want) {
		t.Errorf("grants:\n%q\nwant\n%q", got, want)
	}
	if d := ga.defs["example.com/schema.Ingest"]; d.name != "ingest" || d.file != "tokens.go" || d.line != 7 {
		t.Errorf("Ingest defined as %+v", d)
	}
}

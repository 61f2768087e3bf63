package lsp

import (
	"fmt"
	"slices"
	"testing"

	"github.com/tbls-dev/tbls/resolve"
)

// goProject returns the resolve.Project of the Go package p, as the
// resolver index reads one from a snapshot.
func goProject(p *typedPackage) *resolve.Project {
	return resolve.NewProject(resolve.GoFiles(resolve.GoPackage{Fset: p.fset, Files: p.files, Pkg: p.pkg, Info: p.info(p.files[0]), Path: p.pkg.Path(), Model: p.sdkModel()})...)
}

// grantLines renders every grant of proj, known and partial, in order.
func grantLines(proj *resolve.Project) []string {
	var got []string
	for _, g := range append(proj.Grants(), proj.PartialGrants()...) {
		got = append(got, fmt.Sprintf("%s %s %s %s %s:%d", g.Token, g.Scope, g.ResourceKind, g.Resource, g.File, g.Line))
	}
	return got
}

func TestGoAccessGrants(t *testing.T) {
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
	proj := goProject(p)
	got := grantLines(proj)
	// Ordered by token, resource, scope (narrowest first), file and line.
	want := []string{
		"app_read READ datasource events resources.go:9", // the shared list, where the datasource uses it
		"app_read READ endpoint top resources.go:17",
		"dashboard READ endpoint top resources.go:17",
		"ingest APPEND datasource events resources.go:10",
		"loader READ datasource events resources.go:11",
		"loader APPEND datasource events resources.go:11",
	}
	if !slices.Equal(got, want) {
		t.Errorf("grants:\n%q\nwant\n%q", got, want)
	}
	ds := proj.Decls(resolve.Target{Kind: resolve.Token, Name: "ingest"})
	if len(ds) != 1 || ds[0].File != "tokens.go" || ds[0].Line != 7 || ds[0].GoVar != "example.com/schema.Ingest" {
		t.Errorf("ingest declared as %+v", ds)
	}
	if name, ok := proj.TokenOfGoVar("example.com/schema.Ingest"); name != "ingest" || !ok {
		t.Errorf("TokenOfGoVar(Ingest) = %q, %v", name, ok)
	}
	if name, ok := proj.TokenOfGoVar("example.com/schema.Events"); ok {
		t.Errorf("TokenOfGoVar(Events) = %q: a datasource's variable taken for a token's", name)
	}
}

// TestGoAccessSharedListInAnotherFile: a grant shows where the resource
// takes the list, with that place's file and line, not the file of the
// token's name in the list (the hover index this replaced had that right;
// resolve paired one file with the other's line).
func TestGoAccessSharedListInAnotherFile(t *testing.T) {
	p, _, _, _ := checkSnippets(t,
		snippetFile{"tokens.go", header + "\n\nvar common = []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}, {Name: \"inline\", Permissions: []tinybird.Scope{tinybird.Read}}}\n"},
		snippetFile{"resources.go", "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar Events = tinybird.DefineDatasource(\"events\", tinybird.DatasourceOptions{Tokens: common})\n"},
	)
	proj := goProject(p)
	got := grantLines(proj)
	want := []string{
		"app_read READ datasource events resources.go:5",
		"inline READ datasource events resources.go:5",
	}
	if !slices.Equal(got, want) {
		t.Errorf("grants:\n%q\nwant\n%q", got, want)
	}
	// The references stay on the names, for navigation and rename.
	for _, tg := range []resolve.Target{{Kind: resolve.Token, Name: "app_read"}, {Kind: resolve.Token, Name: "inline"}} {
		for _, r := range proj.Refs(tg) {
			if r.Use == resolve.UseGrant && (r.File != "tokens.go" || r.Line != 9) {
				t.Errorf("%s: grant reference at %s:%d, want tokens.go:9", tg.Name, r.File, r.Line)
			}
		}
	}
}

// TestGoAccessPartialGrants: grants whose resource or scope is not a
// constant are left out of the matrix (tbls access, code lenses) but hover
// still lists them, as the hover index this replaced did.
func TestGoAccessPartialGrants(t *testing.T) {
	p, _, _, _ := checkSnippets(t, snippetFile{"resources.go", header + `
func name() string { return "dyn" }

func scope() tinybird.Scope { return tinybird.Read }

var Dyn = tinybird.DefineDatasource(name(), tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Append}},
})

var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}, {Token: AppRead, Scope: tinybird.Append}, {Token: AppRead, Scope: scope()}, {Name: "inl", Permissions: []tinybird.Scope{scope()}}},
})
`})
	proj := goProject(p)
	a := tokenAccessOf(proj, "app_read")
	md := hoverMarkdown(hoverTarget{token: "app_read"}, nil, a, func(s string) string { return s })
	want := "Token `app_read`, defined at `resources.go:5`, granted on 2 resources:\n\n" +
		"- datasource `events`: **READ** at `resources.go:17`, **APPEND** at `resources.go:17`\n" +
		"- datasource `(unnamed)`: **APPEND** at `resources.go:13`\n" +
		"- datasource `events`: **(scope not constant)** at `resources.go:17`"
	if md != want {
		t.Errorf("hover:\n%s\nwant\n%s", md, want)
	}
	if got := tokenAccessOf(proj, "inl"); len(got.cells) != 0 || len(got.partial) != 1 || got.partial[0].Scope != "" || got.resources() != 1 {
		t.Errorf("inline token with a computed scope: %+v", got)
	}
	for _, g := range proj.Grants() {
		if g.Resource == "" || g.Scope == "" {
			t.Errorf("Grants holds a partial grant: %+v", g)
		}
	}
}

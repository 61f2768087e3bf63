package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/rules"
)

// The navigation features on a workspace mixing Go and datafiles, through
// the in-process client: definition, references, prepareRename and rename
// (round trips included), symbols, code lenses, semantic tokens and TB710.

const navSchema = `package features

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app_read")

var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{tinybird.Col("id", tinybird.String())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
})

var Top = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes:  []tinybird.Node{{Name: "top", SQL: ` + "`SELECT * FROM events JOIN users USING id`" + `}}, Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt8())},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
})
`

var navFiles = map[string]string{
	"schema.go":                  navSchema,
	"datafiles/users.datasource": "SCHEMA >\n    `id` String,\n    `name` String\n\nTOKEN app_read READ\n",
	"datafiles/report.pipe":      "NODE base\nSQL >\n    SELECT * FROM events\n\nNODE r\nSQL >\n    %\n    SELECT * FROM base JOIN users USING id WHERE id = {{ String(id) }}\n\nTYPE endpoint\nTOKEN app_read READ\n",
	"datafiles/typo.pipe":        "NODE t\nSQL >\n    SELECT * FROM evnets\n",
	"typo.go":                    "package features\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar Typo = tinybird.DefinePipe(\"typo_go\", tinybird.PipeOptions{\n\tNodes: []tinybird.Node{{Name: \"n\", SQL: \"SELECT * FROM userz\"}},\n})\n",
	"datafiles/copy_users.pipe":  "NODE c\nSQL >\n    SELECT * FROM users\n\nTYPE copy\nTARGET_DATASOURCE {{ target }}\n",
}

// navClient starts a server on a module holding navFiles, with clients'
// usual rename capabilities, and opens every file.
func navClient(t *testing.T) (*testClient, string) {
	t.Helper()
	dir := featureModule(t, navFiles)
	p := &protocol.InitializeParams{}
	u := uri.File(dir)
	//lint:ignore SA1019 a client that sends only rootUri, as older ones do
	p.RootURI = &u
	yes := true
	p.Capabilities.Workspace = &protocol.WorkspaceClientCapabilities{WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{
		DocumentChanges: &yes, ResourceOperations: []protocol.ResourceOperationKind{protocol.ResourceOperationKindRename},
	}}
	c, _ := initialize(t, Options{Env: featureEnv}, p)
	for name, text := range navFiles {
		lang := "go"
		if !strings.HasSuffix(name, ".go") {
			lang = "tinybird"
		}
		c.open(uri.File(filepath.Join(dir, name)), lang, 1, text)
	}
	return c, dir
}

func docPos(u uri.URI, pos protocol.Position) protocol.TextDocumentPositionParams {
	return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos}
}

// where describes locations as "file:line:col" (1-based line, 0-based
// column), sorted.
func where(dir string, locs []protocol.Location) []string {
	var out []string
	for _, l := range locs {
		rel, _ := filepath.Rel(dir, l.URI.FsPath())
		out = append(out, filepath.ToSlash(rel)+":"+itoa(int(l.Range.Start.Line)+1)+":"+itoa(int(l.Range.Start.Character)))
	}
	sort.Strings(out)
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestNavigation(t *testing.T) {
	c, dir := navClient(t)
	file := func(name string) uri.URI { return uri.File(filepath.Join(dir, name)) }
	report, schema := file("datafiles/report.pipe"), file("schema.go")

	// Definition: from SQL in a .pipe to the Go declaration.
	var defs []protocol.Location
	c.request(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: docPos(report, position(t, navFiles["datafiles/report.pipe"], "events", 2, UTF16))}, &defs)
	if got := where(dir, defs); !slices.Equal(got, []string{"schema.go:7:40"}) {
		t.Errorf("definition of events = %q", got)
	}
	// From SQL in a Go string to a datafile, declared by its file name.
	c.request(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: docPos(schema, position(t, navSchema, "users USING", 1, UTF16))}, &defs)
	if got := where(dir, defs); !slices.Equal(got, []string{"datafiles/users.datasource:1:0"}) {
		t.Errorf("definition of users = %q", got)
	}
	// A node of the same pipe.
	c.request(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: docPos(report, position(t, navFiles["datafiles/report.pipe"], "base JOIN", 1, UTF16))}, &defs)
	if got := where(dir, defs); !slices.Equal(got, []string{"datafiles/report.pipe:1:5"}) {
		t.Errorf("definition of node base = %q", got)
	}

	// References of the token, from a TOKEN line, across both languages.
	var refs []protocol.Location
	c.request(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{
		TextDocumentPositionParams: docPos(report, position(t, navFiles["datafiles/report.pipe"], "app_read", 1, UTF16)),
		Context:                    protocol.ReferenceContext{IncludeDeclaration: true},
	}, &refs)
	want := []string{"datafiles/report.pipe:11:6", "datafiles/users.datasource:5:6", "schema.go:14:40", "schema.go:5:36", "schema.go:9:40"}
	if got := where(dir, refs); !slices.Equal(got, want) {
		t.Errorf("references of app_read = %q, want %q", got, want)
	}

	// prepareRename refuses, with a reason, on a Go variable and on a
	// templated target.
	var rng protocol.Range
	code, err := c.call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: docPos(schema, position(t, navSchema, "Token: AppRead", len("Token: A"), UTF16))}, &rng)
	if code != jsonrpc2.Code(protocol.LSPErrorCodesRequestFailed) || err == nil || !strings.Contains(err.Error(), "gopls") {
		t.Errorf("prepareRename on AppRead: %d %v", code, err)
	}
	cu := file("datafiles/copy_users.pipe")
	code, err = c.call(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: docPos(cu, position(t, navFiles["datafiles/copy_users.pipe"], "{{ target", 1, UTF16))}, &rng)
	if code != jsonrpc2.Code(protocol.LSPErrorCodesRequestFailed) || err == nil || !strings.Contains(err.Error(), "not one constant name") {
		t.Errorf("prepareRename on a templated target: %d %v", code, err)
	}
	c.request(protocol.MethodTextDocumentPrepareRename, &protocol.PrepareRenameParams{TextDocumentPositionParams: docPos(report, position(t, navFiles["datafiles/report.pipe"], "events", 3, UTF16))}, &rng)
	if rng.Start != position(t, navFiles["datafiles/report.pipe"], "events", 0, UTF16) {
		t.Errorf("prepareRename range %v", rng)
	}

	// Symbols.
	var syms []protocol.DocumentSymbol
	c.request(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: report}}, &syms)
	var names []string
	for _, s := range syms {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"base", "r"}) || len(syms[1].Children) != 1 || syms[1].Children[0].Name != "app_read" {
		t.Errorf("document symbols of report.pipe: %q %+v", names, syms)
	}
	c.request(protocol.MethodTextDocumentDocumentSymbol, &protocol.DocumentSymbolParams{TextDocument: protocol.TextDocumentIdentifier{URI: file("datafiles/users.datasource")}}, &syms)
	names = nil
	for _, s := range syms {
		names = append(names, s.Name)
	}
	if !slices.Equal(names, []string{"id", "name", "app_read"}) {
		t.Errorf("document symbols of users.datasource: %q", names)
	}
	var wsyms []protocol.SymbolInformation
	c.request(protocol.MethodWorkspaceSymbol, &protocol.WorkspaceSymbolParams{Query: "evts"}, &wsyms)
	names = nil
	for _, s := range wsyms {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	if !slices.Equal(names, []string{"events", "top_events"}) {
		t.Errorf("workspace symbols for evts: %q", names)
	}

	// Code lenses on DefineToken and the resources of the Go file.
	var lenses []protocol.CodeLens
	c.request(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: schema}}, &lenses)
	var titles []string
	for _, l := range lenses {
		titles = append(titles, l.Command.Title)
	}
	if want := []string{"granted on 4 resources · READ 4", "2 references · 1 token", "0 references · 1 token"}; !slices.Equal(titles, want) {
		t.Errorf("lenses = %q, want %q", titles, want)
	}

	// TB710 on the typo, with the nearest name as a fix.
	typo := file("datafiles/typo.pipe")
	diags := c.diagnosticsFor(typo, 1)
	if len(diags) != 1 || diags[0].Code == nil || !strings.Contains(diagText(diags[0]), `Did you mean "events"?`) {
		t.Fatalf("typo.pipe diagnostics: %+v", diags)
	}
	actions := c.codeActions(typo, diags[0].Range, diags)
	if len(actions) == 0 || actions[0].Title != rules.UnknownReferenceFix("events") {
		t.Errorf("TB710 actions: %+v", actions)
	}
	// TB710 in constant Go SQL.
	var tb710 []string
	for _, d := range c.diagnosticsFor(file("typo.go"), 1) {
		if strings.Contains(diagText(d), `Unknown table "userz"`) {
			tb710 = append(tb710, diagText(d))
		}
	}
	if len(tb710) != 1 || !strings.Contains(tb710[0], `Did you mean "users"?`) {
		t.Errorf("typo.go TB710: %q", tb710)
	}
	if d := c.diagnosticsFor(report, 1); len(d) != 0 {
		t.Errorf("report.pipe has diagnostics: %+v", d)
	}
}

func TestSemanticTokens(t *testing.T) {
	c, dir := navClient(t)
	report := uri.File(filepath.Join(dir, "datafiles/report.pipe"))
	var st protocol.SemanticTokens
	c.request(protocol.MethodTextDocumentSemanticTokensFull, &protocol.SemanticTokensParams{TextDocument: protocol.TextDocumentIdentifier{URI: report}}, &st)
	text := navFiles["datafiles/report.pipe"]
	lines := strings.Split(text, "\n")
	var got []string
	var line, col uint32
	for i := 0; i+4 < len(st.Data); i += 5 {
		if st.Data[i] > 0 {
			col = 0
		}
		line += st.Data[i]
		col += st.Data[i+1]
		got = append(got, lines[line][col:col+st.Data[i+2]]+"="+semanticTypes[st.Data[i+3]])
	}
	for _, w := range []string{"NODE=keyword", "base=function", "SQL=keyword", "SELECT=keyword", "events=class", "base=function", "users=class", "{{ String(id) }}=macro", "app_read=variable", "READ=enumMember", "endpoint=type"} {
		if !slices.Contains(got, w) {
			t.Errorf("semantic tokens lack %s: %q", w, got)
		}
	}
}

// TestRenameRoundTrip renames through the server and back, applying each
// WorkspaceEdit as a client would, and gets the original texts and files.
func TestRenameRoundTrip(t *testing.T) {
	c, dir := navClient(t)
	texts := map[string]string{}
	for name, text := range navFiles {
		texts[filepath.Join(dir, name)] = text
	}
	versions := map[string]int32{}
	for path := range texts {
		versions[path] = 1
	}
	rename := func(path, marker string, delta int, newName string) {
		t.Helper()
		var we protocol.WorkspaceEdit
		c.request(protocol.MethodTextDocumentRename, &protocol.RenameParams{
			TextDocumentPositionParams: docPos(uri.File(path), position(t, texts[path], marker, delta, UTF16)), NewName: newName,
		}, &we)
		if len(we.DocumentChanges) == 0 {
			t.Fatalf("rename to %s: no changes", newName)
		}
		for _, dc := range we.DocumentChanges {
			switch dc := dc.(type) {
			case *protocol.TextDocumentEdit:
				p := dc.TextDocument.URI.FsPath()
				texts[p] = applyEdit(t, &protocol.WorkspaceEdit{DocumentChanges: []protocol.DocumentChange{dc}}, dc.TextDocument.URI, versions[p], texts[p], UTF16)
				versions[p]++
				c.changeAll(dc.TextDocument.URI, versions[p], texts[p])
			case *protocol.RenameFile:
				oldPath, newPath := dc.OldURI.FsPath(), dc.NewURI.FsPath()
				texts[newPath] = texts[oldPath]
				delete(texts, oldPath)
				c.close(dc.OldURI)
				writeFiles(t, "/", map[string]string{newPath: texts[newPath]})
				removeFile(t, oldPath)
				versions[newPath] = 1
				c.open(dc.NewURI, "tinybird", 1, texts[newPath])
			}
		}
	}
	original := map[string]string{}
	for k, v := range texts {
		original[k] = v
	}
	report := filepath.Join(dir, "datafiles/report.pipe")
	schema := filepath.Join(dir, "schema.go")

	rename(report, "FROM events", len("FROM e"), "web_events")
	if !strings.Contains(texts[schema], `DefineDatasource("web_events"`) || !strings.Contains(texts[schema], "FROM web_events JOIN") || !strings.Contains(texts[report], "FROM web_events") {
		t.Fatalf("after renaming events:\n%s\n%s", texts[schema], texts[report])
	}
	rename(schema, `"web_events"`, 2, "events")

	rename(report, "JOIN users", len("JOIN u"), "people")
	if _, ok := texts[filepath.Join(dir, "datafiles/people.datasource")]; !ok || !strings.Contains(texts[schema], "JOIN people USING") {
		t.Fatalf("renaming users renamed no file: %v", slices.Sorted(func(yield func(string) bool) {
			for k := range texts {
				if !yield(k) {
					return
				}
			}
		}))
	}
	rename(report, "JOIN people", len("JOIN p"), "users")

	rename(report, "TOKEN app_read", len("TOKEN a"), "reader")
	if !strings.Contains(texts[schema], `DefineToken("reader")`) {
		t.Fatalf("renaming the token missed DefineToken:\n%s", texts[schema])
	}
	rename(schema, `"reader"`, 2, "app_read")

	rename(report, "NODE base", len("NODE b"), "first")
	if !strings.Contains(texts[report], "FROM first JOIN") {
		t.Fatalf("renaming the node missed its use:\n%s", texts[report])
	}
	rename(report, "NODE first", len("NODE f"), "base")

	for path, text := range original {
		if texts[path] != text {
			t.Errorf("%s after the round trips:\n%s\nwant\n%s", path, texts[path], text)
		}
	}
	if len(texts) != len(original) {
		t.Errorf("%d files after the round trips, want %d", len(texts), len(original))
	}
}

func removeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

// diagText returns a diagnostic's message as text.
func diagText(d protocol.Diagnostic) string {
	switch m := d.Message.(type) {
	case protocol.String:
		return string(m)
	case *protocol.MarkupContent:
		return m.Value
	}
	return ""
}

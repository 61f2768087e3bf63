package lsp

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/internal/schemagen"
	"github.com/tbls-dev/tbls/rules"
)

// goEnv is the environment of the go command in tests: the test modules
// require tbls through a replace directive, and -mod=mod lets the go
// command complete their go.sum from the module cache.
var goEnv = []string{"GOFLAGS=-mod=mod"}

var (
	repoRootOnce sync.Once
	repoRoot     string
	repoRootErr  error
)

// writeModule writes a module requiring this checkout's SDK, with files,
// into a temporary directory, and returns the directory.
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	repoRootOnce.Do(func() {
		wd, err := os.Getwd()
		if err != nil {
			repoRootErr = err
			return
		}
		repoRoot, repoRootErr = schemagen.FindModuleRoot(wd)
	})
	if repoRootErr != nil {
		t.Fatalf("finding the tbls checkout: %v", repoRootErr)
	}
	dir := t.TempDir()
	if err := schemagen.WriteModule(dir, "example.com/lsptest", repoRoot); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// initializeIn starts a server with dir as its workspace folder.
func initializeIn(t *testing.T, dir string, caps protocol.ClientCapabilities) *testClient {
	t.Helper()
	root := uri.File(dir)
	c, _ := initialize(t, Options{Env: goEnv}, &protocol.InitializeParams{
		WorkspaceFoldersInitializeParams: protocol.WorkspaceFoldersInitializeParams{
			WorkspaceFolders: protocol.NewNullable([]protocol.WorkspaceFolder{{URI: root, Name: "test"}}),
		},
		Capabilities: caps,
	})
	return c
}

const tokensGo = `package schema

import "github.com/tbls-dev/tbls/tinybird"

// AppRead and Dashboard are granted by the endpoint.
var (
	AppRead   = tinybird.DefineToken("app_read")
	Dashboard = tinybird.DefineToken("dashboard")
)

// EndpointScope is the scope the endpoint grants.
const EndpointScope tinybird.Scope = "READ"
`

const resourcesGo = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

// Top is an endpoint. Its description has non-ASCII text: é, 😀, 中文.
var Top = tb.DefineEndpoint("top_events", tb.EndpointOptions{
	Nodes:  []tb.Node{{Name: "top", SQL: "SELECT 1 AS n"}}, Output: tb.Schema{tb.Col("n", tb.UInt64())},
	Tokens: []tb.TokenAccess{
		{Token: AppRead, Scope: EndpointScope},
		/* é😀中 */ {Token: Dashboard, Scope: tb.Read}, // SCOPE
	},
})
`

// codes returns the codes of ds.
func codes(ds []protocol.Diagnostic) []string {
	var out []string
	for _, d := range ds {
		c, _ := d.Code.(protocol.String)
		out = append(out, string(c))
	}
	return out
}

func TestGoDiagnostics(t *testing.T) {
	dir := writeModule(t, map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	for _, enc := range []Encoding{UTF16, UTF8} {
		t.Run(string(enc.Kind()), func(t *testing.T) {
			caps := protocol.ClientCapabilities{}
			if enc == UTF8 {
				caps.General = &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8}}
			}
			c := initializeIn(t, dir, caps)
			resURI := uri.File(filepath.Join(dir, "resources.go"))
			tokURI := uri.File(filepath.Join(dir, "tokens.go"))

			c.open(resURI, "go", 1, resourcesGo)
			if ds := c.diagnosticsFor(resURI, 1); len(ds) != 0 {
				t.Fatalf("valid resources.go: got %v", codes(ds))
			}

			// APPEND on an endpoint, after non-ASCII text on the same line.
			bad := strings.Replace(resourcesGo, "Scope: tb.Read}", "Scope: tb.Append}", 1)
			c.changeAll(resURI, 2, bad)
			ds := c.diagnosticsFor(resURI, 2)
			if len(ds) != 1 {
				t.Fatalf("TB201 twice? got %v", codes(ds))
			}
			d := ds[0]
			if got := codes(ds); got[0] != string(rules.TB201) {
				t.Fatalf("got %v, want TB201", got)
			}
			if d.Severity != protocol.DiagnosticSeverityError {
				t.Errorf("severity %v, want Error", d.Severity)
			}
			if src, _ := d.Source.Get(); src != rules.AnalyzerScope {
				t.Errorf("source %q, want %q", src, rules.AnalyzerScope)
			}
			if d.CodeDescription.Href != uri.URI(rules.DocURL(rules.TB201)) {
				t.Errorf("href %q", d.CodeDescription.Href)
			}
			// The range covers the scope expression, in the negotiated encoding.
			m := NewMapper([]byte(bad), enc)
			start, end, err := m.RangeOffsets(d.Range)
			if err != nil {
				t.Fatal(err)
			}
			if got := bad[start:end]; got != "tb.Append" {
				t.Errorf("range covers %q, want tb.Append", got)
			}

			// Cross-file: the constant in tokens.go decides the scope of the
			// first access in resources.go.
			c.open(tokURI, "go", 1, tokensGo)
			c.diagnosticsFor(tokURI, 1)
			c.changeAll(tokURI, 2, strings.Replace(tokensGo, `"READ"`, `"WRITE"`, 1))
			c.waitFor("resources.go to get TB202 from the edit of tokens.go", func() bool {
				ps := c.diags[resURI]
				last := ps[len(ps)-1]
				return strings.Contains(strings.Join(codes(last.Diagnostics), ","), string(rules.TB202))
			})
			ps := c.publications(resURI)
			if v, _ := ps[len(ps)-1].Version.Get(); v != 2 {
				t.Errorf("resources.go republished with version %d, want its current version 2", v)
			}

			// Fixing both clears the list.
			c.changeAll(tokURI, 3, tokensGo)
			c.changeAll(resURI, 3, resourcesGo)
			if ds := c.diagnosticsFor(resURI, 3); len(ds) != 0 {
				t.Errorf("after the fixes: %v", codes(ds))
			}

			// Closing clears the closed file's diagnostics.
			c.changeAll(resURI, 4, bad)
			if ds := c.diagnosticsFor(resURI, 4); len(ds) == 0 {
				t.Fatal("no diagnostics for version 4")
			}
			c.close(resURI)
			c.cleared(resURI)
		})
	}
}

// TestGoDiagnosticsOtherPackage checks that a package without the SDK and a
// file outside any module publish nothing and do not disturb the others.
func TestGoDiagnosticsOtherPackages(t *testing.T) {
	plain := "package other\n\nfunc F() int { return 1 }\n"
	dir := writeModule(t, map[string]string{
		"tokens.go": tokensGo, "resources.go": resourcesGo,
		"other/other.go": plain,
	})
	c := initializeIn(t, dir, protocol.ClientCapabilities{})
	otherURI := uri.File(filepath.Join(dir, "other", "other.go"))
	resURI := uri.File(filepath.Join(dir, "resources.go"))
	lone := filepath.Join(t.TempDir(), "lone.go")
	loneURI := uri.File(lone)

	c.open(otherURI, "go", 1, plain)
	c.open(loneURI, "go", 1, "package lone\n")
	c.open(resURI, "go", 1, strings.Replace(resourcesGo, "Scope: tb.Read", `Scope: "WRITE"`, 1))
	if ds := c.diagnosticsFor(resURI, 1); len(ds) != 1 {
		t.Fatalf("resources.go: %v, want TB202", codes(ds))
	}
	c.changeAll(otherURI, 2, plain+"\n// edited\n")
	c.diagnosticsFor(otherURI, 2) // an empty list: the trigger always hears back
	for _, p := range c.publications(resURI) {
		if v, _ := p.Version.Get(); v != 1 {
			t.Errorf("editing another package republished resources.go with version %d", v)
		}
	}
	if got := len(c.publications(resURI)); got != 1 {
		t.Errorf("resources.go published %d times, want once", got)
	}
	for _, p := range c.publications(loneURI) {
		if len(p.Diagnostics) != 0 {
			t.Errorf("a file outside any module got diagnostics: %v", codes(p.Diagnostics))
		}
	}
}

// TestRapidChanges sends 1,000 incremental didChange notifications without
// waiting, then checks that the diagnostics of the final version match the
// final text and that the published versions never go backwards.
func TestRapidChanges(t *testing.T) {
	dir := writeModule(t, map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	c := initializeIn(t, dir, protocol.ClientCapabilities{})
	resURI := uri.File(filepath.Join(dir, "resources.go"))
	dfURI := uri.File(filepath.Join(dir, "top_events.pipe"))
	c.open(resURI, "go", 1, resourcesGo)
	const node = "NODE n\nSQL >\n    SELECT 1\n" // a pipe needs a node (TB804)
	c.open(dfURI, "", 1, "TOKEN app READ\n"+node)

	text := resourcesGo
	df, dfScope := "TOKEN app READ\n"+node, "READ"
	const n = 1000
	for i := 2; i <= n+1; i++ {
		// Alternate the scope between tb.Read and tb.Append by editing
		// the marker comment's line, and append a unique comment so that
		// every text is new; each edit is a range edit of the previous text.
		m := NewMapper([]byte(text), UTF16)
		at := strings.Index(text, "// SCOPE")
		var insert string
		if i%2 == 0 {
			insert = fmt.Sprintf("// SCOPE %d\n\tVar%d := 0\n", i, i) // breaks the syntax
		} else {
			insert = fmt.Sprintf("// SCOPE %d\n", i)
		}
		lineEnd := strings.Index(text, "\t},\n})")
		r, _ := m.OffsetRange(at, lineEnd)
		c.change(resURI, int32(i), &protocol.TextDocumentContentChangePartial{Range: r, Text: insert})
		text = text[:at] + insert + text[lineEnd:]

		dm := NewMapper([]byte(df), UTF16)
		scope := "READ"
		if i%3 == 0 {
			scope = "APPEND"
		}
		rr, _ := dm.OffsetRange(len("TOKEN app "), len("TOKEN app ")+len(dfScope))
		c.change(dfURI, int32(i), &protocol.TextDocumentContentChangePartial{Range: rr, Text: scope})
		df, dfScope = "TOKEN app "+scope+"\n"+node, scope
	}
	// The final Go text is valid (n+1 is odd) and grants READ: no
	// diagnostics. The final datafile grants READ on a pipe: none either.
	final := int32(n + 1)
	if ds := c.diagnosticsFor(resURI, final); len(ds) != 0 {
		t.Errorf("final Go version: %v, want none", codes(ds))
	}
	if ds := c.diagnosticsFor(dfURI, final); len(ds) != 0 {
		t.Errorf("final datafile version: %v, want none", codes(ds))
	}
	// One more edit to a known-bad text proves the final text was tracked
	// exactly.
	c.changeAll(resURI, final+1, strings.Replace(text, "Scope: tb.Read}", "Scope: tb.Append}", 1))
	if ds := c.diagnosticsFor(resURI, final+1); len(ds) != 1 {
		t.Errorf("after the final edit: %v, want TB201", codes(ds))
	}
	for _, u := range []uri.URI{resURI, dfURI} {
		last := int32(0)
		for _, p := range c.publications(u) {
			v, _ := p.Version.Get()
			if v < last {
				t.Errorf("%s: version %d published after %d", filepath.Base(u.FsPath()), v, last)
			}
			last = v
		}
	}
}

func TestDatafileDiagnostics(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	pipe := uri.File(filepath.Join(t.TempDir(), "top_events.pipe"))
	text := "NODE n\nSQL >\n    SELECT 'é😀' AS TOKEN, 1\n    TOKEN in_sql APPEND\n\n# é😀中\nTOKEN app_read APPEND\n"
	c.open(pipe, "", 1, text)
	ds := c.diagnosticsFor(pipe, 1)
	if got := codes(ds); len(got) != 1 || got[0] != string(rules.TB201) {
		t.Fatalf("got %v, want one TB201 (the TOKEN line inside SQL is SQL)", got)
	}
	d := ds[0]
	if src, _ := d.Source.Get(); src != SourceDatafile {
		t.Errorf("source %q, want %q", src, SourceDatafile)
	}
	if d.Severity != protocol.DiagnosticSeverityError || d.CodeDescription.Href != uri.URI(rules.DocURL(rules.TB201)) {
		t.Errorf("severity %v href %q", d.Severity, d.CodeDescription.Href)
	}
	start, end, err := NewMapper([]byte(text), UTF16).RangeOffsets(d.Range)
	if err != nil || text[start:end] != "APPEND" || start < strings.LastIndex(text, "TOKEN") {
		t.Errorf("range %+v covers %q (%v), want the last APPEND", d.Range, text[start:end], err)
	}
	// The server keeps the fixes for code actions.
	s := "READ"
	_, pub := c.serverPublished(pipe)
	if len(pub) != 1 || len(pub[0].Fixes) == 0 {
		t.Fatalf("published fixes: %+v", pub)
	}
	edits := pub[0].Fixes[0].Edits[pipe]
	if len(edits) != 1 || edits[0].NewText != s || edits[0].Range != d.Range {
		t.Errorf("fix edits %+v, want READ over the scope", edits)
	}

	// By language id: an untitled pipe.
	untitled := uri.URI("untitled:Untitled-1")
	c.open(untitled, "tinybird-pipe", 1, "TOKEN a APPEND\nNODE n\nSQL >\n    SELECT 1\n")
	if got := codes(c.diagnosticsFor(untitled, 1)); len(got) != 1 || got[0] != string(rules.TB201) {
		t.Errorf("untitled pipe: %v, want TB201", got)
	}

	c.change(pipe, 2, &protocol.TextDocumentContentChangePartial{Range: d.Range, Text: "READ"})
	if ds := c.diagnosticsFor(pipe, 2); len(ds) != 0 {
		t.Errorf("after the fix: %v", codes(ds))
	}
	c.changeAll(pipe, 3, "TOKEN app_read read\nNODE n\nSQL >\n    SELECT 1\n")
	if got := codes(c.diagnosticsFor(pipe, 3)); len(got) != 1 || got[0] != string(rules.TB202) {
		t.Errorf("lower-case scope: %v, want TB202", got)
	} else if ds := c.diagnosticsFor(pipe, 3); ds[0].Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("lower-case scope severity %v, want Warning", ds[0].Severity)
	}
	c.close(pipe)
	c.cleared(pipe)
}

// TestWatchedFiles checks the watcher registration and that a change on
// disk to a file that is not open rediagnoses the open files it affects.
func TestWatchedFiles(t *testing.T) {
	dir := writeModule(t, map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	yes := true
	c := initializeIn(t, dir, protocol.ClientCapabilities{Workspace: &protocol.WorkspaceClientCapabilities{
		DidChangeWatchedFiles: &protocol.DidChangeWatchedFilesClientCapabilities{DynamicRegistration: &yes},
	}})
	c.waitFor("the watcher registration", func() bool { return len(c.registered) > 0 })
	reg := c.registered[0]
	if reg.Method != protocol.MethodWorkspaceDidChangeWatchedFiles {
		t.Fatalf("registered %q", reg.Method)
	}
	for _, g := range watchedGlobs {
		if !strings.Contains(string(reg.RegisterOptions), g) {
			t.Errorf("watchers %s lack %s", reg.RegisterOptions, g)
		}
	}

	resURI := uri.File(filepath.Join(dir, "resources.go"))
	c.open(resURI, "go", 1, resourcesGo)
	if ds := c.diagnosticsFor(resURI, 1); len(ds) != 0 {
		t.Fatalf("valid: %v", codes(ds))
	}
	tokens := filepath.Join(dir, "tokens.go")
	if err := os.WriteFile(tokens, []byte(strings.Replace(tokensGo, `"READ"`, `"WRITE"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	err := c.server.DidChangeWatchedFiles(t.Context(), &protocol.DidChangeWatchedFilesParams{Changes: []protocol.FileEvent{
		{URI: uri.File(tokens), Type: protocol.FileChangeTypeChanged},
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.waitFor("TB202 after tokens.go changed on disk", func() bool {
		ps := c.diags[resURI]
		return strings.Contains(strings.Join(codes(ps[len(ps)-1].Diagnostics), ","), string(rules.TB202))
	})
}

// TestDatafileIncludes: .incl and .connection files are datafiles, and an
// open pipe's INCLUDE is resolved from disk next to it.
func TestDatafileIncludes(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "node.incl"), []byte("NODE n\nSQL >\n    SELECT 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := uri.File(filepath.Join(dir, "good.pipe"))
	c.open(good, "", 1, "INCLUDE \"node.incl\"\n")
	if got := codes(c.diagnosticsFor(good, 1)); len(got) != 0 {
		t.Errorf("pipe whose node is included: %v, want none", got)
	}
	bad := uri.File(filepath.Join(dir, "bad.pipe"))
	c.open(bad, "", 1, "INCLUDE \"gone.incl\"\n")
	if got := codes(c.diagnosticsFor(bad, 1)); len(got) != 1 || got[0] != string(rules.TB804) {
		t.Errorf("missing include: %v, want TB804", got)
	}
	incl := uri.File(filepath.Join(dir, "q.incl"))
	c.open(incl, "", 1, "-- note\nNODE n\nSQL >\n    SELECT 1\n")
	if got := codes(c.diagnosticsFor(incl, 1)); len(got) != 1 || got[0] != string(rules.TB801) {
		t.Errorf(".incl file: %v, want TB801", got)
	}
	conn := uri.File(filepath.Join(dir, "k.connection"))
	c.open(conn, "", 1, "TYPE kafka\nNODE n\n")
	if got := codes(c.diagnosticsFor(conn, 1)); len(got) != 1 || got[0] != string(rules.TB801) {
		t.Errorf(".connection file: %v, want TB801", got)
	}
}

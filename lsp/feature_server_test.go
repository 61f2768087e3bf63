package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// This file holds helpers of the feature tests that drive the real server
// through the in-process client.

// featureClient initializes a server on the workspace folder dir, in the
// given encoding, with or without documentChanges support.
func featureClient(t *testing.T, dir string, enc Encoding, documentChanges bool) *testClient {
	t.Helper()
	p := &protocol.InitializeParams{}
	if dir != "" {
		u := uri.File(dir)
		//lint:ignore SA1019 a client that sends only rootUri, as older ones do
		p.RootURI = &u
	}
	if enc == UTF8 {
		p.Capabilities.General = &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8}}
	}
	p.Capabilities.Workspace = &protocol.WorkspaceClientCapabilities{WorkspaceEdit: &protocol.WorkspaceEditClientCapabilities{DocumentChanges: &documentChanges}}
	c, _ := initialize(t, Options{Env: featureEnv}, p)
	return c
}

// featureEnv keeps go list offline and inside the test module.
var featureEnv = []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"}

// featureModule writes a Go module using this checkout's SDK, with files
// (name → text), and returns its directory.
func featureModule(t *testing.T, files map[string]string) string {
	t.Helper()
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := schemagen.WriteModule(dir, "example.com/features", root); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, files)
	return dir
}

// writeFiles writes files (name → text) below dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// position returns the position of the first occurrence of marker in
// text, plus delta bytes, in enc.
func position(t *testing.T, text, marker string, delta int, enc Encoding) protocol.Position {
	t.Helper()
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("%q not in the text", marker)
	}
	pos, err := NewMapper([]byte(text), enc).OffsetPosition(i + delta)
	if err != nil {
		t.Fatal(err)
	}
	return pos
}

// applyEdit applies the edits of we for u to text, as a client would, and
// checks the document version the edit was made for.
func applyEdit(t *testing.T, we *protocol.WorkspaceEdit, u uri.URI, version int32, text string, enc Encoding) string {
	t.Helper()
	if we == nil {
		t.Fatal("the action has no edit")
	}
	var edits []protocol.TextEdit
	if len(we.DocumentChanges) > 0 {
		if len(we.Changes) > 0 {
			t.Error("the edit has both changes and documentChanges")
		}
		for _, dc := range we.DocumentChanges {
			tde, ok := dc.(*protocol.TextDocumentEdit)
			if !ok || tde.TextDocument.URI != u {
				continue
			}
			if tde.TextDocument.Version == nil || *tde.TextDocument.Version != version {
				t.Errorf("edit for version %v, want %d", tde.TextDocument.Version, version)
			}
			for _, e := range tde.Edits {
				edits = append(edits, *e.(*protocol.TextEdit))
			}
		}
	} else {
		edits = we.Changes[u]
	}
	if len(edits) == 0 {
		t.Fatalf("the edit does not change %s", u)
	}
	m := NewMapper([]byte(text), enc)
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		s, en, err := m.RangeOffsets(e.Range)
		if err != nil {
			t.Fatal(err)
		}
		spans = append(spans, span{s, en, e.NewText})
	}
	slices.SortFunc(spans, func(a, b span) int { return b.start - a.start })
	for _, s := range spans {
		text = text[:s.start] + s.text + text[s.end:]
	}
	return text
}

func (c *testClient) codeActions(u uri.URI, rng protocol.Range, diags []protocol.Diagnostic, only ...protocol.CodeActionKind) []*protocol.CodeAction {
	c.t.Helper()
	var res []protocol.CommandOrCodeAction
	c.request(protocol.MethodTextDocumentCodeAction, &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        rng,
		Context:      protocol.CodeActionContext{Diagnostics: diags, Only: only},
	}, &res)
	var out []*protocol.CodeAction
	for _, r := range res {
		a, ok := r.(*protocol.CodeAction)
		if !ok {
			c.t.Fatalf("codeAction returned a %T", r)
		}
		out = append(out, a)
	}
	return out
}

func (c *testClient) complete(u uri.URI, pos protocol.Position) *protocol.CompletionList {
	c.t.Helper()
	var res protocol.CompletionResult
	c.request(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{
		TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos},
	}, &res)
	list, ok := res.(*protocol.CompletionList)
	if !ok {
		c.t.Fatalf("completion returned %T", res)
	}
	return list
}

func (c *testClient) hoverAt(u uri.URI, pos protocol.Position) *protocol.Hover {
	c.t.Helper()
	var h *protocol.Hover
	c.request(protocol.MethodTextDocumentHover, &protocol.HoverParams{
		TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos},
	}, &h)
	return h
}

// request makes a request and decodes its result into result. The result
// is received raw (the codec copies it) and decoded here: protocol's
// dispatcher decodes strings without copying them out of the connection's
// read buffer, which the next message overwrites.
func (c *testClient) request(method string, params, result any) {
	c.t.Helper()
	var raw jsonrpc2.RawMessage
	if _, err := c.call(method, params, &raw); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	if err := protocol.Unmarshal(raw, result); err != nil {
		c.t.Fatalf("%s: decoding %s: %v", method, raw, err)
	}
}

func hoverText(h *protocol.Hover) string {
	if h == nil {
		return ""
	}
	if mc, ok := h.Contents.(*protocol.MarkupContent); ok {
		return mc.Value
	}
	return ""
}

func labels(list *protocol.CompletionList) []string {
	var out []string
	for _, it := range list.Items {
		out = append(out, it.Label)
	}
	return out
}

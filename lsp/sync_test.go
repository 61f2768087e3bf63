package lsp

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// This file holds regression tests of text synchronisation (issue 8,
// failures 3, 4 and 8): a close right after an edit, a close and reopen at
// a lower version, and an edit the server cannot apply.

// logRecorder is a slog.Handler keeping the messages logged at Error level
// or above, so that a test can assert that nothing panicked.
type logRecorder struct {
	mu     sync.Mutex
	errors []string
}

func (r *logRecorder) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	b.WriteString(rec.Message)
	rec.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	r.mu.Lock()
	r.errors = append(r.errors, b.String())
	r.mu.Unlock()
	return nil
}
func (r *logRecorder) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r *logRecorder) WithGroup(string) slog.Handler      { return r }

func (r *logRecorder) logged() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

// settle waits until the server has no diagnostics run left, so that
// what the client holds is final.
func (c *testClient) settle() {
	c.t.Helper()
	// An echo request is answered after every notification sent before it
	// was handled: the runs they scheduled are registered by then.
	var echo string
	if _, err := c.call("tbls/test.echo", map[string]string{"text": "sync"}, &echo); err != nil {
		c.t.Fatal(err)
	}
	lastServer.Load().diags.wait()
	// The client reads in order: once the answer to a second request is
	// in, so is every notification the runs sent before it.
	if _, err := c.call("tbls/test.echo", map[string]string{"text": "sync"}, &echo); err != nil {
		c.t.Fatal(err)
	}
}

// lastPublication returns the last publication for u, nil when none.
func (c *testClient) lastPublication(u uri.URI) *protocol.PublishDiagnosticsParams {
	ps := c.publications(u)
	if len(ps) == 0 {
		return nil
	}
	return ps[len(ps)-1]
}

// TestChangeThenClose closes a Go file right after editing it, many
// times: every close must end with the file's diagnostics cleared, and no
// run may panic.
func TestChangeThenClose(t *testing.T) {
	dir := writeModule(t, map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	rec := &logRecorder{}
	c, _ := initialize(t, Options{Env: goEnv, Logger: slog.New(rec)}, &protocol.InitializeParams{
		WorkspaceFoldersInitializeParams: protocol.WorkspaceFoldersInitializeParams{
			WorkspaceFolders: protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uri.File(dir), Name: "test"}}),
		},
	})
	resURI := uri.File(filepath.Join(dir, "resources.go"))
	bad := strings.Replace(resourcesGo, "Scope: tb.Read", `Scope: "WRITE"`, 1)
	for i := range 10 {
		c.open(resURI, "go", 1, bad)
		if ds := c.diagnosticsFor(resURI, 1); len(ds) != 1 {
			t.Fatalf("round %d: %v, want one diagnostic", i, codes(ds))
		}
		for v := int32(2); v < 6; v++ {
			c.changeAll(resURI, v, bad+strings.Repeat("\n", int(v)))
		}
		c.close(resURI)
		c.settle()
		last := c.lastPublication(resURI)
		if last == nil || len(last.Diagnostics) != 0 {
			t.Fatalf("round %d: the closed file keeps diagnostics: %+v", i, last)
		}
		if _, versioned := last.Version.Get(); versioned {
			t.Fatalf("round %d: the last publication after close is versioned", i)
		}
	}
	for _, e := range rec.logged() {
		t.Errorf("logged: %.300s", e)
	}
}

// TestCloseReopenLowerVersion edits a document up to version 50, closes it
// and reopens it at version 1, as editors do on revert: the reopened
// document's diagnostics must be published at once.
func TestCloseReopenLowerVersion(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	dir := t.TempDir()
	const node = "NODE n\nSQL >\n    SELECT 1\n" // a pipe needs a node (TB601)
	const bad, good = "TOKEN app APPEND\n" + node, "TOKEN app READ\n" + node
	for round := range 5 {
		// A document per round, so that each wait sees this round's
		// publications; within a round it is closed and reopened.
		pipe := uri.File(filepath.Join(dir, fmt.Sprintf("top_events_%d.pipe", round)))
		c.open(pipe, "", 1, good)
		c.diagnosticsFor(pipe, 1)
		for v := int32(2); v <= 50; v++ {
			c.changeAll(pipe, v, bad+strings.Repeat("\n", int(v)))
		}
		if ds := c.diagnosticsFor(pipe, 50); len(ds) == 0 {
			t.Fatalf("round %d: version 50 has no diagnostics", round)
		}
		c.close(pipe)
		c.open(pipe, "", 1, good)
		c.settle()
		last := c.lastPublication(pipe)
		if v, _ := last.Version.Get(); v != 1 || len(last.Diagnostics) != 0 {
			t.Fatalf("round %d: after reopening at version 1 the client holds version %d with %d diagnostics", round, v, len(last.Diagnostics))
		}
		c.close(pipe)
		c.settle()
	}
}

// TestRejectedEdit sends an edit whose range lies past the end of the
// document: the client is told with window/showMessage, the document's
// diagnostics are cleared and nothing is published for it until a
// whole-document change re-synchronises it.
func TestRejectedEdit(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	pipe := uri.File(filepath.Join(t.TempDir(), "top_events.pipe"))
	c.open(pipe, "", 1, "TOKEN app APPEND\n")
	if ds := c.diagnosticsFor(pipe, 1); len(ds) == 0 {
		t.Fatal("no diagnostics for the bad scope")
	}
	past := protocol.Range{Start: protocol.Position{Line: 9, Character: 0}, End: protocol.Position{Line: 9, Character: 3}}
	err := c.server.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: pipe}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{Range: past, Text: "x"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c.waitFor("a window/showMessage", func() bool { return len(c.messages) > 0 })
	c.mu.Lock()
	msg := c.messages[0]
	c.mu.Unlock()
	if msg.Type != protocol.MessageTypeError || !strings.Contains(msg.Message, filepath.Base(pipe.FsPath())) {
		t.Errorf("showMessage = %+v, want an error naming the document", msg)
	}
	c.settle()
	last := c.lastPublication(pipe)
	if len(last.Diagnostics) != 0 {
		t.Errorf("the out-of-sync document keeps %d diagnostics", len(last.Diagnostics))
	}
	n := len(c.publications(pipe))
	// Further range edits are not applied to an unknown text.
	c.change(pipe, 3, &protocol.TextDocumentContentChangePartial{Range: protocol.Range{}, Text: "TOKEN b APPEND\n"})
	c.settle()
	if got := len(c.publications(pipe)); got != n {
		t.Errorf("published %d times for an out-of-sync document", got-n)
	}
	// A whole-document change re-synchronises it.
	c.changeAll(pipe, 4, "TOKEN app APPEND\n")
	if ds := c.diagnosticsFor(pipe, 4); len(ds) == 0 {
		t.Error("no diagnostics after the document was re-synchronised")
	}
}

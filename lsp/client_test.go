package lsp

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// This file holds the in-process test client: go.lsp.dev/protocol's client
// dispatcher and handler talking to Serve over net.Pipe.

// testClient is the client side of a test connection. It records every
// publishDiagnostics notification.
type testClient struct {
	protocol.UnimplementedClient
	t      *testing.T
	conn   jsonrpc2.Conn
	server protocol.Server
	done   chan error // Serve's result

	mu           sync.Mutex
	cond         *sync.Cond
	diags        map[uri.URI][]*protocol.PublishDiagnosticsParams // in arrival order
	registered   []protocol.Registration
	messages     []*protocol.ShowMessageParams
	closedServer bool
}

// waitLimit guards every wait of the tests so that a bug fails the test
// instead of hanging it; no test asserts how long anything takes.
const waitLimit = 60 * time.Second

func testLogger(t *testing.T) *slog.Logger {
	if os.Getenv("TBLS_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

// startServer starts Serve over a pipe and connects a client to it,
// without initializing.
func startServer(t *testing.T, opts Options) *testClient {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = testLogger(t)
	}
	serverSide, clientSide := net.Pipe()
	c := &testClient{t: t, done: make(chan error, 1), diags: map[uri.URI][]*protocol.PublishDiagnosticsParams{}}
	c.cond = sync.NewCond(&c.mu)
	go func() { c.done <- Serve(context.Background(), serverSide, opts) }()
	// Not protocol.NewClient: it handles messages concurrently (AsyncHandler),
	// so the test would see notifications out of the order the server sent.
	c.conn = jsonrpc2.NewConn(jsonrpc2.NewStream(clientSide), jsonrpc2.WithCodec(codec{}))
	c.conn.Go(context.Background(), protocol.ClientHandler(c, jsonrpc2.MethodNotFoundHandler))
	c.server = protocol.ServerDispatcher(c.conn)
	t.Cleanup(func() {
		c.conn.Close()
		select {
		case <-c.done:
		case <-time.After(waitLimit):
			t.Error("Serve did not return after the client closed the connection")
		}
	})
	return c
}

// initialize starts a server and initializes it with caps.
func initialize(t *testing.T, opts Options, params *protocol.InitializeParams) (*testClient, *protocol.InitializeResult) {
	t.Helper()
	c := startServer(t, opts)
	if params == nil {
		params = &protocol.InitializeParams{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	res, err := c.server.Initialize(ctx, params)
	if err != nil {
		t.Fatalf("initialize: %v", err)
	}
	if err := c.server.Initialized(ctx, &protocol.InitializedParams{}); err != nil {
		t.Fatalf("initialized: %v", err)
	}
	return c, res
}

// PublishDiagnostics implements protocol.Client.
func (c *testClient) PublishDiagnostics(_ context.Context, p *protocol.PublishDiagnosticsParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	cp, err := protocol.Clone(p)
	if err != nil {
		c.t.Errorf("cloning diagnostics: %v", err)
		return nil
	}
	c.diags[p.URI] = append(c.diags[p.URI], cp)
	c.cond.Broadcast()
	return nil
}

// ShowMessage implements protocol.Client.
func (c *testClient) ShowMessage(_ context.Context, p *protocol.ShowMessageParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages = append(c.messages, p)
	c.cond.Broadcast()
	return nil
}

// RegisterCapability implements protocol.Client.
func (c *testClient) RegisterCapability(_ context.Context, p *protocol.RegistrationParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.registered = append(c.registered, p.Registrations...)
	c.cond.Broadcast()
	return nil
}

// waitFor waits until ok holds, checked under the client's lock after every
// notification.
func (c *testClient) waitFor(what string, ok func() bool) {
	c.t.Helper()
	timer := time.AfterFunc(waitLimit, func() {
		c.mu.Lock()
		c.closedServer = true
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !ok() {
		if c.closedServer {
			c.t.Fatalf("gave up waiting for %s", what)
		}
		c.cond.Wait()
	}
}

// diagnosticsFor waits for diagnostics of u published for version and
// returns them.
func (c *testClient) diagnosticsFor(u uri.URI, version int32) []protocol.Diagnostic {
	c.t.Helper()
	var got *protocol.PublishDiagnosticsParams
	c.waitFor("diagnostics of "+string(u), func() bool {
		for _, p := range c.diags[u] {
			if v, ok := p.Version.Get(); ok && v == version {
				got = p
			}
		}
		return got != nil
	})
	return got.Diagnostics
}

// cleared waits for an empty, versionless publication for u, as sent on
// close.
func (c *testClient) cleared(u uri.URI) {
	c.t.Helper()
	c.waitFor("diagnostics of "+string(u)+" to be cleared", func() bool {
		ps := c.diags[u]
		if len(ps) == 0 {
			return false
		}
		last := ps[len(ps)-1]
		_, versioned := last.Version.Get()
		return !versioned && len(last.Diagnostics) == 0
	})
}

// publications returns a copy of what was published for u so far.
func (c *testClient) publications(u uri.URI) []*protocol.PublishDiagnosticsParams {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*protocol.PublishDiagnosticsParams(nil), c.diags[u]...)
}

func (c *testClient) open(u uri.URI, lang string, version int32, text string) {
	c.t.Helper()
	err := c.server.DidOpen(context.Background(), &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{
		URI: u, LanguageID: protocol.LanguageKind(lang), Version: version, Text: text,
	}})
	if err != nil {
		c.t.Fatalf("didOpen: %v", err)
	}
}

func (c *testClient) changeAll(u uri.URI, version int32, text string) {
	c.t.Helper()
	c.change(u, version, &protocol.TextDocumentContentChangeWholeDocument{Text: text})
}

func (c *testClient) change(u uri.URI, version int32, changes ...protocol.TextDocumentContentChangeEvent) {
	c.t.Helper()
	err := c.server.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
		ContentChanges: changes,
	})
	if err != nil {
		c.t.Fatalf("didChange: %v", err)
	}
}

func (c *testClient) close(u uri.URI) {
	c.t.Helper()
	if err := c.server.DidClose(context.Background(), &protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}}); err != nil {
		c.t.Fatalf("didClose: %v", err)
	}
}

// call makes a raw request and returns its error's code (0 on success).
func (c *testClient) call(method string, params, result any) (jsonrpc2.Code, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	_, err := c.conn.Call(ctx, method, params, result)
	if err == nil {
		return 0, nil
	}
	var werr *jsonrpc2.Error
	if errors.As(err, &werr) {
		return werr.Code, err
	}
	return 0, err
}

// serveResult waits for Serve to return.
func (c *testClient) serveResult() error {
	c.t.Helper()
	select {
	case err := <-c.done:
		c.done <- err // for the cleanup
		return err
	case <-time.After(waitLimit):
		c.t.Fatal("Serve did not return")
		return nil
	}
}

// lastServer is the server Serve created last.
var lastServer atomic.Pointer[Server]

func init() { testHookNewServer = lastServer.Store }

// serverPublished is not reachable through the protocol: tests that need
// what the server kept for code actions read it from the last server
// started by this client.
func (c *testClient) serverPublished(u uri.URI) (int32, []publishedDiagnostic) {
	c.t.Helper()
	s := lastServer.Load()
	if s == nil {
		c.t.Fatal("no server")
	}
	return s.publishedDiagnostics(u)
}

package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Test-only methods, registered in the method table like any feature:
// a request that blocks until it is cancelled, and handlers that panic.
func init() {
	handleRequest("tbls/test.block", func(s *Server, ctx context.Context, _ *struct{}) (string, error) {
		<-ctx.Done()
		return "finished", nil // must still be answered as cancelled
	})
	handleRequest("tbls/test.panic", func(s *Server, ctx context.Context, _ *struct{}) (any, error) {
		panic("test panic in a request")
	})
	handleNotification("tbls/test.panicNotification", func(s *Server, ctx context.Context, _ *struct{}) error {
		panic("test panic in a notification")
	})
	handleRequest("tbls/test.echo", func(s *Server, ctx context.Context, p *struct {
		Text string `json:"text"`
	}) (string, error) {
		return p.Text, nil
	})
}

func TestInitializeCapabilities(t *testing.T) {
	c, res := initialize(t, Options{Version: "v9.9.9"}, nil)
	_ = c
	caps := res.Capabilities
	if caps.PositionEncoding != protocol.PositionEncodingKindUTF16 {
		t.Errorf("positionEncoding = %q, want utf-16 for a client that offers nothing", caps.PositionEncoding)
	}
	sync, ok := caps.TextDocumentSync.(*protocol.TextDocumentSyncOptions)
	if !ok {
		t.Fatalf("textDocumentSync = %T, want options", caps.TextDocumentSync)
	}
	if sync.Change == nil || *sync.Change != protocol.TextDocumentSyncKindIncremental {
		t.Errorf("textDocumentSync.change = %v, want incremental", sync.Change)
	}
	if sync.OpenClose == nil || !*sync.OpenClose {
		t.Error("textDocumentSync.openClose is not true")
	}
	if res.ServerInfo.Name != "tbls" {
		t.Errorf("serverInfo.name = %q", res.ServerInfo.Name)
	}
	if v, _ := res.ServerInfo.Version.Get(); v != "v9.9.9" {
		t.Errorf("serverInfo.version = %q", v)
	}
}

func TestPositionEncodingNegotiation(t *testing.T) {
	for _, tc := range []struct {
		offered []protocol.PositionEncodingKind
		want    protocol.PositionEncodingKind
	}{
		{nil, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16}, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF32}, protocol.PositionEncodingKindUTF16},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF16, protocol.PositionEncodingKindUTF8}, protocol.PositionEncodingKindUTF8},
		{[]protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8}, protocol.PositionEncodingKindUTF8},
	} {
		p := &protocol.InitializeParams{}
		if tc.offered != nil {
			p.Capabilities.General = &protocol.GeneralClientCapabilities{PositionEncodings: tc.offered}
		}
		_, res := initialize(t, Options{}, p)
		if got := res.Capabilities.PositionEncoding; got != tc.want {
			t.Errorf("offered %v: positionEncoding = %q, want %q", tc.offered, got, tc.want)
		}
	}
}

func TestRequestsBeforeInitialize(t *testing.T) {
	c := startServer(t, Options{})
	code, _ := c.call("tbls/test.echo", map[string]string{"text": "x"}, nil)
	if code != jsonrpc2.ServerNotInitialized {
		t.Errorf("request before initialize: code %d, want ServerNotInitialized (%d)", code, jsonrpc2.ServerNotInitialized)
	}
	code, _ = c.call(protocol.MethodShutdown, nil, nil)
	if code != jsonrpc2.ServerNotInitialized {
		t.Errorf("shutdown before initialize: code %d, want ServerNotInitialized", code)
	}
	// A notification before initialize is dropped: the document is not
	// open afterwards, so it publishes nothing.
	c.open("file:///tmp/x.pipe", "", 1, "TOKEN a APPEND\n")
	if _, err := c.server.Initialize(context.Background(), &protocol.InitializeParams{}); err != nil {
		t.Fatalf("initialize after the refused requests: %v", err)
	}
	var echo string
	if _, err := c.call("tbls/test.echo", map[string]string{"text": "hi"}, &echo); err != nil || echo != "hi" {
		t.Fatalf("echo after initialize = %q, %v", echo, err)
	}
	if code, _ := c.call(protocol.MethodInitialize, &protocol.InitializeParams{}, nil); code != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: code %d, want InvalidRequest", code)
	}
	if ps := c.publications("file:///tmp/x.pipe"); len(ps) != 0 {
		t.Errorf("a didOpen sent before initialize was applied: %d publications", len(ps))
	}
}

func TestUnknownMethods(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	if code, _ := c.call("tbls/noSuchRequest", nil, nil); code != jsonrpc2.MethodNotFound {
		t.Errorf("unknown request: code %d, want MethodNotFound", code)
	}
	if err := c.conn.Notify(context.Background(), "tbls/noSuchNotification", map[string]int{"x": 1}); err != nil {
		t.Fatal(err)
	}
	var echo string
	if _, err := c.call("tbls/test.echo", map[string]string{"text": "still here"}, &echo); err != nil || echo != "still here" {
		t.Fatalf("after an unknown notification: %q, %v", echo, err)
	}
	if code, _ := c.call("tbls/test.echo", []int{1}, nil); code != jsonrpc2.InvalidParams {
		t.Errorf("params of the wrong shape: code %d, want InvalidParams", code)
	}
}

func TestHandlerPanicIsRecovered(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	code, err := c.call("tbls/test.panic", nil, nil)
	if code != jsonrpc2.InternalError {
		t.Fatalf("panicking request: code %d (%v), want InternalError", code, err)
	}
	if err := c.conn.Notify(context.Background(), "tbls/test.panicNotification", nil); err != nil {
		t.Fatal(err)
	}
	var echo string
	if _, err := c.call("tbls/test.echo", map[string]string{"text": "alive"}, &echo); err != nil || echo != "alive" {
		t.Fatalf("after panics: %q, %v", echo, err)
	}
}

func TestShutdownExit(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	if _, err := c.call(protocol.MethodShutdown, nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if code, _ := c.call("tbls/test.echo", map[string]string{"text": "x"}, nil); code != jsonrpc2.InvalidRequest {
		t.Errorf("request after shutdown: code %d, want InvalidRequest", code)
	}
	if err := c.conn.Notify(context.Background(), protocol.MethodExit, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.serveResult(); err != nil {
		t.Errorf("Serve after shutdown and exit = %v, want nil", err)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	if err := c.conn.Notify(context.Background(), protocol.MethodExit, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.serveResult(); !errors.Is(err, ErrExitWithoutShutdown) {
		t.Errorf("Serve after exit without shutdown = %v, want ErrExitWithoutShutdown", err)
	}
}

func TestClientHangsUp(t *testing.T) {
	c, _ := initialize(t, Options{}, nil)
	c.conn.Close()
	if err := c.serveResult(); !errors.Is(err, ErrClosedWithoutShutdown) {
		t.Errorf("Serve after the client closed = %v, want ErrClosedWithoutShutdown", err)
	}
}

// rawClient speaks the wire format by hand, to send what no well-behaved
// client would. It reads on its own goroutine, as a real client does, so
// that the server is never blocked writing while the test writes.
type rawClient struct {
	t     *testing.T
	conn  net.Conn
	resps chan response
	done  chan error
}

func startRaw(t *testing.T) *rawClient {
	serverSide, clientSide := net.Pipe()
	rc := &rawClient{t: t, conn: clientSide, resps: make(chan response, 100), done: make(chan error, 1)}
	go func() { rc.done <- Serve(context.Background(), serverSide, Options{Logger: testLogger(t)}) }()
	go rc.readLoop(bufio.NewReader(clientSide))
	t.Cleanup(func() {
		clientSide.Close()
		select {
		case <-rc.done:
		case <-time.After(waitLimit):
			t.Error("Serve did not return")
		}
	})
	return rc
}

func (rc *rawClient) send(raw string) {
	rc.t.Helper()
	rc.conn.SetWriteDeadline(time.Now().Add(waitLimit))
	if _, err := io.WriteString(rc.conn, raw); err != nil {
		rc.t.Fatalf("writing: %v", err)
	}
}

func (rc *rawClient) frame(body string) {
	rc.send(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body))
}

// response is a JSON-RPC response as read by rawClient.
type response struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int64  `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	Method string `json:"method"`
	bad    string // what was wrong with the frame
}

// readLoop reads the server's messages, checking that each is a
// well-framed JSON object, and queues the responses.
func (rc *rawClient) readLoop(r *bufio.Reader) {
	defer close(rc.resps)
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			v, ok := strings.CutPrefix(line, "Content-Length: ")
			if !ok {
				rc.resps <- response{bad: "unexpected header line " + line}
				return
			}
			length, _ = strconv.Atoi(v)
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var resp response
		if err := json.Unmarshal(body, &resp); err != nil {
			rc.resps <- response{bad: fmt.Sprintf("invalid JSON %q: %v", body, err)}
			return
		}
		if resp.Method == "" {
			rc.resps <- resp
		}
	}
}

// read returns the next response.
func (rc *rawClient) read() response {
	rc.t.Helper()
	select {
	case r, ok := <-rc.resps:
		if !ok {
			rc.t.Fatal("the server closed the connection")
		}
		if r.bad != "" {
			rc.t.Fatalf("the server wrote a bad frame: %s", r.bad)
		}
		return r
	case <-time.After(waitLimit):
		rc.t.Fatal("no response")
	}
	return response{}
}

func (rc *rawClient) initialize() {
	rc.frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)
	if r := rc.read(); r.Error != nil {
		rc.t.Fatalf("initialize: %+v", r.Error)
	}
	rc.frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)
}

func (rc *rawClient) echo(id int, text string) {
	rc.t.Helper()
	rc.frame(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tbls/test.echo","params":{"text":%q}}`, id, text))
	r := rc.read()
	if r.Error != nil || string(r.ID) != strconv.Itoa(id) || string(r.Result) != strconv.Quote(text) {
		rc.t.Fatalf("echo %d: got id %s result %s error %+v", id, r.ID, r.Result, r.Error)
	}
}

func TestMalformedFrames(t *testing.T) {
	rc := startRaw(t)
	rc.initialize()

	rc.frame(`{"jsonrpc":"2.0","id":2,"method":`) // invalid JSON
	if r := rc.read(); r.Error == nil || r.Error.Code != int64(jsonrpc2.ParseError) || string(r.ID) != "null" {
		t.Errorf("invalid JSON: got %+v id %s, want ParseError with a null id", r.Error, r.ID)
	}
	rc.echo(3, "after invalid JSON")

	rc.frame(`{"jsonrpc":"1.0","id":4,"method":"tbls/test.echo"}`) // not JSON-RPC 2.0
	if r := rc.read(); r.Error == nil || r.Error.Code != int64(jsonrpc2.InvalidRequest) || string(r.ID) != "4" {
		t.Errorf("wrong jsonrpc version: got %+v id %s, want InvalidRequest for id 4", r.Error, r.ID)
	}
	rc.echo(5, "after an invalid request")

	rc.frame(`[1,2]`) // a batch, which LSP does not use
	if r := rc.read(); r.Error == nil || r.Error.Code != int64(jsonrpc2.InvalidRequest) {
		t.Errorf("batch: got %+v, want InvalidRequest", r.Error)
	}

	rc.send("Content-Length: banana\r\n\r\n{}") // unreadable length
	rc.echo(6, "after a bad Content-Length")

	rc.send("X-Nonsense\r\n\r\n") // a header line without a colon
	rc.echo(7, "after a header without a colon")

	rc.send("Content-Type: application/json\r\n\r\n") // no Content-Length
	rc.echo(8, "after a header without Content-Length")

	rc.send("Content-Length: 999999999999\r\n\r\n") // absurd length
	rc.echo(9, "after an absurd Content-Length")

	// A body shorter than announced swallows the start of the next frame;
	// the server must answer the frame after that.
	rc.send("Content-Length: 40\r\n\r\n{}")
	rc.frame(`{"jsonrpc":"2.0","id":10,"method":"tbls/test.echo","params":{"text":"lost"}}`)
	if r := rc.read(); r.Error == nil || r.Error.Code != int64(jsonrpc2.ParseError) {
		t.Errorf("short body: got %+v, want ParseError", r.Error)
	}
	rc.echo(11, "after a short body")
}

func TestCancelRequest(t *testing.T) {
	rc := startRaw(t)
	rc.initialize()
	rc.frame(`{"jsonrpc":"2.0","id":"slow","method":"tbls/test.block"}`)
	// The read loop is free while the request runs: this echo is answered
	// first.
	rc.echo(2, "while blocked")
	rc.frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"slow"}}`)
	r := rc.read()
	if string(r.ID) != `"slow"` || r.Error == nil || r.Error.Code != int64(protocol.CodeRequestCancelled) {
		t.Fatalf("cancelled request: id %s error %+v result %s, want RequestCancelled (-32800)", r.ID, r.Error, r.Result)
	}
	// Cancelling what is no longer in flight is ignored.
	rc.frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":2}}`)
	rc.echo(3, "after a stale cancel")

	// A numeric id, as most clients send.
	rc.frame(`{"jsonrpc":"2.0","id":4,"method":"tbls/test.block"}`)
	rc.frame(`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":4}}`)
	if r := rc.read(); string(r.ID) != "4" || r.Error == nil || r.Error.Code != int64(protocol.CodeRequestCancelled) {
		t.Fatalf("cancelled request 4: id %s error %+v", r.ID, r.Error)
	}
}

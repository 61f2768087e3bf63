// Package lsp is tbls' language server: live diagnostics from the analyzers
// tbvet runs and from the datafile checker, with (in their own files)
// completion, hover and code actions.
//
// Serve is the single entry point. The connection is wired by hand on
// go.lsp.dev/jsonrpc2 rather than with protocol.NewServer, which handles every
// message concurrently: here notifications apply strictly in arrival order,
// requests run concurrently once they have been read, $/cancelRequest
// cancels a request's context and the request answers RequestCancelled, and a
// panicking handler is answered with InternalError instead of ending the
// connection (see dispatch.go).
//
// Files hold the parts of the server as the specification groups them:
// lifecycle.go (initialize, shutdown, exit), text_sync.go (open documents),
// workspace.go (folders, watched files), diagnostics.go (publishing), and one
// file per language feature, registered in dispatch.go's table.
package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/go/analysis"
)

// Options configure a server.
type Options struct {
	// Logger receives the server's log. It must not write to the protocol
	// stream (stdout for a stdio server). Nil discards the log.
	Logger *slog.Logger
	// Version is reported to the client as serverInfo.version.
	Version string
	// Analyzers are run on Go packages that use the SDK; nil means
	// analyzer.Suite.
	Analyzers []*analysis.Analyzer
	// Env is the environment of the go command the server runs to load
	// packages (go list); nil means the server's own.
	Env []string
	// RPCTrace logs every JSON-RPC message to Logger (tbls -rpc.trace).
	RPCTrace bool
}

// ErrExitWithoutShutdown is returned by Serve when the client sends exit
// without shutdown first; the specification asks the server process to exit
// with code 1 then.
var ErrExitWithoutShutdown = errors.New("the client sent exit without shutdown")

// ErrClosedWithoutShutdown is returned by Serve when the client closes the
// stream without the shutdown/exit sequence, as a crashed editor does.
var ErrClosedWithoutShutdown = errors.New("the client closed the connection without shutdown")

// Server is one client's language server. It is created by Serve.
type Server struct {
	opts   Options
	log    *slog.Logger
	conn   jsonrpc2.Conn
	client protocol.Client
	engine *engine

	// ctx lives as long as the connection; background work (diagnostics
	// runs, server→client calls) derives from it.
	ctx    context.Context
	cancel context.CancelFunc

	mu       sync.Mutex
	state    serverState
	enc      Encoding
	caps     protocol.ClientCapabilities
	folders  map[string]bool // absolute directories
	docs     map[uri.URI]*document
	opens    uint64 // didOpen notifications handled, numbering document.opened
	inflight map[jsonrpc2.ID]*inflightRequest

	diags    *diagnostics
	sdk      sdkMemo        // the SDK of the last snapshot (completion.go)
	settings settingsState  // which checks are shown (settings.go)
	names    *resolverIndex // the workspace's names, for navigation (resolver.go)
	models   *modelCache    // the SDK model of each package's latest snapshot (feature_gosyntax.go)

	exitOnce sync.Once
	exited   chan struct{}
	exitErr  error
}

// serverState is where the server is in the LSP lifecycle.
type serverState int

const (
	stateCreated     serverState = iota // waiting for initialize
	stateInitialized                    // initialize answered
	stateShutdown                       // shutdown answered; only exit is accepted
)

// Serve runs a language server over stream, which carries LSP's
// Content-Length framed JSON-RPC, until the client sends exit, closes the
// stream, or ctx is done. It returns nil after a clean shutdown and exit,
// ErrExitWithoutShutdown or ErrClosedWithoutShutdown otherwise (a caller
// running as a process exits with code 1 on them), or the connection's error.
func Serve(ctx context.Context, stream io.ReadWriteCloser, opts Options) error {
	s := newServer(ctx, opts)
	defer s.cancel()
	var st jsonrpc2.Stream = newStream(stream, s.log)
	if opts.RPCTrace {
		st = traceStream{st, s.log}
	}
	s.conn = jsonrpc2.NewConn(st, jsonrpc2.WithCodec(codec{}))
	s.client = protocol.ClientDispatcher(s.conn)
	s.conn.Go(s.ctx, s.handle)

	var err error
	select {
	case <-s.exited:
		err = s.exitErr
	case <-s.conn.Done():
		err = s.conn.Err()
		if err == nil {
			s.mu.Lock()
			if s.state != stateShutdown {
				err = ErrClosedWithoutShutdown
			}
			s.mu.Unlock()
		}
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.stop()
	s.closeConn()
	// Everything running was cancelled; a run stuck in spite of that (a
	// bug) must not keep the process alive after exit.
	waitAtMost(stopGrace, func() {
		s.diags.wait()
		s.engine.close()
	}, func() { s.log.Error("background work did not end after exit; exiting anyway") })
	return err
}

// stopGrace is how long Serve waits for cancelled background work.
const stopGrace = 5 * time.Second

// waitAtMost runs wait, and calls late if it has not returned after d.
func waitAtMost(d time.Duration, wait, late func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait()
	}()
	select {
	case <-done:
	case <-time.After(d):
		late()
	}
}

// closeGrace is how long Serve waits for the connection's read loop to end
// once it is done serving.
const closeGrace = 200 * time.Millisecond

// closeConn closes the connection, waiting at most closeGrace for its read
// loop. jsonrpc2's Close waits for that loop, and a read blocked on a
// stream the client keeps open (an editor's pipe to our stdin) cannot be
// interrupted by closing it: waiting would keep the process alive after
// exit. Every reply is written synchronously, so nothing is lost by not
// waiting; the process ends and takes the blocked read with it.
func (s *Server) closeConn() {
	closed := make(chan error, 1)
	go func() { closed <- s.conn.Close() }()
	select {
	case err := <-closed:
		if err != nil && !errors.Is(err, io.ErrClosedPipe) {
			s.log.Debug("closing the connection", "err", err)
		}
	case <-time.After(closeGrace):
		s.log.Debug("the client keeps the stream open; not waiting for its read loop")
	}
}

func newServer(ctx context.Context, opts Options) *Server {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		opts:     opts,
		log:      log,
		folders:  make(map[string]bool),
		docs:     make(map[uri.URI]*document),
		inflight: make(map[jsonrpc2.ID]*inflightRequest),
		exited:   make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	s.diags = newDiagnostics(s)
	s.engine = newEngine(s)
	s.names = newResolverIndex(s)
	s.models = newModelCache()
	if testHookNewServer != nil {
		testHookNewServer(s)
	}
	return s
}

// testHookNewServer, set by tests, sees every server created.
var testHookNewServer func(*Server)

// stop cancels everything still running so that the connection can drain.
func (s *Server) stop() {
	s.mu.Lock()
	for _, r := range s.inflight {
		r.cancel()
	}
	s.mu.Unlock()
	s.cancel()
}

// exit ends Serve with err.
func (s *Server) exit(err error) {
	s.exitOnce.Do(func() {
		s.exitErr = err
		close(s.exited)
	})
}

// encoding returns the negotiated position encoding.
func (s *Server) encoding() Encoding {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enc
}

// codec marshals LSP payloads with protocol's union-aware JSON codec, as
// protocol.NewServer's unexported codec does.
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case *jsonrpc2.RawMessage:
		if m == nil || *m == nil {
			return []byte("null"), nil
		}
		return *m, nil
	}
	b, err := protocol.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding %T: %w", v, err)
	}
	return b, nil
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

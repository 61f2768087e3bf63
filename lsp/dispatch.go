package lsp

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// The method table. Every LSP method the server handles is registered here,
// from an init function in the file that implements it:
//
//	func init() {
//		handleRequest(protocol.MethodTextDocumentCompletion, (*Server).completion)
//		addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
//			c.CompletionProvider = &protocol.CompletionOptions{…}
//		})
//	}
//
//	func (s *Server) completion(ctx context.Context, p *protocol.CompletionParams) (protocol.CompletionResult, error)
//
// A request handler runs concurrently with the messages that follow it
// (its ctx is cancelled by $/cancelRequest, and it then answers
// RequestCancelled whatever it returns); it sees every notification that
// arrived before it. A notification handler runs on the connection's read
// loop, in arrival order, so it must be quick: it updates state and starts
// slow work (diagnostics) in the background. Handlers may panic without
// taking the server down, but should return errors: a *jsonrpc2.Error keeps
// its code, any other error is answered with its text.
// A handler must not call jsonrpc2.Async: dispatch does.
var (
	methods          = map[string]method{}
	capabilityAdders []func(*Server, *protocol.ServerCapabilities)
)

// method is a registered handler.
type method struct {
	notification bool
	// inline requests run on the read loop like notifications: lifecycle
	// requests whose effect later messages must observe.
	inline bool
	call   func(s *Server, ctx context.Context, params jsonrpc2.RawMessage) (any, error)
}

// handleRequest registers the handler of request name; P is its params type
// and R its result.
func handleRequest[P, R any](name string, h func(*Server, context.Context, *P) (R, error)) {
	register(name, method{call: requestCaller(h)})
}

// handleInlineRequest registers a request handled on the read loop, before
// any later message is read.
func handleInlineRequest[P, R any](name string, h func(*Server, context.Context, *P) (R, error)) {
	register(name, method{inline: true, call: requestCaller(h)})
}

// handleNotification registers the handler of notification name.
func handleNotification[P any](name string, h func(*Server, context.Context, *P) error) {
	register(name, method{notification: true, call: func(s *Server, ctx context.Context, raw jsonrpc2.RawMessage) (any, error) {
		var p P
		if err := decodeParams(raw, &p); err != nil {
			return nil, err
		}
		return nil, h(s, ctx, &p)
	}})
}

// addCapabilities registers a function that fills in the capabilities a
// feature advertises in the initialize result.
func addCapabilities(f func(*Server, *protocol.ServerCapabilities)) {
	capabilityAdders = append(capabilityAdders, f)
}

func register(name string, m method) {
	if _, dup := methods[name]; dup {
		panic("lsp: method " + name + " registered twice")
	}
	methods[name] = m
}

func requestCaller[P, R any](h func(*Server, context.Context, *P) (R, error)) func(*Server, context.Context, jsonrpc2.RawMessage) (any, error) {
	return func(s *Server, ctx context.Context, raw jsonrpc2.RawMessage) (any, error) {
		var p P
		if err := decodeParams(raw, &p); err != nil {
			return nil, err
		}
		r, err := h(s, ctx, &p)
		if err != nil {
			return nil, err
		}
		if isNil(r) {
			return nil, nil // encode null, not a typed nil
		}
		return r, nil
	}
}

// decodeParams decodes raw into p; absent params decode as the zero value.
func decodeParams(raw jsonrpc2.RawMessage, p any) error {
	if len(raw) == 0 {
		return nil
	}
	if err := protocol.Unmarshal(raw, p); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return nil
}

func isNil(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return rv.IsNil()
	}
	return false
}

// inflightRequest is a request being handled, for $/cancelRequest.
type inflightRequest struct {
	cancel    context.CancelFunc
	cancelled bool // by the client
}

// handle is the connection's jsonrpc2 handler. It never returns an error
// for a notification: jsonrpc2 ends the connection on one.
func (s *Server) handle(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
	name := req.Method()
	if !req.IsCall() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("notification handler panicked", "method", name, "panic", r, "stack", string(debug.Stack()))
			}
		}()
		s.notification(ctx, name, req.Params())
		return nil, nil
	}
	name = string(append([]byte(nil), name...)) // req's method is borrowed from the frame
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("request handler panicked", "method", name, "panic", r, "stack", string(debug.Stack()))
			result, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "tbls: internal error handling %s: %v (see the server log)", name, r)
		}
	}()
	return s.request(ctx, req.ID(), name, req.Params())
}

func (s *Server) notification(ctx context.Context, name string, params jsonrpc2.RawMessage) {
	switch name {
	case protocol.MethodExit:
		s.mu.Lock()
		clean := s.state == stateShutdown
		s.mu.Unlock()
		if clean {
			s.exit(nil)
		} else {
			s.exit(ErrExitWithoutShutdown)
		}
		return
	case protocol.MethodCancelRequest:
		s.cancelRequest(params)
		return
	}
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	if state != stateInitialized {
		// The specification drops notifications before initialize and
		// after shutdown, except exit.
		s.log.Debug("dropping a notification outside the initialized state", "method", name, "state", state)
		return
	}
	m, ok := methods[name]
	if !ok || !m.notification {
		s.log.Debug("ignoring an unknown notification", "method", name)
		return
	}
	if _, err := m.call(s, s.ctx, params); err != nil { // see request for why not ctx
		s.log.Warn("notification failed", "method", name, "err", err)
	}
}

func (s *Server) request(ctx context.Context, id jsonrpc2.ID, name string, params jsonrpc2.RawMessage) (any, error) {
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case state == stateCreated && name != protocol.MethodInitialize:
		return nil, jsonrpc2.NewError(jsonrpc2.ServerNotInitialized, "the server is not initialized: send initialize first")
	case state != stateCreated && name == protocol.MethodInitialize:
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received: it may be sent only once")
	case state == stateShutdown:
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown: the server only accepts exit now", name)
	}
	m, ok := methods[name]
	if !ok || m.notification {
		return nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", name)
	}
	params = append(jsonrpc2.RawMessage(nil), params...) // outlive the frame once async

	// The handler's context derives from the server's, not from jsonrpc2's
	// request context: that one is pooled and recycled once the request is
	// answered, and a context derived from it watches it from a goroutine
	// that may outlive the request.
	rctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	r := &inflightRequest{cancel: cancel}
	s.mu.Lock()
	s.inflight[id] = r
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.inflight, id)
		s.mu.Unlock()
	}()
	if !m.inline {
		jsonrpc2.Async(ctx)
	}
	res, err := m.call(s, rctx, params)
	s.mu.Lock()
	cancelled := r.cancelled
	s.mu.Unlock()
	if cancelled {
		return nil, protocol.ErrRequestCancelled
	}
	if err != nil {
		var werr *jsonrpc2.Error
		if !errors.As(err, &werr) {
			s.log.Warn("request failed", "method", name, "err", err)
		}
		if errors.Is(err, context.Canceled) && rctx.Err() != nil {
			return nil, protocol.ErrRequestCancelled
		}
	}
	return res, err
}

// cancelRequest handles $/cancelRequest: the request's context is cancelled
// and, whatever its handler returns, it answers RequestCancelled. An id
// that is not in flight (already answered) is ignored, as the specification
// asks.
func (s *Server) cancelRequest(raw jsonrpc2.RawMessage) {
	var p protocol.CancelParams
	if err := decodeParams(raw, &p); err != nil {
		s.log.Warn("ignoring a malformed $/cancelRequest", "err", err)
		return
	}
	var id jsonrpc2.ID
	switch v := p.ID.(type) {
	case protocol.Integer:
		id = jsonrpc2.NewNumberID(int64(v))
	case protocol.String:
		id = jsonrpc2.NewStringID(string(v))
	default:
		s.log.Warn("ignoring a $/cancelRequest without an id", "id", fmt.Sprint(p.ID))
		return
	}
	s.mu.Lock()
	r, ok := s.inflight[id]
	if ok {
		r.cancelled = true
	}
	s.mu.Unlock()
	if ok {
		r.cancel()
	}
}

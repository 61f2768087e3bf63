package lsp

import (
	"context"
	"encoding/json"
	"log/slog"

	"go.lsp.dev/jsonrpc2"
)

// traceStream logs every JSON-RPC message it carries, as gopls's -rpc.trace
// does: the direction, the method and id, and the message itself. It wraps
// the server's stream when Options.RPCTrace is set; the log goes wherever
// Options.Logger writes, never to the protocol stream.
type traceStream struct {
	jsonrpc2.Stream
	log *slog.Logger
}

// Read implements jsonrpc2.Stream.
func (t traceStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	msg, n, err := t.Stream.Read(ctx)
	if err == nil {
		t.trace("received", msg)
	}
	return msg, n, err
}

// Write implements jsonrpc2.Stream.
func (t traceStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	// The connection writes its own unexported message types; their
	// encoding, decoded again, gives the method, id and params to log.
	if body, err := jsonrpc2.EncodeMessage(msg); err == nil {
		if m, err := jsonrpc2.DecodeMessage(body); err == nil {
			t.trace("sent", m)
		}
	}
	return t.Stream.Write(ctx, msg)
}

func (t traceStream) trace(dir string, msg jsonrpc2.Message) {
	attrs := []any{"dir", dir}
	switch m := msg.(type) {
	case *jsonrpc2.Call:
		attrs = append(attrs, "kind", "request", "method", m.Method(), "id", m.ID(), "params", rawJSON(m.Params()))
	case *jsonrpc2.Notification:
		attrs = append(attrs, "kind", "notification", "method", m.Method(), "params", rawJSON(m.Params()))
	case *jsonrpc2.Response:
		attrs = append(attrs, "kind", "response", "id", m.ID(), "result", rawJSON(m.Result()))
		if m.Err() != nil {
			attrs = append(attrs, "error", m.Err().Error())
		}
	}
	t.log.Info("rpc", attrs...)
}

// rawJSON logs a JSON value as its text rather than as a byte slice.
type rawJSON json.RawMessage

// String implements fmt.Stringer.
func (r rawJSON) String() string { return string(r) }

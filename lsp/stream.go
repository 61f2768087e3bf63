package lsp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// maxFrameSize bounds the body a client may announce. A larger Content-Length
// is treated as a corrupt header rather than an allocation request.
const maxFrameSize = 256 << 20

// stream is a jsonrpc2.Stream with the LSP Content-Length framing that, unlike
// jsonrpc2's own header stream, survives a misbehaving client: a frame whose
// header is corrupt is skipped up to the next Content-Length line, a frame
// whose body is not JSON is answered with ParseError, and one that is JSON but
// not a JSON-RPC message with InvalidRequest. jsonrpc2's Conn ends the
// connection on the first undecodable frame; an editor extension that writes
// one bad message should not lose its language server for it.
type stream struct {
	r      *bufio.Reader
	closer io.Closer
	log    *slog.Logger

	writeMu sync.Mutex
	w       io.Writer

	// pending is a header line read while skipping garbage, to be parsed as
	// the first line of the next header.
	pending []byte
}

func newStream(rwc io.ReadWriteCloser, log *slog.Logger) *stream {
	return &stream{r: bufio.NewReaderSize(rwc, 64<<10), w: rwc, closer: rwc, log: log}
}

// Read implements jsonrpc2.Stream. It returns io.EOF when the client closes
// the connection between frames.
func (s *stream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		body, n, err := s.readFrame()
		if err != nil {
			if errors.Is(err, errBadHeader) {
				s.log.Warn("skipping a frame with a corrupt header", "err", err)
				continue
			}
			return nil, n, err
		}
		msg, err := jsonrpc2.DecodeMessage(body)
		if err == nil {
			return msg, n, nil
		}
		s.answerMalformed(ctx, body, err)
	}
}

// answerMalformed answers a frame that is not a JSON-RPC message, with the id
// of the request when one can be read from it, as JSON-RPC 2.0 asks.
func (s *stream) answerMalformed(ctx context.Context, body []byte, err error) {
	code := jsonrpc2.InvalidRequest
	if !json.Valid(body) {
		code = jsonrpc2.ParseError
	}
	s.log.Warn("answering a malformed JSON-RPC message", "code", code, "err", err, "body", truncate(body, 200))
	var id jsonrpc2.ID
	var probe struct {
		ID json.RawMessage `json:"id"`
	}
	if code == jsonrpc2.InvalidRequest && json.Unmarshal(body, &probe) == nil {
		var num int64
		var str string
		switch {
		case json.Unmarshal(probe.ID, &num) == nil:
			id = jsonrpc2.NewNumberID(num)
		case json.Unmarshal(probe.ID, &str) == nil:
			id = jsonrpc2.NewStringID(str)
		}
	}
	msg := "the message is not valid JSON"
	if code == jsonrpc2.InvalidRequest {
		msg = "the message is not a valid JSON-RPC 2.0 request: " + err.Error()
	}
	if _, werr := s.Write(ctx, jsonrpc2.NewResponse(id, nil, jsonrpc2.NewError(code, msg))); werr != nil {
		s.log.Warn("cannot answer a malformed message", "err", werr)
	}
}

func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}

var errBadHeader = errors.New("corrupt LSP header")

// readFrame reads one header block and its body. A corrupt header returns
// errBadHeader after positioning the reader at the next line that starts a
// header (or at EOF).
func (s *stream) readFrame() ([]byte, int64, error) {
	length := -1
	var read int64
	var bad error
	for first := true; ; first = false {
		line, err := s.readLine()
		read += int64(len(line))
		if err != nil {
			if errors.Is(err, io.EOF) && first && len(line) == 0 {
				return nil, read, io.EOF
			}
			return nil, read, io.ErrUnexpectedEOF
		}
		if i := indexFold(line, "content-length:"); i > 0 {
			// A header glued to the rest of a frame whose body was
			// shorter than announced: start over from it.
			line, length, bad, first = line[i:], -1, nil, true
		}
		trimmed := bytes.TrimRight(line, "\r\n")
		if len(trimmed) == 0 {
			if first {
				continue // tolerate stray blank lines between frames
			}
			break
		}
		name, value, ok := bytes.Cut(trimmed, []byte(":"))
		if !ok {
			bad = fmt.Errorf("%w: header line %q has no colon", errBadHeader, truncate(trimmed, 80))
			break
		}
		if bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
			n, err := strconv.Atoi(string(bytes.TrimSpace(value)))
			if err != nil || n <= 0 || n > maxFrameSize {
				bad = fmt.Errorf("%w: Content-Length %q is not a size between 1 and %d", errBadHeader, truncate(value, 40), maxFrameSize)
				break
			}
			length = n
		}
	}
	if bad == nil && length < 0 {
		bad = fmt.Errorf("%w: no Content-Length", errBadHeader)
	}
	if bad != nil {
		if err := s.skipToHeader(); err != nil {
			return nil, read, err
		}
		return nil, read, bad
	}
	body := make([]byte, length)
	n, err := io.ReadFull(s.r, body)
	read += int64(n)
	if err != nil {
		return nil, read, io.ErrUnexpectedEOF
	}
	return body, read, nil
}

// readLine returns the next line, including its terminator, from pending or
// the reader.
func (s *stream) readLine() ([]byte, error) {
	if s.pending != nil {
		l := s.pending
		s.pending = nil
		return l, nil
	}
	return s.r.ReadBytes('\n')
}

// skipToHeader discards input up to the next line starting with
// "Content-Length:", which it keeps as the first line of the next header.
func (s *stream) skipToHeader() error {
	for {
		line, err := s.r.ReadBytes('\n')
		if i := indexFold(line, "content-length:"); i >= 0 {
			// The header may follow garbage on the same line (a body shorter
			// than announced runs into the next frame).
			s.pending = append([]byte(nil), line[i:]...)
			if err != nil {
				s.pending = nil
				return io.ErrUnexpectedEOF
			}
			return nil
		}
		if err != nil {
			return io.EOF
		}
	}
}

// indexFold is bytes.Index ignoring ASCII case; want is lower case.
func indexFold(b []byte, want string) int {
	for i := 0; i+len(want) <= len(b); i++ {
		if bytes.EqualFold(b[i:i+len(want)], []byte(want)) {
			return i
		}
	}
	return -1
}

// Write implements jsonrpc2.Stream. It writes the frame even when ctx is
// done: the response to a cancelled request must still reach the client.
func (s *stream) Write(_ context.Context, msg jsonrpc2.Message) (int64, error) {
	body, err := jsonrpc2.EncodeMessage(msg)
	if err != nil {
		return 0, fmt.Errorf("encoding a JSON-RPC message: %w", err)
	}
	frame := make([]byte, 0, len(body)+32)
	frame = append(frame, "Content-Length: "...)
	frame = strconv.AppendInt(frame, int64(len(body)), 10)
	frame = append(frame, "\r\n\r\n"...)
	frame = append(frame, body...)
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	n, err := s.w.Write(frame)
	return int64(n), err
}

// Close implements jsonrpc2.Stream.
func (s *stream) Close() error { return s.closer.Close() }

// Package lspbench measures a language server over stdio as an editor
// drives it: it starts the server process, opens a Go file of a generated
// schema module (internal/schemagen), makes edits that each produce a text
// the server has never seen, and times each didChange until the server
// publishes diagnostics for that version, and each completion request. It
// drives tbls and gopls alike, so that the figures compare.
package lspbench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tbls-dev/tbls/lsp"
)

// Edit kinds: what each edit toggles on the edited line.
const (
	// EditTypeError toggles `tb.Read` and `tb.Readx`, a type error every
	// Go language server reports.
	EditTypeError = "typeerror"
	// EditScope toggles `tb.Read` and `tb.Append` on an endpoint: TB201
	// for tbls.
	EditScope = "scope"
)

// Config says what to measure.
type Config struct {
	Command []string // the server's argv
	Dir     string   // the module, the workspace folder
	File    string   // the file to edit, relative to Dir
	Env     []string // added to the server's environment
	Edits   int      // how many measured edits
	Kind    string   // EditTypeError or EditScope
	// Completion requests completion after every edit when the server
	// offers it.
	Completion bool
	// Timeout bounds the wait for one publication after an edit, and
	// LoadTimeout the wait for the first (the module loads then).
	Timeout, LoadTimeout time.Duration
}

// Result holds the measured latencies and the server's peak memory.
type Result struct {
	Diagnostics []time.Duration // didChange → publishDiagnostics of that version
	Completion  []time.Duration // completion request → response
	PeakRSS     int64           // bytes (VmHWM), 0 when unknown
	Load        time.Duration   // didOpen → first publication
}

// Percentile returns the p-th percentile (0–100) of ds, 0 for none.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s)-1) * p / 100)
	return s[i]
}

// Run measures the server cfg describes.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.LoadTimeout == 0 {
		cfg.LoadTimeout = 15 * time.Minute
	}
	path := filepath.Join(cfg.Dir, cfg.File)
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, cfg.Command[0], cfg.Command[1:]...)
	cmd.Dir = cfg.Dir
	cmd.Env = append(os.Environ(), cfg.Env...)
	cmd.Stderr = io.Discard
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", cfg.Command[0], err)
	}
	c := &client{w: stdin, pending: map[int]chan json.RawMessage{}, published: map[int32]time.Time{}}
	c.cond = sync.NewCond(&c.mu)
	go c.read(bufio.NewReaderSize(stdout, 1<<20))
	defer func() {
		stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()

	root := "file://" + cfg.Dir
	fileURI := "file://" + path
	c.uri = fileURI
	var init struct {
		Capabilities struct {
			CompletionProvider json.RawMessage `json:"completionProvider"`
		} `json:"capabilities"`
	}
	if err := c.call(ctx, "initialize", map[string]any{
		"processId": os.Getpid(), "rootUri": root,
		"workspaceFolders": []any{map[string]any{"uri": root, "name": "bench"}},
		"capabilities": map[string]any{
			"textDocument": map[string]any{"publishDiagnostics": map[string]any{"versionSupport": true}},
			"window":       map[string]any{"workDoneProgress": false},
		},
	}, &init, cfg.LoadTimeout); err != nil {
		return nil, fmt.Errorf("initialize: %w", err)
	}
	canComplete := len(init.Capabilities.CompletionProvider) > 0 && string(init.Capabilities.CompletionProvider) != "null"
	c.notify("initialized", map[string]any{})

	res := &Result{}
	start := time.Now()
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": fileURI, "languageId": "go", "version": 1, "text": string(text),
	}})
	if _, err := c.waitPublished(1, cfg.LoadTimeout); err != nil {
		return nil, fmt.Errorf("first diagnostics: %w", err)
	}
	res.Load = time.Since(start)

	// The edited line: the last `Scope: tb.Read` of the file.
	at := bytes.LastIndex(text, []byte("Scope: tb.Read}"))
	if at < 0 {
		return nil, fmt.Errorf("%s has no `Scope: tb.Read}` to edit", path)
	}
	lineStart := bytes.LastIndexByte(text[:at], '\n') + 1
	lineEnd := lineStart + bytes.IndexByte(text[lineStart:], '\n')
	prefix := string(text[lineStart:at]) + "Scope: "
	alt := "tb.Readx"
	if cfg.Kind == EditScope {
		alt = "tb.Append"
	}
	for i := 1; i <= cfg.Edits; i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		scope := "tb.Read"
		if i%2 == 1 {
			scope = alt
		}
		// A unique comment makes every text new, so that no cache keyed
		// by content can answer.
		line := fmt.Sprintf("%s%s}, // edit %d %d", prefix, scope, i, time.Now().UnixNano())
		m := lsp.NewMapper(text, lsp.UTF16)
		rng, err := m.OffsetRange(lineStart, lineEnd)
		if err != nil {
			return nil, err
		}
		text = slices.Concat(text[:lineStart], []byte(line), text[lineEnd:])
		lineEnd = lineStart + len(line)
		version := int32(i + 1)
		sent := time.Now()
		c.notify("textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": fileURI, "version": version},
			"contentChanges": []any{map[string]any{"range": rng, "text": line}},
		})
		got, err := c.waitPublished(version, cfg.Timeout)
		if err != nil {
			return nil, fmt.Errorf("edit %d: %w", i, err)
		}
		res.Diagnostics = append(res.Diagnostics, got.Sub(sent))

		if cfg.Completion && canComplete {
			// After "tb." on the edited line; generated lines are ASCII,
			// so bytes count as UTF-16 units.
			pos := map[string]any{"line": rng.Start.Line, "character": len(prefix) + len("tb.")}
			cstart := time.Now()
			var items json.RawMessage
			if err := c.call(ctx, "textDocument/completion", map[string]any{
				"textDocument": map[string]any{"uri": fileURI}, "position": pos,
			}, &items, cfg.Timeout); err != nil {
				return nil, fmt.Errorf("completion after edit %d: %w", i, err)
			}
			res.Completion = append(res.Completion, time.Since(cstart))
		}
	}
	res.PeakRSS = peakRSS(cmd.Process.Pid)
	ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.call(ctx2, "shutdown", nil, nil, 10*time.Second); err == nil {
		c.notify("exit", nil)
	}
	return res, nil
}

// peakRSS reads VmHWM of process pid from /proc (Linux).
func peakRSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024
		}
	}
	return 0
}

// client is a minimal in-order LSP client over a process's stdio.
type client struct {
	wmu sync.Mutex
	w   io.Writer
	uri string

	mu        sync.Mutex
	cond      *sync.Cond
	nextID    int
	pending   map[int]chan json.RawMessage
	published map[int32]time.Time // versions of c.uri published, when
	readErr   error
}

func (c *client) write(msg map[string]any) {
	msg["jsonrpc"] = "2.0"
	body, _ := json.Marshal(msg)
	c.wmu.Lock()
	defer c.wmu.Unlock()
	fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n", len(body))
	c.w.Write(body)
}

func (c *client) notify(method string, params any) {
	c.write(map[string]any{"method": method, "params": params})
}

// call sends a request and decodes its result into result.
func (c *client) call(ctx context.Context, method string, params, result any, timeout time.Duration) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan json.RawMessage, 1)
	c.pending[id] = ch
	c.mu.Unlock()
	c.write(map[string]any{"id": id, "method": method, "params": params})
	select {
	case raw, ok := <-ch:
		if !ok {
			return c.err()
		}
		var resp struct {
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil {
			return err
		}
		if resp.Error != nil {
			return errors.New(resp.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(resp.Result, result)
		}
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("%s: no answer within %v", method, timeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *client) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.readErr != nil {
		return fmt.Errorf("the server's output ended: %w", c.readErr)
	}
	return errors.New("the server's output ended")
}

// waitPublished waits for diagnostics of version of the edited file and
// returns when they arrived.
func (c *client) waitPublished(version int32, timeout time.Duration) (time.Time, error) {
	timer := time.AfterFunc(timeout, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(timeout)
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		if t, ok := c.published[version]; ok {
			return t, nil
		}
		if c.readErr != nil {
			return time.Time{}, fmt.Errorf("the server's output ended: %w", c.readErr)
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("no diagnostics for version %d within %v", version, timeout)
		}
		c.cond.Wait()
	}
}

// read reads the server's messages: it answers the server's requests
// (with null, or a list of nulls for workspace/configuration), routes
// responses, and records publications.
func (c *client) read(r *bufio.Reader) {
	err := func() error {
		for {
			length := -1
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return err
				}
				line = strings.TrimRight(line, "\r\n")
				if line == "" {
					break
				}
				if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
					length, _ = strconv.Atoi(v)
				}
			}
			body := make([]byte, length)
			if _, err := io.ReadFull(r, body); err != nil {
				return err
			}
			now := time.Now()
			var msg struct {
				ID     json.RawMessage `json:"id"`
				Method string          `json:"method"`
				Params json.RawMessage `json:"params"`
			}
			if err := json.Unmarshal(body, &msg); err != nil {
				return fmt.Errorf("invalid JSON from the server: %w", err)
			}
			switch {
			case msg.Method != "" && len(msg.ID) > 0:
				var result any
				if msg.Method == "workspace/configuration" {
					var p struct {
						Items []any `json:"items"`
					}
					json.Unmarshal(msg.Params, &p)
					result = make([]any, len(p.Items))
				}
				c.write(map[string]any{"id": msg.ID, "result": result})
			case msg.Method == "textDocument/publishDiagnostics":
				var p struct {
					URI     string `json:"uri"`
					Version *int32 `json:"version"`
				}
				json.Unmarshal(msg.Params, &p)
				if p.URI == c.uri && p.Version != nil {
					c.mu.Lock()
					if _, seen := c.published[*p.Version]; !seen {
						c.published[*p.Version] = now
					}
					c.cond.Broadcast()
					c.mu.Unlock()
				}
			case msg.Method == "":
				id, err := strconv.Atoi(string(msg.ID))
				if err != nil {
					continue
				}
				c.mu.Lock()
				ch := c.pending[id]
				delete(c.pending, id)
				c.mu.Unlock()
				if ch != nil {
					ch <- body
				}
			}
		}
	}()
	c.mu.Lock()
	c.readErr = err
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	c.cond.Broadcast()
	c.mu.Unlock()
}

package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// BenchmarkCompletion measures scope completion through the in-process
// server, request to decoded answer, on the generated 27,000-line schema
// package (internal/schemagen): on an unchanged buffer, and right after a
// didChange that puts "Scope: tb." at a new place of the file every time
// (a text no cache has seen, so the engine re-checks the file first). It
// reports p50 and p99 besides ns/op; the goal is p99 < 10 ms.
func BenchmarkCompletion(b *testing.B) {
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{ReplaceDir: root}); err != nil {
		b.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	slices.Sort(files)
	var path string
	var text []byte
	for _, f := range files {
		if src, err := os.ReadFile(f); err == nil && bytes.Contains(src, []byte("tb.EndpointOptions")) && bytes.Count(src, []byte("Scope: tb.Read}")) > 100 {
			path, text = f, src
			break
		}
	}
	if path == "" {
		b.Fatal("no generated file with endpoints")
	}
	c := newBenchClient(b, dir)
	u := uri.File(path)
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "go", Version: 1, Text: string(text)}})
	c.waitVersion(u, 1) // loaded and checked once

	// The scope values of the endpoints: "Scope: tb.Read}" in the file's
	// second half.
	var sites []int
	for i := bytes.Index(text, []byte("tb.EndpointOptions")); i >= 0 && i < len(text); {
		j := bytes.Index(text[i:], []byte("Scope: tb.Read}"))
		if j < 0 {
			break
		}
		sites = append(sites, i+j+len("Scope: tb."))
		i += j + 1
	}

	run := func(b *testing.B, edit bool) {
		var lat []time.Duration
		version := int32(1)
		cur := text
		b.ResetTimer()
		for n := 0; b.Loop(); n++ {
			off := sites[n%len(sites)]
			if edit {
				b.StopTimer()
				// "Scope: tb.Read}" becomes "Scope: tb.}" at a new site.
				cur = slices.Concat(text[:off], text[off+len("Read"):])
				version++
				c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
					TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
					ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: string(cur)}},
				})
				b.StartTimer()
			}
			pos, _ := NewMapper(cur, UTF16).OffsetPosition(off)
			start := time.Now()
			var list protocol.CompletionList
			c.call(protocol.MethodTextDocumentCompletion, &protocol.CompletionParams{
				TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos},
			}, &list)
			lat = append(lat, time.Since(start))
			if len(list.Items) != 1 || list.Items[0].Label != "Read" {
				b.Fatalf("completion at %v: %v", pos, labels(&list))
			}
		}
		b.StopTimer()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("unchanged", func(b *testing.B) { run(b, false) })
	b.Run("after-edit", func(b *testing.B) { run(b, true) })
}

// benchClient is a minimal client for benchmarks, which the test client
// (bound to *testing.T) cannot serve.
type benchClient struct {
	protocol.UnimplementedClient
	b    *testing.B
	conn jsonrpc2.Conn

	mu       sync.Mutex
	cond     *sync.Cond
	versions map[uri.URI]int32
}

func newBenchClient(b *testing.B, dir string) *benchClient {
	serverSide, clientSide := net.Pipe()
	c := &benchClient{b: b, versions: map[uri.URI]int32{}}
	c.cond = sync.NewCond(&c.mu)
	done := make(chan error, 1)
	go func() { done <- Serve(context.Background(), serverSide, Options{Env: featureEnv}) }()
	_, c.conn, _ = protocol.NewClient(context.Background(), c, jsonrpc2.NewStream(clientSide))
	b.Cleanup(func() {
		c.conn.Close()
		<-done
	})
	root := uri.File(dir)
	var res json.RawMessage
	//lint:ignore SA1019 a client that sends only rootUri, as older ones do
	c.call(protocol.MethodInitialize, &protocol.InitializeParams{RootURI: &root}, &res)
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	return c
}

// PublishDiagnostics implements protocol.Client.
func (c *benchClient) PublishDiagnostics(_ context.Context, p *protocol.PublishDiagnosticsParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := p.Version.Get(); ok {
		c.versions[p.URI] = v
	}
	c.cond.Broadcast()
	return nil
}

func (c *benchClient) waitVersion(u uri.URI, v int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.versions[u] < v {
		c.cond.Wait()
	}
}

func (c *benchClient) notify(method string, params any) {
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		c.b.Fatalf("%s: %v", method, err)
	}
}

func (c *benchClient) call(method string, params, result any) {
	var raw jsonrpc2.RawMessage
	if _, err := c.conn.Call(context.Background(), method, params, &raw); err != nil {
		c.b.Fatalf("%s: %v", method, err)
	}
	if err := protocol.Unmarshal(raw, result); err != nil {
		c.b.Fatalf("%s: %v", method, err)
	}
}

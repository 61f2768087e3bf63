package lsp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// BenchmarkNavigation measures definition, references and rename through
// the in-process server, request to decoded answer, on the generated
// 27,000-line schema package (internal/schemagen: 1,000 datasources and
// 1,000 endpoints granting 4 tokens each) plus 2,000 generated datafiles
// (1,000 datasources and 1,000 pipes reading a Go datasource and a datafile
// one, each granting app_read). It reports p50 and p99 besides ns/op; the
// goals are p99 < 20 ms for definition and references, < 200 ms for
// rename.
func BenchmarkNavigation(b *testing.B) {
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{ReplaceDir: root}); err != nil {
		b.Fatal(err)
	}
	if err := schemagen.WriteDatafiles(filepath.Join(dir, "datafiles"), 1000); err != nil {
		b.Fatal(err)
	}
	pipe := filepath.Join(dir, "datafiles", "pipe_0007.pipe")
	text, err := os.ReadFile(pipe)
	if err != nil {
		b.Fatal(err)
	}
	c := newBenchClient(b, dir)
	u := uri.File(pipe)
	c.notify(protocol.MethodTextDocumentDidOpen, &protocol.DidOpenTextDocumentParams{TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "tinybird", Version: 1, Text: string(text)}})
	c.waitVersion(u, 1)
	pos := func(needle string) protocol.Position {
		i := strings.Index(string(text), needle)
		if i < 0 {
			b.Fatalf("%q not in %s", needle, pipe)
		}
		p, _ := NewMapper(text, UTF16).OffsetPosition(i + 1)
		return p
	}
	at := func(needle string) protocol.TextDocumentPositionParams {
		return protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: pos(needle)}
	}
	// Warm up: the first request waits for the module to load.
	var defs []protocol.Location
	c.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: at("events_0007")}, &defs)
	if len(defs) != 1 || !strings.HasSuffix(string(defs[0].URI), ".go") {
		b.Fatalf("definition of events_0007: %v", defs)
	}

	measure := func(b *testing.B, f func()) {
		var lat []time.Duration
		for b.Loop() {
			start := time.Now()
			f()
			lat = append(lat, time.Since(start))
		}
		b.StopTimer()
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("definition", func(b *testing.B) {
		measure(b, func() {
			var defs []protocol.Location
			c.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: at("events_0007")}, &defs)
			if len(defs) != 1 {
				b.Fatalf("definition: %v", defs)
			}
		})
	})
	// After an edit of the open pipe the workspace's project is built
	// again (its index over every file) before the answer.
	b.Run("definition-after-edit", func(b *testing.B) {
		version := int32(1)
		measure(b, func() {
			b.StopTimer()
			version++
			edited := string(text) + strings.Repeat("\n", int(version%7))
			c.notify(protocol.MethodTextDocumentDidChange, &protocol.DidChangeTextDocumentParams{
				TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
				ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: edited}},
			})
			b.StartTimer()
			var defs []protocol.Location
			c.call(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: at("events_0007")}, &defs)
			if len(defs) != 1 {
				b.Fatalf("definition after an edit: %v", defs)
			}
		})
	})
	b.Run("references-token", func(b *testing.B) {
		n := 0
		measure(b, func() {
			var refs []protocol.Location
			c.call(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{TextDocumentPositionParams: at("app_read"), Context: protocol.ReferenceContext{IncludeDeclaration: true}}, &refs)
			if len(refs) < 4000 {
				b.Fatalf("references of app_read: %d", len(refs))
			}
			n = len(refs)
		})
		b.ReportMetric(float64(n), "locations")
	})
	b.Run("references-datasource", func(b *testing.B) {
		measure(b, func() {
			var refs []protocol.Location
			c.call(protocol.MethodTextDocumentReferences, &protocol.ReferenceParams{TextDocumentPositionParams: at("events_0007"), Context: protocol.ReferenceContext{IncludeDeclaration: true}}, &refs)
			if len(refs) < 3 {
				b.Fatalf("references of events_0007: %v", refs)
			}
		})
	})
	b.Run("rename-token", func(b *testing.B) {
		n := 0
		measure(b, func() {
			var we protocol.WorkspaceEdit
			c.call(protocol.MethodTextDocumentRename, &protocol.RenameParams{TextDocumentPositionParams: at("app_read"), NewName: "reader"}, &we)
			if len(we.Changes) < 2000 {
				b.Fatalf("rename of app_read edits %d files", len(we.Changes))
			}
			n = len(we.Changes)
		})
		b.ReportMetric(float64(n), "files")
	})
}

package lsp

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// TestEditsMatchFreshServer applies random incremental edits (inserts and
// deletes at random offsets, many breaking the syntax, some inserting
// non-ASCII text) and checks that the diagnostics published for the final
// version equal those a fresh server publishes when it opens the final
// text.
func TestEditsMatchFreshServer(t *testing.T) {
	dir := writeModule(t, map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	resURI := uri.File(filepath.Join(dir, "resources.go"))
	snippets := []string{"tb.Append", `"WRITE"`, "}", "{", "é😀", "\n", "Scope: ", "//tbvet:ignore TB201\n", `"read"`, "tb.Read"}
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 42))
			c := initializeIn(t, dir, protocol.ClientCapabilities{})
			c.open(resURI, "go", 1, resourcesGo)
			text := resourcesGo
			version := int32(1)
			for range 40 {
				version++
				m := NewMapper([]byte(text), UTF16)
				start := runeStart(text, rng.IntN(len(text)+1))
				end := start
				ins := ""
				if rng.IntN(2) == 0 {
					end = runeStart(text, min(len(text), start+rng.IntN(12)))
				} else {
					ins = snippets[rng.IntN(len(snippets))]
				}
				r, err := m.OffsetRange(start, end)
				if err != nil {
					t.Fatal(err)
				}
				c.change(resURI, version, &protocol.TextDocumentContentChangePartial{Range: r, Text: ins})
				text = text[:start] + ins + text[end:]
			}
			got := c.diagnosticsFor(resURI, version)

			fresh := initializeIn(t, dir, protocol.ClientCapabilities{})
			fresh.open(resURI, "go", 1, text)
			want := fresh.diagnosticsFor(resURI, 1)
			if !slices.EqualFunc(got, want, func(a, b protocol.Diagnostic) bool {
				return a.Range == b.Range && a.Code == b.Code && a.Message == b.Message && a.Severity == b.Severity
			}) {
				t.Errorf("after the edits: %v %v\nfresh server: %v %v\ntext:\n%s", codes(got), got, codes(want), want, text)
			}
		})
	}
}

// runeStart moves off back to the start of the character it is in.
func runeStart(s string, off int) int {
	for off > 0 && off < len(s) && !utf8.RuneStart(s[off]) {
		off--
	}
	return off
}

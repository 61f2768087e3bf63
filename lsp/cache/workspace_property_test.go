package cache

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The workspace of TestWorkspaceEditsMatchFresh: a package with an
// in-package test file, an external test package and a cgo file, and a
// second package importing it, so that edits can add an import cycle,
// move a test file between the package and its external test package, and
// change a dependency's exported objects.
var workspaceFiles = map[string]string{
	"tokens.go":    tokensGo,
	"resources.go": resourcesGo,
	"names_test.go": "package schema\n\nimport tb \"github.com/tbls-dev/tbls/tinybird\"\n\n" +
		"var inTest = tb.DefineToken(\"bad name\")\n",
	"x_test.go": "package schema_test\n\nimport (\n\ttb \"github.com/tbls-dev/tbls/tinybird\"\n\n\t\"example.com/ws\"\n)\n\n" +
		"var X = tb.DefineEndpoint(\"x\", tb.EndpointOptions{Tokens: []tb.TokenAccess{{Token: ws.Reader, Scope: tb.Read}}})\n",
	"cgo.go": "package schema\n\n// #include <stdlib.h>\nimport \"C\"\n\nimport tb \"github.com/tbls-dev/tbls/tinybird\"\n\n" +
		"var CgoToken = tb.DefineToken(\"cgo_token\")\n\nfunc free() { C.free(nil) }\n",
	"other/other.go": "package other\n\nimport (\n\ttb \"github.com/tbls-dev/tbls/tinybird\"\n\n\t\"example.com/ws\"\n)\n\n" +
		"var O = tb.DefineDatasource(\"o\", tb.DatasourceOptions{Tokens: []tb.TokenAccess{{Token: ws.Reader, Scope: tb.Append}}})\n",
}

// workspaceSnippets are what the edits of TestWorkspaceEditsMatchFresh
// insert, besides the single-package test's snippets: an import closing a
// cycle, package clauses moving a test file, and names of the other
// package.
var workspaceSnippets = []string{
	"import _ \"example.com/ws/other\"\n", "package schema_test\n", "package schema\n",
	"ws.Reader", "Reader", "tb.Append", "x", "}", "var Reader2 = tb.DefineToken(\"r2\")\n",
}

// TestWorkspaceEditsMatchFresh applies random edits across the packages
// of a workspace (an in-package test file, an external test package, a
// cgo file, a dependent package, import cycles, files moving between a
// package and its external test package) and checks, after each, that
// every file's diagnostics equal those of a check sharing nothing with
// earlier ones, and after each sequence those of a fresh Session.
func TestWorkspaceEditsMatchFresh(t *testing.T) {
	dir := writeModule(t, "example.com/ws", workspaceFiles)
	ctx := context.Background()
	const sequences, steps = 4, 12
	inc, ref := newSession(t, dir), newSession(t, dir)
	ref.forceFull = true
	var names []string
	for name := range workspaceFiles {
		names = append(names, filepath.Join(dir, name))
	}
	sort.Strings(names)
	all := func(s *Session) string { return workspaceFingerprint(t, s, names) }
	for seq := range sequences {
		seed := *seedFlag*1000 + uint64(seq)
		rng := rand.New(rand.NewPCG(seed, seed))
		text := make(map[string]string)
		for _, name := range names {
			rel, _ := filepath.Rel(dir, name)
			text[name] = workspaceFiles[rel]
			inc.SetOverlay(name, nil)
			ref.SetOverlay(name, nil)
		}
		var history []string
		for range steps {
			name := names[rng.IntN(len(names))]
			t0 := text[name]
			var desc string
			switch s := workspaceSnippets[rng.IntN(len(workspaceSnippets))]; {
			case strings.HasPrefix(s, "package "):
				// Move the file: replace its package clause.
				line := strings.Index(t0, "\n")
				t0 = s[:len(s)-1] + t0[line:]
				desc = fmt.Sprintf("%s: %s", filepath.Base(name), strings.TrimSpace(s))
			case rng.IntN(4) == 0:
				s = snippets[rng.IntN(len(snippets))]
				fallthrough
			default:
				start := strings.Index(t0, "\n") + 1
				off := start + rng.IntN(len(t0)-start+1)
				if strings.HasPrefix(s, "import") {
					off = start // after the package clause
				}
				t0 = t0[:off] + s + t0[off:]
				desc = fmt.Sprintf("insert %q at %s:%d", s, filepath.Base(name), off)
			}
			text[name] = t0
			history = append(history, desc)
			inc.SetOverlay(name, []byte(t0))
			ref.SetOverlay(name, []byte(t0))
			if g, w := all(inc), all(ref); g != w {
				t.Fatalf("seed %d (rerun with -cache.seed=%d): after edits\n%s\nthe engine differs from a check sharing nothing:\n%s",
					seed, *seedFlag, strings.Join(history, "\n"), lineDiff(g, w))
			}
		}
		fresh := New(Options{Analyzers: inc.opts.Analyzers, Env: testEnv})
		for name, t0 := range text {
			fresh.SetOverlay(name, []byte(t0))
		}
		if err := fresh.AddFolder(ctx, dir); err != nil {
			t.Fatal(err)
		}
		if g, w := all(inc), all(fresh); g != w {
			t.Fatalf("seed %d: after edits\n%s\nthe engine differs from a fresh session:\n%s",
				seed, strings.Join(history, "\n"), lineDiff(g, w))
		}
	}
}

// workspaceFingerprint renders the diagnostics of every file of names,
// each with its package's fingerprint.
func workspaceFingerprint(t testing.TB, s *Session, names []string) string {
	t.Helper()
	var b strings.Builder
	for _, name := range names {
		r, err := s.Diagnose(context.Background(), name)
		if err != nil {
			t.Fatalf("Diagnose(%s): %v", filepath.Base(name), err)
		}
		fmt.Fprintf(&b, "\n== %s\n", filepath.Base(name))
		if r != nil {
			if f := r.File(name); f != nil {
				for _, d := range f.Diagnostics {
					fmt.Fprintf(&b, "%s %s\n", d.Analyzer, d.Message)
				}
			}
			b.WriteString(fingerprint(r))
		}
	}
	return b.String()
}

// FuzzWorkspaceEdit applies one edit to a file of the workspace of
// TestWorkspaceEditsMatchFresh (test files, cgo, a dependent package,
// cycles, package clauses) and compares every file's diagnostics with a
// check sharing nothing with earlier ones.
func FuzzWorkspaceEdit(f *testing.F) {
	dir := writeModule(f, "example.com/ws", workspaceFiles)
	var rels []string
	for name := range workspaceFiles {
		rels = append(rels, name)
	}
	sort.Strings(rels)
	names := make([]string, len(rels))
	for i, r := range rels {
		names[i] = filepath.Join(dir, r)
	}
	inc, ref := newSession(f, dir), newSession(f, dir)
	ref.forceFull = true
	f.Add(uint8(0), uint16(0), uint8(0), "import _ \"example.com/ws/other\"\n")
	f.Add(uint8(5), uint16(0), uint8(19), "package schema")
	f.Add(uint8(1), uint16(40), uint8(0), "}")
	f.Add(uint8(3), uint16(60), uint8(3), "ws.Reader")
	f.Fuzz(func(t *testing.T, which uint8, off uint16, del uint8, ins string) {
		i := int(which) % len(names)
		text := workspaceFiles[rels[i]]
		o := int(off) % (len(text) + 1)
		end := min(len(text), o+int(del))
		text = text[:o] + ins + text[end:]
		for _, n := range names {
			inc.SetOverlay(n, nil)
			ref.SetOverlay(n, nil)
		}
		inc.SetOverlay(names[i], []byte(text))
		ref.SetOverlay(names[i], []byte(text))
		if g, w := workspaceFingerprint(t, inc, names), workspaceFingerprint(t, ref, names); g != w {
			t.Fatalf("%s:\n%s\n%s", rels[i], text, lineDiff(g, w))
		}
	})
}

// lineDiff lists the lines of got and want that the other lacks.
func lineDiff(got, want string) string {
	count := func(s string) map[string]int {
		m := make(map[string]int)
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	g, w := count(got), count(want)
	var b strings.Builder
	for _, l := range strings.Split(got, "\n") {
		if g[l] > w[l] {
			fmt.Fprintf(&b, "- engine: %s\n", l)
			g[l]--
		}
	}
	for _, l := range strings.Split(want, "\n") {
		if w[l] > count(got)[l] {
			fmt.Fprintf(&b, "+ fresh:  %s\n", l)
			w[l]--
		}
	}
	return b.String()
}

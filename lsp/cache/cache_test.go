package cache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/internal/schemagen"
)

// testEnv makes go list resolve the SDK through the replace directive
// without touching the network.
var testEnv = []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"}

const tokensGo = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

const readerName = "reader"

var appRead = tb.DefineToken("app_read")

var topNodes = []tb.Node{{Name: "top", SQL: "SELECT 1 AS n"}}

var topOutput = tb.Schema{tb.Col("n", tb.UInt64())}
`

const resourcesGo = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

// Reader's name lives in tokens.go.
var Reader = tb.DefineToken(readerName)

var Top = tb.DefineEndpoint("top_events", tb.EndpointOptions{Nodes: topNodes, Output: topOutput,
	Tokens: []tb.TokenAccess{
		{Token: appRead, Scope: tb.Read},
		{Token: Reader, Scope: tb.Append},
	},
})
`

// writeModule writes a module requiring this checkout's SDK, with files
// (name → text) in its root package, and returns its directory.
func writeModule(t testing.TB, modulePath string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if d, err := filepath.EvalSymlinks(dir); err == nil {
		dir = d
	}
	writeModuleAt(t, dir, modulePath, files)
	return dir
}

func writeModuleAt(t testing.TB, dir, modulePath string, files map[string]string) {
	t.Helper()
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	if err := schemagen.WriteModule(dir, modulePath, root); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func newSession(t testing.TB, dirs ...string) *Session {
	t.Helper()
	s := New(Options{Analyzers: analyzer.Suite, Env: testEnv})
	for _, d := range dirs {
		if err := s.AddFolder(context.Background(), d); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// render prints a result's diagnostics for comparison: every position,
// message, category, URL and fix, one per line.
func render(r *Result) string {
	if r == nil {
		return "<no package>"
	}
	var b strings.Builder
	for _, f := range r.Files {
		for _, d := range f.Diagnostics {
			start, end := r.Fset.Position(d.Pos), r.Fset.Position(d.End)
			fmt.Fprintf(&b, "%s:%d:%d-%d:%d %s %s %q %s\n", filepath.Base(start.Filename), start.Line, start.Column, end.Line, end.Column,
				d.Analyzer, d.Category, d.Message, d.URL)
			for _, fix := range d.SuggestedFixes {
				fmt.Fprintf(&b, "\tfix %q\n", fix.Message)
				for _, e := range fix.TextEdits {
					s, en := r.Fset.Position(e.Pos), r.Fset.Position(e.End)
					fmt.Fprintf(&b, "\t\t%s:%d-%d %q\n", filepath.Base(s.Filename), s.Offset, en.Offset, e.NewText)
				}
			}
			for _, rel := range d.Related {
				fmt.Fprintf(&b, "\trelated %s %q\n", r.Fset.Position(rel.Pos), rel.Message)
			}
		}
	}
	return b.String()
}

func diagnose(t testing.TB, s *Session, filename string) *Result {
	t.Helper()
	r, err := s.Diagnose(context.Background(), filename)
	if err != nil {
		t.Fatalf("Diagnose(%s): %v", filename, err)
	}
	return r
}

func codes(r *Result, file string) []string {
	var out []string
	if f := r.File(file); f != nil {
		for _, d := range f.Diagnostics {
			out = append(out, d.Category)
		}
	}
	return out
}

func TestDiagnoseModule(t *testing.T) {
	dir := writeModule(t, "example.com/schema", map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	s := newSession(t, dir)
	res := filepath.Join(dir, "resources.go")
	tok := filepath.Join(dir, "tokens.go")
	r := diagnose(t, s, res)
	t.Logf("initial:\n%s", render(r))
	if got := codes(r, res); !slices.Equal(got, []string{"TB201"}) {
		t.Fatalf("resources.go codes = %v, want [TB201]\n%s", got, render(r))
	}
	if len(r.TypeErrors) != 0 {
		t.Fatalf("type errors: %v", r.TypeErrors)
	}

	// An overlay fixes the scope: the diagnostic goes.
	s.SetOverlay(res, []byte(strings.Replace(resourcesGo, "tb.Append", "tb.Read", 1)))
	r = diagnose(t, s, res)
	if got := codes(r, res); len(got) != 0 {
		t.Fatalf("after fix: %v\n%s", got, render(r))
	}
	if checks, _ := s.Stats(res); checks != 2 {
		t.Errorf("the package was checked %d times for two texts, want twice", checks)
	}

	// Dropping the only use of appRead makes tokens.go report TB302:
	// an edit of one file changes another file's diagnostics.
	s.SetOverlay(res, []byte(strings.Replace(resourcesGo, "{Token: appRead, Scope: tb.Read},", "", 1)))
	r = diagnose(t, s, res)
	if got := codes(r, tok); !slices.Equal(got, []string{"TB302"}) {
		t.Fatalf("tokens.go after dropping the use: %v\n%s", got, render(r))
	}

	// Editing tokens.go changes resources.go's diagnostics: the constant
	// token name becomes invalid (a surface change: full check).
	s.SetOverlay(res, nil)
	s.SetOverlay(tok, []byte(strings.Replace(tokensGo, `"reader"`, `"bad-name"`, 1)))
	r = diagnose(t, s, tok)
	if got := codes(r, res); !slices.Contains(got, "TB101") {
		t.Fatalf("resources.go after editing tokens.go: %v\n%s", got, render(r))
	}
	// Closing the overlay goes back to disk.
	s.SetOverlay(tok, nil)
	r = diagnose(t, s, tok)
	if got := codes(r, res); !slices.Equal(got, []string{"TB201"}) {
		t.Fatalf("after closing: %v\n%s", got, render(r))
	}
}

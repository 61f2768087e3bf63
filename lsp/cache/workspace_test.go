package cache

import (
	"context"
	"go/ast"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// loads returns how many times go list ran for the views of s.
func loads(s *Session) int {
	s.mu.Lock()
	views := s.allViewsLocked()
	s.mu.Unlock()
	n := 0
	for _, v := range views {
		v.mu.Lock()
		n += v.loads
		v.mu.Unlock()
	}
	return n
}

func TestFileOutsideModule(t *testing.T) {
	empty := t.TempDir()
	s := newSession(t, empty)
	stray := filepath.Join(empty, "stray.go")
	if err := os.WriteFile(stray, []byte(resourcesGo), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{stray, "/nonexistent/dir/x.go", "relative.go"} {
		s.SetOverlay(name, []byte(resourcesGo))
		if r, err := s.Diagnose(context.Background(), name); r != nil || err != nil {
			t.Errorf("Diagnose(%s) = %v, %v; want no package and no error", name, r, err)
		}
		if p, err := s.Snapshot(context.Background(), name); p != nil || err != nil {
			t.Errorf("Snapshot(%s) = %v, %v; want no package and no error", name, p, err)
		}
	}
}

func TestSyntaxError(t *testing.T) {
	dir := writeModule(t, "example.com/schema", map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	s := newSession(t, dir)
	res := filepath.Join(dir, "resources.go")
	diagnose(t, s, res)
	// A broken declaration after the endpoint: the endpoint still parses,
	// type-checks and is analyzed.
	s.SetOverlay(res, []byte(resourcesGo+"\nvar broken = tb.DefineToken(\n"))
	r := diagnose(t, s, res)
	if r.File(res).ParseError == nil {
		t.Errorf("no parse error reported")
	}
	if got := codes(r, res); !slices.Equal(got, []string{"TB201"}) {
		t.Errorf("codes = %v, want [TB201]\n%s", got, render(r))
	}
	// A file that is only garbage.
	s.SetOverlay(res, []byte("}}} package ((("))
	r = diagnose(t, s, res)
	if r.File(res).ParseError == nil {
		t.Errorf("no parse error for garbage")
	}
	// Type errors do not stop the analyzers.
	s.SetOverlay(res, []byte(strings.Replace(resourcesGo, "Scope: tb.Read}", "Scope: tb.Readx}", 1)))
	r = diagnose(t, s, res)
	if len(r.TypeErrors) == 0 || !slices.Equal(codes(r, res), []string{"TB201"}) {
		t.Errorf("type errors %v, codes %v; want a type error and [TB201]", r.TypeErrors, codes(r, res))
	}
}

func TestImportAddedReloads(t *testing.T) {
	dir := writeModule(t, "example.com/schema", map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	s := newSession(t, dir)
	res := filepath.Join(dir, "resources.go")
	diagnose(t, s, res)
	if n := loads(s); n != 1 {
		t.Fatalf("loads = %d, want 1", n)
	}
	withImport := func(path, use string) []byte {
		return []byte(strings.Replace(resourcesGo, `import tb "github.com/tbls-dev/tbls/tinybird"`,
			"import (\n\ttb \"github.com/tbls-dev/tbls/tinybird\"\n\t\""+path+"\"\n)\n\nvar _ = "+use, 1))
	}
	// The SDK's own dependency: already in the loaded graph, no reload.
	s.SetOverlay(res, withImport("github.com/tbls-dev/tbls/rules", "rules.TB101"))
	r := diagnose(t, s, res)
	if len(r.TypeErrors) != 0 || loads(s) != 1 {
		t.Fatalf("rules import: type errors %v, loads %d; want none and 1", r.TypeErrors, loads(s))
	}
	// A package outside the graph: one reload, then it type-checks.
	s.SetOverlay(res, withImport("hash/adler32", "adler32.Size"))
	r = diagnose(t, s, res)
	if len(r.TypeErrors) != 0 || loads(s) != 2 {
		t.Fatalf("adler32 import: type errors %v, loads %d; want none and 2", r.TypeErrors, loads(s))
	}
	if got := codes(r, res); !slices.Equal(got, []string{"TB201"}) {
		t.Errorf("codes after reload = %v", got)
	}
	// An import nothing provides reloads once, not on every keystroke.
	s.SetOverlay(res, withImport("example.com/nowhere", "nowhere.X"))
	diagnose(t, s, res)
	s.SetOverlay(res, withImport("example.com/nowhere", "nowhere.Y"))
	r = diagnose(t, s, res)
	if loads(s) != 3 || len(r.TypeErrors) == 0 {
		t.Errorf("missing import: loads %d, type errors %v; want 3 loads and an error", loads(s), r.TypeErrors)
	}
	// A new file on disk joins the package after FileChanged.
	extra := filepath.Join(dir, "extra.go")
	if err := os.WriteFile(extra, []byte("package schema\n\nimport tb \"github.com/tbls-dev/tbls/tinybird\"\n\nvar Extra = tb.DefineToken(\"bad name\")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.FileChanged(extra)
	r = diagnose(t, s, extra)
	if got := codes(r, extra); !slices.Equal(got, []string{"TB101"}) {
		t.Errorf("new file codes = %v, want [TB101]", got)
	}
}

func TestGoWorkTwoModules(t *testing.T) {
	root := t.TempDir()
	if d, err := filepath.EvalSymlinks(root); err == nil {
		root = d
	}
	writeModuleAt(t, filepath.Join(root, "a"), "example.com/a", map[string]string{
		"a.go": "package a\n\nimport tb \"github.com/tbls-dev/tbls/tinybird\"\n\nvar AppRead = tb.DefineToken(\"app_read\")\n",
	})
	writeModuleAt(t, filepath.Join(root, "b"), "example.com/b", map[string]string{
		"b.go": "package b\n\nimport (\n\ttb \"github.com/tbls-dev/tbls/tinybird\"\n\n\t\"example.com/a\"\n)\n\n" +
			"var Top = tb.DefineEndpoint(\"top_events\", tb.EndpointOptions{Nodes: []tb.Node{{Name: \"top\", SQL: \"SELECT 1 AS n\"}}, Output: tb.Schema{tb.Col(\"n\", tb.UInt64())},\n\tTokens: []tb.TokenAccess{{Token: a.AppRead, Scope: tb.Append}},\n})\n",
	})
	if err := os.WriteFile(filepath.Join(root, "go.work"), []byte("go 1.26.0\n\nuse (\n\t./a\n\t./b\n)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := New(Options{Analyzers: newSession(t).opts.Analyzers, Env: []string{"GOFLAGS=", "GOPROXY=off"}})
	if err := s.AddFolder(context.Background(), root); err != nil {
		t.Fatal(err)
	}
	bfile, afile := filepath.Join(root, "b", "b.go"), filepath.Join(root, "a", "a.go")
	r := diagnose(t, s, bfile)
	if got := codes(r, bfile); !slices.Equal(got, []string{"TB201"}) || len(r.TypeErrors) != 0 {
		t.Fatalf("b: codes %v, type errors %v", got, r.TypeErrors)
	}
	if r := diagnose(t, s, afile); r == nil || r.File(afile) == nil {
		t.Fatalf("a.go has no package")
	}
	// Renaming the token in module a breaks module b.
	s.SetOverlay(afile, []byte("package a\n\nimport tb \"github.com/tbls-dev/tbls/tinybird\"\n\nvar AppRead2 = tb.DefineToken(\"app_read\")\n"))
	r = diagnose(t, s, bfile)
	if len(r.TypeErrors) == 0 || !strings.Contains(r.TypeErrors[0].Msg, "AppRead") {
		t.Fatalf("b after renaming in a: type errors %v", r.TypeErrors)
	}
	s.SetOverlay(afile, nil)
	r = diagnose(t, s, bfile)
	if len(r.TypeErrors) != 0 {
		t.Fatalf("b after restoring a: type errors %v", r.TypeErrors)
	}
}

func TestSnapshot(t *testing.T) {
	dir := writeModule(t, "example.com/schema", map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	s := newSession(t, dir)
	res := filepath.Join(dir, "resources.go")
	s.SetOverlay(res, []byte(strings.Replace(resourcesGo, "var Top", "var Top2", 1)))
	p, err := s.Snapshot(context.Background(), res)
	if err != nil || p == nil {
		t.Fatalf("Snapshot: %v, %v", p, err)
	}
	if p.Types.Scope().Lookup("Top2") == nil || p.Types.Scope().Lookup("appRead") == nil {
		t.Errorf("package scope lacks Top2 or appRead: %v", p.Types.Scope().Names())
	}
	info := p.Info(res)
	f := p.File(res)
	if info == nil || f == nil {
		t.Fatal("no info or file for resources.go")
	}
	// Every identifier of the file resolves, including uses of tokens.go.
	n := 0
	ast.Inspect(f.Syntax, func(node ast.Node) bool {
		if id, ok := node.(*ast.Ident); ok && id.Name == "appRead" && info.Use(id) == p.Types.Scope().Lookup("appRead") {
			n++
		}
		return true
	})
	if n != 1 {
		t.Errorf("uses of appRead resolving to the package object: %d, want 1", n)
	}
}

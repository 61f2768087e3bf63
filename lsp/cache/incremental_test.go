package cache

import (
	"context"
	"errors"
	"go/ast"
	"go/types"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
)

const objectsSharedGo = `package schema

import "github.com/tbls-dev/tbls/tinybird"

var common = []tinybird.TokenAccess{
	{Token: appRead, Scope: tinybird.Read},
}

var cfg = struct{ Tokens []tinybird.TokenAccess }{Tokens: common}

func readOnly(t tinybird.Token) tinybird.TokenAccess {
	return tinybird.TokenAccess{Token: t, Scope: tinybird.Read}
}
`

const objectsUsesGo = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

var Shared = tb.DefineEndpoint("shared", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: common})

var Helped = tb.DefineEndpoint("helped", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())},
	Tokens: []tb.TokenAccess{readOnly(appRead)},
})

var Configured = tb.DefineEndpoint("configured", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: cfg.Tokens})
`

// TestIncrementalObjects edits a file declaring a shared Tokens list, a
// variable of an anonymous struct type and a helper function, all used
// from another file: each edit checks the package once, gives the
// diagnostics of a check that shares nothing with earlier ones, and
// leaves Defs, Uses and Types naming the package's objects and the
// current syntax.
func TestIncrementalObjects(t *testing.T) {
	dir := writeModule(t, "example.com/schema", map[string]string{
		"tokens.go": tokensGo, "shared.go": objectsSharedGo, "uses.go": objectsUsesGo,
	})
	inc, ref := newSession(t, dir), newSession(t, dir)
	ref.forceFull = true
	shared, uses := filepath.Join(dir, "shared.go"), filepath.Join(dir, "uses.go")
	diagnose(t, inc, shared)
	for _, edit := range []struct{ old, new, want string }{
		// The shared list grants APPEND: reported at its use on an endpoint.
		{"Scope: tinybird.Read},\n}", "Scope: tinybird.Append},\n}", "TB201"},
		// The helper grants APPEND: reported at its call.
		{"Token: t, Scope: tinybird.Read}", "Token: t, Scope: tinybird.Append}", "TB201"},
		// Lines added above every declaration move them all.
		{"import", "// Shared grants.\n\nimport", ""},
	} {
		text := strings.Replace(objectsSharedGo, edit.old, edit.new, 1)
		checks0, _ := inc.Stats(shared)
		inc.SetOverlay(shared, []byte(text))
		ref.SetOverlay(shared, []byte(text))
		got, want := diagnose(t, inc, shared), diagnose(t, ref, shared)
		if checks, _ := inc.Stats(shared); checks != checks0+1 {
			t.Fatalf("edit %q: checked %d times, want once", edit.new, checks-checks0)
		}
		if g, w := fingerprint(got), fingerprint(want); g != w {
			t.Fatalf("edit %q:\nincremental:\n%s\nfull check:\n%s", edit.new, g, w)
		}
		if codes := codes(got, uses); edit.want != "" && !slices.Contains(codes, edit.want) {
			t.Errorf("edit %q: uses.go codes %v, want %s", edit.new, codes, edit.want)
		}
		if g, w := typesOf(t, inc, shared), typesOf(t, ref, shared); g != w {
			t.Fatalf("edit %q: types\nincremental:\n%s\nfull check:\n%s", edit.new, g, w)
		}

		p, err := inc.Snapshot(context.Background(), shared)
		if err != nil {
			t.Fatal(err)
		}
		info, f, scope := p.Info(shared), p.File(shared), p.Types.Scope()
		readOnly := scope.Lookup("readOnly").(*types.Func)
		cfgVar := scope.Lookup("cfg").(*types.Var)
		for _, d := range f.Syntax.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if info.Def(fd.Name) != readOnly {
				t.Errorf("edit %q: Defs of readOnly is not the package's object", edit.new)
			}
			// The helper's parameter, at its declaration and its use, is
			// the one of readOnly's signature: the scope analyzer
			// substitutes arguments by it.
			param := readOnly.Signature().Params().At(0)
			n := 0
			ast.Inspect(fd, func(n2 ast.Node) bool {
				if id, ok := n2.(*ast.Ident); ok && id.Name == "t" {
					if obj := info.ObjectOf(id); obj != param {
						t.Errorf("edit %q: %s at %v is %v, not readOnly's parameter", edit.new, id.Name, p.Fset.Position(id.Pos()), obj)
					}
					n++
				}
				return true
			})
			if n != 2 {
				t.Errorf("edit %q: %d uses of t, want 2", edit.new, n)
			}
			// LookupParent from the file's scopes finds the package's
			// objects.
			if obj := info.Scope(fd.Type).Parent().Parent(); obj == nil {
				t.Errorf("edit %q: readOnly's scope has no package scope above its file scope", edit.new)
			} else if _, o := info.Scope(fd.Type).LookupParent("cfg", fd.Body.Pos()); o != cfgVar {
				t.Errorf("edit %q: LookupParent(cfg) = %v", edit.new, o)
			}
		}
		// The field of cfg's anonymous struct, keyed in its literal, is
		// the field of cfg's type.
		field := cfgVar.Type().Underlying().(*types.Struct).Field(0)
		found := false
		ast.Inspect(f.Syntax, func(n ast.Node) bool {
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Tokens" {
					found = true
					if info.Use(id) != field {
						t.Errorf("edit %q: field key Tokens is %v, not cfg's field", edit.new, info.Use(id))
					}
				}
			}
			return true
		})
		if !found {
			t.Fatalf("edit %q: no Tokens key in shared.go", edit.new)
		}
	}
}

// TestSnapshotDuringAnalysis holds an analysis in an analyzer while the
// file is edited: Snapshot returns the edited state without waiting for
// it, the held run ends cancelled, and the next Diagnose describes the
// edit. Run with -race, it checks that analyzers read the state they were
// given while edits are checked.
func TestSnapshotDuringAnalysis(t *testing.T) {
	dir := writeModule(t, "example.com/schema", map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo})
	entered, release := make(chan struct{}, 4), make(chan struct{})
	hold := &analysis.Analyzer{
		Name: "hold", Doc: "waits until released",
		Run: func(*analysis.Pass) (any, error) {
			entered <- struct{}{}
			<-release
			return nil, nil
		},
	}
	s := New(Options{Analyzers: append(slices.Clone(analyzer.Suite), hold), Env: testEnv})
	if err := s.AddFolder(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	res := filepath.Join(dir, "resources.go")
	type outcome struct {
		r   *Result
		err error
	}
	first := make(chan outcome)
	go func() {
		r, err := s.Diagnose(context.Background(), res)
		first <- outcome{r, err}
	}()
	<-entered

	// An edit that keeps the file's surface, then one that changes it,
	// each visible to Snapshot at once.
	fixed := strings.Replace(resourcesGo, "tb.Append", "tb.Read", 1)
	for _, text := range []string{fixed, strings.Replace(fixed, "var Top", "var Top2", 1)} {
		s.SetOverlay(res, []byte(text))
		p, err := s.Snapshot(context.Background(), res)
		if err != nil {
			t.Fatal(err)
		}
		if f := p.File(res); string(f.Content) != text || p.Info(res) == nil {
			t.Fatalf("snapshot lacks the edit")
		}
	}
	close(release)
	if o := <-first; !errors.Is(o.err, context.Canceled) {
		t.Errorf("held run: %v, %v; want it cancelled by the edit", o.r, o.err)
	}
	r := diagnose(t, s, res)
	if got := codes(r, res); len(got) != 0 || r.File(res) == nil || !strings.Contains(string(r.File(res).Content), "Top2") {
		t.Errorf("after the edits: codes %v, want none for the edited text", got)
	}
}

package cache

import (
	"context"
	"flag"
	"fmt"
	"go/ast"
	"go/types"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/analyzer"
)

var seedFlag = flag.Uint64("cache.seed", 1, "seed of TestIncrementalMatchesFresh's random edits")

const helpersGo = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

const prefix = "top"

func scopeFor(write bool) tb.Scope {
	if write {
		return tb.Append
	}
	return tb.Read
}

var Ingest = tb.DefineToken("ingest")

var Feed = tb.DefineDatasource("feed", tb.DatasourceOptions{Schema: tb.Schema{tb.Col("id", tb.String())},
	Tokens: []tb.TokenAccess{{Token: Ingest, Scope: scopeFor(true)}, {Token: appRead, Scope: "read"}},
})
`

// sharedGo holds what resources of other files use: a shared Tokens list
// and helper functions, which the scope analyzer follows across files.
const sharedGo = `package schema

import "github.com/tbls-dev/tbls/tinybird"

var common = []tinybird.TokenAccess{
	{Token: appRead, Scope: tinybird.Read},
	{Token: Ingest, Scope: tinybird.Append},
}

func readOnly(t tinybird.Token) tinybird.TokenAccess {
	return tinybird.TokenAccess{Token: t, Scope: tinybird.Read}
}

func grant(t tinybird.Token, s tinybird.Scope) tinybird.TokenAccess {
	return tinybird.TokenAccess{Token: t, Scope: s}
}
`

// usesGo uses sharedGo's list and helpers.
const usesGo = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

var SharedEP = tb.DefineEndpoint("shared_ep", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: common})

var SharedDS = tb.DefineDatasource("shared_ds", tb.DatasourceOptions{Schema: tb.Schema{tb.Col("id", tb.String())}, Tokens: common})

var Helped = tb.DefineEndpoint("helped", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())},
	Tokens: []tb.TokenAccess{readOnly(Reader), grant(Ingest, tb.Append), readOnly(appRead)},
})
`

// propertyFiles are the files of the package the random edits change.
var propertyFiles = map[string]string{
	"tokens.go": tokensGo, "resources.go": resourcesGo, "helpers.go": helpersGo,
	"shared.go": sharedGo, "uses.go": usesGo,
}

// snippets are what random edits insert: SDK identifiers, scopes, names
// that break rules, declarations that change a file's surface, and bare
// punctuation that breaks the syntax.
var snippets = []string{
	"tb.Append", "tb.Read", `"bad-name"`, `"app_read"`, "appRead", "Reader", "Ingest", "readerName", "prefix",
	"}", "{", "(", ")", ",", "\n", " ", "x", "//", `"`, "0",
	"var z = 1\n", "func g() int { return 1 }\n", "type T int\n", `const c = "reader"` + "\n",
	"{Token: appRead, Scope: tb.Append},", "{Token: Reader, Scope: tb.Read},",
	`var dup = tb.DefineToken("app_read")` + "\n", `var Other = tb.DefineToken(readerName)` + "\n",
	"//tbvet:ignore TB201\n", "//tbvet:ignore TB201 read by the billing job\n",
	"tinybird.Append", "tinybird.Read", "common", "readOnly(Ingest)", "grant(appRead, tb.Append)", "t", "s",
	"{Token: Ingest, Scope: tinybird.Read},", `import "strings"` + "\n", "tb ", `"github.com/tbls-dev/tbls/rules"` + "\n",
}

// fingerprint renders a result: analyzer diagnostics and type errors.
func fingerprint(r *Result) string {
	if r == nil {
		return "<no package>"
	}
	var errs []string
	for _, e := range r.TypeErrors {
		p := r.Fset.Position(e.Pos)
		errs = append(errs, fmt.Sprintf("%s:%d:%d %s", filepath.Base(p.Filename), p.Line, p.Column, e.Msg))
	}
	sort.Strings(errs)
	return render(r) + "type errors:\n" + strings.Join(errs, "\n")
}

// lookup returns what get finds in the part of info that holds it.
func lookup[V any](info *analyzer.TypesInfo, get func(*types.Info) (V, bool)) (V, bool) {
	for _, p := range info.Parts() {
		if v, ok := get(p); ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// typesOf renders the type information of the package containing filename
// as the analyzers, completion and hover read it: for every identifier
// the object it defines or uses, and for every expression its type and
// constant value, in file order. A split check (split.go) must give what a
// whole check of the same texts gives. (The whole check's InitOrder is not
// kept: a split check cannot have go/types' order of the whole package, and
// nothing reads it.)
func typesOf(t testing.TB, s *Session, filename string) string {
	t.Helper()
	p, err := s.Snapshot(context.Background(), filename)
	if err != nil {
		t.Fatalf("Snapshot(%s): %v", filename, err)
	}
	info := p.TypesInfo
	var b strings.Builder
	for _, part := range info.Parts() {
		if len(part.InitOrder) > 0 {
			fmt.Fprintf(&b, "InitOrder has %d entries\n", len(part.InitOrder))
		}
	}
	qual := func(pkg *types.Package) string { return pkg.Path() }
	obj := func(o types.Object) string {
		if o == nil {
			return "<nil>"
		}
		return fmt.Sprintf("%s@%s", types.ObjectString(o, qual), p.Fset.Position(o.Pos()))
	}
	for _, f := range p.Files {
		fmt.Fprintf(&b, "file %s\n", filepath.Base(f.Name))
		ast.Inspect(f.Syntax, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Ident:
				if o, ok := lookup(info, func(p *types.Info) (types.Object, bool) { o, ok := p.Defs[n]; return o, ok }); ok {
					fmt.Fprintf(&b, "%s def %s\n", p.Fset.Position(n.Pos()), obj(o))
				}
				if o, ok := lookup(info, func(p *types.Info) (types.Object, bool) { o, ok := p.Uses[n]; return o, ok }); ok {
					fmt.Fprintf(&b, "%s use %s\n", p.Fset.Position(n.Pos()), obj(o))
				}
			}
			if e, ok := n.(ast.Expr); ok {
				if tv, ok := info.Types(e); ok {
					fmt.Fprintf(&b, "%s type %s %v\n", p.Fset.Position(e.Pos()), types.TypeString(tv.Type, qual), tv.Value)
				}
			}
			return true
		})
	}
	return b.String()
}

// editor applies random edits to a package's files.
type editor struct {
	rng   *rand.Rand
	names []string
	text  map[string]string
}

// all returns the text of every file, for failure messages.
func (e *editor) all() string {
	var b strings.Builder
	for _, name := range e.names {
		fmt.Fprintf(&b, "-- %s --\n%s", filepath.Base(name), e.text[name])
	}
	return b.String()
}

func (e *editor) edit() (string, string) {
	name := e.names[e.rng.IntN(len(e.names))]
	t := e.text[name]
	// Edits hit import declarations too: an import path the loaded graph
	// lacks costs one go list run per path (TestImportAddedReloads). The
	// package clause is left alone: go list decides a package's name.
	start := strings.Index(t, "\n") + 1
	off := start + e.rng.IntN(len(t)-start+1)
	var desc string
	if e.rng.IntN(3) == 0 && off < len(t) {
		end := min(len(t), off+1+e.rng.IntN(12))
		desc = fmt.Sprintf("delete %s[%d:%d] %q", filepath.Base(name), off, end, t[off:end])
		t = t[:off] + t[end:]
	} else {
		s := snippets[e.rng.IntN(len(snippets))]
		desc = fmt.Sprintf("insert %q at %s:%d", s, filepath.Base(name), off)
		t = t[:off] + s + t[off:]
	}
	e.text[name] = t
	return name, desc
}

// TestIncrementalMatchesFresh applies random edits through the
// incremental path and checks, after each, that the diagnostics equal a
// full check of the same text, and after each sequence that they equal
// those of a fresh Session loading the final text.
func TestIncrementalMatchesFresh(t *testing.T) {
	files := propertyFiles
	dir := writeModule(t, "example.com/schema", files)
	ctx := context.Background()
	const sequences, steps = 10, 30
	// One incremental and one reference session serve every sequence:
	// going back to the disk text is just another edit.
	inc, ref := newSession(t, dir), newSession(t, dir)
	ref.forceFull = true
	for seq := range sequences {
		seed := *seedFlag*1000 + uint64(seq)
		e := &editor{rng: rand.New(rand.NewPCG(seed, seed)), text: make(map[string]string)}
		for name, text := range files {
			abs := filepath.Join(dir, name)
			e.names = append(e.names, abs)
			e.text[abs] = text
		}
		sort.Strings(e.names)
		for _, name := range e.names {
			inc.SetOverlay(name, nil)
			ref.SetOverlay(name, nil)
		}
		diagnose(t, inc, e.names[0]) // the first check is full
		var history []string
		for range steps {
			name, desc := e.edit()
			history = append(history, desc)
			inc.SetOverlay(name, []byte(e.text[name]))
			ref.SetOverlay(name, []byte(e.text[name]))
			got, err := inc.Diagnose(ctx, name)
			if err != nil {
				t.Fatalf("seed %d: Diagnose: %v", seed, err)
			}
			want := diagnose(t, ref, name)
			if g, w := fingerprint(got), fingerprint(want); g != w {
				t.Fatalf("seed %d (rerun with -cache.seed=%d): after edits\n%s\n%s\nincremental:\n%s\nfull check:\n%s",
					seed, *seedFlag, strings.Join(history, "\n"), e.all(), g, w)
			}
			if g, w := typesOf(t, inc, name), typesOf(t, ref, name); g != w {
				t.Fatalf("seed %d (rerun with -cache.seed=%d): after edits\n%s\n%s\ntypes, incremental:\n%s\nfull check:\n%s",
					seed, *seedFlag, strings.Join(history, "\n"), e.all(), g, w)
			}
		}
		full, incr := inc.Stats(e.names[0])
		t.Logf("sequence %d (seed %d): %d full checks, %d incremental", seq, seed, full, incr)
		// A fresh Session that loads the final text.
		fresh := New(Options{Analyzers: inc.opts.Analyzers, Env: testEnv})
		for name, text := range e.text {
			fresh.SetOverlay(name, []byte(text))
		}
		if err := fresh.AddFolder(ctx, dir); err != nil {
			t.Fatal(err)
		}
		for _, name := range e.names {
			got, want := diagnose(t, inc, name), diagnose(t, fresh, name)
			if g, w := fingerprint(got), fingerprint(want); g != w {
				t.Fatalf("seed %d: final text differs from a fresh session:\nincremental:\n%s\nfresh:\n%s", seed, g, w)
			}
		}
	}
}

// FuzzEdit applies one edit to a file of the test package and compares
// the incremental result with a full check of the same text.
func FuzzEdit(f *testing.F) {
	files := propertyFiles
	dir := writeModule(f, "example.com/schema", files)
	names := slices.Sorted(maps.Keys(files))
	inc, ref := newSession(f, dir), newSession(f, dir)
	ref.forceFull = true
	f.Add(uint8(1), uint16(200), uint8(0), "tb.Append")
	f.Add(uint8(2), uint16(100), uint8(5), "")
	f.Add(uint8(0), uint16(50), uint8(0), "type T int\n")
	f.Add(uint8(1), uint16(10), uint8(3), "}")
	f.Fuzz(func(t *testing.T, which uint8, off uint16, del uint8, ins string) {
		name := filepath.Join(dir, names[int(which)%len(names)])
		text := files[names[int(which)%len(names)]]
		o := int(off) % (len(text) + 1)
		end := min(len(text), o+int(del))
		text = text[:o] + ins + text[end:]
		inc.SetOverlay(name, []byte(text))
		ref.SetOverlay(name, []byte(text))
		got, err := inc.Diagnose(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ref.Diagnose(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := fingerprint(got), fingerprint(want); g != w {
			t.Fatalf("text:\n%s\nincremental:\n%s\nfull check:\n%s", text, g, w)
		}
	})
}

package cache

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"
	"testing"
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

var Feed = tb.DefineDatasource("feed", tb.DatasourceOptions{
	Tokens: []tb.TokenAccess{{Token: Ingest, Scope: scopeFor(true)}, {Token: appRead, Scope: "read"}},
})
`

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

// editor applies random edits to a package's files.
type editor struct {
	rng   *rand.Rand
	names []string
	text  map[string]string
}

func (e *editor) edit() (string, string) {
	name := e.names[e.rng.IntN(len(e.names))]
	t := e.text[name]
	// Edits stay after the import declaration: a changed import path
	// costs a go list run (tested in TestImportAddedReloads), which would
	// make this test slow.
	start := strings.Index(t, "tinybird\"\n") + len("tinybird\"\n")
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
	files := map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo, "helpers.go": helpersGo}
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
					seed, *seedFlag, strings.Join(history, "\n"), e.text[name], g, w)
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
	files := map[string]string{"tokens.go": tokensGo, "resources.go": resourcesGo, "helpers.go": helpersGo}
	dir := writeModule(f, "example.com/schema", files)
	names := []string{"helpers.go", "resources.go", "tokens.go"}
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

package cache

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
)

// The package TestSplitMatchesWhole edits: tokens and shared values in
// one file, resources in three others that the edits change.
const splitTokensGo = `package schema

import tb "github.com/tbls-dev/tbls/tinybird"

var (
	AppRead   = tb.DefineToken("app_read")
	Ingest    = tb.DefineToken("ingest")
	internal  = tb.DefineToken("internal")
)

var sharedRead = []tb.TokenAccess{{Token: AppRead, Scope: tb.Read}}

var commonSchema = tb.Schema{
	tb.Col("timestamp", tb.DateTime()),
	tb.Col("timestamp", tb.String()),
}

type Holder struct{ n int }

func (h Holder) value() int { return h.n }

func readOnly(t tb.Token) tb.TokenAccess { return tb.TokenAccess{Token: t, Scope: tb.Read} }
`

func splitResourceGo(i int) string {
	return fmt.Sprintf(`package schema

import tb "github.com/tbls-dev/tbls/tinybird"

var Events%[1]d = tb.DefineDatasource("events_%[1]d", tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("timestamp", tb.DateTime())},
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"timestamp"}}),
	Tokens: []tb.TokenAccess{{Token: Ingest, Scope: tb.Append}},
})

var Top%[1]d = tb.DefineEndpoint("top_%[1]d", tb.EndpointOptions{
	Nodes:  []tb.Node{{Name: "n", SQL: "SELECT 1 AS n"}},
	Output: tb.Schema{tb.Col("n", tb.UInt8())},
	Tokens: []tb.TokenAccess{{Token: AppRead, Scope: tb.Read}},
})
`, i)
}

// splitEdits are what TestSplitMatchesWhole adds to a resource file (%[1]d
// is a counter): each exercises a condition of split.go or a part of
// split_analysis.go.
var splitEdits = []string{
	// Local findings in F: TB201, a shared list and a helper of the rest.
	`var E%[1]d = tb.DefineEndpoint("e_%[1]d", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: []tb.TokenAccess{{Token: AppRead, Scope: tb.Append}}})`,
	`var S%[1]d = tb.DefineDatasource("s_%[1]d", tb.DatasourceOptions{Schema: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: sharedRead})`,
	`var H%[1]d = tb.DefineEndpoint("h_%[1]d", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: []tb.TokenAccess{readOnly(Ingest)}})`,
	// A schema of the rest with a problem, reached from F too: reported
	// once.
	`var C%[1]d = tb.DefineDatasource("c_%[1]d", tb.DatasourceOptions{Schema: commonSchema})`,
	// Whole-package analyzers: a name another file defines (TB701), the
	// unexported token granted at last (TB302 goes away).
	`var D%[1]d = tb.DefineDatasource("events_1", tb.DatasourceOptions{Schema: tb.Schema{tb.Col("n", tb.UInt8())}})`,
	`var G%[1]d = tb.DefineEndpoint("g_%[1]d", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: []tb.TokenAccess{{Token: internal, Scope: tb.Read}}})`,
	// Unexported fields and methods of the rest's types: the same package.
	`var V%[1]d = Holder{n: %[1]d}.value()`,
	// Type errors in F.
	`var U%[1]d = undefinedName%[1]d`,
	`var W%[1]d int = "text"`,
	// Refused: F redeclares a name of the rest, declares a name the rest
	// spells, adds a method to the rest's type.
	`var AppRead = 1`,
	`var n = 2`,
	`func (h Holder) Extra%[1]d() int { return h.n }`,
	// Refused for the analysis: a directive.
	`//tbvet:ignore TB201 read by the nightly job
var I%[1]d = tb.DefineEndpoint("i_%[1]d", tb.EndpointOptions{Nodes: []tb.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Tokens: []tb.TokenAccess{{Token: AppRead, Scope: tb.Append}}})`,
}

// splitRestEdits change the rest's file instead: the next edits of a
// resource file split against a rest with type errors, or whole again.
var splitRestEdits = []struct{ old, new string }{
	{"var sharedRead = []tb.TokenAccess{{Token: AppRead, Scope: tb.Read}}", "var sharedRead = []tb.TokenAccess{{Token: AppRead, Scope: tb.Append}}"},
	{"type Holder struct{ n int }", "type Holder struct{ n int }\n\nvar restBroken = undefinedInRest"},
}

// TestSplitMatchesWhole edits the resource files of a package at random,
// and sometimes the file they all use, and after each edit compares the
// diagnostics, type errors and every node's type information with those
// of a session that checks and analyzes every package whole. It fails if
// too few edits were split, so that it keeps testing the split path.
func TestSplitMatchesWhole(t *testing.T) {
	const steps = 120
	checks, split := splitEditsMatchWhole(t, rand.New(rand.NewPCG(7, uint64(len(splitEdits)))), steps)
	t.Logf("%d checks, %d split", checks, split)
	if split < steps/3 {
		t.Errorf("only %d of %d checks were split: the test no longer exercises split checks", split, checks)
	}
}

// FuzzSplitEdits is TestSplitMatchesWhole with the edits chosen by the
// fuzzer's seed.
func FuzzSplitEdits(f *testing.F) {
	for _, seed := range []uint64{1, 2, 3} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, seed uint64) {
		splitEditsMatchWhole(t, rand.New(rand.NewPCG(seed, seed>>7)), 25)
	})
}

// splitEditsMatchWhole makes steps random edits and compares a session
// with split checks and one without after each; it returns the first's
// counts of checks and split checks.
func splitEditsMatchWhole(t *testing.T, rng *rand.Rand, steps int) (checks, split int) {
	files := map[string]string{"tokens.go": splitTokensGo}
	var names []string
	for i := range 3 {
		name := fmt.Sprintf("res%d.go", i)
		files[name] = splitResourceGo(i)
		names = append(names, name)
	}
	dir := writeModule(t, "example.com/schema", files)
	inc, ref := newSession(t, dir), newSession(t, dir)
	ref.forceFull = true
	for _, name := range append([]string{"tokens.go"}, names...) {
		diagnose(t, inc, filepath.Join(dir, name))
	}
	texts := map[string]string{}
	for name, text := range files {
		texts[name] = text
	}
	var history []string
	for step := range steps {
		name := names[rng.IntN(len(names))]
		var desc string
		switch r := rng.IntN(20); {
		case r == 0:
			e := splitRestEdits[rng.IntN(len(splitRestEdits))]
			name = "tokens.go"
			if strings.Contains(texts[name], e.old) {
				texts[name] = strings.Replace(texts[name], e.old, e.new, 1)
			} else {
				texts[name] = strings.Replace(texts[name], e.new, e.old, 1)
			}
			desc = "tokens.go: toggle " + e.old
		case r < 5:
			texts[name] = files[name] // undo every edit of the file
			desc = name + ": reset"
		default:
			edit := fmt.Sprintf(splitEdits[rng.IntN(len(splitEdits))], step)
			texts[name] += "\n" + edit + "\n"
			desc = name + ": add " + edit
		}
		history = append(history, desc)
		path := filepath.Join(dir, name)
		inc.SetOverlay(path, []byte(texts[name]))
		ref.SetOverlay(path, []byte(texts[name]))
		got, want := diagnose(t, inc, path), diagnose(t, ref, path)
		if g, w := fingerprint(got), fingerprint(want); g != w {
			t.Fatalf("after edits\n%s\nsplit:\n%s\nwhole:\n%s", strings.Join(history, "\n"), g, w)
		}
		if g, w := typesOf(t, inc, path), typesOf(t, ref, path); g != w {
			t.Fatalf("after edits\n%s\ntypes differ:\n%s", strings.Join(history, "\n"), lineDiff(g, w))
		}
	}
	return inc.Stats(filepath.Join(dir, names[0]))
}

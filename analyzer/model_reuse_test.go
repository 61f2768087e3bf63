package analyzer_test

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/internal/sdkedits"
)

// TestModelReuseMatchesFresh runs random edit sequences of a package of
// several files (shared lists, helpers, append, variables holding one
// access, targets and tokens in other files, names declared twice), each
// edit type-checked as the engine checks it and given its epochs, and
// compares, after every edit, the model NewModelReusing makes from the
// previous one with the model NewModel reads from scratch: every field of
// every resource, token, grant, access and target, with positions and
// identities, KindsOf of every literal, and Accesses of every Tokens
// value. It checks that reuse happened: every file whose epoch is
// unchanged reuses its first pass, and over the run, second passes are
// both reused and, when a look-up across files finds another declaration,
// read again.
func TestModelReuseMatchesFresh(t *testing.T) {
	const sequences, steps, files = 12, 40, 5
	var firsts, seconds, invalidated int
	for seed := range uint64(sequences) {
		seq, err := sdkedits.New(seed, files)
		if err != nil {
			t.Fatal(err)
		}
		step := seq.First()
		prev := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, nil)
		prevStep := step
		for i := range steps {
			step = seq.Next()
			fresh := analyzer.NewModel(step.Fset, step.Files, step.Pkg, step.Info)
			reused := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, prev.Parts())
			want, got := renderModelFully(step.Fset, step.Files, fresh), renderModelFully(step.Fset, step.Files, reused)
			if got != want {
				t.Fatalf("seed %d, step %d (edited file %d): the reusing model differs from the fresh one:\n%s\nsources:\n%s",
					seed, i, step.Edited, lineDiff(want, got), strings.Join(step.Sources, "\n// ----\n"))
			}
			unchanged := 0
			for j, f := range step.Files {
				if step.Epochs[j] == prevStep.Epochs[j] && f == prevStep.Files[j] {
					unchanged++
				}
			}
			first, second := reused.Reused()
			if first != unchanged || second > first {
				t.Fatalf("seed %d, step %d: %d files unchanged, reused %d first passes and %d second passes", seed, i, unchanged, first, second)
			}
			firsts, seconds, invalidated = firsts+first, seconds+second, invalidated+first-second
			prev, prevStep = reused, step
		}
	}
	t.Logf("reused %d first passes, %d second passes; %d second passes read again", firsts, seconds, invalidated)
	if seconds == 0 || invalidated == 0 {
		t.Errorf("the edits exercised too little: %d second passes reused, %d read again after a look-up changed", seconds, invalidated)
	}
}

// TestModelReuseRequiresEpochs checks that nothing is reused without
// epochs, or from a syntax-only model.
func TestModelReuseRequiresEpochs(t *testing.T) {
	seq, err := sdkedits.New(1, 3)
	if err != nil {
		t.Fatal(err)
	}
	step := seq.First()
	typed := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, nil)
	if first, second := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), nil, typed.Parts()).Reused(); first+second != 0 {
		t.Errorf("reused %d and %d passes without epochs", first, second)
	}
	syntax := analyzer.NewSyntaxModel(step.Fset, step.Files, step.Pkg.Path(), nil)
	if first, second := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, syntax.Parts()).Reused(); first+second != 0 {
		t.Errorf("reused %d and %d passes of a syntax-only model", first, second)
	}
	if first, _ := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, typed.Parts()).Reused(); first != len(step.Files) {
		t.Errorf("reused %d first passes of %d unchanged files", first, len(step.Files))
	}
}

// renderModelFully prints everything md holds, nodes and objects by
// position and identity, resources by index.
func renderModelFully(fset *token.FileSet, files []*ast.File, md *analyzer.Model) string {
	var b strings.Builder
	node := func(n ast.Node) string {
		if n == nil || n == ast.Node((*ast.File)(nil)) {
			return "nil"
		}
		return fmt.Sprintf("%T[%s-%s]#%p", n, fset.Position(n.Pos()), fset.Position(n.End()), n)
	}
	expr := func(e ast.Expr) string {
		if e == nil {
			return "nil"
		}
		return node(e)
	}
	obj := func(v *types.Var) string {
		if v == nil {
			return "nil"
		}
		return fmt.Sprintf("%s#%p", v.Name(), v)
	}
	resource := func(r *analyzer.Resource) string {
		if r == nil {
			return "nil"
		}
		if i := slices.Index(md.Resources, r); i >= 0 {
			return fmt.Sprintf("resource %d", i)
		}
		return "a resource not in the model"
	}
	access := func(a *analyzer.Access) string {
		if a == nil {
			return "nil"
		}
		list := "nil"
		if a.List != nil {
			list = node(a.List)
		}
		shared := "nil"
		if a.Shared != nil {
			shared = node(a.Shared)
		}
		return fmt.Sprintf("{Elt %s List %s Index %d Lit %s Helper %v File %s Shared %s Token %s Scope %s Name %s ScopeHere %v Perms %s PermsValue %s}",
			expr(a.Elt), list, a.Index, node(a.Lit), a.Helper, node(a.File), shared, expr(a.Token), expr(a.Scope), expr(a.Name), a.ScopeHere, expr(a.Perms), expr(a.PermsValue))
	}
	fmt.Fprintf(&b, "typed %v\n", md.Typed)
	for i, r := range md.Resources {
		fmt.Fprintf(&b, "resource %d: kind %v subject %v func %s call %s file %s name %s %q const %v options %s var %s %q\n",
			i, r.Kind, r.Subject, r.Func, node(r.Call), node(r.File), expr(r.NameExpr), r.Name, r.NameConst, expr(r.Options), obj(r.Var), r.VarName)
	}
	for _, tk := range md.Tokens {
		fmt.Fprintf(&b, "token: call %s file %s name %s %q const %v var %s %q\n",
			node(tk.Call), node(tk.File), expr(tk.NameExpr), tk.Name, tk.NameConst, obj(tk.Var), tk.VarName)
	}
	for _, g := range md.Grants {
		fmt.Fprintf(&b, "grant: %s kind %v options %s field %s file %s token %s %q inline %q const %v scope %q const %v pos %s access %s\n",
			resource(g.Resource), g.Kind, node(g.Options), expr(g.Field), node(g.File), obj(g.Token), g.TokenVar, g.Inline, g.InlineConst,
			g.Scope, g.ScopeConst, fset.Position(g.Pos), access(g.Access))
	}
	for _, tg := range md.Targets {
		fmt.Fprintf(&b, "target: options %s kind %v field %s value %s file %s var %s %q %s\n",
			node(tg.Options), tg.Kind, tg.Field, expr(tg.Value), node(tg.File), obj(tg.Var), tg.VarName, resource(tg.Resource))
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if kinds := md.KindsOf(n); kinds != nil {
					fmt.Fprintf(&b, "kinds of %s: %v\n", node(n), kinds)
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "Tokens" {
					for _, a := range md.Accesses(f, n.Value) {
						fmt.Fprintf(&b, "accesses of %s: %s\n", node(n), access(a))
					}
				}
			}
			return true
		})
	}
	return b.String()
}

// lineDiff returns the lines of want and got that the other lacks.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	if b.Len() == 0 {
		return "(the same lines, in another order)"
	}
	return b.String()
}

// BenchmarkModelEdit measures the model of a generated package of 2,000
// resources in 21 files after an edit of one file that the engine checks
// alone: read from scratch, and reusing the previous model.
func BenchmarkModelEdit(b *testing.B) {
	srcs, err := sdkedits.SchemaSources(2000)
	if err != nil {
		b.Fatal(err)
	}
	seq, err := sdkedits.FromSources(srcs)
	if err != nil {
		b.Fatal(err)
	}
	edited := len(srcs) - 1
	for _, reuse := range []bool{false, true} {
		b.Run(fmt.Sprintf("reuse=%v", reuse), func(b *testing.B) {
			step := seq.First()
			prev := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, nil)
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				step = seq.Edit(edited, strings.Replace(srcs[edited], "Scope: tb.Read}", fmt.Sprintf("Scope: \"READ%d\"}", i), 1))
				b.StartTimer()
				if reuse {
					prev = analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, prev.Parts())
				} else {
					prev = analyzer.NewModel(step.Fset, step.Files, step.Pkg, step.Info)
				}
			}
		})
	}
}

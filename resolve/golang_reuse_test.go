package resolve

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/internal/sdkedits"
)

// TestGoFilesReuseMatchesFresh runs random edit sequences of a package of
// several files (sdkedits: shared lists, helpers, append, targets and
// tokens in other files, names declared twice, type errors), each edit
// checked as the engine checks it and given its epochs, and compares after
// every edit GoFilesReusing, from the previous reading, with GoFiles from
// scratch: every File, Decl and Ref, field by field. It reads both with
// the model given (a NewModelReusing model, as the language server does)
// and with the model left to GoFilesReusing, and a syntax-only reading
// too. It checks that reuse happened: the uses of every file whose epoch
// is unchanged, and every object of the model that the previous model
// held too.
func TestGoFilesReuseMatchesFresh(t *testing.T) {
	const sequences, steps, files = 10, 40, 5
	var objects, reusedObjects int
	for seed := range uint64(sequences) {
		seq, err := sdkedits.New(seed, files)
		if err != nil {
			t.Fatal(err)
		}
		step := seq.First()
		model := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, nil)
		pkgOf := func(step sdkedits.Step, model *analyzer.Model) GoPackage {
			return GoPackage{Fset: step.Fset, Files: step.Files, Pkg: step.Pkg, Info: analyzer.NewTypesInfo(step.Info), Model: model, Epochs: step.Epochs}
		}
		_, given := GoFilesReusing(pkgOf(step, model), nil)
		_, built := GoFilesReusing(pkgOf(step, nil), nil)
		prevStep := step
		for i := range steps {
			step = seq.Next()
			inPrev := modelObjects(model)
			fail := func(what string, want, got []*File) {
				t.Fatalf("seed %d, step %d (edited file %d), %s: the reusing reading differs from the fresh one:\n%s\nsources:\n%s",
					seed, i, step.Edited, what, fileDiff(want, got), strings.Join(step.Sources, "\n// ----\n"))
			}
			want := GoFiles(GoPackage{Fset: step.Fset, Files: step.Files, Pkg: step.Pkg, Info: analyzer.NewTypesInfo(step.Info)})
			model = analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, model.Parts())
			var got []*File
			got, given = GoFilesReusing(pkgOf(step, model), given)
			if !reflect.DeepEqual(want, got) {
				fail("model given", want, got)
			}
			got, built = GoFilesReusing(pkgOf(step, nil), built)
			if !reflect.DeepEqual(want, got) {
				fail("model read", want, got)
			}
			syntax := GoPackage{Fset: step.Fset, Files: step.Files, Path: step.Pkg.Path(), Epochs: step.Epochs}
			wantSyntax := GoFiles(syntax)
			if gotSyntax, _ := GoFilesReusing(syntax, given); !reflect.DeepEqual(wantSyntax, gotSyntax) {
				fail("syntax only", wantSyntax, gotSyntax)
			}

			unchanged := 0
			for j, f := range step.Files {
				if step.Epochs[j] == prevStep.Epochs[j] && f == prevStep.Files[j] {
					unchanged++
				}
			}
			objs, fls := given.Reused()
			if fls != unchanged {
				t.Fatalf("seed %d, step %d: %d files unchanged, the uses of %d reused", seed, i, unchanged, fls)
			}
			shared := 0
			for obj := range modelObjects(model) {
				if inPrev[obj] {
					shared++
				}
			}
			if objs != shared {
				t.Fatalf("seed %d, step %d: the model shares %d objects with the previous one, the reading reused %d", seed, i, shared, objs)
			}
			objects += len(modelObjects(model))
			reusedObjects += objs
			prevStep = step
		}
	}
	t.Logf("reused %d of %d objects", reusedObjects, objects)
	if reusedObjects == 0 {
		t.Errorf("reused none of %d objects of the models", objects)
	}
}

// modelObjects returns the set of m's objects.
func modelObjects(m *analyzer.Model) map[any]bool {
	set := map[any]bool{}
	for _, o := range m.Tokens {
		set[o] = true
	}
	for _, o := range m.Resources {
		set[o] = true
	}
	for _, o := range m.Grants {
		set[o] = true
	}
	for _, o := range m.Targets {
		set[o] = true
	}
	return set
}

// fileDiff returns the lines of the renderings of want and got that the
// other lacks.
func fileDiff(want, got []*File) string {
	render := func(files []*File) []string {
		var out []string
		for i, f := range files {
			out = append(out, fmt.Sprintf("file %d %s", i, f.Path))
			for j, d := range f.Decls {
				out = append(out, fmt.Sprintf("file %d decl %d %+v", i, j, d))
			}
			for j, r := range f.Refs {
				out = append(out, fmt.Sprintf("file %d ref %d %+v", i, j, r))
			}
		}
		return out
	}
	w, g := render(want), render(got)
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
		return "(the same lines, or other fields)"
	}
	return b.String()
}

// BenchmarkGoFilesEdit measures the names of a generated package of 2,000
// resources in 21 files after an edit of one file that the engine checks
// alone, given the model (reused, as the language server reads it): read
// from scratch, and reusing the previous reading.
func BenchmarkGoFilesEdit(b *testing.B) {
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
			model := analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, nil)
			pkg := func() GoPackage {
				return GoPackage{Fset: step.Fset, Files: step.Files, Pkg: step.Pkg, Info: analyzer.NewTypesInfo(step.Info), Model: model, Epochs: step.Epochs}
			}
			_, reading := GoFilesReusing(pkg(), nil)
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				step = seq.Edit(edited, strings.Replace(srcs[edited], "Scope: tb.Read}", fmt.Sprintf("Scope: \"READ%d\"}", i), 1))
				model = analyzer.NewModelReusing(step.Fset, step.Files, step.Pkg, analyzer.NewTypesInfo(step.Info), step.Epochs, model.Parts())
				b.StartTimer()
				if reuse {
					_, reading = GoFilesReusing(pkg(), reading)
				} else {
					GoFiles(pkg())
				}
			}
		})
	}
}

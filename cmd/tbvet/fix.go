package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"go/types"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/ast/astutil"
)

// This file is -fix and -fix -diff on the in-process path. It follows
// x/tools v0.52.0's checker (go/analysis/internal/checker, which calls
// internal/analysis/driverutil.ApplyFixes) step by step, so that both
// drivers rewrite files alike; TestFixMatchesXTools runs both to keep it so:
//
//   - each diagnostic's first fix is applied; each alternative is logged
//     ("ignoring alternative fix") and skipped;
//   - fixes are taken in the order of the root actions and their
//     diagnostics, and a fix is kept only if all its edits merge cleanly
//     with the fixes kept before it (identical edits coalesce; overlapping
//     different ones conflict, and the whole fix is dropped);
//   - a fix editing a generated file is skipped without error;
//   - each edited file is reformatted (gofmt's printer settings) with the
//     imports that became unused removed, unless it no longer parses;
//   - -diff prints a unified diff per file on stdout, labelled
//     "FILE (old)" and "FILE (new)", and writes nothing;
//   - dropped fixes or failed writes are an error (exit 1) that says how
//     many applied; diagnostics themselves are not printed and do not
//     make the exit code 3.

// edit replaces the bytes [start, end) of a file with text.
type edit struct {
	start, end int
	text       string
}

// applyFixes applies the fixes of the root actions' diagnostics as x/tools'
// checker does (see above), writing files or, with printDiff, printing the
// diff to stdout. Logs go to stderr. It returns an error when some fix was
// not applied or a file not written.
func applyFixes(roots []*checker.Action, printDiff bool, stdout, stderr io.Writer) error {
	type fixAction struct {
		fix *analysis.SuggestedFix
		act *checker.Action
	}
	generated := make(map[*token.File]bool)
	var fixes []fixAction
	for _, act := range roots {
		for _, f := range act.Package.Syntax {
			tf := act.Package.Fset.File(f.FileStart)
			if _, seen := generated[tf]; !seen {
				generated[tf] = ast.IsGenerated(f)
			}
		}
		for _, d := range act.Diagnostics {
			for i := range d.SuggestedFixes {
				fix := &d.SuggestedFixes[i]
				if i == 0 {
					fixes = append(fixes, fixAction{fix, act})
				} else {
					fmt.Fprintf(stderr, "%s: %s: ignoring alternative fix %q\n", progname(), act, fix.Message)
				}
			}
		}
	}

	baseline := make(map[string][]byte)
	accumulated := make(map[string][]edit)
	filePkgs := make(map[string]*types.Package)
	good, skipped := 0, 0
fixLoop:
	for _, fa := range fixes {
		fset := fa.act.Package.Fset
		for _, e := range fa.fix.TextEdits {
			if generated[fset.File(e.Pos)] {
				skipped++
				continue fixLoop
			}
		}
		fileEdits := make(map[string][]edit)
		for _, e := range fa.fix.TextEdits {
			file := fset.File(e.Pos)
			if file == nil {
				// x/tools' checker validates fixes before this point; an
				// edit outside any file cannot be applied.
				fmt.Fprintf(stderr, "%s: skipping fix %q: an edit lies outside the package's files\n", progname(), fa.fix.Message)
				continue fixLoop
			}
			name := file.Name()
			filePkgs[name] = fa.act.Package.Types
			content, ok := baseline[name]
			if !ok {
				var err error
				if content, err = os.ReadFile(name); err != nil {
					fmt.Fprintf(stderr, "%s: skipping fix to file %s: %v\n", progname(), name, err)
					continue fixLoop
				}
				baseline[name] = content
			}
			// The positions are those of the parsed text: a file whose
			// size changed since was edited meanwhile, and no edit of the
			// run can be trusted.
			if file.Size() != len(content) {
				return fmt.Errorf("concurrent file modification detected in file %s (size changed from %d -> %d bytes); aborting fix", name, file.Size(), len(content))
			}
			end := e.End
			if !end.IsValid() {
				end = e.Pos
			}
			fileEdits[name] = append(fileEdits[name], edit{file.Offset(e.Pos), file.Offset(end), string(e.NewText)})
		}
		after := make(map[string][]edit)
		for name, edits := range fileEdits {
			if prev := accumulated[name]; len(prev) > 0 {
				merged, ok := mergeEdits(prev, edits)
				if !ok {
					continue fixLoop // conflicts with a fix kept before
				}
				edits = merged
			}
			after[name] = edits
		}
		good++
		maps.Copy(accumulated, after)
	}
	bad := len(fixes) - good - skipped

	files := slices.Sorted(maps.Keys(accumulated))
	updated, total := 0, 0
	for _, name := range files {
		edits := accumulated[name]
		if len(edits) == 0 {
			continue
		}
		old := baseline[name]
		final, err := applyEdits(old, edits)
		if err != nil {
			return fmt.Errorf("fixes to %s: %v", name, err)
		}
		if formatted, err := formatRemoveImports(filePkgs[name], final); err == nil {
			final = formatted
		}
		if printDiff {
			if _, err := io.WriteString(stdout, unifiedDiff(name+" (old)", name+" (new)", string(old), string(final))); err != nil {
				return err
			}
			continue
		}
		total++
		if err := os.WriteFile(name, final, 0o644); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
			continue
		}
		updated++
	}
	if bad > 0 || updated < total {
		if printDiff {
			return fmt.Errorf("%d of %s skipped (e.g. due to conflicts)", bad, plural(len(fixes), "fix", "fixes"))
		}
		return fmt.Errorf("applied %d of %s; %s updated. (Re-run the command to apply more.)", good, plural(len(fixes), "fix", "fixes"), plural(updated, "file", "files"))
	}
	return nil
}

// mergeEdits merges two ordered lists of edits of one file as x/tools'
// diff.Merge does: identical edits coalesce, an edit partly before another
// is split into a deletion and the rest, insertions of x come first at the
// same point, and two different non-insertions at one point conflict
// (false).
func mergeEdits(x, y []edit) ([]edit, bool) {
	x, y = slices.Clone(x), slices.Clone(y)
	var merged []edit
	xi, yi := 0, 0
	for xi < len(x) && yi < len(y) {
		px, py := &x[xi], &y[yi]
		switch {
		case *px == *py:
			merged = append(merged, *px)
			xi++
			yi++
		case px.end <= py.start:
			merged = append(merged, *px)
			xi++
		case py.end <= px.start:
			merged = append(merged, *py)
			yi++
		case px.start < py.start:
			merged = append(merged, edit{px.start, py.start, ""})
			px.start = py.start
		case py.start < px.start:
			merged = append(merged, edit{py.start, px.start, ""})
			py.start = px.start
		default:
			return nil, false
		}
	}
	merged = append(merged, x[xi:]...)
	return append(merged, y[yi:]...), true
}

// applyEdits applies edits to src in order of start offset (insertions
// before replacements at the same point, otherwise stably), refusing edits
// out of bounds or overlapping.
func applyEdits(src []byte, edits []edit) ([]byte, error) {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b edit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return a.end - b.end
	})
	var out []byte
	last := 0
	for _, e := range edits {
		if e.start < 0 || e.start > e.end || e.end > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) out of bounds of %d bytes", e.start, e.end, len(src))
		}
		if e.start < last {
			return nil, fmt.Errorf("overlapping edits at offset %d", e.start)
		}
		out = append(out, src[last:e.start]...)
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, src[last:]...), nil
}

// formatRemoveImports formats src as gofmt does, sorting the imports and
// removing those whose name the file no longer uses, as x/tools'
// driverutil.FormatSourceRemoveImports does. pkg, the package before the
// fixes, gives the names of non-renaming imports; an import whose name it
// does not know is kept. A name counts as used when it is the left side of
// a selector outside the imports, which keeps an import that a local
// declaration shadows everywhere, where x/tools' scope-aware analysis
// would remove it: rare, and the conservative side.
func formatRemoveImports(pkg *types.Package, src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "fixed.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	ast.SortImports(fset, file)

	names := make(map[string]string)
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if names[p.Path()] == "" {
			names[p.Path()] = p.Name()
			for _, imp := range p.Imports() {
				visit(imp)
			}
		}
	}
	if pkg != nil {
		for _, imp := range pkg.Imports() {
			visit(imp)
		}
	}
	used := make(map[string]bool)
	for _, decl := range file.Decls {
		if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		ast.Inspect(decl, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok {
					used[id.Name] = true
				}
			}
			return true
		})
	}
	type spec struct{ explicit, path string }
	var unused []spec
	for _, s := range file.Imports {
		path, err := strconv.Unquote(s.Path.Value)
		if err != nil {
			continue
		}
		explicit := ""
		if s.Name != nil {
			explicit = s.Name.Name
		}
		name := explicit
		if name == "" {
			name = names[path]
		}
		switch name {
		case "", ".", "_":
			continue
		}
		if !used[name] {
			unused = append(unused, spec{explicit, path})
		}
	}
	for _, s := range unused {
		astutil.DeleteNamedImport(fset, file, s.explicit, s.path)
	}

	// printerNormalizeNumbers is go/printer's unexported mode bit that
	// gofmt uses to canonicalize number literals.
	const printerNormalizeNumbers = 1 << 30
	cfg := &printer.Config{Mode: printer.UseSpaces | printer.TabIndent | printerNormalizeNumbers, Tabwidth: 8}
	var buf bytes.Buffer
	if err := cfg.Fprint(&buf, fset, file); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// plural returns "n noun" in the form that n needs.
func plural(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return fmt.Sprintf("%d %s", n, plural)
}

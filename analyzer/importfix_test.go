package analyzer_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/tbls-dev/tbls/analyzer"
)

// TestFixesDropImportsTheyEmpty applies each TB201 fix to a file where the
// scope is the only use of an import, and checks that the fixed file no
// longer imports it. analysistest's golden comparison cannot see this: it
// removes unused imports before comparing.
func TestFixesDropImportsTheyEmpty(t *testing.T) {
	results := analysistest.Run(t, testModule, analyzer.Scope, testPkg+"importfix")
	var fixes []analysis.SuggestedFix
	var fset *token.FileSet
	for _, r := range results {
		fset = r.Pass.Fset
		for _, d := range r.Diagnostics {
			fixes = append(fixes, d.SuggestedFixes...)
		}
	}
	if len(fixes) != 2 {
		t.Fatalf("got %d fixes, want 2 (change the scope, remove the access)", len(fixes))
	}
	filename := filepath.Join(testModule, "importfix", "importfix.go")
	src, err := os.ReadFile(filename)
	if err != nil {
		t.Fatal(err)
	}
	for _, fix := range fixes {
		edits := slices.Clone(fix.TextEdits)
		slices.SortFunc(edits, func(a, b analysis.TextEdit) int { return int(b.Pos - a.Pos) })
		out := slices.Clone(src)
		for _, e := range edits {
			start, end := fset.Position(e.Pos).Offset, fset.Position(e.End).Offset
			out = slices.Concat(out[:start], e.NewText, out[end:])
		}
		f, err := parser.ParseFile(token.NewFileSet(), "fixed.go", out, parser.ImportsOnly)
		if err != nil {
			t.Fatalf("%s: the fixed file does not parse: %v\n%s", fix.Message, err, out)
		}
		for _, imp := range f.Imports {
			if path, _ := strconv.Unquote(imp.Path.Value); path == "example.com/tbvettest/consts" {
				t.Errorf("%s: the fixed file still imports consts, now unused:\n%s", fix.Message, out)
			}
		}
	}
}

package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// renameFix returns the fix that renames a name to rules' proposal, editing
// only the string literal. It returns nil when the name is not written as a
// literal (a constant may be used elsewhere, so changing it is the user's
// call) or when rules has no proposal.
func renameFix(subject rules.Subject, e ast.Expr, name string) []analysis.SuggestedFix {
	lit, ok := ast.Unparen(e).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return nil
	}
	proposal, ok := rules.ProposeName(name)
	if !ok {
		return nil
	}
	return []analysis.SuggestedFix{{
		Message:   rules.RenameTitle(subject, name, proposal),
		TextEdits: []analysis.TextEdit{{Pos: lit.Pos(), End: lit.End(), NewText: []byte(strconv.Quote(proposal))}},
	}}
}

// scopeFix returns the fix that replaces the scope expression e with the SDK
// constant for scope (READ or APPEND), spelled as e's file imports the SDK.
// ok is false when the file does not import the SDK by a usable name.
func scopeFix(pass *analysis.Pass, e ast.Expr, scope string) (analysis.SuggestedFix, bool) {
	file := fileOf(pass, e)
	if file == nil {
		return analysis.SuggestedFix{}, false
	}
	qual, ok := sdkQualifier(pass, file)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	name := "Read"
	if scope == rules.ScopeAppend {
		name = "Append"
	}
	edits := []analysis.TextEdit{{Pos: e.Pos(), End: e.End(), NewText: []byte(qual + name)}}
	return analysis.SuggestedFix{
		Message:   "Change the scope to " + scope,
		TextEdits: withoutUnusedImports(pass, file, edits),
	}, true
}

// removeElement returns the edit that removes elts[i] from the list
// delimited by lbrace and rbrace (a composite literal's elements or fields),
// with its comma, and with its whole line when it stands on lines of its own.
func removeElement(fset *token.FileSet, elts []ast.Expr, i int, lbrace, rbrace token.Pos) analysis.TextEdit {
	elt := elts[i]
	tf := fset.File(elt.Pos())
	prevEnd := lbrace + 1
	if i > 0 {
		prevEnd = elts[i-1].End()
	}
	nextPos := rbrace
	if i+1 < len(elts) {
		nextPos = elts[i+1].Pos()
	}
	first, last := tf.Line(elt.Pos()), tf.Line(elt.End())
	switch {
	case tf.Line(prevEnd) < first && tf.Line(nextPos) > last:
		// On lines of its own: remove them, with the trailing comma and
		// any comment on the last one.
		return analysis.TextEdit{Pos: tf.LineStart(first), End: tf.LineStart(last + 1)}
	case i+1 < len(elts):
		return analysis.TextEdit{Pos: elt.Pos(), End: nextPos}
	case tf.Line(rbrace) == last:
		// Last on the brace's line: drop everything up to the brace,
		// including a trailing comma.
		return analysis.TextEdit{Pos: prevEnd, End: rbrace}
	case i > 0:
		// Last, brace below: "a, b,\n}" becomes "a,\n}".
		return analysis.TextEdit{Pos: prevEnd, End: elt.End()}
	}
	// Alone, brace below: "{a,\n}" becomes "{}".
	return analysis.TextEdit{Pos: prevEnd, End: tf.LineStart(tf.Line(rbrace))}
}

// removeFix returns a fix removing elts[i] of lit.
func removeFix(pass *analysis.Pass, message string, lit *ast.CompositeLit, i int) analysis.SuggestedFix {
	edits := []analysis.TextEdit{removeElement(pass.Fset, lit.Elts, i, lit.Lbrace, lit.Rbrace)}
	if file := fileOf(pass, lit); file != nil {
		edits = withoutUnusedImports(pass, file, edits)
	}
	return analysis.SuggestedFix{Message: message, TextEdits: edits}
}

// withoutUnusedImports adds to edits the removal of every named import of
// file whose every use lies in text the edits replace, and that their new
// text does not mention: a fix that drops the last use of an import
// (replacing consts.Append with tinybird.Read) must not leave code that does
// not compile.
func withoutUnusedImports(pass *analysis.Pass, file *ast.File, edits []analysis.TextEdit) []analysis.TextEdit {
	replaced := func(pos token.Pos) bool {
		for _, e := range edits {
			if e.Pos <= pos && pos < e.End {
				return true
			}
		}
		return false
	}
	uses := make(map[*types.PkgName][]token.Pos)
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if pn, ok := infoOf(pass).Use(id).(*types.PkgName); ok {
				uses[pn] = append(uses[pn], id.Pos())
			}
		}
		return true
	})
	out := edits
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.IMPORT {
			continue
		}
		for _, spec := range gen.Specs {
			imp := spec.(*ast.ImportSpec)
			pn := infoOf(pass).PkgNameOf(imp)
			if pn == nil || pn.Name() == "_" || pn.Name() == "." || len(uses[pn]) == 0 {
				continue // blank and dot imports, and imports already unused, are not ours to touch
			}
			if slices.ContainsFunc(uses[pn], func(p token.Pos) bool { return !replaced(p) }) {
				continue
			}
			if slices.ContainsFunc(edits, func(e analysis.TextEdit) bool {
				return strings.Contains(string(e.NewText), pn.Name()+".")
			}) {
				continue
			}
			out = append(out, removeImport(pass.Fset, gen, imp))
		}
	}
	return out
}

// removeImport returns the edit removing imp from gen: the whole
// declaration when it is its only spec, else the spec's line.
func removeImport(fset *token.FileSet, gen *ast.GenDecl, imp *ast.ImportSpec) analysis.TextEdit {
	tf := fset.File(imp.Pos())
	if len(gen.Specs) == 1 {
		end := gen.End()
		if line := tf.Line(end); line < tf.LineCount() {
			end = tf.LineStart(line + 1)
		}
		return analysis.TextEdit{Pos: gen.Pos(), End: end}
	}
	first, last := tf.Line(imp.Pos()), tf.Line(imp.End())
	if last < tf.LineCount() {
		return analysis.TextEdit{Pos: tf.LineStart(first), End: tf.LineStart(last + 1)}
	}
	return analysis.TextEdit{Pos: imp.Pos(), End: imp.End()}
}

// indexOf returns the index of e in lit's elements, or -1.
func indexOf(lit *ast.CompositeLit, e ast.Expr) int {
	for i, elt := range lit.Elts {
		if elt == e {
			return i
		}
	}
	return -1
}

package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"strconv"

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
		Message:   fmt.Sprintf("Rename the %s to %q", subject, proposal),
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
	return analysis.SuggestedFix{
		Message:   "Change the scope to " + scope,
		TextEdits: []analysis.TextEdit{{Pos: e.Pos(), End: e.End(), NewText: []byte(qual + name)}},
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
	return analysis.SuggestedFix{
		Message:   message,
		TextEdits: []analysis.TextEdit{removeElement(pass.Fset, lit.Elts, i, lit.Lbrace, lit.Rbrace)},
	}
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

package analyzer

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// TokenName checks token names: TB101 for DefineToken, TB102 for inline
// tokens. It also reports directives naming unknown codes (TB001).
var TokenName = newAnalyzer(rules.AnalyzerTokenName, runTokenName)

func runTokenName(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerTokenName)
	defer r.finish()
	for n := range index(pass).nodes.all {
		switch {
		case n.call != nil && n.name == "DefineToken":
			if len(n.call.Args) == 1 {
				checkName(pass, r, rules.SubjectToken, n.call.Args[0])
			}
		case n.lit != nil && n.name == "TokenAccess":
			f, ok := fieldOf(n.st, n.lit, "Name")
			if !ok {
				continue
			}
			name, ok := constString(infoOf(pass), f.value)
			if !ok {
				continue
			}
			if p := rules.CheckInlineTokenName(name); p != nil {
				r.report(f.value, p, renameFix(rules.SubjectToken, f.value, name)...)
			}
		}
	}
	return nil, nil
}

// checkName checks the name e of a subject when it is constant, reporting
// at e with a rename fix where one exists.
func checkName(pass *analysis.Pass, r *reporter, subject rules.Subject, e ast.Expr) {
	name, ok := constString(infoOf(pass), e)
	if !ok {
		return
	}
	if p := rules.CheckName(subject, name); p != nil {
		r.report(e, p, renameFix(subject, e, name)...)
	}
}

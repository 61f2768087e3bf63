package analyzer

import (
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// TokenUse checks how defined tokens are used: TB301 for a token name
// defined twice in a package, TB302 for a token no resource grants.
var TokenUse = newAnalyzer(rules.AnalyzerTokenUse, runTokenUse)

func runTokenUse(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerTokenUse)
	defer r.finish()
	idx := index(pass)
	info := infoOf(pass)
	defined := make(map[string]token.Pos) // constant token name → first DefineToken's name argument
	for _, t := range idx.tokens {
		arg := t.call.Args[0]
		name, isConst := constString(info, arg)
		if isConst {
			if first, ok := defined[name]; ok {
				r.report(arg, &rules.Problem{Code: rules.TB301, Message: rules.DuplicateTokenMessage(name, shortPosition(pass.Fset, first))})
			} else {
				defined[name] = arg.Pos()
			}
		}
		if !t.followed {
			continue
		}
		unused := true
		for _, v := range t.holders {
			if v.Exported() || idx.granted[v] {
				unused = false
			}
		}
		if unused {
			if !isConst {
				name = types.ExprString(arg)
			}
			r.report(arg, &rules.Problem{Code: rules.TB302, Message: rules.UnusedTokenMessage(name)})
		}
	}
	return nil, nil
}

// shortPosition formats pos as file:line:column with the file's base name,
// which is what a reader needs to find a place in the same package.
func shortPosition(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
}

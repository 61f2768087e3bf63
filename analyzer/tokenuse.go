package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"path/filepath"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/tbls-dev/tbls/rules"
)

// TokenUse checks how defined tokens are used: TB301 for a token name
// defined twice in a package, TB302 for a token no resource grants.
var TokenUse = newAnalyzer(rules.AnalyzerTokenUse, runTokenUse)

func runTokenUse(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerTokenUse)
	defer r.finish()
	if !usesSDK(pass.Pkg) {
		return nil, nil
	}
	info := pass.TypesInfo
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)

	// granted reports whether a use of the variable obj may grant the token:
	// anything but a method call or field access on it counts, so that a
	// token passed to a helper or stored elsewhere is never reported.
	granting := make(map[*types.Var]bool)
	for cur := range insp.Root().Preorder((*ast.Ident)(nil)) {
		v, ok := info.Uses[cur.Node().(*ast.Ident)].(*types.Var)
		if !ok || v.Parent() != pass.Pkg.Scope() {
			continue
		}
		if k, _ := cur.ParentEdge(); k == edge.SelectorExpr_X {
			continue
		}
		granting[v] = true
	}

	defined := make(map[string]token.Pos) // constant token name → first DefineToken's name argument
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if sdkFunc(info, call) != "DefineToken" || len(call.Args) != 1 {
			continue
		}
		arg := call.Args[0]
		name, isConst := constString(info, arg)
		if isConst {
			if first, ok := defined[name]; ok {
				r.report(arg, &rules.Problem{Code: rules.TB301, Message: rules.DuplicateTokenMessage(name, shortPosition(pass.Fset, first))})
			} else {
				defined[name] = arg.Pos()
			}
		}
		holders, ok := tokenHolders(info, cur)
		if !ok {
			continue
		}
		unused := true
		for _, v := range holders {
			if v.Exported() || granting[v] {
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

// tokenHolders returns the package-level variables that hold the result of
// the DefineToken call at cur, which is empty when the result is discarded.
// ok is false when the result goes anywhere else (a local variable, an
// argument, a field), where the analyzer cannot follow it.
func tokenHolders(info *types.Info, cur inspector.Cursor) (holders []*types.Var, ok bool) {
	call := cur.Node()
	parent := cur.Parent()
	switch p := parent.Node().(type) {
	case *ast.ExprStmt:
		return nil, true
	case *ast.ValueSpec:
		// var x = tinybird.DefineToken(…) at package level: the spec's
		// GenDecl sits in the File, not in a function's DeclStmt.
		if _, atTop := parent.Parent().Parent().Node().(*ast.File); !atTop {
			return nil, false
		}
		for i, val := range p.Values {
			if val != call || i >= len(p.Names) {
				continue
			}
			if p.Names[i].Name == "_" {
				return nil, true
			}
			if v, ok := info.Defs[p.Names[i]].(*types.Var); ok {
				return []*types.Var{v}, true
			}
		}
	case *ast.AssignStmt:
		// _ = tinybird.DefineToken(…)
		for i, rhs := range p.Rhs {
			if rhs == call && len(p.Lhs) == len(p.Rhs) {
				if id, ok := p.Lhs[i].(*ast.Ident); ok && id.Name == "_" {
					return nil, true
				}
			}
		}
	}
	return nil, false
}

// shortPosition formats pos as file:line:column with the file's base name,
// which is what a reader needs to find a place in the same package.
func shortPosition(fset *token.FileSet, pos token.Pos) string {
	p := fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
}

package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// Scope checks the scopes granted to tokens on resources: TB201 to TB206.
var Scope = newAnalyzer(rules.AnalyzerScope, runScope)

func runScope(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerScope)
	defer r.finish()
	idx := index(pass)
	s := &scopeChecker{pass: pass, r: r, idx: idx}
	for n := range idx.nodes.all {
		kind, ok := optionsKinds[n.name]
		if !ok {
			continue
		}
		switch {
		case n.lit != nil:
			// The options literal decides the kind, wherever it is built:
			// in the Define call or in a variable passed later.
			if kind == rules.KindPipe {
				kind = pipeKind(infoOf(pass), n.st, n.lit)
			}
			if f, ok := fieldOf(n.st, n.lit, "Tokens"); ok {
				s.checkTokens(kind, f.value, f.elt)
			}
		case n.assign != nil:
			// opts.Tokens = …
			lhs, rhs := n.assign.Lhs[n.lhs], n.assign.Rhs[n.lhs]
			s.checkTokens(kind, rhs, nodeRange{lhs, rhs})
		}
	}
	return nil, nil
}

// pipeKind refines the kind of a PipeOptions literal: setting Endpoint,
// Materialized or Copy makes the pipe that kind, which messages name.
func pipeKind(info *TypesInfo, st *types.Struct, lit *ast.CompositeLit) rules.Kind {
	return RefinePipeKind(func(field string) bool {
		f, ok := fieldOf(st, lit, field)
		return ok && !isNil(info, f.value)
	})
}

// scopeChecker holds what one run of the scope analyzer needs.
type scopeChecker struct {
	pass *analysis.Pass
	r    *reporter
	idx  *sdkIndex
	m    *model // the SDK model's reader of Tokens values
}

// sharedUse is a Tokens list held in a package-level variable, as used by
// one resource. Problems in it are reported at the use, since the same list
// can be right for a datasource and wrong for an endpoint; they get no
// fixes, since editing the list would change every resource using it.
type sharedUse struct {
	at   analysis.Range
	name string
}

// checkTokens checks the value of a Tokens field on a resource of kind. at
// is the field, where problems in a shared list are reported. The accesses
// are those the SDK model reads (Model.Accesses): lists, shared lists,
// append, helpers; duplicates are found across all of them.
func (s *scopeChecker) checkTokens(kind rules.Kind, value ast.Expr, at analysis.Range) {
	if s.m == nil {
		s.m = newTypedReader(s.pass.Fset, s.pass.Files, s.pass.Pkg, infoOf(s.pass))
	}
	file := fileOf(s.pass, value)
	if file == nil {
		return
	}
	seen := make(map[grantKey]bool)
	for _, a := range s.m.accesses(file, value) {
		var shared *sharedUse
		if a.Shared != nil {
			shared = &sharedUse{at: at, name: a.Shared.Name}
		}
		s.checkAccess(kind, a, shared, seen)
	}
}

// grantKey identifies one grant in a Tokens list, to find duplicates: a
// defined token by its variable, an inline token by its name.
type grantKey struct {
	token  types.Object
	inline string
	scope  string
}

// checkAccess checks one access of a Tokens value.
func (s *scopeChecker) checkAccess(kind rules.Kind, a *Access, shared *sharedUse, seen map[grantKey]bool) {
	info := infoOf(s.pass)
	report := func(at analysis.Range, p *rules.Problem, fixes ...analysis.SuggestedFix) {
		if shared != nil {
			q := *p
			if a.List != nil {
				q.Message += fmt.Sprintf(" (element %d of %s)", a.Index, shared.name)
			} else {
				q.Message += fmt.Sprintf(" (appended in %s)", shared.name)
			}
			s.r.report(shared.at, &q)
			return
		}
		s.r.report(at, p, fixes...)
	}
	// remove returns the fixes removing the access: none for an argument
	// of append.
	remove := func(message string) []analysis.SuggestedFix {
		if a.List == nil {
			return nil
		}
		return []analysis.SuggestedFix{removeFix(s.pass, message, a.List, a.Index)}
	}

	// A Token naming a variable is not nil: that look-up spares isNil's.
	tokenObj := tokenObject(info, a.Token)
	hasToken := a.Token != nil && (tokenObj != nil || !isNil(info, a.Token))
	hasName := a.Name != nil
	switch {
	case hasToken && hasName:
		report(a.Elt, &rules.Problem{Code: rules.TB205, Message: rules.MsgAccessBothForms})
		return
	case !hasToken && !hasName:
		report(a.Elt, &rules.Problem{Code: rules.TB205, Message: rules.MsgAccessNoForm})
		return
	case hasToken && a.Scope == nil:
		report(a.Elt, &rules.Problem{Code: rules.TB205, Message: rules.MsgAccessTokenNoScope})
		return
	}

	if hasToken {
		scope, ok := constString(info, a.Scope)
		if !ok {
			return
		}
		at := a.Elt
		if a.ScopeHere {
			at = a.Scope
		}
		if p := rules.CheckScope(kind, scope); p != nil {
			var fixes []analysis.SuggestedFix
			switch p.Code {
			case rules.TB201:
				if fix, ok := scopeFix(s.pass, a.Scope, rules.ScopeRead); ok && a.ScopeHere {
					fixes = append(fixes, fix)
				}
				fixes = append(fixes, remove("Remove this token access")...)
			case rules.TB202:
				if n, ok := rules.NormalizeScope(scope); ok && rules.ScopeAllowed(kind, n) && a.ScopeHere {
					if fix, ok := scopeFix(s.pass, a.Scope, n); ok {
						fixes = append(fixes, fix)
					}
				}
			}
			report(at, p, fixes...)
			return
		}
		obj := tokenObj
		if obj == nil {
			return
		}
		key := grantKey{token: obj, scope: scope}
		if seen[key] {
			p := &rules.Problem{Code: rules.TB206, Message: rules.DuplicateGrantMessage(s.tokenName(obj), scope)}
			report(a.Elt, p, remove("Remove the duplicate token access")...)
			return
		}
		seen[key] = true
		return
	}

	// An inline token.
	name, nameConst := constString(info, a.Name)
	var perms []string // the constant permissions, for duplicates
	if kind.IsPipe() {
		if a.Perms != nil && !isNil(info, a.PermsValue) {
			var fixes []analysis.SuggestedFix
			if j := indexOf(a.Lit, a.Perms); !a.Helper && j >= 0 {
				fixes = append(fixes, removeFix(s.pass, "Remove the Permissions field", a.Lit, j))
			}
			at := analysis.Range(a.Perms)
			if a.Helper {
				at = a.Elt
			}
			report(at, &rules.Problem{Code: rules.TB203, Message: rules.MsgPipeInlinePerms}, fixes...)
		}
		perms = []string{rules.ScopeRead}
	} else {
		var list *ast.CompositeLit
		if a.Perms != nil {
			list, _ = ast.Unparen(a.PermsValue).(*ast.CompositeLit)
		}
		if a.Perms == nil || isNil(info, a.PermsValue) || list != nil && len(list.Elts) == 0 {
			report(a.Elt, &rules.Problem{Code: rules.TB204, Message: rules.MsgDatasourceNoPerms})
			return
		}
		if list == nil {
			return // Permissions computed at run time
		}
		for _, pe := range list.Elts {
			scope, ok := constString(info, pe)
			if !ok {
				return
			}
			if p := rules.CheckScope(kind, scope); p != nil {
				var fixes []analysis.SuggestedFix
				if n, ok := rules.NormalizeScope(scope); ok && !a.Helper {
					if fix, ok := scopeFix(s.pass, pe, n); ok {
						fixes = append(fixes, fix)
					}
				}
				if a.Helper {
					report(a.Elt, p)
				} else {
					report(pe, p, fixes...)
				}
				return
			}
			perms = append(perms, scope)
		}
	}
	if !nameConst {
		return
	}
	dup := true
	for _, p := range perms {
		if !seen[grantKey{inline: name, scope: p}] {
			dup = false
		}
		seen[grantKey{inline: name, scope: p}] = true
	}
	if dup && len(perms) > 0 {
		p := &rules.Problem{Code: rules.TB206, Message: rules.DuplicateGrantMessage(name, strings.Join(perms, ", "))}
		report(a.Elt, p, remove("Remove the duplicate token access")...)
	}
}

// tokenObject returns the variable a Token value refers to, or nil.
func tokenObject(info *TypesInfo, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Use(e).(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if v, ok := info.Use(e.Sel).(*types.Var); ok {
			return v
		}
	}
	return nil
}

// tokenName returns the Tinybird name of the token held in obj when the
// package defines it with a constant name, else the variable's name.
func (s *scopeChecker) tokenName(obj types.Object) string {
	if v, ok := obj.(*types.Var); ok {
		if call, ok := ast.Unparen(s.idx.inits[v]).(*ast.CallExpr); ok && sdkFunc(infoOf(s.pass), call) == "DefineToken" && len(call.Args) == 1 {
			if name, ok := constString(infoOf(s.pass), call.Args[0]); ok {
				return name
			}
		}
	}
	return obj.Name()
}

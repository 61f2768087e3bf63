package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

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
				kind = pipeKind(pass.TypesInfo, n.st, n.lit)
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
func pipeKind(info *types.Info, st *types.Struct, lit *ast.CompositeLit) rules.Kind {
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
// is the field, where problems in a shared list are reported.
func (s *scopeChecker) checkTokens(kind rules.Kind, value ast.Expr, at analysis.Range) {
	switch v := ast.Unparen(value).(type) {
	case *ast.CompositeLit:
		s.checkList(kind, v, nil)
	case *ast.Ident:
		obj, ok := s.pass.TypesInfo.Uses[v].(*types.Var)
		if !ok {
			return
		}
		if lit, ok := ast.Unparen(s.idx.inits[obj]).(*ast.CompositeLit); ok {
			s.checkList(kind, lit, &sharedUse{at: at, name: v.Name})
		}
	}
}

// access is one TokenAccess of a Tokens list, written in the list or
// returned by a helper function.
type access struct {
	elt    ast.Expr          // the list element
	lit    *ast.CompositeLit // the TokenAccess literal: elt itself or the helper's
	helper bool              // lit is in a helper function

	token, scope, name ast.Expr // the values, after substituting helper arguments; nil when unset
	scopeHere          bool     // scope is written at the element (so a fix may edit it)
	perms              *field   // the Permissions field of lit
}

// accessOf returns the access elt denotes; ok is false when it is none the
// analyzer can read. elem is the element type of the list elt is in, the
// type of elt when it is a literal without a type; nil when unknown.
func (s *scopeChecker) accessOf(elt ast.Expr, elem types.Type) (a access, ok bool) {
	info := s.pass.TypesInfo
	switch e := ast.Unparen(elt).(type) {
	case *ast.CompositeLit:
		t := elem
		if e.Type != nil || e != elt || t == nil {
			t = info.TypeOf(e)
		}
		if sdkType(t) != "TokenAccess" {
			return access{}, false
		}
		st, _ := t.Underlying().(*types.Struct)
		a = access{elt: elt, lit: e, scopeHere: true}
		a.readFields(st)
		return a, true
	case *ast.CallExpr:
		return s.helperAccess(elt, e)
	}
	return access{}, false
}

// readFields sets the values of a from the fields its TokenAccess
// literal, of struct type st, sets: in one pass over the elements, the
// last setting of a field counting.
func (a *access) readFields(st *types.Struct) {
	eachField(st, a.lit, func(name string, f field) {
		switch name {
		case "Token":
			a.token = f.value
		case "Scope":
			a.scope = f.value
		case "Name":
			a.name = f.value
		case "Permissions":
			perms := f
			a.perms = &perms
		}
	})
}

// helperAccess reads a call to a small helper function of the package whose
// body is a single return of a TokenAccess literal. A field set from a
// parameter takes the argument of this call.
func (s *scopeChecker) helperAccess(elt ast.Expr, call *ast.CallExpr) (a access, ok bool) {
	info := s.pass.TypesInfo
	fn, ok := typeutil.Callee(info, call).(*types.Func)
	if !ok || fn.Pkg() != s.pass.Pkg {
		return access{}, false
	}
	decl := s.idx.funcs[fn]
	if decl == nil || len(decl.Body.List) != 1 {
		return access{}, false
	}
	ret, ok := decl.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return access{}, false
	}
	lit, ok := ast.Unparen(ret.Results[0]).(*ast.CompositeLit)
	if !ok {
		return access{}, false
	}
	name, st := sdkLit(info, lit)
	if name != "TokenAccess" {
		return access{}, false
	}
	a = access{elt: elt, lit: lit, helper: true}
	a.readFields(st)
	params := paramIdents(decl)
	variadic := decl.Type.Params != nil && len(decl.Type.Params.List) > 0 && isEllipsis(decl.Type.Params.List[len(decl.Type.Params.List)-1].Type)
	// arg returns the argument passed for the parameter e names, if any.
	// Parameters are matched through the declaration's syntax (Defs), not
	// the function object's signature: the language server re-checks an
	// edited file on its own and keeps the function's old object, whose
	// parameters are not those the new body refers to.
	arg := func(e ast.Expr) (ast.Expr, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil, false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok {
			return nil, false
		}
		for i, p := range params {
			if p == nil || info.Defs[p] != v {
				continue
			}
			if variadic && i == len(params)-1 || i >= len(call.Args) || call.Ellipsis.IsValid() {
				return nil, false
			}
			return call.Args[i], true
		}
		return nil, false
	}
	// A field set from a parameter takes this call's argument.
	for _, v := range []*ast.Expr{&a.token, &a.scope, &a.name} {
		if *v == nil {
			continue
		}
		if argExpr, ok := arg(*v); ok {
			*v = argExpr
			if v == &a.scope {
				a.scopeHere = true
			}
		}
	}
	return a, true
}

// paramIdents returns the names of decl's parameters, one per parameter:
// nil for one declared without a name.
func paramIdents(decl *ast.FuncDecl) []*ast.Ident {
	var ids []*ast.Ident
	if decl.Type.Params == nil {
		return nil
	}
	for _, f := range decl.Type.Params.List {
		if len(f.Names) == 0 {
			ids = append(ids, nil)
			continue
		}
		ids = append(ids, f.Names...)
	}
	return ids
}

func isEllipsis(e ast.Expr) bool {
	_, ok := e.(*ast.Ellipsis)
	return ok
}

// grantKey identifies one grant in a Tokens list, to find duplicates: a
// defined token by its variable, an inline token by its name.
type grantKey struct {
	token  types.Object
	inline string
	scope  string
}

// checkList checks the elements of a Tokens list on a resource of kind.
func (s *scopeChecker) checkList(kind rules.Kind, list *ast.CompositeLit, shared *sharedUse) {
	seen := make(map[grantKey]bool)
	// An element written without a type has the list's element type: one
	// look-up for the list rather than one per element.
	var elem types.Type
	if at, ok := list.Type.(*ast.ArrayType); ok {
		elem = typeOfTypeExpr(s.pass.TypesInfo, at.Elt)
	} else if t := s.pass.TypesInfo.TypeOf(list); t != nil {
		switch u := t.Underlying().(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Array:
			elem = u.Elem()
		}
	}
	for i, elt := range list.Elts {
		if a, ok := s.accessOf(elt, elem); ok {
			s.checkAccess(kind, list, i, &a, shared, seen)
		}
	}
}

// checkAccess checks list.Elts[i], read as a.
func (s *scopeChecker) checkAccess(kind rules.Kind, list *ast.CompositeLit, i int, a *access, shared *sharedUse, seen map[grantKey]bool) {
	info := s.pass.TypesInfo
	report := func(at analysis.Range, p *rules.Problem, fixes ...analysis.SuggestedFix) {
		if shared != nil {
			q := *p
			q.Message += fmt.Sprintf(" (element %d of %s)", i, shared.name)
			s.r.report(shared.at, &q)
			return
		}
		s.r.report(at, p, fixes...)
	}
	remove := func(message string) analysis.SuggestedFix { return removeFix(s.pass, message, list, i) }

	// A Token naming a variable is not nil: that look-up spares isNil's.
	tokenObj := tokenObject(info, a.token)
	hasToken := a.token != nil && (tokenObj != nil || !isNil(info, a.token))
	hasName := a.name != nil
	switch {
	case hasToken && hasName:
		report(a.elt, &rules.Problem{Code: rules.TB205, Message: rules.MsgAccessBothForms})
		return
	case !hasToken && !hasName:
		report(a.elt, &rules.Problem{Code: rules.TB205, Message: rules.MsgAccessNoForm})
		return
	case hasToken && a.scope == nil:
		report(a.elt, &rules.Problem{Code: rules.TB205, Message: rules.MsgAccessTokenNoScope})
		return
	}

	if hasToken {
		scope, ok := constString(info, a.scope)
		if !ok {
			return
		}
		at := a.elt
		if a.scopeHere {
			at = a.scope
		}
		if p := rules.CheckScope(kind, scope); p != nil {
			var fixes []analysis.SuggestedFix
			switch p.Code {
			case rules.TB201:
				if fix, ok := scopeFix(s.pass, a.scope, rules.ScopeRead); ok && a.scopeHere {
					fixes = append(fixes, fix)
				}
				fixes = append(fixes, remove("Remove this token access"))
			case rules.TB202:
				if n, ok := rules.NormalizeScope(scope); ok && rules.ScopeAllowed(kind, n) && a.scopeHere {
					if fix, ok := scopeFix(s.pass, a.scope, n); ok {
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
			report(a.elt, p, remove("Remove the duplicate token access"))
			return
		}
		seen[key] = true
		return
	}

	// An inline token.
	name, nameConst := constString(info, a.name)
	var perms []string // the constant permissions, for duplicates
	if kind.IsPipe() {
		if a.perms != nil && !isNil(info, a.perms.value) {
			var fixes []analysis.SuggestedFix
			if j := indexOf(a.lit, a.perms.elt); !a.helper && j >= 0 {
				fixes = append(fixes, removeFix(s.pass, "Remove the Permissions field", a.lit, j))
			}
			at := analysis.Range(a.perms.elt)
			if a.helper {
				at = a.elt
			}
			report(at, &rules.Problem{Code: rules.TB203, Message: rules.MsgPipeInlinePerms}, fixes...)
		}
		perms = []string{rules.ScopeRead}
	} else {
		var list *ast.CompositeLit
		if a.perms != nil {
			list, _ = ast.Unparen(a.perms.value).(*ast.CompositeLit)
		}
		if a.perms == nil || isNil(info, a.perms.value) || list != nil && len(list.Elts) == 0 {
			report(a.elt, &rules.Problem{Code: rules.TB204, Message: rules.MsgDatasourceNoPerms})
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
				if n, ok := rules.NormalizeScope(scope); ok && !a.helper {
					if fix, ok := scopeFix(s.pass, pe, n); ok {
						fixes = append(fixes, fix)
					}
				}
				if a.helper {
					report(a.elt, p)
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
		report(a.elt, p, remove("Remove the duplicate token access"))
	}
}

// tokenObject returns the variable a Token value refers to, or nil.
func tokenObject(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := info.Uses[e].(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if v, ok := info.Uses[e.Sel].(*types.Var); ok {
			return v
		}
	}
	return nil
}

// tokenName returns the Tinybird name of the token held in obj when the
// package defines it with a constant name, else the variable's name.
func (s *scopeChecker) tokenName(obj types.Object) string {
	if v, ok := obj.(*types.Var); ok {
		if call, ok := ast.Unparen(s.idx.inits[v]).(*ast.CallExpr); ok && sdkFunc(s.pass.TypesInfo, call) == "DefineToken" && len(call.Args) == 1 {
			if name, ok := constString(s.pass.TypesInfo, call.Args[0]); ok {
				return name
			}
		}
	}
	return obj.Name()
}

package analyzer

import (
	"go/ast"
	"go/types"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// JWT checks JWT scopes (TB401 to TB403) and expirations (TB404).
var JWT = newAnalyzer(rules.AnalyzerJWT, runJWT)

func runJWT(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerJWT)
	defer r.finish()
	// The past is judged against the time of analysis: a constant
	// expiration that has passed is wrong whenever the code runs later.
	now := time.Now()
	for n := range index(pass).nodes.all {
		if n.lit == nil {
			continue
		}
		switch n.name {
		case "JWTScope":
			checkJWTScope(pass, r, n.lit, n.st)
		case "JWTOptions":
			checkJWTExpiry(pass, r, n.lit, n.st, now)
		}
	}
	return nil, nil
}

// checkJWTScope checks one JWTScope literal. What is not constant is not
// judged: a computed Type is not checked, a computed Resource counts as set.
func checkJWTScope(pass *analysis.Pass, r *reporter, lit *ast.CompositeLit, st *types.Struct) {
	info := infoOf(pass)
	fieldNamed := func(name string) (field, bool) { return fieldOf(st, lit, name) }
	typ, typeKnown := "", false
	if f, ok := fieldNamed("Type"); ok {
		typ, typeKnown = constString(info, f.value)
	} else {
		typeKnown = true // the zero Type, "", is as wrong as any other
	}

	// Resource: missing, or a constant "".
	resource := "set"
	resourceAt := analysis.Range(lit)
	if lit.Type != nil {
		resourceAt = lit.Type
	}
	if f, ok := fieldNamed("Resource"); !ok {
		resource = ""
	} else if v, ok := constString(info, f.value); ok {
		resource, resourceAt = v, f.value
	}
	if resource == "" {
		// Any valid type isolates the resource check.
		for _, p := range rules.CheckJWTScope(rules.JWTScope{Type: rules.JWTPipesRead}) {
			r.report(resourceAt, &p)
		}
	}
	if !typeKnown {
		return
	}
	typeAt := resourceAt
	if f, ok := fieldNamed("Type"); ok {
		typeAt = f.value
	}
	for _, p := range rules.CheckJWTScope(rules.JWTScope{Type: typ, Resource: "set"}) {
		r.report(typeAt, &p)
	}
	// FixedParams and Filter are checked one at a time, each reported at
	// its own field; only their TB403 findings are new here.
	if f, ok := fieldNamed("FixedParams"); ok && !isNil(info, f.value) {
		reportTB403(r, f.elt, rules.JWTScope{Type: typ, Resource: "set", HasFixedParams: true})
	}
	if f, ok := fieldNamed("Filter"); ok {
		if v, isConst := constString(info, f.value); !isConst || v != "" {
			reportTB403(r, f.elt, rules.JWTScope{Type: typ, Resource: "set", HasFilter: true})
		}
	}
}

func reportTB403(r *reporter, at analysis.Range, s rules.JWTScope) {
	for _, p := range rules.CheckJWTScope(s) {
		if p.Code == rules.TB403 {
			r.report(at, &p)
		}
	}
}

// checkJWTExpiry checks the ExpiresAt of a JWTOptions literal: it must be
// set, and when it is built from constants only, lie in the future.
func checkJWTExpiry(pass *analysis.Pass, r *reporter, lit *ast.CompositeLit, st *types.Struct, now time.Time) {
	f, ok := fieldOf(st, lit, "ExpiresAt")
	if !ok {
		at := analysis.Range(lit)
		if lit.Type != nil {
			at = lit.Type
		}
		r.report(at, rules.CheckJWTExpiry(time.Time{}, now))
		return
	}
	t, ok := constTime(infoOf(pass), f.value)
	if !ok {
		return
	}
	if p := rules.CheckJWTExpiry(t, now); p != nil {
		r.report(f.value, p)
	}
}

// constTime evaluates e when it is a time built from constants only:
// time.Time{}, time.Date with constant arguments and time.UTC or
// time.Local, time.Unix, time.UnixMilli and time.UnixMicro with constant
// arguments.
func constTime(info *TypesInfo, e ast.Expr) (time.Time, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		if len(e.Elts) == 0 && isTimeType(info.TypeOf(e)) {
			return time.Time{}, true
		}
	case *ast.CallExpr:
		fn, ok := info.Callee(e).(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "time" || fn.Signature().Recv() != nil {
			return time.Time{}, false
		}
		var ints []int64
		for _, a := range e.Args {
			if n, ok := constInt64(info, a); ok {
				ints = append(ints, n)
			}
		}
		switch fn.Name() {
		case "Date":
			if len(e.Args) != 8 || len(ints) != 7 {
				return time.Time{}, false
			}
			loc, ok := constLocation(info, e.Args[7])
			if !ok {
				return time.Time{}, false
			}
			return time.Date(int(ints[0]), time.Month(ints[1]), int(ints[2]), int(ints[3]), int(ints[4]), int(ints[5]), int(ints[6]), loc), true
		case "Unix":
			if len(e.Args) == 2 && len(ints) == 2 {
				return time.Unix(ints[0], ints[1]), true
			}
		case "UnixMilli":
			if len(e.Args) == 1 && len(ints) == 1 {
				return time.UnixMilli(ints[0]), true
			}
		case "UnixMicro":
			if len(e.Args) == 1 && len(ints) == 1 {
				return time.UnixMicro(ints[0]), true
			}
		}
	}
	return time.Time{}, false
}

// constLocation resolves time.UTC and time.Local.
func constLocation(info *TypesInfo, e ast.Expr) (*time.Location, bool) {
	var id *ast.Ident
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		id = e.Sel
	case *ast.Ident:
		id = e
	default:
		return nil, false
	}
	v, ok := info.Use(id).(*types.Var)
	if !ok || v.Pkg() == nil || v.Pkg().Path() != "time" {
		return nil, false
	}
	switch v.Name() {
	case "UTC":
		return time.UTC, true
	case "Local":
		return time.Local, true
	}
	return nil, false
}

func isTimeType(t types.Type) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == "time" && named.Obj().Name() == "Time"
}

package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// TypesInfo is the type information the SDK model and the analyzers read
// of a package: one types.Info, or several holding the entries of
// disjoint sets of files. The language server checks a package in two
// parts when one file is edited (lsp/cache's split checks): the other
// files' part is kept, never copied, across edits, and the edited file's
// part is new each time. Each node's entries are in exactly one part, so
// a look-up asks each part in turn.
type TypesInfo struct {
	parts []*types.Info
}

// NewTypesInfo returns the type information made of parts, which must
// hold the entries of disjoint sets of nodes; nil parts are left out.
func NewTypesInfo(parts ...*types.Info) *TypesInfo {
	t := &TypesInfo{}
	for _, p := range parts {
		if p != nil {
			t.parts = append(t.parts, p)
		}
	}
	return t
}

// Types returns the type and value of expression e, as types.Info.Types.
func (t *TypesInfo) Types(e ast.Expr) (types.TypeAndValue, bool) {
	for _, p := range t.parts {
		if tv, ok := p.Types[e]; ok {
			return tv, true
		}
	}
	return types.TypeAndValue{}, false
}

// TypeOf returns the type of e, nil if unknown, as types.Info.TypeOf.
func (t *TypesInfo) TypeOf(e ast.Expr) types.Type {
	if tv, ok := t.Types(e); ok {
		return tv.Type
	}
	if id, _ := e.(*ast.Ident); id != nil {
		if obj := t.ObjectOf(id); obj != nil {
			return obj.Type()
		}
	}
	return nil
}

// ObjectOf returns the object id defines or uses, as types.Info.ObjectOf.
func (t *TypesInfo) ObjectOf(id *ast.Ident) types.Object {
	if obj := t.Def(id); obj != nil {
		return obj
	}
	return t.Use(id)
}

// Def returns the object id defines, as types.Info.Defs.
func (t *TypesInfo) Def(id *ast.Ident) types.Object {
	for _, p := range t.parts {
		if obj, ok := p.Defs[id]; ok {
			return obj
		}
	}
	return nil
}

// Use returns the object id uses, as types.Info.Uses.
func (t *TypesInfo) Use(id *ast.Ident) types.Object {
	for _, p := range t.parts {
		if obj, ok := p.Uses[id]; ok {
			return obj
		}
	}
	return nil
}

// Implicit returns the object n declares implicitly, as
// types.Info.Implicits.
func (t *TypesInfo) Implicit(n ast.Node) types.Object {
	for _, p := range t.parts {
		if obj, ok := p.Implicits[n]; ok {
			return obj
		}
	}
	return nil
}

// PkgNameOf returns the package name imp declares, as
// types.Info.PkgNameOf.
func (t *TypesInfo) PkgNameOf(imp *ast.ImportSpec) *types.PkgName {
	for _, p := range t.parts {
		if pn := p.PkgNameOf(imp); pn != nil {
			return pn
		}
	}
	return nil
}

// Callee returns the function or variable call calls, as
// typeutil.Callee: a call's nodes are all in one part.
func (t *TypesInfo) Callee(call *ast.CallExpr) types.Object {
	for _, p := range t.parts {
		if obj := typeutil.Callee(p, call); obj != nil {
			return obj
		}
	}
	return nil
}

// Scope returns the scope n declares, as types.Info.Scopes.
func (t *TypesInfo) Scope(n ast.Node) *types.Scope {
	for _, p := range t.parts {
		if s, ok := p.Scopes[n]; ok {
			return s
		}
	}
	return nil
}

// Parts returns the parts of t, which hold the entries of disjoint sets of
// nodes.
func (t *TypesInfo) Parts() []*types.Info {
	return t.parts
}

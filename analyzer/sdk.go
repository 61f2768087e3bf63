package analyzer

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// sdkPath is the import path of the SDK. The analyzers recognise the SDK by
// the package of a callee or a named type, never by how a file spells it, so
// aliases and dot imports work and look-alikes elsewhere are ignored.
const sdkPath = "github.com/tbls-dev/tbls/tinybird"

// usesSDK reports whether the analyzers have anything to look at in the
// package: one of its files must import the SDK, and it must not be the
// SDK itself (nor its external tests, which build invalid values on purpose
// to test Validate). It reads the files' imports, which is all it needs.
func usesSDK(pass *analysis.Pass) bool {
	if path := pass.Pkg.Path(); path == sdkPath || path == sdkPath+"_test" {
		return false
	}
	for _, f := range pass.Files {
		for _, imp := range f.Imports {
			if imp.Path != nil && strings.Trim(imp.Path.Value, "`\"") == sdkPath {
				return true
			}
		}
	}
	return false
}

// sdkFunc returns the name of the package-level SDK function call calls, or
// "" when it calls anything else.
func sdkFunc(info *TypesInfo, call *ast.CallExpr) string {
	return sdkFuncNamed(info, calleeIdent(call))
}

// calleeIdent returns the identifier that names the function call calls
// when it may be a package-level function of another package: its name (a
// dot import) or the name in a qualified identifier, pkg.F, instantiated
// or not. It is nil when the callee is anything else, such as a selector
// on an expression that is not a name, or a function literal. As the
// identifier is spelled as the function is named (Go has no function
// aliases), callers may skip the calls whose name they do not look for
// before resolving anything.
func calleeIdent(call *ast.CallExpr) *ast.Ident {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr: // an instantiation, F[T]
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	switch f := fun.(type) {
	case *ast.Ident:
		return f
	case *ast.SelectorExpr:
		if _, ok := f.X.(*ast.Ident); ok {
			// A method or field selection resolves Sel to a method,
			// which sdkFuncNamed rejects, or to a field.
			return f.Sel
		}
	}
	return nil
}

// sdkFuncNamed returns the name of the package-level SDK function id
// denotes, or "" when it denotes anything else or id is nil. Resolving id
// is what typeutil.Callee does for the calls calleeIdent accepts.
func sdkFuncNamed(info *TypesInfo, id *ast.Ident) string {
	if id == nil {
		return ""
	}
	fn, ok := info.Use(id).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != sdkPath {
		return ""
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Recv() != nil {
		return ""
	}
	return fn.Name()
}

// sdkType returns the name of the SDK named type t is (through aliases), or
// "" when t is not one.
func sdkType(t types.Type) string {
	if t == nil {
		return ""
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return ""
	}
	obj := named.Obj()
	if obj.Pkg() == nil || obj.Pkg().Path() != sdkPath {
		return ""
	}
	return obj.Name()
}

// typeOfTypeExpr returns the type the type expression e denotes. A name
// or qualified name of a type is resolved through Uses, which costs less
// than e's entry in Types; anything else, and a generic type named
// without type arguments (an error the type checker answers with an
// invalid type), is looked up in Types.
func typeOfTypeExpr(info *TypesInfo, e ast.Expr) types.Type {
	var id *ast.Ident
	switch e := e.(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	}
	if id != nil {
		if tn, ok := info.Use(id).(*types.TypeName); ok {
			switch t := tn.Type().(type) {
			case *types.Named:
				if t.TypeParams().Len() == 0 {
					return t
				}
			case *types.Alias:
				if t.TypeParams().Len() == 0 {
					return t
				}
			default:
				return t
			}
		}
	}
	return info.TypeOf(e)
}

// optionsKinds maps each options type holding a Tokens field to the kind of
// resource it configures.
var optionsKinds = map[string]rules.Kind{
	"DatasourceOptions":       rules.KindDatasource,
	"PipeOptions":             rules.KindPipe,
	"EndpointOptions":         rules.KindEndpoint,
	"MaterializedViewOptions": rules.KindMaterializedView,
	"CopyPipeOptions":         rules.KindCopyPipe,
	"SinkPipeOptions":         rules.KindSinkPipe,
}

// isOptions reports whether name is one of optionsKinds.
func isOptions(name string) bool {
	_, ok := optionsKinds[name]
	return ok
}

// constString returns the value of e when it is a constant string
// expression: a literal, a constant of any package, typed or untyped, or a
// constant expression such as prefix + "_read".
func constString(info *TypesInfo, e ast.Expr) (string, bool) {
	var v constant.Value
	if obj, ok := usedObject(info, e); ok {
		c, ok := obj.(*types.Const)
		if !ok {
			return "", false // a variable, a function…: not a constant
		}
		v = c.Val()
	} else {
		tv, ok := info.Types(e)
		if !ok {
			return "", false
		}
		v = tv.Value
	}
	if v == nil || v.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(v), true
}

// usedObject returns the object e denotes when e is a name or a selector
// whose meaning is the object its name resolves to, which costs less to
// find than e's entry in Types: a constant, variable or function of the
// package or another, a field or a method. ok is false for anything else,
// and for the universe's objects (iota has no value of its own; nil is
// told apart by Types), whose expressions must be looked up in Types.
func usedObject(info *TypesInfo, e ast.Expr) (obj types.Object, ok bool) {
	var id *ast.Ident
	switch e := e.(type) {
	case *ast.Ident:
		id = e
	case *ast.SelectorExpr:
		id = e.Sel
	default:
		return nil, false
	}
	obj = info.Use(id)
	if obj == nil || obj.Pkg() == nil {
		return nil, false
	}
	return obj, true
}

// constInt64 returns the value of e when it is an integer constant that fits
// in an int64.
func constInt64(info *TypesInfo, e ast.Expr) (int64, bool) {
	tv, ok := info.Types(e)
	if !ok || tv.Value == nil {
		return 0, false
	}
	v := constant.ToInt(tv.Value)
	if v.Kind() != constant.Int {
		return 0, false
	}
	return constant.Int64Val(v)
}

// field is one field set in a struct composite literal.
type field struct {
	elt   ast.Expr // the element: a *ast.KeyValueExpr, or the value itself when unkeyed
	value ast.Expr
}

// fieldOf returns the field called name that a composite literal of the
// struct type st sets, keyed or positional. When a keyed literal names a
// field twice (a type error), the last one counts. ok is false when st is
// nil or the literal does not set the field. It scans the elements rather
// than building a map per literal: literals are many and the fields asked
// about few.
func fieldOf(st *types.Struct, lit *ast.CompositeLit, name string) (f field, ok bool) {
	if st == nil {
		return field{}, false
	}
	for i := len(lit.Elts) - 1; i >= 0; i-- {
		elt := lit.Elts[i]
		if kv, isKV := elt.(*ast.KeyValueExpr); isKV {
			if id, isIdent := kv.Key.(*ast.Ident); isIdent && id.Name == name {
				return field{elt: kv, value: kv.Value}, true
			}
			continue
		}
		if i < st.NumFields() && st.Field(i).Name() == name {
			return field{elt: elt, value: elt}, true
		}
	}
	return field{}, false
}

// eachField calls fn with each field a composite literal of the struct
// type st sets, keyed or positional, in the order written; a field set
// twice (a type error) is passed twice, so that the last setting counts
// for a caller that keeps what it is passed. It does nothing when st is
// nil. Reading the fields a caller wants in one pass costs less than one
// fieldOf per field, and no map.
func eachField(st *types.Struct, lit *ast.CompositeLit, fn func(name string, f field)) {
	if st == nil {
		return
	}
	for i, elt := range lit.Elts {
		if kv, isKV := elt.(*ast.KeyValueExpr); isKV {
			if id, isIdent := kv.Key.(*ast.Ident); isIdent {
				fn(id.Name, field{elt: kv, value: kv.Value})
			}
			continue
		}
		if i < st.NumFields() {
			fn(st.Field(i).Name(), field{elt: elt, value: elt})
		}
	}
}

// isNil reports whether e is the predeclared nil.
func isNil(info *TypesInfo, e ast.Expr) bool {
	e = ast.Unparen(e)
	if _, ok := usedObject(info, e); ok {
		return false // a declared constant, variable or function
	}
	tv, ok := info.Types(e)
	return ok && tv.IsNil()
}

// sdkQualifier returns how file refers to the SDK package: "tinybird.",
// "tb." for an alias, "" for a dot import. ok is false when the file does
// not import it by a usable name, so an edit cannot name its constants.
func sdkQualifier(pass *analysis.Pass, file *ast.File) (qual string, ok bool) {
	for _, imp := range file.Imports {
		if imp.Path == nil || strings.Trim(imp.Path.Value, "`\"") != sdkPath {
			continue
		}
		if imp.Name == nil {
			if pkgName, ok := infoOf(pass).Implicit(imp).(*types.PkgName); ok {
				return pkgName.Name() + ".", true
			}
			return "tinybird.", true
		}
		switch imp.Name.Name {
		case "_":
			continue
		case ".":
			return "", true
		}
		return imp.Name.Name + ".", true
	}
	return "", false
}

// fileOf returns the file of pass that contains n.
func fileOf(pass *analysis.Pass, n ast.Node) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= n.Pos() && n.Pos() < f.FileEnd {
			return f
		}
	}
	return nil
}

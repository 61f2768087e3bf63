package analyzer

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/tbls-dev/tbls/rules"
)

// sdkPath is the import path of the SDK. The analyzers recognise the SDK by
// the package of a callee or a named type, never by how a file spells it, so
// aliases and dot imports work and look-alikes elsewhere are ignored.
const sdkPath = "github.com/tbls-dev/tbls/tinybird"

// usesSDK reports whether the analyzers have anything to look at in the
// package: it must import the SDK and must not be the SDK itself (nor its
// external tests, which build invalid values on purpose to test Validate).
func usesSDK(pkg *types.Package) bool {
	if pkg.Path() == sdkPath || pkg.Path() == sdkPath+"_test" {
		return false
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == sdkPath {
			return true
		}
	}
	return false
}

// sdkFunc returns the name of the package-level SDK function call calls, or
// "" when it calls anything else.
func sdkFunc(info *types.Info, call *ast.CallExpr) string {
	fn, ok := typeutil.Callee(info, call).(*types.Func)
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

// litType returns the name of the SDK type of a composite literal, including
// one whose type is elided inside a slice or map literal.
func litType(info *types.Info, lit *ast.CompositeLit) string {
	return sdkType(info.TypeOf(lit))
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

// constString returns the value of e when it is a constant string
// expression: a literal, a constant of any package, typed or untyped, or a
// constant expression such as prefix + "_read".
func constString(info *types.Info, e ast.Expr) (string, bool) {
	tv, ok := info.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

// constInt64 returns the value of e when it is an integer constant that fits
// in an int64.
func constInt64(info *types.Info, e ast.Expr) (int64, bool) {
	tv, ok := info.Types[e]
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

// fields returns the fields a struct composite literal sets, by field name.
// Keyed and positional literals both work; for anything else it returns nil.
func fields(info *types.Info, lit *ast.CompositeLit) map[string]field {
	t := info.TypeOf(lit)
	if t == nil {
		return nil
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	m := make(map[string]field, len(lit.Elts))
	for i, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				m[id.Name] = field{elt: kv, value: kv.Value}
			}
			continue
		}
		if i < st.NumFields() {
			m[st.Field(i).Name()] = field{elt: elt, value: elt}
		}
	}
	return m
}

// isNil reports whether e is the predeclared nil.
func isNil(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[ast.Unparen(e)]
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
			if pkgName, ok := pass.TypesInfo.Implicits[imp].(*types.PkgName); ok {
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

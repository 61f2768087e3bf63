package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"

	"golang.org/x/tools/go/analysis"
)

// indexAnalyzer finds, in one walk over the package, every node the
// analyzers of the Suite look at, with its callee or type resolved. Every
// analyzer requires it, so a package is walked and its nodes resolved once
// per run however many analyzers run: the language server runs the whole
// Suite on every edit, and five walks resolving the same nodes cost more
// than the checks themselves.
//
// It does not use the inspect pass: building an inspector records every
// node of the package, which costs several times this walk, and nothing
// else in tbvet or the language server needs it. Like the analyzers it
// keeps no global state and exports no facts.
var indexAnalyzer = &analysis.Analyzer{
	Name:       "sdkindex",
	Doc:        "find the SDK calls and values of a package for the tbvet analyzers",
	Run:        runIndex,
	ResultType: reflect.TypeFor[*sdkIndex](),
}

// sdkIndex is the result of indexAnalyzer. It is read, never written, by
// the analyzers, which a driver may run concurrently. All of it is derived
// from the syntax of the package's files and types.Info's per-node maps
// (Defs, Uses, Types).
type sdkIndex struct {
	// info is the package's type information, which the analyzers read
	// instead of Pass.TypesInfo (see TypesInfo).
	info *TypesInfo
	// uses is false when the package does not import the SDK, or is the
	// SDK: the analyzers have nothing to check and everything below is
	// empty.
	uses bool
	// nodes are the SDK calls and values the analyzers check, in the order
	// of a preorder walk of the files, so that each analyzer reports in
	// the order it did when it walked the package itself.
	nodes nodeList
	// tokens are the DefineToken calls with one argument, in the same
	// order.
	tokens []tokenDef
	// granted holds the unexported package-level variables holding a
	// token that are used for anything but a method call or field access
	// on them (see grantingUses).
	granted map[*types.Var]bool
	// inits maps each package-level variable declared with its own
	// initializer to that initializer.
	inits map[*types.Var]ast.Expr
	// funcs maps the package's functions with a body (not methods) to
	// their declarations.
	funcs map[*types.Func]*ast.FuncDecl
}

// sdkNode is one node of interest to an analyzer. Exactly one of call, lit
// and assign is set.
type sdkNode struct {
	// call calls the package-level SDK function name, one of
	// indexedFuncs.
	call *ast.CallExpr
	// lit is a composite literal of the SDK struct type name, one of
	// indexedTypes, whose type is st (nil if not a struct).
	lit *ast.CompositeLit
	st  *types.Struct
	// assign sets, at Lhs[lhs], the Tokens field of a value (or pointer)
	// of the SDK options type name, one of optionsKinds.
	assign *ast.AssignStmt
	lhs    int

	name string
}

// nodeList is a list of sdkNodes kept in chunks, one per file: an index
// made of the FileIndex parts of its files shares their node slices.
type nodeList struct {
	chunks [][]sdkNode
}

// all iterates over the nodes in order.
func (l *nodeList) all(yield func(*sdkNode) bool) {
	for _, c := range l.chunks {
		for i := range c {
			if !yield(&c[i]) {
				return
			}
		}
	}
}

// tokenDef is a DefineToken call with one argument, and where its result
// goes.
type tokenDef struct {
	call *ast.CallExpr
	// holders are the package-level variables initialized with the
	// result; followed is false when the result goes anywhere else (a
	// local variable, an argument, a field), where it cannot be followed.
	holders  []*types.Var
	followed bool
}

// indexedFuncs are the SDK functions whose calls the analyzers check.
var indexedFuncs = func() map[string]bool {
	m := map[string]bool{"DefineToken": true, "DefineProject": true}
	for name := range defineSubjects {
		m[name] = true
	}
	return m
}()

// indexedTypes are the SDK types whose composite literals the analyzers
// check.
var indexedTypes = func() map[string]bool {
	m := map[string]bool{"TokenAccess": true, "Node": true, "JWTScope": true, "JWTOptions": true}
	for name := range optionsKinds {
		m[name] = true
	}
	return m
}()

func runIndex(pass *analysis.Pass) (any, error) {
	info := NewTypesInfo(pass.TypesInfo)
	if !usesSDK(pass) {
		return &sdkIndex{info: info}, nil
	}
	parts := make([]*FileIndex, len(pass.Files))
	for i, f := range pass.Files {
		parts[i] = IndexFile(info, f)
	}
	return buildIndex(pass, info, parts, nil), nil
}

// A FileIndex is what the analyzers' index holds of one file: its SDK
// calls and values, and its DefineToken calls. It is computed from the
// file's syntax and the type information of its nodes alone, so a driver
// that checks a package in parts (the language server's split checks) can
// keep the FileIndex of a file whose type information did not change and
// give it to Index again.
type FileIndex struct {
	nodes  []sdkNode
	tokens []tokenDef
}

// IndexFile indexes file f of a package whose type information is info.
func IndexFile(info *TypesInfo, f *ast.File) *FileIndex {
	part := &FileIndex{}

	// stack holds the ancestors of the node being visited, to tell where
	// a DefineToken call's result goes; lits holds the composite literals
	// among them, to give an elided literal type its enclosing literal's
	// element type without a look-up.
	var stack []ast.Node
	var lits []litFrame
	visit := func(n ast.Node) bool {
		if n == nil {
			if _, ok := stack[len(stack)-1].(*ast.CompositeLit); ok {
				lits = lits[:len(lits)-1]
			}
			stack = stack[:len(stack)-1]
			return false
		}
		switch n := n.(type) {
		case *ast.Ident, *ast.BasicLit, *ast.CommentGroup, *ast.ImportSpec:
			// Most nodes are leaves; none of these holds anything to
			// index. Returning false here also spares the closing visit.
			return false
		case *ast.CallExpr:
			// Most calls are not of the few functions indexed, which
			// their name tells without a look-up.
			id := calleeIdent(n)
			if id == nil || !indexedFuncs[id.Name] {
				break
			}
			if fn := sdkFuncNamed(info, id); indexedFuncs[fn] {
				part.nodes = append(part.nodes, sdkNode{call: n, name: fn})
				if fn == "DefineToken" && len(n.Args) == 1 {
					holders, ok := tokenHolders(info, n, stack)
					part.tokens = append(part.tokens, tokenDef{call: n, holders: holders, followed: ok})
				}
			}
		case *ast.CompositeLit:
			frame := litFrame{lit: n}
			switch n.Type.(type) {
			case *ast.ArrayType, *ast.MapType, *ast.StructType:
				// Not a named type, so not one of the SDK's; its
				// elements' types are read from the syntax.
			case nil:
				frame.t, frame.known = elidedLitType(info, n, stack, lits), true
			default:
				frame.t, frame.known = typeOfTypeExpr(info, n.Type), true
			}
			if frame.known {
				if name := sdkType(frame.t); indexedTypes[name] {
					st, _ := frame.t.Underlying().(*types.Struct)
					part.nodes = append(part.nodes, sdkNode{lit: n, st: st, name: name})
				}
			}
			lits = append(lits, frame)
		case *ast.AssignStmt:
			// opts.Tokens = …
			if len(n.Lhs) != len(n.Rhs) {
				break
			}
			for i, lhs := range n.Lhs {
				sel, ok := lhs.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Tokens" {
					continue
				}
				t := info.TypeOf(sel.X)
				if p, ok := t.(*types.Pointer); ok {
					t = p.Elem()
				}
				if name := sdkType(t); isOptions(name) {
					part.nodes = append(part.nodes, sdkNode{assign: n, lhs: i, name: name})
				}
			}
		}
		stack = append(stack, n)
		return true
	}
	ast.Inspect(f, visit)
	// Full slices: nothing may append to a part another index shares.
	part.nodes = part.nodes[:len(part.nodes):len(part.nodes)]
	part.tokens = part.tokens[:len(part.tokens):len(part.tokens)]
	return part
}

// Index returns the result of the analyzers' index for pass, whose type
// information is info (Pass.TypesInfo is not read), from parts,
// the FileIndex of each of pass.Files in order, for a driver that supplies
// it in Pass.ResultOf (see IsIndex) instead of running the index. When
// only is not nil, the index holds the SDK calls and values of the files
// for which only returns true, and everything else (declarations, tokens,
// granting uses) of the whole package: the Local analyzers then report
// exactly what they report in those files' nodes on the whole index.
func Index(pass *analysis.Pass, info *TypesInfo, parts []*FileIndex, only func(*ast.File) bool) any {
	if !usesSDK(pass) {
		return &sdkIndex{info: info}
	}
	return buildIndex(pass, info, parts, only)
}

func buildIndex(pass *analysis.Pass, info *TypesInfo, parts []*FileIndex, only func(*ast.File) bool) *sdkIndex {
	idx := &sdkIndex{info: info, uses: true}
	idx.inits, idx.funcs = packageDecls(pass, info)
	for i, part := range parts {
		if only == nil || only(pass.Files[i]) {
			if len(part.nodes) > 0 {
				idx.nodes.chunks = append(idx.nodes.chunks, part.nodes)
			}
		}
		idx.tokens = append(idx.tokens, part.tokens...)
	}
	idx.granted = grantingUses(pass, info, idx.tokens)
	return idx
}

// UsesSDK reports whether the analyzers have anything to check in pass's
// package: one of its files imports the SDK, and it is not the SDK.
func UsesSDK(pass *analysis.Pass) bool { return usesSDK(pass) }

// IsIndex reports whether a is the index every analyzer of the Suite
// requires, whose result Index makes.
func IsIndex(a *analysis.Analyzer) bool { return a == indexAnalyzer }

// Local reports whether a is an analyzer of the Suite whose diagnostics
// at the SDK calls and values of a file depend only on those nodes, the
// type information of that file and the package-level declarations its
// identifiers reach, so that running it on an index restricted to some
// files (Index with only) reports exactly its diagnostics there. TokenUse
// (tokens granted anywhere, duplicate token names) and Project (duplicate
// resource names) compare the whole package and are not Local.
func Local(a *analysis.Analyzer) bool {
	switch a {
	case TokenName, ResourceName, Scope, JWT, Datasource, Pipe:
		return true
	}
	return false
}

// litFrame is a composite literal enclosing the node being visited, with
// its type when it is written as a name or elided (known).
type litFrame struct {
	lit   *ast.CompositeLit
	t     types.Type
	known bool
}

// elidedLitType returns the type of lit, a composite literal without a
// type, whose ancestors are stack and enclosing literals lits. The type
// checker gives such a literal the element (or key) type of the literal it
// is an element of, as the hint it checks it with; that type is read from
// the enclosing literal's type or its syntax. Anything else (an enclosing
// literal of a type parameter's type, an elided literal where none is
// allowed) is looked up as it is.
func elidedLitType(info *TypesInfo, lit *ast.CompositeLit, stack []ast.Node, lits []litFrame) types.Type {
	if len(stack) == 0 || len(lits) == 0 {
		return info.TypeOf(lit)
	}
	outer := lits[len(lits)-1]
	isKey := false
	switch p := stack[len(stack)-1].(type) {
	case *ast.CompositeLit:
		// an element
		if p != outer.lit {
			return info.TypeOf(lit)
		}
	case *ast.KeyValueExpr:
		// a key or value of a keyed element
		if len(stack) < 2 || stack[len(stack)-2] != outer.lit {
			return info.TypeOf(lit)
		}
		isKey = p.Key == lit
	default:
		return info.TypeOf(lit)
	}
	switch lt := outer.lit.Type.(type) {
	case *ast.ArrayType:
		if !isKey {
			return typeOfTypeExpr(info, lt.Elt)
		}
		return info.TypeOf(lit)
	case *ast.MapType:
		if isKey {
			return typeOfTypeExpr(info, lt.Key)
		}
		return typeOfTypeExpr(info, lt.Value)
	}
	if !outer.known || outer.t == nil {
		return info.TypeOf(lit)
	}
	switch u := outer.t.Underlying().(type) {
	case *types.Slice:
		if !isKey {
			return u.Elem()
		}
	case *types.Array:
		if !isKey {
			return u.Elem()
		}
	case *types.Map:
		if isKey {
			return u.Key()
		}
		return u.Elem()
	}
	return info.TypeOf(lit)
}

// packageDecls returns the package-level variables declared with their own
// initializer (as many values as names), with that initializer, and the
// package's functions with a body (not methods), with their declaration.
// Both come from the syntax, through Defs, never from Info.InitOrder.
func packageDecls(pass *analysis.Pass, info *TypesInfo) (inits map[*types.Var]ast.Expr, funcs map[*types.Func]*ast.FuncDecl) {
	inits = make(map[*types.Var]ast.Expr)
	funcs = make(map[*types.Func]*ast.FuncDecl)
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv != nil || d.Body == nil {
					continue
				}
				if fn, ok := info.Def(d.Name).(*types.Func); ok {
					funcs[fn] = d
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR {
					continue
				}
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok || len(vs.Values) != len(vs.Names) {
						continue
					}
					for i, id := range vs.Names {
						if v, ok := info.Def(id).(*types.Var); ok {
							inits[v] = vs.Values[i]
						}
					}
				}
			}
		}
	}
	return inits, funcs
}

// tokenHolders returns the package-level variables that hold the result of
// call, a DefineToken call whose ancestors are stack (innermost last):
// empty when the result is discarded. ok is false when the result goes
// anywhere else (a local variable, an argument, a field), where the
// analyzer cannot follow it.
func tokenHolders(info *TypesInfo, call *ast.CallExpr, stack []ast.Node) (holders []*types.Var, ok bool) {
	if len(stack) == 0 {
		return nil, false
	}
	switch p := stack[len(stack)-1].(type) {
	case *ast.ExprStmt:
		return nil, true
	case *ast.ValueSpec:
		// var x = tinybird.DefineToken(…) at package level: the spec's
		// GenDecl sits in the File, not in a function's DeclStmt.
		if len(stack) < 3 {
			return nil, false
		}
		if _, atTop := stack[len(stack)-3].(*ast.File); !atTop {
			return nil, false
		}
		for i, val := range p.Values {
			if val != call || i >= len(p.Names) {
				continue
			}
			if p.Names[i].Name == "_" {
				return nil, true
			}
			if v, ok := info.Def(p.Names[i]).(*types.Var); ok {
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

// grantingUses returns which of the unexported variables holding a token
// are used for anything but a method call or field access on them, so
// that a token passed to a helper or stored elsewhere is never reported.
// Exported holders need no look: another package may grant them. Most
// packages hold their tokens in exported variables, so the walk this takes
// is usually skipped.
func grantingUses(pass *analysis.Pass, info *TypesInfo, tokens []tokenDef) map[*types.Var]bool {
	// An identifier denoting a variable is spelled as its name: the names
	// narrow the identifiers to resolve, objects decide.
	want := make(map[string][]*types.Var)
	for _, t := range tokens {
		for _, v := range t.holders {
			if !v.Exported() {
				want[v.Name()] = append(want[v.Name()], v)
			}
		}
	}
	granted := make(map[*types.Var]bool)
	if len(want) == 0 {
		return granted
	}
	check := func(id *ast.Ident) {
		vs, ok := want[id.Name]
		if !ok {
			return
		}
		if v, ok := info.Use(id).(*types.Var); ok {
			for _, w := range vs {
				if v == w {
					granted[v] = true
				}
			}
		}
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				// x.Name() or x.Field reads the token, it does not
				// grant it.
				if _, ok := n.X.(*ast.Ident); ok {
					check(n.Sel)
					return false
				}
			case *ast.Ident:
				check(n)
			}
			return true
		})
	}
	return granted
}

// index returns the result of indexAnalyzer for pass.
func index(pass *analysis.Pass) *sdkIndex {
	return pass.ResultOf[indexAnalyzer].(*sdkIndex)
}

// infoOf returns the type information of pass's package, which the
// analyzers read instead of Pass.TypesInfo: a driver checking a package in
// parts gives it in the index (see TypesInfo).
func infoOf(pass *analysis.Pass) *TypesInfo {
	return index(pass).info
}

package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"maps"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// IndexMismatches builds the index of pass and, independently, a reference
// index the plain way (one Types look-up per composite literal,
// typeutil.Callee on every call, an inspector for parents), and returns how
// they differ: the shortcuts of the index must find exactly what the plain
// way finds. withInitOrder also compares the initializers with
// types.Info.InitOrder, which is exact only for a package without type
// errors checked in one go.
func IndexMismatches(pass *analysis.Pass, withInitOrder bool) []string {
	got := must(runIndex(pass)).(*sdkIndex)
	want := referenceIndex(pass)
	var diffs []string
	diff := func(format string, args ...any) { diffs = append(diffs, fmt.Sprintf(format, args...)) }
	at := func(n ast.Node) string { return pass.Fset.Position(n.Pos()).String() }

	if got.uses != want.uses {
		diff("uses: got %v, want %v", got.uses, want.uses)
	}
	var gotNodes []sdkNode
	for n := range got.nodes.all {
		gotNodes = append(gotNodes, *n)
	}
	for i := range max(len(gotNodes), len(want.nodes)) {
		switch {
		case i >= len(gotNodes):
			diff("node %d missing: %s %s", i, want.nodes[i].name, at(want.nodes[i].node()))
		case i >= len(want.nodes):
			diff("node %d extra: %s %s", i, gotNodes[i].name, at(gotNodes[i].node()))
		case gotNodes[i] != want.nodes[i]:
			diff("node %d: got %s %+v, want %s %+v", i, at(gotNodes[i].node()), gotNodes[i], at(want.nodes[i].node()), want.nodes[i])
		}
	}
	if !slices.EqualFunc(got.tokens, want.tokens, func(a, b tokenDef) bool {
		return a.call == b.call && a.followed == b.followed && slices.Equal(a.holders, b.holders)
	}) {
		diff("tokens: got %v, want %v", got.tokens, want.tokens)
	}
	if !maps.Equal(got.granted, want.granted) {
		diff("granted: got %v, want %v", got.granted, want.granted)
	}
	if !maps.Equal(got.funcs, want.funcs) {
		diff("funcs: got %v, want %v", got.funcs, want.funcs)
	}
	if withInitOrder && want.uses {
		inits := make(map[*types.Var]ast.Expr)
		for _, in := range pass.TypesInfo.InitOrder {
			if len(in.Lhs) == 1 {
				inits[in.Lhs[0]] = in.Rhs
			}
		}
		if !maps.Equal(got.inits, inits) {
			diff("inits: got %v, want (InitOrder) %v", got.inits, inits)
		}
	}
	return diffs
}

func (n sdkNode) node() ast.Node {
	switch {
	case n.call != nil:
		return n.call
	case n.lit != nil:
		return n.lit
	}
	return n.assign
}

func must(v any, err error) any {
	if err != nil {
		panic(err)
	}
	return v
}

// referenceIndex is what the index holds, found the plain way.
func referenceIndex(pass *analysis.Pass) *struct {
	uses    bool
	nodes   []sdkNode
	tokens  []tokenDef
	granted map[*types.Var]bool
	funcs   map[*types.Func]*ast.FuncDecl
} {
	ref := &struct {
		uses    bool
		nodes   []sdkNode
		tokens  []tokenDef
		granted map[*types.Var]bool
		funcs   map[*types.Func]*ast.FuncDecl
	}{granted: make(map[*types.Var]bool), funcs: make(map[*types.Func]*ast.FuncDecl)}
	pkg := pass.Pkg
	if pkg.Path() == sdkPath || pkg.Path() == sdkPath+"_test" {
		return ref
	}
	for _, imp := range pkg.Imports() {
		if imp.Path() == sdkPath {
			ref.uses = true
		}
	}
	if !ref.uses {
		return ref
	}
	info := pass.TypesInfo
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Body != nil {
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
					ref.funcs[fn] = fd
				}
			}
		}
	}
	callee := func(call *ast.CallExpr) string {
		fn, ok := typeutil.Callee(info, call).(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg().Path() != sdkPath || fn.Signature().Recv() != nil {
			return ""
		}
		return fn.Name()
	}
	insp := inspector.New(pass.Files)
	var holders []*types.Var
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil), (*ast.AssignStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			fn := callee(n)
			if !indexedFuncs[fn] {
				continue
			}
			ref.nodes = append(ref.nodes, sdkNode{call: n, name: fn})
			if fn == "DefineToken" && len(n.Args) == 1 {
				var stack []ast.Node
				for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
					stack = append([]ast.Node{c.Node()}, stack...)
				}
				hs, ok := tokenHolders(NewTypesInfo(info), n, stack)
				ref.tokens = append(ref.tokens, tokenDef{call: n, holders: hs, followed: ok})
				holders = append(holders, hs...)
			}
		case *ast.CompositeLit:
			t := info.TypeOf(n)
			name := sdkType(t)
			if !indexedTypes[name] {
				continue
			}
			st, _ := t.Underlying().(*types.Struct)
			ref.nodes = append(ref.nodes, sdkNode{lit: n, st: st, name: name})
		case *ast.AssignStmt:
			if len(n.Lhs) != len(n.Rhs) {
				continue
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
					ref.nodes = append(ref.nodes, sdkNode{assign: n, lhs: i, name: name})
				}
			}
		}
	}
	for cur := range insp.Root().Preorder((*ast.Ident)(nil)) {
		v, ok := info.Uses[cur.Node().(*ast.Ident)].(*types.Var)
		if !ok || v.Exported() || !slices.Contains(holders, v) {
			continue
		}
		if k, _ := cur.ParentEdge(); k != edge.SelectorExpr_X {
			ref.granted[v] = true
		}
	}
	return ref
}

// CheckIndex reports, on the first line of a package's first file, every
// way its index differs from the reference; see IndexMismatches.
var CheckIndex = &analysis.Analyzer{
	Name: "checkindex",
	Doc:  "compare the index with one found the plain way",
	Run: func(pass *analysis.Pass) (any, error) {
		for _, d := range IndexMismatches(pass, len(pass.TypeErrors) == 0) {
			pass.Reportf(pass.Files[0].Package, "index mismatch: %s", d)
		}
		return nil, nil
	},
}

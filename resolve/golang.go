package resolve

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/rules"
)

// The Go side of the resolver: what a type-checked Go package declares
// with the SDK (Define… calls with a constant name) and uses (grants in
// Tokens, typed targets, every other use of a variable holding a resource,
// and table references in constant node SQL).
//
// It reads the SDK through go/types (callee objects and named types of the
// SDK's import path, constant values) and the analyzer package's knowledge
// of the options types. It is the one place the resolver recognises SDK
// code; when the shared SDK model lands (issue 8), GoFiles takes its
// answers from there instead, and nothing else changes.

// GoPackage is a type-checked Go package.
type GoPackage struct {
	Fset  *token.FileSet
	Files []*ast.File
	// Info returns the type information of one of Files; nil when there is
	// none, and the file is then skipped.
	Info func(*ast.File) *types.Info
}

// defineKinds maps the SDK's Define functions to the kind they declare and
// the resource kind (0 for DefinePipe, refined by its options).
var defineKinds = map[string]defineKind{
	"DefineToken":              {Token, 0},
	"DefineDatasource":         {Datasource, rules.KindDatasource},
	"DefinePipe":               {Pipe, 0},
	"DefineEndpoint":           {Pipe, rules.KindEndpoint},
	"DefineMaterializedView":   {Pipe, rules.KindMaterializedView},
	"DefineCopyPipe":           {Pipe, rules.KindCopyPipe},
	"DefineSinkPipe":           {Pipe, rules.KindSinkPipe},
	"DefineKafkaConnection":    {Connection, 0},
	"DefineS3Connection":       {Connection, 0},
	"DefineGCSConnection":      {Connection, 0},
	"DefineDynamoDBConnection": {Connection, 0},
}

type defineKind struct {
	kind Kind
	rk   rules.Kind
}

// goName is what a package-level variable holding a Define call's result
// names.
type goName struct {
	kind Kind
	name string
}

// GoFiles returns what the files of pkg declare and use, one File per Go
// file that has any.
func GoFiles(pkg GoPackage) []*File {
	g := goReader{pkg: pkg, vars: map[*types.Var]goName{}, inits: map[*types.Var]ast.Expr{}}
	// First the variables holding Define results, so that every file's
	// uses of them resolve whatever the file order.
	for _, f := range pkg.Files {
		info := pkg.Info(f)
		if info == nil {
			continue
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, id := range vs.Names {
					v, ok := info.Defs[id].(*types.Var)
					if !ok {
						continue
					}
					g.inits[v] = vs.Values[i]
					if call, ok := ast.Unparen(vs.Values[i]).(*ast.CallExpr); ok {
						if _, dk, ok := g.define(info, call); ok && len(call.Args) > 0 {
							if name, ok := constString(info, call.Args[0]); ok {
								g.vars[v] = goName{dk.kind, name}
							}
						}
					}
				}
			}
		}
	}
	var out []*File
	for _, f := range pkg.Files {
		if info := pkg.Info(f); info != nil {
			if rf := g.file(f, info); len(rf.Decls) > 0 || len(rf.Refs) > 0 {
				out = append(out, rf)
			}
		}
	}
	return out
}

type goReader struct {
	pkg   GoPackage
	vars  map[*types.Var]goName
	inits map[*types.Var]ast.Expr
}

// define returns the SDK Define function call calls.
func (g *goReader) define(info *types.Info, call *ast.CallExpr) (string, defineKind, bool) {
	var id *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		id = fun.Sel
	case *ast.Ident:
		id = fun
	}
	if id == nil {
		return "", defineKind{}, false
	}
	fn, ok := info.Uses[id].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != analyzer.SDKPath {
		return "", defineKind{}, false
	}
	dk, ok := defineKinds[fn.Name()]
	return fn.Name(), dk, ok
}

// constString returns the constant string value of x.
func constString(info *types.Info, x ast.Expr) (string, bool) {
	if tv, ok := info.Types[x]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return constant.StringVal(tv.Value), true
	}
	return "", false
}

// fileReader reads one file.
type fileReader struct {
	*goReader
	info  *types.Info
	tf    *token.File
	out   *File
	taken map[*ast.Ident]bool // identifiers already recorded as references (a shared list's, once per resource)
}

func (g *goReader) file(f *ast.File, info *types.Info) *File {
	tf := g.pkg.Fset.File(f.FileStart)
	r := &fileReader{goReader: g, info: info, tf: tf, out: &File{Path: tf.Name()}, taken: map[*ast.Ident]bool{}}
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		switch n := n.(type) {
		case *ast.CallExpr:
			r.defineCall(n)
		case *ast.Ident:
			r.typedUse(n)
		}
		return true
	})
	return r.out
}

func (r *fileReader) off(p token.Pos) int  { return r.tf.Offset(p) }
func (r *fileReader) line(p token.Pos) int { return r.tf.Line(p) }

// defineCall records a Define call's declaration and what its options use.
func (r *fileReader) defineCall(call *ast.CallExpr) {
	fnName, dk, ok := r.define(r.info, call)
	if !ok || len(call.Args) == 0 {
		return
	}
	name, ok := constString(r.info, call.Args[0])
	if !ok {
		return
	}
	d := Decl{Kind: dk.kind, Name: name, ResourceKind: dk.rk, File: r.out.Path, Go: true}
	d.Start, d.End, d.Fixed = r.literalSpan(call.Args[0], name)
	d.Line = r.line(call.Args[0].Pos())
	var opts *ast.CompositeLit
	if len(call.Args) > 1 {
		opts, _ = ast.Unparen(call.Args[1]).(*ast.CompositeLit)
	}
	if fnName == "DefinePipe" {
		d.ResourceKind = rules.KindPipe
		if opts != nil {
			fields := fieldsOf(opts)
			d.ResourceKind = analyzer.RefinePipeKind(func(f string) bool {
				v, ok := fields[f]
				id, isID := v.(*ast.Ident)
				return ok && !(isID && id.Name == "nil")
			})
		}
	}
	r.out.Decls = append(r.out.Decls, d)
	if opts != nil && dk.kind != Token {
		r.options(opts, d)
	}
}

// literalSpan returns the span of x's text when it is a string literal
// spelling name exactly, or why the name cannot be edited there.
func (r *fileReader) literalSpan(x ast.Expr, name string) (int, int, string) {
	lit, ok := ast.Unparen(x).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING || len(lit.Value) < 2 || lit.Value[1:len(lit.Value)-1] != name {
		start, end := r.off(x.Pos()), r.off(x.End())
		return start, end, "the name " + strconv.Quote(name) + " is computed here, not written as a string literal: rename it where its value is written"
	}
	start := r.off(lit.Pos()) + 1
	return start, start + len(name), ""
}

func fieldsOf(lit *ast.CompositeLit) map[string]ast.Expr {
	m := map[string]ast.Expr{}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				m[id.Name] = kv.Value
			}
		}
	}
	return m
}

// options reads the options literal of the resource d: its grants, nodes,
// and typed targets.
func (r *fileReader) options(opts *ast.CompositeLit, d Decl) {
	fields := fieldsOf(opts)
	if toks, ok := fields["Tokens"]; ok {
		r.grants(toks, d, 0)
	}
	if nodes, ok := ast.Unparen(fields["Nodes"]).(*ast.CompositeLit); ok {
		r.nodes(nodes, d.Name)
	}
	for _, f := range []string{"Datasource", "Materialized", "Copy"} {
		switch v := ast.Unparen(fields[f]).(type) {
		case *ast.Ident:
			r.typedRef(v, UseTarget)
		case *ast.UnaryExpr: // &tinybird.MaterializedConfig{Datasource: X}
			if lit, ok := ast.Unparen(v.X).(*ast.CompositeLit); ok {
				if id, ok := ast.Unparen(fieldsOf(lit)["Datasource"]).(*ast.Ident); ok {
					r.typedRef(id, UseTarget)
				}
			}
		}
	}
}

// grants reads a Tokens value: a []TokenAccess literal, or a package-level
// variable holding one.
func (r *fileReader) grants(x ast.Expr, d Decl, depth int) {
	switch v := ast.Unparen(x).(type) {
	case *ast.CompositeLit:
		for _, elt := range v.Elts {
			lit, ok := ast.Unparen(elt).(*ast.CompositeLit)
			if !ok {
				if u, ok := ast.Unparen(elt).(*ast.UnaryExpr); ok {
					lit, ok = ast.Unparen(u.X).(*ast.CompositeLit)
				}
				if lit == nil {
					continue
				}
			}
			r.access(lit, d, depth > 0, x.Pos())
		}
	case *ast.Ident:
		if depth > 0 {
			return
		}
		if obj, ok := r.info.Uses[v].(*types.Var); ok {
			if init, ok := r.inits[obj]; ok && r.tf.Pos(0) <= init.Pos() && init.End() <= r.tf.Pos(r.tf.Size()) {
				r.grants(init, d, depth+1)
			}
		}
	}
}

// access reads one TokenAccess of the resource d. shared reports a list
// declared elsewhere: its grants are dated at the Tokens field (at).
func (r *fileReader) access(lit *ast.CompositeLit, d Decl, shared bool, at token.Pos) {
	fields := fieldsOf(lit)
	line := r.line(lit.Pos())
	if shared {
		line = r.line(at)
	}
	if tok, ok := fields["Token"]; ok {
		id := identOf(tok)
		if id == nil {
			return
		}
		v, ok := r.info.Uses[id].(*types.Var)
		gn, known := r.vars[v]
		if !ok || !known || gn.kind != Token {
			return
		}
		scope, _ := constString(r.info, fields["Scope"])
		r.taken[id] = true
		r.out.Refs = append(r.out.Refs, Ref{Kind: Token, Name: gn.name, Use: UseGrant, File: r.out.Path,
			Start: r.off(id.Pos()), End: r.off(id.End()), Line: line, Typed: true,
			Scope: scope, Resource: d.Name, ResourceKind: d.ResourceKind})
		return
	}
	nameX, ok := fields["Name"]
	if !ok {
		return
	}
	name, ok := constString(r.info, nameX)
	if !ok {
		return
	}
	start, end, fixed := r.literalSpan(nameX, name)
	add := func(scope string) {
		r.out.Refs = append(r.out.Refs, Ref{Kind: Token, Name: name, Use: UseGrant, File: r.out.Path,
			Start: start, End: end, Line: line, Inline: true, Fixed: fixed,
			Scope: scope, Resource: d.Name, ResourceKind: d.ResourceKind})
	}
	if d.ResourceKind.IsPipe() {
		add(rules.ScopeRead)
		return
	}
	perms, _ := ast.Unparen(fields["Permissions"]).(*ast.CompositeLit)
	added := false
	if perms != nil {
		for _, p := range perms.Elts {
			if s, ok := constString(r.info, p); ok {
				add(s)
				added = true
			}
		}
	}
	if !added {
		add("") // a reference without a grant: the name is still the token's
	}
}

func identOf(x ast.Expr) *ast.Ident {
	switch v := ast.Unparen(x).(type) {
	case *ast.Ident:
		return v
	case *ast.SelectorExpr:
		return v.Sel
	}
	return nil
}

// nodes reads a []Node literal of pipe.
func (r *fileReader) nodes(lit *ast.CompositeLit, pipe string) {
	names := map[string]bool{}
	var sqls []ast.Expr
	for _, elt := range lit.Elts {
		n, ok := ast.Unparen(elt).(*ast.CompositeLit)
		if !ok {
			continue
		}
		fields := fieldsOf(n)
		if nx, ok := fields["Name"]; ok {
			if name, ok := constString(r.info, nx); ok {
				d := Decl{Kind: Node, Name: name, Pipe: pipe, File: r.out.Path, Go: true, Line: r.line(nx.Pos())}
				d.Start, d.End, d.Fixed = r.literalSpan(nx, name)
				r.out.Decls = append(r.out.Decls, d)
				names[name] = true
			}
		}
		if sx, ok := fields["SQL"]; ok {
			sqls = append(sqls, sx)
		}
	}
	for _, sx := range sqls {
		lit, ok := ast.Unparen(sx).(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			continue // computed SQL: its text has no place in the source
		}
		text, offs, ok := literalOffsets(lit.Value)
		if !ok {
			continue
		}
		base := r.off(lit.Pos())
		for _, t := range TableRefs(text) {
			ref := Ref{Kind: Resource, Name: t.Name, Use: UseTable, Pipe: pipe, File: r.out.Path,
				Start: base + offs[t.Start], End: base + offs[t.End-1] + 1, Dotted: t.Dotted, Line: r.line(lit.Pos())}
			ref.Line = r.tf.Line(r.tf.Pos(ref.Start))
			if names[t.Name] {
				ref.Kind = Node
			}
			if ref.End-ref.Start != len(t.Name) && !t.Dotted {
				ref.Fixed = "the name is written with escapes in the Go string"
			}
			r.out.Refs = append(r.out.Refs, ref)
		}
	}
}

// literalOffsets returns the value of a Go string literal and, for each
// byte of the value, its offset in the literal's text.
func literalOffsets(lit string) (string, []int, bool) {
	if len(lit) < 2 {
		return "", nil, false
	}
	if lit[0] == '`' {
		var sb strings.Builder
		var offs []int
		for i := 1; i < len(lit)-1; i++ {
			if lit[i] == '\r' {
				continue // dropped from raw strings
			}
			sb.WriteByte(lit[i])
			offs = append(offs, i)
		}
		return sb.String(), offs, true
	}
	if lit[0] != '"' {
		return "", nil, false
	}
	var sb strings.Builder
	var offs []int
	s := lit[1 : len(lit)-1]
	for i := 0; i < len(s); {
		start := i
		v, multibyte, tail, err := strconv.UnquoteChar(s[i:], '"')
		if err != nil {
			return "", nil, false
		}
		n := sb.Len()
		if v < 0x80 || !multibyte {
			sb.WriteByte(byte(v))
		} else {
			sb.WriteRune(v)
		}
		for range sb.Len() - n {
			offs = append(offs, 1+start)
		}
		i = len(s) - len(tail)
	}
	return sb.String(), offs, true
}

// typedRef records id as a typed reference when it names a variable
// holding a resource.
func (r *fileReader) typedRef(id *ast.Ident, use Use) {
	v, ok := r.info.Uses[id].(*types.Var)
	if !ok || r.taken[id] {
		return
	}
	gn, ok := r.vars[v]
	if !ok {
		return
	}
	r.taken[id] = true
	kind := gn.kind
	if use == UseTarget && kind == Pipe {
		kind = Resource
	}
	r.out.Refs = append(r.out.Refs, Ref{Kind: kind, Name: gn.name, Use: use, File: r.out.Path,
		Start: r.off(id.Pos()), End: r.off(id.End()), Line: r.line(id.Pos()), Typed: true})
}

// typedUse records any other use of a variable holding a resource.
func (r *fileReader) typedUse(id *ast.Ident) {
	r.typedRef(id, 0)
}

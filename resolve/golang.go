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

// The Go side of the resolver: what a Go package declares with the SDK and
// how it uses it, read from the SDK model (analyzer.Model) that the
// analyzers, completion and hover read too: its resources and token
// definitions are declarations, its grants and typed targets references.
// Beside the model, this file reads what only the resolver needs: the
// nodes of a pipe's options (names and constant SQL, whose table
// references it extracts) and every other use of a variable holding a
// resource or a token.
//
// A variable of another package (a token defined in package tokens and
// granted in package schema) is named by its "pkgpath.Name" key (GoVar);
// the Project links it to the declaration of that key.

// GoPackage is a Go package to read: type-checked (Info set) or, for code
// that does not type-check, its syntax alone.
type GoPackage struct {
	Fset  *token.FileSet
	Files []*ast.File
	// Pkg and Info are the package's types and type information, nil for
	// a syntax-only reading.
	Pkg  *types.Package
	Info *types.Info
	// Path is the package's import path (for a syntax-only reading), and
	// SDK the SDK package, for its constants there; both may be empty.
	Path string
	SDK  *types.Package
	// Model, when not nil, is the SDK model already read for these files
	// (the language server keeps one per snapshot, for completion and
	// hover): GoFiles reads it from the files otherwise.
	Model *analyzer.Model
}

// subjectKinds maps the model's subjects to the resolver's kinds.
var subjectKinds = map[rules.Subject]Kind{
	rules.SubjectDatasource: Datasource,
	rules.SubjectPipe:       Pipe,
	rules.SubjectConnection: Connection,
}

// GoFiles returns what the files of pkg declare and use, one File per Go
// file that has any.
func GoFiles(pkg GoPackage) []*File {
	m := pkg.Model
	path := pkg.Path
	if pkg.Info != nil && pkg.Pkg != nil {
		path = pkg.Pkg.Path()
	}
	switch {
	case m != nil:
	case pkg.Info != nil:
		m = analyzer.NewModel(pkg.Fset, pkg.Files, pkg.Pkg, pkg.Info)
	default:
		m = analyzer.NewSyntaxModel(pkg.Fset, pkg.Files, path, pkg.SDK)
	}
	g := &goReader{pkg: pkg, path: path, files: map[string]*File{}, taken: map[*ast.Ident]bool{}}
	g.read(m)
	var out []*File
	for _, f := range pkg.Files {
		tf := pkg.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		if rf := g.files[tf.Name()]; rf != nil && (len(rf.Decls) > 0 || len(rf.Refs) > 0) {
			out = append(out, rf)
		}
	}
	return out
}

// goReader turns a model into Files.
type goReader struct {
	pkg   GoPackage
	path  string
	files map[string]*File
	taken map[*ast.Ident]bool // identifiers recorded as grants or targets
}

// file returns the File of the Go file holding pos.
func (g *goReader) file(pos token.Pos) (*File, *token.File) {
	tf := g.pkg.Fset.File(pos)
	if tf == nil {
		return nil, nil
	}
	f := g.files[tf.Name()]
	if f == nil {
		f = &File{Path: tf.Name()}
		g.files[tf.Name()] = f
	}
	return f, tf
}

// key returns the "pkgpath.Name" of a package-level variable.
func (g *goReader) key(v *types.Var, name string) string {
	if v != nil && v.Pkg() != nil {
		return v.Pkg().Path() + "." + v.Name()
	}
	if name != "" && g.path != "" {
		return g.path + "." + name
	}
	return ""
}

func (g *goReader) read(m *analyzer.Model) {
	names := map[string]Decl{} // by GoVar key
	for _, t := range m.Tokens {
		if t.NameExpr == nil || !t.NameConst {
			continue
		}
		d := g.decl(Token, t.Name, t.NameExpr, 0)
		d.GoVar = g.key(t.Var, t.VarName)
		g.add(d)
		if d.GoVar != "" {
			names[d.GoVar] = d
		}
	}
	for _, r := range m.Resources {
		kind, ok := subjectKinds[r.Subject]
		if !ok || !r.NameConst {
			continue
		}
		d := g.decl(kind, r.Name, r.NameExpr, r.Kind)
		d.GoVar = g.key(r.Var, r.VarName)
		g.add(d)
		if d.GoVar != "" {
			names[d.GoVar] = d
		}
		if opts, ok := ast.Unparen(r.Options).(*ast.CompositeLit); ok && kind == Pipe {
			if nodes, ok := ast.Unparen(fieldsOf(opts)["Nodes"]).(*ast.CompositeLit); ok {
				g.nodes(nodes, r.Name)
			}
		}
	}
	for _, gr := range m.Grants {
		g.grant(gr, names)
	}
	for _, t := range m.Targets {
		id := identOf(t.Value)
		if id == nil {
			continue
		}
		kind := Resource
		use := UseTarget
		if t.Field == "Connection" {
			kind, use = Connection, UseConnection
		}
		ref := g.typedRef(id, kind, use, g.key(t.Var, t.VarName), names)
		if t.Resource != nil && t.Resource.NameConst {
			ref.Name = t.Resource.Name
		}
		g.addRef(ref)
	}
	if g.pkg.Info != nil {
		g.uses(names)
	}
}

// decl returns the declaration of name written at x.
func (g *goReader) decl(kind Kind, name string, x ast.Expr, rk rules.Kind) Decl {
	f, tf := g.file(x.Pos())
	d := Decl{Kind: kind, Name: name, ResourceKind: rk, File: f.Path, Go: true, Line: tf.Line(x.Pos())}
	d.Start, d.End, d.Fixed = literalSpan(tf, x, name)
	return d
}

func (g *goReader) add(d Decl) {
	f := g.files[d.File]
	f.Decls = append(f.Decls, d)
}

func (g *goReader) addRef(r Ref) {
	if r.File == "" {
		return
	}
	f := g.files[r.File]
	f.Refs = append(f.Refs, r)
}

// typedRef returns a reference through the variable id names, whose key is
// key; its name is the declaration's when the package declares it, else
// left for the Project to link.
func (g *goReader) typedRef(id *ast.Ident, kind Kind, use Use, key string, names map[string]Decl) Ref {
	f, tf := g.file(id.Pos())
	if f == nil {
		return Ref{}
	}
	g.taken[id] = true
	r := Ref{Kind: kind, Use: use, File: f.Path, Start: tf.Offset(id.Pos()), End: tf.Offset(id.End()),
		Line: tf.Line(id.Pos()), Typed: true, GoVar: key}
	if d, ok := names[key]; ok {
		r.Name = d.Name
	}
	return r
}

// grant records one grant of the model.
func (g *goReader) grant(gr *analyzer.Grant, names map[string]Decl) {
	resource := ""
	if gr.Resource != nil && gr.Resource.NameConst {
		resource = gr.Resource.Name
	}
	scope := ""
	if gr.ScopeConst {
		scope = gr.Scope
	}
	grantFile, grantLine := "", 0
	if f, tf := g.file(gr.Pos); f != nil {
		grantFile, grantLine = f.Path, tf.Line(gr.Pos)
	}
	a := gr.Access
	if gr.Token != nil || gr.TokenVar != "" {
		id := identOf(a.Token)
		if id == nil {
			return
		}
		r := g.typedRef(id, Token, UseGrant, g.key(gr.Token, strings.TrimPrefix(gr.TokenVar, g.path+".")), names)
		if gr.TokenVar != "" && gr.Token == nil {
			r.GoVar = gr.TokenVar
			if d, ok := names[gr.TokenVar]; ok {
				r.Name = d.Name
			}
		}
		r.GrantFile, r.GrantLine, r.Scope, r.Resource, r.ResourceKind = grantFile, grantLine, scope, resource, gr.Kind
		g.addRef(r)
		return
	}
	if a.Name == nil || !gr.InlineConst {
		return
	}
	f, tf := g.file(a.Name.Pos())
	if f == nil {
		return
	}
	start, end, fixed := literalSpan(tf, a.Name, gr.Inline)
	g.addRef(Ref{Kind: Token, Name: gr.Inline, Use: UseGrant, File: f.Path, Start: start, End: end, Line: tf.Line(a.Name.Pos()),
		GrantFile: grantFile, GrantLine: grantLine, Inline: true, Fixed: fixed, Scope: scope, Resource: resource, ResourceKind: gr.Kind})
}

// uses records every other use of a package-level variable of an SDK
// resource or token type, in a type-checked package.
func (g *goReader) uses(names map[string]Decl) {
	for _, file := range g.pkg.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || g.taken[id] {
				return true
			}
			v, ok := g.pkg.Info.Uses[id].(*types.Var)
			if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
				return true // not a package-level variable
			}
			kind, ok := varKind(v.Type())
			if !ok {
				return true
			}
			g.addRef(g.typedRef(id, kind, 0, g.key(v, ""), names))
			return true
		})
	}
}

// varKind returns the kind of name a variable of type t holds: a token
// (tinybird.Token) or a resource (*tinybird.Datasource, *tinybird.Pipe, a
// connection).
func varKind(t types.Type) (Kind, bool) {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	switch name := analyzer.SDKTypeName(t); {
	case name == "Token":
		return Token, true
	case name == "Datasource" || name == "Pipe":
		return Resource, true
	case strings.HasSuffix(name, "Connection") && name != "Connection":
		return Connection, true
	}
	return 0, false
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

func identOf(x ast.Expr) *ast.Ident {
	switch v := ast.Unparen(x).(type) {
	case *ast.Ident:
		return v
	case *ast.SelectorExpr:
		return v.Sel
	case *ast.UnaryExpr:
		return identOf(v.X)
	}
	return nil
}

// constString returns the constant string value of a string literal.
func constString(x ast.Expr) (string, bool) {
	lit, ok := ast.Unparen(x).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// literalSpan returns the span of x's text when it is a string literal
// spelling name exactly, or why the name cannot be edited there.
func literalSpan(tf *token.File, x ast.Expr, name string) (int, int, string) {
	lit, ok := ast.Unparen(x).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING || len(lit.Value) < 2 || lit.Value[1:len(lit.Value)-1] != name {
		start, end := tf.Offset(x.Pos()), tf.Offset(x.End())
		return start, end, "the name " + strconv.Quote(name) + " is computed here, not written as a string literal: rename it where its value is written"
	}
	start := tf.Offset(lit.Pos()) + 1
	return start, start + len(name), ""
}

// nodes reads a []Node literal of pipe: node names, and the table
// references of SQL written as a string literal.
func (g *goReader) nodes(lit *ast.CompositeLit, pipe string) {
	names := map[string]bool{}
	var sqls []ast.Expr
	for _, elt := range lit.Elts {
		n, ok := ast.Unparen(elt).(*ast.CompositeLit)
		if !ok {
			continue
		}
		fields := fieldsOf(n)
		if nx, ok := fields["Name"]; ok {
			if name, ok := g.nodeName(nx); ok {
				d := g.decl(Node, name, nx, 0)
				d.Pipe = pipe
				g.add(d)
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
		f, tf := g.file(lit.Pos())
		base := tf.Offset(lit.Pos())
		for _, t := range TableRefs(text) {
			if strings.Contains(t.Name, "$") {
				continue
			}
			ref := Ref{Kind: Resource, Name: t.Name, Use: UseTable, Pipe: pipe, File: f.Path,
				Start: base + offs[t.Start], End: base + offs[t.End-1] + 1, Dotted: t.Dotted}
			ref.Line = tf.Line(tf.Pos(ref.Start))
			if names[t.Name] {
				ref.Kind = Node
			}
			if ref.End-ref.Start != len(t.Name) && !t.Dotted {
				ref.Fixed = "the name is written with escapes in the Go string"
			}
			g.addRef(ref)
		}
	}
}

// nodeName returns a node's constant name.
func (g *goReader) nodeName(x ast.Expr) (string, bool) {
	if g.pkg.Info != nil {
		if tv, ok := g.pkg.Info.Types[x]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return constant.StringVal(tv.Value), true
		}
	}
	return constString(x)
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

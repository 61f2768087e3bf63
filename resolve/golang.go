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
	Info *analyzer.TypesInfo
	// Path is the package's import path (for a syntax-only reading), and
	// SDK the SDK package, for its constants there; both may be empty.
	Path string
	SDK  *types.Package
	// Model, when not nil, is the SDK model already read for these files
	// (the language server keeps one per snapshot, for completion and
	// hover): GoFiles reads it from the files otherwise.
	Model *analyzer.Model
	// Epochs, when set, are the epochs of Files' syntax and type
	// information, one per file (see analyzer.NewModelReusing), for
	// GoFilesReusing: a file whose epoch is unchanged since the previous
	// reading is not walked again.
	Epochs []any
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
	files, _ := GoFilesReusing(pkg, nil)
	return files
}

// GoReading is what GoFilesReusing read of a package, for the next reading
// of it after an edit. It never changes once made.
type GoReading struct {
	fset  *token.FileSet
	path  string
	typed bool
	// parts is what the SDK model read of each file, when GoFilesReusing
	// read the model.
	parts *analyzer.ModelParts
	// What each object of the model gave, by the object.
	tokens    map[*analyzer.TokenDef]*goPart
	resources map[*analyzer.Resource]*goPart
	grants    map[*analyzer.Grant]*goPart
	targets   map[*analyzer.Target]*goPart
	// uses holds each file's uses of package-level variables, with the
	// file's epoch.
	uses map[*ast.File]*fileUses
	// reused counts the objects and files taken from the previous reading.
	reused [2]int
	// sizes holds how many declarations and references each File had, so
	// that the next reading makes its Files that size at once instead of
	// growing them reference by reference.
	sizes map[string][2]int
}

// Reused returns how many of the model's objects and how many files'
// uses GoFilesReusing took from the previous reading rather than read
// again. For tests and measurements.
func (r *GoReading) Reused() (objects, files int) {
	return r.reused[0], r.reused[1]
}

// goPart is what one object of the model, or one use, gives: declarations
// and references whose names across files are not linked yet.
type goPart struct {
	decls []Decl
	refs  []pendingRef
}

// pendingRef is a reference before its name is linked: Ref.Name is that
// of the declaration of the last of keys the package declares ("" for
// none), unless named fixes it. taken is the identifier the reference is
// written at when other uses of it must not be recorded again (a grant's,
// a target's).
type pendingRef struct {
	ref   Ref
	keys  [2]string
	named bool
	taken *ast.Ident
}

// fileUses is the uses of package-level variables holding a resource or a
// token in one file, with the epoch of the file they were read in.
type fileUses struct {
	epoch any
	uses  []use
}

// use is an identifier using a package-level variable holding a name of
// kind, whose key is key. Its reference is made only when it is not read
// as a grant or a target, which most are: which are is decided again each
// reading.
type use struct {
	id   *ast.Ident
	kind Kind
	key  string
}

// GoFilesReusing is GoFiles reusing what prev, an earlier reading of the
// same package (nil for none), read of what is unchanged: what each object
// of pkg.Model gave when prev's model held the object too (a model made by
// analyzer.NewModelReusing shares the objects it reuses, which were read
// from the same syntax and types, and objects never change), and the uses
// of package-level variables in each file whose epoch (pkg.Epochs) is
// unchanged. When pkg.Model is nil, the model is read with
// analyzer.NewModelReusing from the one prev read. What is gathered across
// files is gathered again: the names of declarations by GoVar key, which
// references link to, and the identifiers read as grants or targets, which
// are not uses. The files returned are GoFiles'.
func GoFilesReusing(pkg GoPackage, prev *GoReading) ([]*File, *GoReading) {
	path := pkg.Path
	if pkg.Info != nil && pkg.Pkg != nil {
		path = pkg.Pkg.Path()
	}
	if prev != nil && (prev.fset != pkg.Fset || prev.path != path || prev.typed != (pkg.Info != nil)) {
		prev = nil
	}
	m := pkg.Model
	switch {
	case m != nil:
	case pkg.Info != nil:
		var pm *analyzer.ModelParts
		if prev != nil {
			pm = prev.parts
		}
		m = analyzer.NewModelReusing(pkg.Fset, pkg.Files, pkg.Pkg, pkg.Info, pkg.Epochs, pm)
	default:
		m = analyzer.NewSyntaxModel(pkg.Fset, pkg.Files, path, pkg.SDK)
	}
	next := &GoReading{fset: pkg.Fset, path: path, typed: pkg.Info != nil,
		tokens:    make(map[*analyzer.TokenDef]*goPart, len(m.Tokens)),
		resources: make(map[*analyzer.Resource]*goPart, len(m.Resources)),
		grants:    make(map[*analyzer.Grant]*goPart, len(m.Grants)),
		targets:   make(map[*analyzer.Target]*goPart, len(m.Targets)),
		uses:      make(map[*ast.File]*fileUses, len(pkg.Files))}
	if pkg.Model == nil {
		// Kept for the next reading's model only when this one read it: a
		// model given is its owner's to reuse.
		next.parts = m.Parts()
	}
	g := &goReader{pkg: pkg, path: path, prev: prev, next: next, files: map[string]*File{}, taken: make(map[*ast.Ident]bool, len(m.Grants)+len(m.Targets))}
	g.read(m)
	next.sizes = make(map[string][2]int, len(g.files))
	for path, f := range g.files {
		next.sizes[path] = [2]int{len(f.Decls), len(f.Refs)}
		// Nil when empty, as a fresh reading's.
		if len(f.Decls) == 0 {
			f.Decls = nil
		}
		if len(f.Refs) == 0 {
			f.Refs = nil
		}
	}
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
	return out, next
}

// goReader turns a model into Files.
type goReader struct {
	pkg   GoPackage
	path  string
	files map[string]*File
	taken map[*ast.Ident]bool // identifiers recorded as grants or targets

	prev, next *GoReading
	cur        *goPart // the part being read, nil while it holds nothing
	last       *File   // the File file returned last
}

// file returns the File of path, made on first use.
func (g *goReader) file(path string) *File {
	if g.last != nil && g.last.Path == path {
		return g.last // most parts are in one file, and follow one another
	}
	f := g.files[path]
	if f == nil {
		f = &File{Path: path}
		if g.prev != nil {
			// (Left empty, they are made nil again: see GoFilesReusing.)
			if n := g.prev.sizes[path]; n[0] > 0 {
				f.Decls = make([]Decl, 0, n[0])
			}
			if n := g.prev.sizes[path]; n[1] > 0 {
				f.Refs = make([]Ref, 0, n[1])
			}
		}
		g.files[path] = f
	}
	g.last = f
	return f
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

// noPart is the part of an object that gives nothing (most token
// definitions and many grants of a package give one thing, the others
// nothing): shared, never appended to.
var noPart = &goPart{}

// readEach reads objs, one kind of the model's objects, in order: the part
// each gave in the previous reading when that held the object too (prev,
// nil without a previous reading), else the part read makes of it now
// (g.cur, filled by add and addRef); next records each part for the next
// reading.
func readEach[K comparable](g *goReader, objs []K, prev, next map[K]*goPart, read func(K), names map[string]Decl) {
	for _, obj := range objs {
		p := prev[obj]
		if p != nil {
			g.next.reused[0]++
		} else {
			g.cur = nil
			read(obj)
			p, g.cur = g.cur, nil
			if p == nil {
				p = noPart
			}
		}
		next[obj] = p
		g.emit(p, names)
	}
}

// emit adds p's declarations and references to their files, linking the
// references' names through names and recording the declarations of
// package-level variables in names.
func (g *goReader) emit(p *goPart, names map[string]Decl) {
	for _, d := range p.decls {
		f := g.file(d.File)
		f.Decls = append(f.Decls, d)
		if d.GoVar != "" {
			names[d.GoVar] = d
		}
	}
	for _, pr := range p.refs {
		if pr.taken != nil {
			g.taken[pr.taken] = true
		}
		g.emitRef(pr, names)
	}
}

// emitRef adds pr to its file, its name linked through names.
func (g *goReader) emitRef(pr pendingRef, names map[string]Decl) {
	r := pr.ref
	if !pr.named {
		for _, key := range pr.keys {
			if d, ok := names[key]; ok && key != "" {
				r.Name = d.Name // the last found counts
			}
		}
	}
	f := g.file(r.File)
	f.Refs = append(f.Refs, r)
}

func (g *goReader) read(m *analyzer.Model) {
	// The declarations first, in the model's order (names by GoVar key:
	// the last declaration of a key counts), then the references, which
	// link to them.
	names := make(map[string]Decl, len(m.Tokens)+len(m.Resources)) // by GoVar key

	// prev's maps are nil without a previous reading.
	var prev GoReading
	if g.prev != nil {
		prev = *g.prev
	}
	readEach(g, m.Tokens, prev.tokens, g.next.tokens, g.token, names)
	readEach(g, m.Resources, prev.resources, g.next.resources, g.resource, names)
	readEach(g, m.Grants, prev.grants, g.next.grants, g.grant, names)
	readEach(g, m.Targets, prev.targets, g.next.targets, g.target, names)
	if g.pkg.Info != nil {
		g.uses(names)
	}
}

// token reads a token definition.
func (g *goReader) token(t *analyzer.TokenDef) {
	if t.NameExpr == nil || !t.NameConst {
		return
	}
	d := g.decl(Token, t.Name, t.NameExpr, 0)
	d.GoVar = g.key(t.Var, t.VarName)
	g.add(d)
}

// resource reads a resource definition, and a pipe's nodes.
func (g *goReader) resource(r *analyzer.Resource) {
	kind, ok := subjectKinds[r.Subject]
	if !ok || !r.NameConst {
		return
	}
	d := g.decl(kind, r.Name, r.NameExpr, r.Kind)
	d.GoVar = g.key(r.Var, r.VarName)
	g.add(d)
	if opts, ok := ast.Unparen(r.Options).(*ast.CompositeLit); ok && kind == Pipe {
		if nodes, ok := ast.Unparen(fieldsOf(opts)["Nodes"]).(*ast.CompositeLit); ok {
			g.nodes(nodes, r.Name)
		}
	}
}

// target reads a typed target.
func (g *goReader) target(t *analyzer.Target) {
	id := identOf(t.Value)
	if id == nil {
		return
	}
	kind := Resource
	use := UseTarget
	if t.Field == "Connection" {
		kind, use = Connection, UseConnection
	}
	ref := g.typedRef(id, kind, use, g.key(t.Var, t.VarName))
	if t.Resource != nil && t.Resource.NameConst {
		ref.ref.Name, ref.named = t.Resource.Name, true
	}
	g.addRef(ref)
}

// decl returns the declaration of name written at x.
func (g *goReader) decl(kind Kind, name string, x ast.Expr, rk rules.Kind) Decl {
	tf := g.pkg.Fset.File(x.Pos())
	d := Decl{Kind: kind, Name: name, ResourceKind: rk, File: tf.Name(), Go: true, Line: tf.Line(x.Pos())}
	d.Start, d.End, d.Fixed = literalSpan(tf, x, name)
	return d
}

// add records d in the part being read.
func (g *goReader) add(d Decl) {
	if g.cur == nil {
		g.cur = &goPart{}
	}
	g.cur.decls = append(g.cur.decls, d)
}

// addRef records r in the part being read, unless it is in no file.
func (g *goReader) addRef(r pendingRef) {
	if r.ref.File == "" {
		return
	}
	if g.cur == nil {
		g.cur = &goPart{}
	}
	g.cur.refs = append(g.cur.refs, r)
}

// typedRef returns a reference through the variable id names, whose key is
// key; its name is the declaration's when the package declares it, else
// left for the Project to link.
func (g *goReader) typedRef(id *ast.Ident, kind Kind, use Use, key string) pendingRef {
	tf := g.pkg.Fset.File(id.Pos())
	if tf == nil {
		return pendingRef{}
	}
	r := Ref{Kind: kind, Use: use, File: tf.Name(), Start: tf.Offset(id.Pos()), End: tf.Offset(id.End()),
		Line: tf.Line(id.Pos()), Typed: true, GoVar: key}
	return pendingRef{ref: r, keys: [2]string{key}, taken: id}
}

// grant reads one grant of the model.
func (g *goReader) grant(gr *analyzer.Grant) {
	resource := ""
	if gr.Resource != nil && gr.Resource.NameConst {
		resource = gr.Resource.Name
	}
	scope := ""
	if gr.ScopeConst {
		scope = gr.Scope
	}
	grantFile, grantLine := "", 0
	if tf := g.pkg.Fset.File(gr.Pos); tf != nil {
		grantFile, grantLine = tf.Name(), tf.Line(gr.Pos)
	}
	a := gr.Access
	if gr.Token != nil || gr.TokenVar != "" {
		id := identOf(a.Token)
		if id == nil {
			return
		}
		pr := g.typedRef(id, Token, UseGrant, g.key(gr.Token, strings.TrimPrefix(gr.TokenVar, g.path+".")))
		r := &pr.ref
		if gr.TokenVar != "" && gr.Token == nil {
			r.GoVar = gr.TokenVar
			pr.keys[1] = gr.TokenVar
		}
		r.GrantFile, r.GrantLine, r.Scope, r.Resource, r.ResourceKind = grantFile, grantLine, scope, resource, gr.Kind
		g.addRef(pr)
		return
	}
	if a.Name == nil || !gr.InlineConst {
		return
	}
	tf := g.pkg.Fset.File(a.Name.Pos())
	if tf == nil {
		return
	}
	start, end, fixed := literalSpan(tf, a.Name, gr.Inline)
	g.addRef(pendingRef{named: true, ref: Ref{Kind: Token, Name: gr.Inline, Use: UseGrant, File: tf.Name(), Start: start, End: end, Line: tf.Line(a.Name.Pos()),
		GrantFile: grantFile, GrantLine: grantLine, Inline: true, Fixed: fixed, Scope: scope, Resource: resource, ResourceKind: gr.Kind}})
}

// uses records every other use of a package-level variable of an SDK
// resource or token type, in a type-checked package. Each file's uses are
// read once per epoch; which of them were read as grants or targets is
// decided again.
func (g *goReader) uses(names map[string]Decl) {
	for i, file := range g.pkg.Files {
		var epoch any
		if i < len(g.pkg.Epochs) {
			epoch = g.pkg.Epochs[i]
		}
		fu := g.fileUses(file, epoch)
		g.next.uses[file] = fu
		for _, u := range fu.uses {
			if g.taken[u.id] {
				continue
			}
			if pr := g.typedRef(u.id, u.kind, 0, u.key); pr.ref.File != "" {
				g.emitRef(pr, names)
			}
		}
	}
}

// fileUses returns the uses of package-level variables holding a resource
// or a token in file, whose epoch is epoch: prev's when it is unchanged.
func (g *goReader) fileUses(file *ast.File, epoch any) *fileUses {
	if g.prev != nil && epoch != nil {
		if fu := g.prev.uses[file]; fu != nil && fu.epoch == epoch {
			g.next.reused[1]++
			return fu
		}
	}
	fu := &fileUses{epoch: epoch}
	ast.Inspect(file, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := g.pkg.Info.Use(id).(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
			return true // not a package-level variable
		}
		kind, ok := varKind(v.Type())
		if !ok {
			return true
		}
		fu.uses = append(fu.uses, use{id: id, kind: kind, key: g.key(v, "")})
		return true
	})
	return fu
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
		tf := g.pkg.Fset.File(lit.Pos())
		base := tf.Offset(lit.Pos())
		for _, t := range TableRefs(text) {
			if strings.Contains(t.Name, "$") {
				continue
			}
			ref := Ref{Kind: Resource, Name: t.Name, Use: UseTable, Pipe: pipe, File: tf.Name(),
				Start: base + offs[t.Start], End: base + offs[t.End-1] + 1, Dotted: t.Dotted}
			ref.Line = tf.Line(tf.Pos(ref.Start))
			if names[t.Name] {
				ref.Kind = Node
			}
			if ref.End-ref.Start != len(t.Name) && !t.Dotted {
				ref.Fixed = "the name is written with escapes in the Go string"
			}
			g.addRef(pendingRef{ref: ref, named: true})
		}
	}
}

// nodeName returns a node's constant name.
func (g *goReader) nodeName(x ast.Expr) (string, bool) {
	if g.pkg.Info != nil {
		if tv, ok := g.pkg.Info.Types(x); ok && tv.Value != nil && tv.Value.Kind() == constant.String {
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

package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strconv"

	"github.com/tbls-dev/tbls/rules"
)

// This file is the SDK model: the one place that reads, from a package's
// syntax and (when it type-checks) its types, what the package declares
// with the SDK. The analyzers, completion, hover and the language server's
// token access map all read it, so they agree on which expressions grant
// which token: a Tokens list written at the field, held in a package-level
// variable (a shared list), built with append, or made of calls to a small
// helper function returning a TokenAccess; elements written as TokenAccess
// values or pointers to them.
//
// A typed model (NewModel) recognises the SDK by go/types objects. A
// syntax-only model (NewSyntaxModel), for code that does not type-check
// yet, recognises it by the file's import of the SDK's path and reads the
// same forms; it cannot resolve what the syntax does not show (a constant
// of another package, a token variable of another package).

// Model is what one package declares with the SDK: its resources, its
// tokens, the grants of tokens on resources, and the typed targets of its
// resources (the datasource a materialized view or copy pipe writes to, a
// datasource's connection). It is computed once and never changes.
type Model struct {
	Resources []*Resource
	Tokens    []*TokenDef
	Grants    []*Grant
	Targets   []*Target
	// Typed reports whether the model was read with type information.
	Typed bool

	m *model
	// parts is what each file contributed, for the next NewModelReusing;
	// reused counts the files whose first pass (reused[0]) and second pass
	// (reused[1]) were taken from the previous model.
	parts  *ModelParts
	reused [2]int
}

// ModelParts is what a model read of each of its files, which
// NewModelReusing reuses. Unlike the Model, it does not hold the package's
// type information, which a caller keeping it for the next model should
// not keep alive.
type ModelParts struct {
	fset  *token.FileSet
	path  string
	typed bool
	files []*filePart // in the model's file order
}

// Parts returns what md read of each file, for NewModelReusing.
func (md *Model) Parts() *ModelParts {
	return md.parts
}

// Resource is a call of one of the SDK's Define functions that name a
// resource (DefineDatasource, DefineEndpoint, DefineKafkaConnection…).
type Resource struct {
	Kind rules.Kind // KindDatasource, KindPipe…, or 0 for a connection
	// Subject says what the name names (datasource, pipe, connection).
	Subject rules.Subject
	Func    string        // the Define function called
	Call    *ast.CallExpr // the call
	File    *ast.File
	// NameExpr is the name argument; Name its value when NameConst.
	NameExpr  ast.Expr
	Name      string
	NameConst bool
	// Options is the options argument, nil when there is none.
	Options ast.Expr
	// Var is the package-level variable initialized with the call, when
	// there is one; VarName its name (also set in a syntax-only model).
	Var     *types.Var
	VarName string
}

// TokenDef is a DefineToken call.
type TokenDef struct {
	Call      *ast.CallExpr
	File      *ast.File
	NameExpr  ast.Expr // the name argument, nil when the call has none
	Name      string
	NameConst bool
	// Var is the package-level variable initialized with the call, when
	// there is one; VarName its name (also set in a syntax-only model).
	Var     *types.Var
	VarName string
}

// Grant is one grant of a token on a resource by a TokenAccess value.
type Grant struct {
	// Resource is the resource whose options grant the token; nil when the
	// options literal is not passed to a Define call in sight (it is
	// built in a variable, for instance). Kind is the kind of resource
	// the options configure.
	Resource *Resource
	Kind     rules.Kind
	// Options is the options composite literal, and Field its Tokens
	// element (a *ast.KeyValueExpr, or the value when unkeyed).
	Options *ast.CompositeLit
	Field   ast.Expr
	File    *ast.File // the file of Options
	// Token is the variable of a defined token ({Token: X, Scope: …});
	// TokenVar its "pkgpath.Name" (set in a syntax-only model for the
	// package's own variables). Inline is the name of an inline token
	// ({Name: …}), InlineConst whether it is a constant.
	Token       *types.Var
	TokenVar    string
	Inline      string
	InlineConst bool
	// Scope is the scope granted, when ScopeConst.
	Scope      string
	ScopeConst bool
	// Access is how the grant is written.
	Access *Access
	// Pos is where the grant shows for this resource: the access's element
	// when it is written in the options, else (a shared list, a helper)
	// the Tokens field that reaches it.
	Pos token.Pos
}

// Target is a field that refers to another resource by value: the
// Datasource a materialized view or copy pipe writes to, the Connection of
// a datasource's Kafka, S3, GCS or DynamoDB ingestion.
type Target struct {
	Options *ast.CompositeLit // the literal holding the field
	Kind    rules.Kind        // the kind of resource holding the reference
	Field   string            // "Datasource" or "Connection"
	Value   ast.Expr
	File    *ast.File
	// Var is the package-level variable Value names, when it names one
	// (typed model); VarName its name (both models).
	Var     *types.Var
	VarName string
	// Resource is the resource defined by Var's initializer, when the
	// package defines it.
	Resource *Resource
}

// Access is one TokenAccess a Tokens value holds.
type Access struct {
	// Elt is the element of a list (or argument of append) that is the
	// access; List and Index locate it in its list (List nil when it is
	// an argument of append).
	Elt   ast.Expr
	List  *ast.CompositeLit
	Index int
	// Lit is the TokenAccess literal: Elt itself (through &), or, when
	// Helper, the literal a helper function returns or a package-level
	// variable named by Elt holds.
	Lit    *ast.CompositeLit
	Helper bool
	File   *ast.File // the file of Elt
	// Shared is the package-level variable name through which the list
	// holding Elt was reached (the first one), nil when the list is
	// written in the Tokens value itself.
	Shared *ast.Ident
	// Token, Scope and Name are the field values, a helper's parameters
	// replaced by the call's arguments; nil when unset.
	Token, Scope, Name ast.Expr
	// ScopeHere is true when Scope is written at Elt (so a fix may edit
	// it): in the literal itself, or as a helper call's argument.
	ScopeHere bool
	// Perms is the Permissions element of Lit (a *ast.KeyValueExpr or the
	// value) and PermsValue its value; nil when unset.
	Perms, PermsValue ast.Expr
}

// maxHops bounds how many package-level variables a Tokens value is
// followed through, so that a cycle of initializers (a type error) ends.
const maxHops = 8

// model reads one package in one mode.
type model struct {
	fset  *token.FileSet
	files []*ast.File
	info  *TypesInfo     // nil: syntax only
	sdk   *types.Package // the SDK, for constants in a syntax-only model; may be nil
	path  string         // the package's path, "" when unknown

	kinds  map[*ast.CompositeLit][]rules.Kind // TokenAccess literal → kinds of the resources it is granted on
	inits  map[string]declared                // package-level variables with their own initializer, by name
	consts map[string]declared                // package-level constants with their own value, by name (syntax-only models)
	funcs  map[string]declared                // package-level functions with a body, by name
	res    map[*ast.CallExpr]*Resource

	// rec, while the second pass reads a file, is the file's part, which
	// records every look-up of a declaration by name (see filePart).
	rec *filePart
}

// declared is a package-level declaration and its file.
type declared struct {
	expr ast.Expr      // a variable's initializer
	decl *ast.FuncDecl // a function
	name *ast.Ident
	file *ast.File
}

// NewModel reads the SDK model of a type-checked package. info must hold
// the Defs, Uses and Types of files.
func NewModel(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *types.Info) *Model {
	return NewModelReusing(fset, files, pkg, NewTypesInfo(info), nil, nil)
}

// NewModelReusing is NewModel reusing what an earlier typed model of the
// same package read (prev, its Parts) of the files whose epoch is
// unchanged; its result is NewModel's on the same arguments, and it shares
// with the earlier model the Resources, TokenDefs, Grants and Targets it
// reuses (none is ever modified). epochs[i] is an identity of files[i]'s syntax and type
// information, as the language server's engine gives (cache.FileEpoch):
// two equal non-nil epochs promise the same *ast.File, the same entries of
// info for its nodes, and identifiers denoting the same objects declared
// by the same syntax. Epochs must be comparable; a nil one, or epochs
// shorter than files, reads the file again. prev may be nil.
//
// A file's resources and tokens depend on the file alone and are reused
// whenever its epoch is. Its grants and targets may depend on other files
// (a shared list, a helper, the variable a target names): they are reused
// only when every package-level declaration their reading looked up by
// name is still the one found, in a file whose epoch is unchanged;
// otherwise the file is read again. What is gathered across files is
// always gathered again, in file order: the resources by call, the kinds
// of resources each TokenAccess literal is granted on (KindsOf), and the
// package-level declarations by name.
func NewModelReusing(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *TypesInfo, epochs []any, prev *ModelParts) *Model {
	m := &model{fset: fset, files: files, info: info}
	if pkg != nil {
		m.path = pkg.Path()
	}
	if prev == nil || !prev.typed || info == nil || prev.fset != fset || prev.path != m.path {
		return m.build(epochs, nil)
	}
	// The previous parts of the files whose epoch is unchanged.
	byFile := make(map[*ast.File]*filePart, len(prev.files))
	for _, p := range prev.files {
		byFile[p.file] = p
	}
	same := make(map[*ast.File]*filePart)
	for i, f := range files {
		if i >= len(epochs) || epochs[i] == nil {
			continue
		}
		if p := byFile[f]; p != nil && p.epoch == epochs[i] {
			same[f] = p
		}
	}
	return m.build(epochs, same)
}

// NewSyntaxModel reads the SDK model of files from their syntax alone, for
// code that does not type-check. sdk, when not nil, gives the values of the
// SDK's constants (tinybird.Read); path is the package's import path, for
// Grant.TokenVar, "" when unknown.
func NewSyntaxModel(fset *token.FileSet, files []*ast.File, path string, sdk *types.Package) *Model {
	m := &model{fset: fset, files: files, sdk: sdk, path: path}
	return m.build(nil, nil)
}

// newTypedReader returns a typed model that has read the package-level
// declarations only: enough to follow Tokens values (Accesses), which is
// all the scope analyzer needs of it.
func newTypedReader(fset *token.FileSet, files []*ast.File, pkg *types.Package, info *TypesInfo) *model {
	m := &model{fset: fset, files: files, info: info}
	if pkg != nil {
		m.path = pkg.Path()
	}
	m.readDecls()
	return m
}

// filePart is what one file contributes to a model: its resources and
// tokens (the first pass), its grants and targets (the second), in the
// order the walk meets them.
type filePart struct {
	file  *ast.File
	epoch any

	resources []*Resource
	tokens    []*TokenDef

	grants  []*Grant
	targets []*Target
	// kinds holds, for each access the second pass found, its TokenAccess
	// literal and the kind of resource granted: the literal may be in
	// another file (a shared list, a helper), so m.kinds is merged from
	// every file's pairs, in file order.
	kinds []litKind
	// lookups are the look-ups of package-level declarations by name the
	// second pass made, with what they found: the grants and targets are
	// the same as long as each look-up finds the same declaration, in a
	// file that is itself unchanged.
	lookups []lookup
}

// litKind is a TokenAccess literal granted on a resource of kind.
type litKind struct {
	lit  *ast.CompositeLit
	kind rules.Kind
}

// lookup is one look-up of a package-level declaration by name.
type lookup struct {
	table table
	name  string
	found declared
	ok    bool
}

// table names one of the model's tables of package-level declarations.
type table uint8

const (
	varTable   table = iota // m.inits
	funcTable               // m.funcs
	constTable              // m.consts
)

// find looks name up in t without recording it.
func (m *model) find(t table, name string) (declared, bool) {
	var d declared
	var ok bool
	switch t {
	case varTable:
		d, ok = m.inits[name]
	case funcTable:
		d, ok = m.funcs[name]
	case constTable:
		d, ok = m.consts[name]
	}
	return d, ok
}

// decl looks name up in t, and records the look-up in the part being
// read.
func (m *model) decl(t table, name string) (declared, bool) {
	d, ok := m.find(t, name)
	if m.rec != nil {
		m.rec.lookups = append(m.rec.lookups, lookup{table: t, name: name, found: d, ok: ok})
	}
	return d, ok
}

// build reads the model. same holds the previous parts of the files whose
// epoch is unchanged (see NewModelReusing); epochs are recorded in the new
// parts for the next model.
func (m *model) build(epochs []any, same map[*ast.File]*filePart) *Model {
	out := &Model{Typed: m.info != nil, m: m}
	m.readDecls()
	m.res = make(map[*ast.CallExpr]*Resource)
	m.kinds = make(map[*ast.CompositeLit][]rules.Kind)
	out.parts = &ModelParts{fset: m.fset, path: m.path, typed: m.info != nil, files: make([]*filePart, len(m.files))}
	// The first pass over every file before the second: options read
	// m.res for the resource a target's variable holds, in any file.
	for i, f := range m.files {
		p := &filePart{file: f}
		if i < len(epochs) {
			p.epoch = epochs[i]
		}
		if old := same[f]; old != nil {
			p.resources, p.tokens = old.resources, old.tokens
			out.reused[0]++
		} else {
			m.inspect(f, func(n ast.Node, stack []ast.Node) {
				if call, ok := n.(*ast.CallExpr); ok {
					m.call(p, f, call, stack)
				}
			})
		}
		for _, r := range p.resources {
			m.res[r.Call] = r
		}
		out.Resources = append(out.Resources, p.resources...)
		out.Tokens = append(out.Tokens, p.tokens...)
		out.parts.files[i] = p
	}
	for i, f := range m.files {
		p := out.parts.files[i]
		if old := same[f]; old != nil && m.stillFound(old.lookups, same) {
			p.grants, p.targets, p.kinds, p.lookups = old.grants, old.targets, old.kinds, old.lookups
			out.reused[1]++
		} else {
			m.rec = p
			m.inspect(f, func(n ast.Node, stack []ast.Node) {
				if lit, ok := n.(*ast.CompositeLit); ok {
					m.options(p, f, lit, stack)
				}
			})
			m.rec = nil
		}
		for _, lk := range p.kinds {
			if !slices.Contains(m.kinds[lk.lit], lk.kind) {
				m.kinds[lk.lit] = append(m.kinds[lk.lit], lk.kind)
			}
		}
		out.Grants = append(out.Grants, p.grants...)
		out.Targets = append(out.Targets, p.targets...)
	}
	return out
}

// stillFound reports whether each of lookups finds the same declaration
// in m as it did, in a file whose epoch is unchanged (in same): then what
// the look-ups led to (initializers, helper bodies, the resources those
// files define) is what it was.
func (m *model) stillFound(lookups []lookup, same map[*ast.File]*filePart) bool {
	for _, l := range lookups {
		d, ok := m.find(l.table, l.name)
		if ok != l.ok || d != l.found || ok && same[d.file] == nil {
			return false
		}
	}
	return true
}

// Reused returns how many files NewModelReusing took from the previous
// model rather than read again: in their first pass (resources and
// tokens), and in their second (grants and targets). For tests and
// measurements.
func (md *Model) Reused() (first, second int) {
	return md.reused[0], md.reused[1]
}

// readDecls indexes the package-level variables and functions by name.
func (m *model) readDecls() {
	m.inits = make(map[string]declared)
	m.funcs = make(map[string]declared)
	m.consts = make(map[string]declared)
	for _, f := range m.files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Body != nil {
					m.funcs[d.Name.Name] = declared{decl: d, name: d.Name, file: f}
				}
			case *ast.GenDecl:
				if d.Tok != token.VAR && d.Tok != token.CONST {
					continue
				}
				into := m.inits
				if d.Tok == token.CONST {
					into = m.consts
				}
				for _, spec := range d.Specs {
					vs, ok := spec.(*ast.ValueSpec)
					if !ok || len(vs.Values) != len(vs.Names) {
						continue
					}
					for i, id := range vs.Names {
						if id.Name != "_" {
							into[id.Name] = declared{expr: vs.Values[i], name: id, file: f}
						}
					}
				}
			}
		}
	}
}

// inspect calls visit on every node of f, in preorder, with the node's
// ancestors (outermost first); in a syntax-only model, only when f imports
// the SDK.
func (m *model) inspect(f *ast.File, visit func(n ast.Node, stack []ast.Node)) {
	if _, ok := m.qualifier(f); !ok && m.info == nil {
		return
	}
	var stack []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		visit(n, stack)
		stack = append(stack, n)
		return true
	})
}

// holder returns the package-level variable initialized with call, whose
// ancestors are stack.
func (m *model) holder(call *ast.CallExpr, stack []ast.Node) (*types.Var, string) {
	if len(stack) < 3 {
		return nil, ""
	}
	vs, ok := stack[len(stack)-1].(*ast.ValueSpec)
	if !ok {
		return nil, ""
	}
	if _, top := stack[len(stack)-3].(*ast.File); !top {
		return nil, ""
	}
	for i, v := range vs.Values {
		if v == call && i < len(vs.Names) && vs.Names[i].Name != "_" {
			id := vs.Names[i]
			var obj *types.Var
			if m.info != nil {
				obj, _ = m.info.Def(id).(*types.Var)
			}
			return obj, id.Name
		}
	}
	return nil, ""
}

// call records a Define call in p.
func (m *model) call(p *filePart, f *ast.File, call *ast.CallExpr, stack []ast.Node) {
	name := m.sdkFunc(f, call)
	if name == "" {
		return
	}
	if name == "DefineToken" {
		t := &TokenDef{Call: call, File: f}
		if len(call.Args) > 0 {
			t.NameExpr = call.Args[0]
			t.Name, t.NameConst = m.constString(f, call.Args[0])
		}
		t.Var, t.VarName = m.holder(call, stack)
		p.tokens = append(p.tokens, t)
		return
	}
	subject, ok := defineSubjects[name]
	if !ok {
		return
	}
	r := &Resource{Subject: subject, Func: name, Call: call, File: f}
	if len(call.Args) > 0 {
		r.NameExpr = call.Args[0]
		r.Name, r.NameConst = m.constString(f, call.Args[0])
	}
	if len(call.Args) > 1 {
		r.Options = call.Args[1]
		if lit, ok := ast.Unparen(call.Args[1]).(*ast.CompositeLit); ok {
			if k, ok := optionsKinds[m.litType(f, lit, nil)]; ok {
				r.Kind = k
				if k == rules.KindPipe {
					r.Kind = m.pipeKind(f, lit)
				}
			}
		}
	}
	if r.Kind == 0 {
		r.Kind = defineKinds[name]
	}
	r.Var, r.VarName = m.holder(call, stack)
	p.resources = append(p.resources, r)
}

// defineKinds maps the Define functions of resources to the kind they
// define, before an options literal refines a pipe's.
var defineKinds = map[string]rules.Kind{
	"DefineDatasource":       rules.KindDatasource,
	"DefinePipe":             rules.KindPipe,
	"DefineEndpoint":         rules.KindEndpoint,
	"DefineMaterializedView": rules.KindMaterializedView,
	"DefineCopyPipe":         rules.KindCopyPipe,
	"DefineSinkPipe":         rules.KindSinkPipe,
}

// options records the grants and targets of an options literal in p.
func (m *model) options(p *filePart, f *ast.File, lit *ast.CompositeLit, stack []ast.Node) {
	name := m.litType(f, lit, stack)
	kind, isOpts := optionsKinds[name]
	if isOpts && kind == rules.KindPipe {
		kind = m.pipeKind(f, lit)
	}
	var res *Resource
	if len(stack) > 0 {
		if call, ok := stack[len(stack)-1].(*ast.CallExpr); ok && len(call.Args) > 1 && ast.Unparen(call.Args[1]) == lit {
			res = m.res[call]
		}
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		if key == nil {
			continue
		}
		switch {
		case isOpts && key.Name == "Tokens":
			for _, a := range m.accesses(f, kv.Value) {
				p.kinds = append(p.kinds, litKind{a.Lit, kind})
				for _, g := range m.grants(a, kind) {
					g.Resource, g.Kind, g.Options, g.Field, g.File = res, kind, lit, kv, f
					g.Pos = a.Elt.Pos()
					if a.Shared != nil || a.File != f || a.Elt.Pos() < lit.Pos() || a.Elt.Pos() > lit.End() {
						g.Pos = kv.Pos()
					}
					p.grants = append(p.grants, g)
				}
			}
		case targetFields[name] == key.Name:
			t := &Target{Options: lit, Kind: targetKinds[name], Field: key.Name, Value: kv.Value, File: f}
			if id := identOf(kv.Value); id != nil {
				t.Var, t.VarName = m.pkgVar(id)
				if t.VarName != "" {
					// The resource may be defined in another file: the
					// look-up is recorded, and m.res holds every file's.
					if d, ok := m.decl(varTable, t.VarName); ok {
						if call, ok := ast.Unparen(d.expr).(*ast.CallExpr); ok {
							t.Resource = m.res[call]
						}
					}
				}
			}
			p.targets = append(p.targets, t)
		}
	}
}

// targetFields maps the SDK types holding a reference to another resource
// to the field that holds it.
var targetFields = map[string]string{
	"MaterializedConfig": "Datasource", "MaterializedViewOptions": "Datasource",
	"CopyConfig": "Datasource", "CopyPipeOptions": "Datasource",
	"KafkaConfig": "Connection", "S3Config": "Connection", "GCSConfig": "Connection", "DynamoDBConfig": "Connection",
}

// targetKinds maps the types of targetFields to the kind of resource whose
// reference they hold.
var targetKinds = map[string]rules.Kind{
	"MaterializedConfig": rules.KindMaterializedView, "MaterializedViewOptions": rules.KindMaterializedView,
	"CopyConfig": rules.KindCopyPipe, "CopyPipeOptions": rules.KindCopyPipe,
	"KafkaConfig": rules.KindDatasource, "S3Config": rules.KindDatasource, "GCSConfig": rules.KindDatasource, "DynamoDBConfig": rules.KindDatasource,
}

// identOf returns the identifier e names (x or pkg.x), nil for anything
// else.
func identOf(e ast.Expr) *ast.Ident {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return identOf(e.X)
		}
	}
	return nil
}

// pkgVar returns the package-level variable of this package id names:
// by its object in a typed model, by its name in a syntax-only one.
func (m *model) pkgVar(id *ast.Ident) (*types.Var, string) {
	if m.info == nil {
		if _, ok := m.decl(varTable, id.Name); ok {
			return nil, id.Name
		}
		return nil, ""
	}
	v, ok := m.info.Use(id).(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil, ""
	}
	if m.path != "" && v.Pkg().Path() != m.path {
		return v, ""
	}
	return v, v.Name()
}

// grants returns the grants of one access on a resource of kind, without
// the resource's fields.
func (m *model) grants(a *Access, kind rules.Kind) []*Grant {
	f := a.File
	if a.Token != nil {
		g := &Grant{Access: a}
		g.Scope, g.ScopeConst = m.constString(f, a.Scope)
		id := identOf(a.Token)
		if id == nil {
			return nil
		}
		if m.info != nil {
			v, ok := m.info.Use(id).(*types.Var)
			if !ok || v.Pkg() == nil {
				return nil
			}
			g.Token, g.TokenVar = v, v.Pkg().Path()+"."+v.Name()
		} else {
			sel, isSel := ast.Unparen(a.Token).(*ast.SelectorExpr)
			if isSel || m.path == "" {
				_ = sel
				return nil // another package's variable: unknown without types
			}
			if _, ok := m.decl(varTable, id.Name); !ok {
				return nil
			}
			g.TokenVar = m.path + "." + id.Name
		}
		return []*Grant{g}
	}
	name, isConst := m.constString(f, a.Name)
	if a.Name == nil {
		return nil
	}
	if kind.IsPipe() {
		return []*Grant{{Access: a, Inline: name, InlineConst: isConst, Scope: rules.ScopeRead, ScopeConst: true}}
	}
	var out []*Grant
	if perms, ok := ast.Unparen(a.PermsValue).(*ast.CompositeLit); ok {
		for _, p := range perms.Elts {
			s, ok := m.constString(f, p)
			out = append(out, &Grant{Access: a, Inline: name, InlineConst: isConst, Scope: s, ScopeConst: ok})
		}
	}
	return out
}

// KindsOf returns the kinds of the resources whose Tokens reach the
// TokenAccess literal lit (directly, through shared lists, append or a
// helper returning it), sorted; nil when none does.
func (md *Model) KindsOf(lit *ast.CompositeLit) []rules.Kind {
	kinds := slices.Clone(md.m.kinds[lit])
	slices.Sort(kinds)
	return kinds
}

// Accesses returns the TokenAccess values the Tokens value x, written in
// file f, holds: the elements of a list literal, through package-level
// variables (shared lists) and append, elements being TokenAccess
// literals, pointers to them, or calls of helper functions that return
// one.
func (md *Model) Accesses(f *ast.File, x ast.Expr) []*Access {
	return md.m.accesses(f, x)
}

func (m *model) accesses(f *ast.File, x ast.Expr) []*Access {
	var out []*Access
	m.collect(&out, f, x, nil, 0)
	return out
}

func (m *model) collect(out *[]*Access, f *ast.File, x ast.Expr, shared *ast.Ident, hops int) {
	switch v := ast.Unparen(x).(type) {
	case *ast.CompositeLit:
		elem := m.listElem(f, v)
		if elem == "" {
			return
		}
		for i, elt := range v.Elts {
			if a, ok := m.accessOf(f, elt, elem == "TokenAccess"); ok {
				a.List, a.Index, a.Shared = v, i, shared
				*out = append(*out, a)
			}
		}
	case *ast.Ident, *ast.SelectorExpr:
		if hops >= maxHops {
			return
		}
		id := identOf(v)
		_, name := m.pkgVar(id)
		if name == "" {
			return
		}
		d, ok := m.decl(varTable, name)
		if !ok {
			return
		}
		if shared == nil {
			shared = id
		}
		m.collect(out, d.file, d.expr, shared, hops+1)
	case *ast.CallExpr:
		if !m.isAppend(v) || len(v.Args) == 0 {
			return
		}
		m.collect(out, f, v.Args[0], shared, hops)
		if v.Ellipsis.IsValid() {
			if len(v.Args) == 2 {
				m.collect(out, f, v.Args[1], shared, hops)
			}
			return
		}
		for _, arg := range v.Args[1:] {
			if a, ok := m.accessOf(f, arg, false); ok {
				a.List, a.Index, a.Shared = nil, -1, shared
				*out = append(*out, a)
			}
		}
	}
}

// isAppend reports whether call calls the predeclared append.
func (m *model) isAppend(call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok || id.Name != "append" {
		return false
	}
	if m.info == nil {
		return true
	}
	_, ok = m.info.Use(id).(*types.Builtin)
	return ok
}

// listElem returns "TokenAccess" when lit is a list of TokenAccess values,
// "*TokenAccess" when it is a list of pointers to them, else "".
func (m *model) listElem(f *ast.File, lit *ast.CompositeLit) string {
	if m.info != nil {
		t := m.info.TypeOf(lit)
		if t == nil {
			return ""
		}
		var elem types.Type
		switch u := t.Underlying().(type) {
		case *types.Slice:
			elem = u.Elem()
		case *types.Array:
			elem = u.Elem()
		default:
			return ""
		}
		if p, ok := types.Unalias(elem).(*types.Pointer); ok {
			if sdkType(p.Elem()) == "TokenAccess" {
				return "*TokenAccess"
			}
			return ""
		}
		if sdkType(elem) == "TokenAccess" {
			return "TokenAccess"
		}
		return ""
	}
	at, ok := lit.Type.(*ast.ArrayType)
	if !ok {
		return ""
	}
	if star, ok := at.Elt.(*ast.StarExpr); ok {
		if m.spelledType(f, star.X) == "TokenAccess" {
			return "*TokenAccess"
		}
		return ""
	}
	if m.spelledType(f, at.Elt) == "TokenAccess" {
		return "TokenAccess"
	}
	return ""
}

// accessOf reads elt, an element of a list of TokenAccess values (or of
// pointers to them, when elided is false… both forms are accepted) or an
// argument of append.
func (m *model) accessOf(f *ast.File, elt ast.Expr, inValueList bool) (*Access, bool) {
	e := ast.Unparen(elt)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	if star, ok := e.(*ast.StarExpr); ok {
		e = ast.Unparen(star.X) // *helper(…), of a helper returning a pointer
	}
	switch e := e.(type) {
	case *ast.CompositeLit:
		if e.Type != nil && m.litType(f, e, nil) != "TokenAccess" {
			return nil, false
		}
		if e.Type == nil && m.info != nil {
			t := m.info.TypeOf(e)
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if sdkType(t) != "TokenAccess" {
				return nil, false
			}
		}
		_ = inValueList
		a := &Access{Elt: elt, Lit: e, File: f, ScopeHere: true}
		m.readFields(f, a)
		return a, true
	case *ast.CallExpr:
		return m.helperAccess(f, elt, e)
	case *ast.Ident, *ast.SelectorExpr:
		// A package-level variable holding one TokenAccess literal: read
		// like a helper's, where it is written.
		_, name := m.pkgVar(identOf(e))
		if name == "" {
			return nil, false
		}
		d, ok := m.decl(varTable, name)
		if !ok {
			return nil, false
		}
		r := ast.Unparen(d.expr)
		if u, ok := r.(*ast.UnaryExpr); ok && u.Op == token.AND {
			r = ast.Unparen(u.X)
		}
		lit, ok := r.(*ast.CompositeLit)
		if !ok || lit.Type == nil || m.litType(d.file, lit, nil) != "TokenAccess" {
			return nil, false
		}
		a := &Access{Elt: elt, Lit: lit, Helper: true, File: f}
		m.readFields(d.file, a)
		return a, true
	}
	return nil, false
}

// readFields sets a's values from its literal's fields, the last setting
// of a field counting.
func (m *model) readFields(f *ast.File, a *Access) {
	var st *types.Struct
	if m.info != nil {
		t := m.info.TypeOf(a.Lit)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if t != nil {
			st, _ = t.Underlying().(*types.Struct)
		}
	}
	for i, elt := range a.Lit.Elts {
		var name string
		value := elt
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			id, ok := kv.Key.(*ast.Ident)
			if !ok {
				continue
			}
			name, value = id.Name, kv.Value
		} else if st != nil && i < st.NumFields() {
			name = st.Field(i).Name()
		} else {
			continue
		}
		switch name {
		case "Token":
			a.Token = value
		case "Scope":
			a.Scope = value
		case "Name":
			a.Name = value
		case "Permissions":
			a.Perms, a.PermsValue = elt, value
		}
	}
}

// helperAccess reads a call of a small helper function of the package
// whose body is a single return of a TokenAccess literal (or a pointer to
// one). A field set from a parameter takes this call's argument.
func (m *model) helperAccess(f *ast.File, elt ast.Expr, call *ast.CallExpr) (*Access, bool) {
	var d declared
	if m.info != nil {
		fn, ok := m.info.Callee(call).(*types.Func)
		if !ok || fn.Pkg() == nil || m.path != "" && fn.Pkg().Path() != m.path {
			return nil, false
		}
		if d, ok = m.decl(funcTable, fn.Name()); !ok || m.info.Def(d.name) != fn {
			return nil, false
		}
	} else {
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return nil, false
		}
		if d, ok = m.decl(funcTable, id.Name); !ok {
			return nil, false
		}
	}
	decl := d.decl
	if len(decl.Body.List) != 1 {
		return nil, false
	}
	ret, ok := decl.Body.List[0].(*ast.ReturnStmt)
	if !ok || len(ret.Results) != 1 {
		return nil, false
	}
	r := ast.Unparen(ret.Results[0])
	if u, ok := r.(*ast.UnaryExpr); ok && u.Op == token.AND {
		r = ast.Unparen(u.X)
	}
	lit, ok := r.(*ast.CompositeLit)
	if !ok || m.litType(d.file, lit, nil) != "TokenAccess" {
		return nil, false
	}
	a := &Access{Elt: elt, Lit: lit, Helper: true, File: f}
	m.readFields(d.file, a)
	params := paramIdents(decl)
	variadic := decl.Type.Params != nil && len(decl.Type.Params.List) > 0 && isEllipsis(decl.Type.Params.List[len(decl.Type.Params.List)-1].Type)
	// arg returns the argument passed for the parameter e names. Parameters
	// are matched through the declaration's syntax (Defs and Uses, or
	// names without types).
	arg := func(e ast.Expr) (ast.Expr, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return nil, false
		}
		for i, p := range params {
			if p == nil {
				continue
			}
			if m.info != nil {
				v, ok := m.info.Use(id).(*types.Var)
				if !ok || m.info.Def(p) != v {
					continue
				}
			} else if p.Name != id.Name {
				continue
			}
			if variadic && i == len(params)-1 || i >= len(call.Args) || call.Ellipsis.IsValid() {
				return nil, false
			}
			return call.Args[i], true
		}
		return nil, false
	}
	for _, v := range []*ast.Expr{&a.Token, &a.Scope, &a.Name} {
		if *v == nil {
			continue
		}
		if argExpr, ok := arg(*v); ok {
			*v = argExpr
			if v == &a.Scope {
				a.ScopeHere = true
			}
		}
	}
	return a, true
}

// pipeKind refines a PipeOptions literal's kind by which of Endpoint,
// Materialized and Copy it sets to something other than nil.
func (m *model) pipeKind(f *ast.File, lit *ast.CompositeLit) rules.Kind {
	return RefinePipeKind(func(field string) bool {
		for _, elt := range lit.Elts {
			kv, ok := elt.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if id, ok := kv.Key.(*ast.Ident); !ok || id.Name != field {
				continue
			}
			if m.info != nil {
				return !isNil(m.info, kv.Value)
			}
			id, isID := ast.Unparen(kv.Value).(*ast.Ident)
			return !isID || id.Name != "nil"
		}
		return false
	})
}

// sdkFunc returns the name of the package-level SDK function call calls,
// or "".
func (m *model) sdkFunc(f *ast.File, call *ast.CallExpr) string {
	if m.info != nil {
		return sdkFunc(m.info, call)
	}
	id := calleeIdent(call)
	if id == nil {
		return ""
	}
	if m.spelledType(f, ast.Unparen(call.Fun)) != "" || m.spelledQualified(f, call.Fun) {
		return id.Name
	}
	return ""
}

// spelledQualified reports whether e is pkg.X with pkg the file's name of
// the SDK, or X under a dot import of it.
func (m *model) spelledQualified(f *ast.File, e ast.Expr) bool {
	qual, ok := m.qualifier(f)
	if !ok {
		return false
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && qual != "." && x.Name == qual
	case *ast.Ident:
		return qual == "." && ast.IsExported(e.Name)
	}
	return false
}

// spelledType returns the SDK type name e spells (tinybird.X, alias.X, X
// under a dot import), or "".
func (m *model) spelledType(f *ast.File, e ast.Expr) string {
	if !m.spelledQualified(f, e) {
		return ""
	}
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		return e.Sel.Name
	case *ast.Ident:
		return e.Name
	}
	return ""
}

// qualifier returns the name file f imports the SDK under ("." for a dot
// import); ok is false when it does not import it by a usable name.
func (m *model) qualifier(f *ast.File) (string, bool) {
	for _, imp := range f.Imports {
		if imp.Path == nil {
			continue
		}
		if p, err := strconv.Unquote(imp.Path.Value); err != nil || p != sdkPath {
			continue
		}
		if imp.Name == nil {
			return "tinybird", true
		}
		if imp.Name.Name == "_" {
			continue
		}
		return imp.Name.Name, true
	}
	return "", false
}

// litType returns the name of the SDK type of a composite literal (through
// a pointer), or "". In a syntax-only model an elided type is read from
// the enclosing list literal, found in stack (ancestors, innermost last).
func (m *model) litType(f *ast.File, lit *ast.CompositeLit, stack []ast.Node) string {
	if m.info != nil {
		t := m.info.TypeOf(lit)
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		return sdkType(t)
	}
	if lit.Type != nil {
		return m.spelledType(f, lit.Type)
	}
	// An elided type: the element type of the enclosing list, or the
	// value type of the enclosing keyed field of a known options type.
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.KeyValueExpr:
			continue
		case *ast.CompositeLit:
			if at, ok := p.Type.(*ast.ArrayType); ok {
				elt := at.Elt
				if star, ok := elt.(*ast.StarExpr); ok {
					elt = star.X
				}
				return m.spelledType(f, elt)
			}
			return ""
		default:
			return ""
		}
	}
	return ""
}

// constString returns the constant string value of e: from go/types in a
// typed model; in a syntax-only one, a string literal or a constant of the
// SDK (tinybird.Read) whose value sdk gives.
func (m *model) constString(f *ast.File, e ast.Expr) (string, bool) {
	if e == nil {
		return "", false
	}
	if m.info != nil {
		return constString(m.info, e)
	}
	return m.syntaxConst(f, e, 0)
}

// syntaxConst evaluates, without types, a string literal, a constant of
// the package declared with one, a constant of the SDK, or a sum of those.
func (m *model) syntaxConst(f *ast.File, e ast.Expr, depth int) (string, bool) {
	if depth > maxHops {
		return "", false
	}
	switch v := ast.Unparen(e).(type) {
	case *ast.BinaryExpr:
		if v.Op != token.ADD {
			return "", false
		}
		x, ok := m.syntaxConst(f, v.X, depth+1)
		if !ok {
			return "", false
		}
		y, ok := m.syntaxConst(f, v.Y, depth+1)
		return x + y, ok
	case *ast.BasicLit:
		if v.Kind == token.STRING {
			if s, err := strconv.Unquote(v.Value); err == nil {
				return s, true
			}
		}
	case *ast.SelectorExpr, *ast.Ident:
		if id, ok := v.(*ast.Ident); ok {
			if d, ok := m.decl(constTable, id.Name); ok {
				return m.syntaxConst(d.file, d.expr, depth+1)
			}
		}
		if m.sdk == nil || !m.spelledQualified(f, v) {
			return "", false
		}
		name := identOf(v).Name
		if c, ok := m.sdk.Scope().Lookup(name).(*types.Const); ok {
			return constString(NewTypesInfo(&types.Info{Types: map[ast.Expr]types.TypeAndValue{e: {Value: c.Val()}}}), e)
		}
	}
	return "", false
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

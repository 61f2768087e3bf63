package lsp

import (
	"bytes"
	"context"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"sync"
	"time"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/lsp/cache"
	"github.com/tbls-dev/tbls/rules"
)

// This file holds what completion, hover and the access map share about Go
// code that uses the SDK: a type-checked package as the features see it,
// and how to recognise the SDK's types in it, from go/types when the code
// type-checks and from the syntax when it does not yet (code being typed
// rarely does).

// sdkPath is the import path of the SDK, recognised by package, never by
// the name it is imported under.
const sdkPath = analyzer.SDKPath

// typedPackage is a type-checked package as the features need it: the
// cached snapshot of the package of the document a request is about. The
// features never type-check anything themselves.
type typedPackage struct {
	fset  *token.FileSet
	files []*ast.File
	pkg   *types.Package
	// sdk is the SDK package when pkg is nil (a file read without types).
	sdk *types.Package
	// info returns the type information of one of files, nil when it is
	// not available (the file is then read syntactically).
	info func(*ast.File) *analyzer.TypesInfo
	// model is the SDK model of the package, read on first use; snap is
	// the engine's snapshot p adapts, whose model models keeps.
	model  *analyzer.Model
	snap   *cache.Package
	models *modelCache
	// epochs are the snapshot's epochs of files (cache.Package.FileEpoch),
	// nil without a snapshot.
	epochs []any
}

// infoOf returns the type information of file, or nil.
func (p *typedPackage) infoOf(file *ast.File) *analyzer.TypesInfo {
	if p.info == nil || file == nil {
		return nil
	}
	return p.info(file)
}

// fileAt returns the file of p whose token.File is named filename, with its
// token.File.
func (p *typedPackage) fileAt(filename string) (*ast.File, *token.File) {
	for _, f := range p.files {
		tf := p.fset.File(f.FileStart)
		if tf != nil && tf.Name() == filename {
			return f, tf
		}
	}
	return nil, nil
}

// sdkPackage returns the SDK package as p imports it, or nil.
func (p *typedPackage) sdkPackage() *types.Package {
	if p.pkg == nil {
		return p.sdk
	}
	if p.pkg.Path() == sdkPath {
		return p.pkg
	}
	for _, imp := range p.pkg.Imports() {
		if imp.Path() == sdkPath {
			return imp
		}
	}
	return nil
}

// sdkTypeName returns the name of the SDK named type t is (through aliases
// and pointers), or "".
func sdkTypeName(t types.Type) string {
	if ptr, ok := types.Unalias(t).(*types.Pointer); ok {
		t = ptr.Elem()
	}
	return analyzer.SDKTypeName(t)
}

// sdkImportName returns how file names the SDK package: "tinybird", an
// alias, or "." for a dot import. ok is false when file does not import it
// by a usable name.
func sdkImportName(info *analyzer.TypesInfo, file *ast.File) (name string, ok bool) {
	for _, imp := range file.Imports {
		if imp.Path == nil || strings.Trim(imp.Path.Value, "`\"") != sdkPath {
			continue
		}
		if imp.Name != nil {
			if imp.Name.Name == "_" {
				continue
			}
			return imp.Name.Name, true
		}
		if info != nil {
			if pn, ok := info.Implicit(imp).(*types.PkgName); ok {
				return pn.Name(), true
			}
		}
		return "tinybird", true
	}
	return "", false
}

// isSDKQualifier reports whether id, the X of a selector, names the SDK
// package in file: by its object when the file type-checked, else by the
// file's import of the SDK.
func isSDKQualifier(info *analyzer.TypesInfo, file *ast.File, id *ast.Ident) bool {
	if info != nil {
		if pn, ok := info.Use(id).(*types.PkgName); ok {
			return pn.Imported().Path() == sdkPath
		}
	}
	name, ok := sdkImportName(info, file)
	return ok && name != "." && name == id.Name
}

// syntaxTypeName returns the SDK type name an expression spells (tinybird.X,
// tb.X, or X under a dot import), or "".
func syntaxTypeName(info *analyzer.TypesInfo, file *ast.File, e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok && isSDKQualifier(info, file, x) {
			return e.Sel.Name
		}
	case *ast.Ident:
		if name, ok := sdkImportName(info, file); ok && name == "." {
			return e.Name
		}
	case *ast.StarExpr:
		return syntaxTypeName(info, file, e.X)
	}
	return ""
}

// litTypeName returns the name of the SDK type of a composite literal, or ""
// when it is not of an SDK type. It asks go/types first; when the literal
// has no type there (its file does not type-check), it reads the type from
// the syntax, including a type elided inside a slice literal, found through
// path (the literal's enclosing nodes, innermost first).
func litTypeName(info *analyzer.TypesInfo, file *ast.File, lit *ast.CompositeLit, path []ast.Node) string {
	if info != nil {
		if t := info.TypeOf(lit); t != nil {
			if n := sdkTypeName(t); n != "" {
				return n
			}
			if _, invalid := t.(*types.Basic); !invalid {
				return ""
			}
		}
	}
	if lit.Type != nil {
		return syntaxTypeName(info, file, lit.Type)
	}
	// An elided type: the element type of the enclosing slice literal.
	for i, n := range path {
		if n != lit {
			continue
		}
		if i+1 < len(path) {
			if outer, ok := path[i+1].(*ast.CompositeLit); ok {
				if at, ok := outer.Type.(*ast.ArrayType); ok {
					return syntaxTypeName(info, file, at.Elt)
				}
			}
		}
		break
	}
	return ""
}

// sliceElemTypeName returns the SDK type name of the elements of a slice or
// array composite literal, or "".
func sliceElemTypeName(info *analyzer.TypesInfo, file *ast.File, lit *ast.CompositeLit, path []ast.Node) string {
	if info != nil {
		if t := info.TypeOf(lit); t != nil {
			switch u := t.Underlying().(type) {
			case *types.Slice:
				return sdkTypeName(u.Elem())
			case *types.Array:
				return sdkTypeName(u.Elem())
			}
		}
	}
	if at, ok := lit.Type.(*ast.ArrayType); ok {
		return syntaxTypeName(info, file, at.Elt)
	}
	return ""
}

// keyName returns the field name of a keyed element, or "".
func keyName(kv *ast.KeyValueExpr) string {
	if id, ok := kv.Key.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// sdkConsts returns the constants of the SDK package whose type is the SDK
// type typeName, by value: for Scope, {"READ": "Read", "APPEND": "Append"}.
// Completion offers them by name, so the names come from the SDK itself.
func sdkConsts(sdk *types.Package, typeName string) map[string]string {
	if sdk == nil {
		return nil
	}
	m := make(map[string]string)
	scope := sdk.Scope()
	for _, name := range scope.Names() {
		c, ok := scope.Lookup(name).(*types.Const)
		if !ok || !c.Exported() || sdkTypeName(c.Type()) != typeName {
			continue
		}
		if v := c.Val(); v.Kind() == constant.String {
			m[constant.StringVal(v)] = name
		}
	}
	return m
}

// sdkModel returns the SDK model of p (analyzer.Model): typed when p
// has type information for every file, else read from the syntax with the
// SDK's constants. It is read once per typedPackage.
func (p *typedPackage) sdkModel() *analyzer.Model {
	if p.model == nil {
		if p.snap != nil {
			p.model = p.models.model(p.snap, p)
		} else {
			p.model = p.readModel(nil)
		}
	}
	return p.model
}

// readModel reads the SDK model of p, reusing for a typed model what an
// earlier model of the package read (prev, its Parts) of the files whose
// epoch is unchanged; prev may be nil.
func (p *typedPackage) readModel(prev *analyzer.ModelParts) *analyzer.Model {
	var info *analyzer.TypesInfo
	if p.pkg != nil && len(p.files) > 0 {
		info = p.infoOf(p.files[0])
		for _, f := range p.files[1:] {
			if p.infoOf(f) != info {
				info = nil // per-file information: not one package's
				break
			}
		}
	}
	if info != nil {
		return analyzer.NewModelReusing(p.fset, p.files, p.pkg, info, p.epochs, prev)
	}
	path := ""
	if p.pkg != nil {
		path = p.pkg.Path()
	}
	return analyzer.NewSyntaxModel(p.fset, p.files, path, p.sdkPackage())
}

// grantKinds returns the kinds of the resources whose Tokens the
// TokenAccess literal lit reaches, as the SDK model reads them (lists,
// shared lists, append, helpers); nil when none does, e.g. for a list
// held in a variable that is never used.
func (p *typedPackage) grantKinds(lit *ast.CompositeLit) []rules.Kind {
	return p.sdkModel().KindsOf(lit)
}

// scopesForKinds returns the scopes valid on every kind of kinds, in rules'
// order; with no kinds, a datasource's (the widest set): an access list not
// (yet) granted anywhere may become a datasource's.
func scopesForKinds(kinds []rules.Kind) []string {
	if len(kinds) == 0 {
		return rules.Scopes(rules.KindDatasource)
	}
	var out []string
	for _, s := range rules.Scopes(kinds[0]) {
		ok := true
		for _, k := range kinds[1:] {
			ok = ok && rules.ScopeAllowed(k, s)
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// modelCache keeps the SDK model of the engine's latest snapshot of each
// package: reading one walks the whole package, which completion cannot
// afford per request. A snapshot never changes, so its model is read once;
// only the latest is kept, as a snapshot holds its package's type
// information. A snapshot's model is read from the model of the snapshot
// it replaces (when that was read), reusing what each file whose epoch is
// unchanged gave: after an edit of one file that the engine checked alone,
// the others'.
//
// It also gives the models and the names index tokens standing for the
// engine's file epochs: an epoch is the engine's check, which holds the
// check's type information and analysis, and a part kept across edits
// would keep the check it was read from alive while later ones are made,
// raising the peak memory (by some 10 MB on the 27,000-line benchmark
// package). A token is a fresh pointer standing for one epoch; each
// package's table holds the tokens of its latest snapshot's epochs only,
// so an epoch seen again after another snapshot's gets a new token: less
// reuse, never a wrong one.
type modelCache struct {
	mu     sync.Mutex
	byID   map[string]*modelOnce
	tokens map[string]map[any]*byte
}

func newModelCache() *modelCache {
	return &modelCache{byID: make(map[string]*modelOnce), tokens: make(map[string]map[any]*byte)}
}

type modelOnce struct {
	pkg   *cache.Package
	once  sync.Once
	model *analyzer.Model // set under the cache's lock
	// prev is what the model of the snapshot this one replaced read of
	// each file, until model is read: not that model, whose snapshot's
	// type information need not stay alive meanwhile.
	prev *analyzer.ModelParts
}

// model returns the SDK model of the snapshot pkg, read by p the first
// time.
func (c *modelCache) model(pkg *cache.Package, p *typedPackage) *analyzer.Model {
	c.mu.Lock()
	m := c.byID[pkg.ID]
	if m == nil || m.pkg != pkg {
		next := &modelOnce{pkg: pkg}
		if m != nil {
			next.prev = m.prev // m not read yet: its own predecessor's
			if m.model != nil {
				next.prev = m.model.Parts()
			}
		}
		m = next
		c.byID[pkg.ID] = m
	}
	c.mu.Unlock()
	m.once.Do(func() {
		c.mu.Lock()
		prev := m.prev
		c.mu.Unlock()
		model := p.readModel(prev)
		c.mu.Lock()
		m.model, m.prev = model, nil
		c.mu.Unlock()
	})
	return m.model
}

// epochs returns the tokens of the epochs of pkg's files, in files'
// order: equal when the epochs are, and only then.
func (c *modelCache) epochs(pkg *cache.Package, files []*ast.File, names map[*ast.File]string) []any {
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.tokens[pkg.ID]
	table := make(map[any]*byte, len(old))
	out := make([]any, len(files))
	for i, f := range files {
		e := pkg.FileEpoch(names[f])
		if e == nil {
			continue
		}
		t := table[e]
		if t == nil {
			if t = old[e]; t == nil {
				t = new(byte)
			}
			table[e] = t
		}
		out[i] = t
	}
	c.tokens[pkg.ID] = table
	return out
}

// typedFromCache adapts a snapshot of the engine for the features.
func (s *Server) typedFromCache(pkg *cache.Package) *typedPackage {
	p := &typedPackage{fset: pkg.Fset, pkg: pkg.Types, snap: pkg, models: s.models}
	names := make(map[*ast.File]string, len(pkg.Files))
	for _, f := range pkg.Files {
		if f.Syntax == nil {
			continue
		}
		p.files = append(p.files, f.Syntax)
		names[f.Syntax] = f.Name
	}
	p.epochs = s.models.epochs(pkg, p.files, names)
	p.info = func(f *ast.File) *analyzer.TypesInfo {
		if names[f] == "" {
			return nil
		}
		return pkg.TypesInfo
	}
	return p
}

// goSnapshot returns the engine's cached snapshot of the package of the Go
// file path; nil, nil when path belongs to no loaded package.
func (s *Server) goSnapshot(ctx context.Context, path string) (*cache.Package, error) {
	return s.engine.snapshot(ctx, path)
}

// declWindow returns a copy of the Go source src in which only the file's
// header (package clause and imports) and the top-level declaration around
// offset off remain; every other byte but line ends becomes a space. The
// offsets are those of src, so positions need no translation, and the
// parser skips the blanks far faster than it parses declarations: on a
// large file that makes the syntax-only fallback of completion cost the
// declaration, not the file. Declarations are found by the lines that
// start with var, func, type or const in column 0, as gofmt writes them.
func declWindow(src []byte, off int) []byte {
	isDecl := func(i int) bool {
		for _, kw := range []string{"var ", "var(", "func ", "func(", "type ", "type(", "const ", "const("} {
			if bytes.HasPrefix(src[i:], []byte(kw)) {
				return true
			}
		}
		return false
	}
	header, start, end := -1, 0, len(src)
	for i := 0; i < len(src); {
		if isDecl(i) {
			if header < 0 {
				header = i
			}
			if i <= off {
				start = i
			} else {
				end = i
				break
			}
		}
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
	}
	if header < 0 || header >= start {
		return src
	}
	out := bytes.Clone(src)
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	blank(header, start)
	blank(end, len(out))
	return out
}

// syntaxWindow returns the Go file path with text src, reduced to the
// declWindow around off, as a package of one file without type
// information, for completion when no current snapshot is at hand. sdk,
// from an earlier snapshot, names the SDK's constants.
func syntaxWindow(path string, src []byte, off int, sdk *types.Package) *typedPackage {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, path, declWindow(src, off), parser.ParseComments|parser.SkipObjectResolution)
	if f == nil {
		return &typedPackage{fset: fset, sdk: sdk}
	}
	return &typedPackage{fset: fset, files: []*ast.File{f}, sdk: sdk}
}

// snapshotWithin returns the engine's snapshot of the package of path if
// it comes within budget, else nil; the engine finishes it anyway. Once
// the engine holds the package, asking is a matter of microseconds, but
// while it analyzes the package after an edit (hundreds of milliseconds on
// a large one) it answers only then, and completion cannot wait that long.
func (s *Server) snapshotWithin(ctx context.Context, path string, budget time.Duration) *cache.Package {
	ch := make(chan *cache.Package, 1)
	go func() {
		pkg, err := s.goSnapshot(ctx, path)
		if err != nil {
			pkg = nil
		}
		ch <- pkg
	}()
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case pkg := <-ch:
		return pkg
	case <-timer.C:
		return nil
	}
}

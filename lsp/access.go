package lsp

import (
	"context"
	"errors"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/lsp/cache"
	"github.com/tbls-dev/tbls/rules"
)

// The token access map: for every token, every resource of the workspace
// that grants it, from Go code (every package that imports the SDK) and
// from datafiles (open ones and those on disk in the workspace folders).
// Hover shows it for the token under the cursor.
//
// The index is kept per source and refreshed at query time, cheaply: a
// datafile is re-parsed when its open buffer or its file on disk changed
// (by version, or by size and modification time); a Go package is
// re-extracted when the engine's snapshot of it holds a file text it did
// not hold at the last extraction (the engine shares unchanged texts, so
// that is a pointer comparison), from the snapshot's syntax and type
// information, never type-checking anything itself. Directories are
// re-listed only when their modification time changes, which is how files
// appear and disappear.

// grantSite is one grant of a token on a resource.
type grantSite struct {
	token    string // the Tinybird token name; "" when tokenVar must be resolved
	tokenVar string // "pkgpath.Var" of a DefineToken variable
	scope    string
	resource string // "" when the options are not passed to a Define call in sight
	kind     rules.Kind
	file     string
	line     int // 1-based
	datafile bool
}

// tokenDef is a token defined with DefineToken.
type tokenDef struct {
	name string
	file string
	line int
}

// goAccess is what the index holds of one Go package.
type goAccess struct {
	files  map[string]*ast.File // file → the syntax tree extracted; the engine reuses a tree while its text is unchanged
	grants []grantSite
	defs   map[string]tokenDef // by "pkgpath.Var"
}

// fileStamp tells whether a file on disk changed.
type fileStamp struct {
	size    int64
	modTime time.Time
}

func stampOf(fi os.FileInfo) fileStamp { return fileStamp{fi.Size(), fi.ModTime()} }

// datafileAccess is what the index holds of one datafile.
type datafileAccess struct {
	stamp   fileStamp // of the disk file, when read from disk
	version int32     // of the open document, when read from one
	open    bool
	grants  []grantSite
}

// accessIndex is the workspace's token access map.
type accessIndex struct {
	s *Server

	mu        sync.Mutex
	dirs      map[string]fileStamp // listed directories
	goDirs    map[string]*goAccess // directories holding Go files that import the SDK
	goFiles   map[string][]string  // such a directory → its Go files on disk
	datafiles map[string]*datafileAccess

	sdkMu sync.Mutex
	sdk   *types.Package // the SDK as the last snapshot imported it
}

// lastSDK returns the SDK package of the last snapshot seen, or nil.
func (x *accessIndex) lastSDK() *types.Package {
	x.sdkMu.Lock()
	defer x.sdkMu.Unlock()
	return x.sdk
}

// rememberSDK records the SDK package of a snapshot, for completion from
// syntax alone while the engine is busy.
func (x *accessIndex) rememberSDK(sdk *types.Package) {
	if sdk == nil {
		return
	}
	x.sdkMu.Lock()
	defer x.sdkMu.Unlock()
	x.sdk = sdk
}

func newAccessIndex(s *Server) *accessIndex {
	return &accessIndex{
		s:         s,
		dirs:      map[string]fileStamp{},
		goDirs:    map[string]*goAccess{},
		goFiles:   map[string][]string{},
		datafiles: map[string]*datafileAccess{},
	}
}

// grantsOf returns every grant of the token named name, ordered by file
// and line, and where it is defined in Go (ok false when it is not).
func (x *accessIndex) grantsOf(ctx context.Context, name string) ([]grantSite, tokenDef, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.refresh(ctx)
	defs := map[string]tokenDef{}
	for _, ga := range x.goDirs {
		for k, d := range ga.defs {
			defs[k] = d
		}
	}
	var out []grantSite
	add := func(gs []grantSite) {
		for _, g := range gs {
			if g.token == "" {
				d, ok := defs[g.tokenVar]
				if !ok {
					continue
				}
				g.token = d.name
			}
			if g.token == name {
				out = append(out, g)
			}
		}
	}
	for _, ga := range x.goDirs {
		add(ga.grants)
	}
	for _, da := range x.datafiles {
		add(da.grants)
	}
	slices.SortFunc(out, func(a, b grantSite) int {
		if c := strings.Compare(a.file, b.file); c != 0 {
			return c
		}
		return a.line - b.line
	})
	var def tokenDef
	found := false
	for _, d := range defs {
		if d.name == name && (!found || d.file < def.file || d.file == def.file && d.line < def.line) {
			def, found = d, true
		}
	}
	return out, def, found
}

// tokenNameOfVar returns the token name the DefineToken variable key
// ("pkgpath.Var") holds.
func (x *accessIndex) tokenNameOfVar(key string) (string, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, ga := range x.goDirs {
		if d, ok := ga.defs[key]; ok {
			return d.name, true
		}
	}
	return "", false
}

// refresh brings the index up to date. x.mu is held.
func (x *accessIndex) refresh(ctx context.Context) {
	x.s.mu.Lock()
	folders := make([]string, 0, len(x.s.folders))
	for dir := range x.s.folders {
		folders = append(folders, dir)
	}
	docs := make(map[string]*document, len(x.s.docs))
	for _, d := range x.s.docs {
		if d.path != "" {
			docs[d.path] = d
		}
	}
	x.s.mu.Unlock()

	for _, dir := range folders {
		if _, ok := x.dirs[dir]; !ok {
			x.walk(dir)
		}
	}
	for dir, st := range x.dirs {
		fi, err := os.Stat(dir)
		if err != nil {
			x.forgetDir(dir)
			continue
		}
		if stampOf(fi) != st {
			x.list(dir)
		}
	}
	// Open documents count wherever they are, in a folder or not.
	for path, d := range docs {
		switch {
		case d.kind == kindDatafile && x.datafiles[path] == nil:
			x.datafiles[path] = &datafileAccess{}
		case d.kind == kindGo && x.goDirs[filepath.Dir(path)] == nil && strings.Contains(string(d.text), sdkPath):
			x.goDirs[filepath.Dir(path)] = &goAccess{}
		}
	}

	for path, da := range x.datafiles {
		if d, ok := docs[path]; ok {
			if !da.open || da.version != d.version || da.grants == nil {
				*da = datafileAccess{open: true, version: d.version, grants: datafileGrants(path, d.text)}
			}
			continue
		}
		fi, err := os.Stat(path)
		if err != nil {
			delete(x.datafiles, path)
			continue
		}
		if da.open || stampOf(fi) != da.stamp || da.grants == nil {
			src, err := safeio.ReadFile(path)
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					x.s.log.Warn("skipping a datafile of the access map", "err", err)
				}
				delete(x.datafiles, path)
				continue
			}
			*da = datafileAccess{stamp: stampOf(fi), grants: datafileGrants(path, src)}
		}
	}

	for dir, ga := range x.goDirs {
		file := ""
		if files := x.goFiles[dir]; len(files) > 0 {
			file = files[0]
		}
		for path, d := range docs {
			if d.kind == kindGo && filepath.Dir(path) == dir {
				file = path
				break
			}
		}
		if file == "" {
			delete(x.goDirs, dir)
			continue
		}
		pkg, err := x.s.goSnapshot(ctx, file)
		if err != nil || pkg == nil {
			continue
		}
		if ga.files != nil && sameTexts(ga.files, pkg) {
			continue
		}
		ga = extractGoAccess(typedFromCache(pkg))
		for _, f := range pkg.Files {
			ga.files[f.Name] = f.Syntax
		}
		x.goDirs[dir] = ga
	}
}

// sameTexts reports whether pkg holds the very texts extracted before.
func sameTexts(files map[string]*ast.File, pkg *cache.Package) bool {
	if len(files) != len(pkg.Files) {
		return false
	}
	for _, f := range pkg.Files {
		if syntax, ok := files[f.Name]; !ok || syntax == nil || syntax != f.Syntax {
			return false
		}
	}
	return true
}

// walk lists dir and the directories below it.
func (x *accessIndex) walk(dir string) {
	for _, sub := range x.list(dir) {
		x.walk(sub)
	}
}

// list (re)lists dir: its datafiles and, when one of its Go files imports
// the SDK, its Go package. It returns the subdirectories not listed yet.
func (x *accessIndex) list(dir string) []string {
	fi, err := os.Stat(dir)
	if err != nil {
		x.forgetDir(dir)
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		x.forgetDir(dir)
		return nil
	}
	x.dirs[dir] = stampOf(fi)
	var subs, goFiles []string
	usesSDK := false
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		if e.IsDir() {
			if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "node_modules" || name == "testdata" {
				continue
			}
			if _, ok := x.dirs[path]; !ok {
				subs = append(subs, path)
			}
			continue
		}
		switch {
		case datafileExt(path):
			seen[path] = true
			if x.datafiles[path] == nil {
				x.datafiles[path] = &datafileAccess{}
			}
		case strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go"):
			goFiles = append(goFiles, path)
			if !usesSDK {
				if src, err := safeio.ReadFile(path); err == nil && strings.Contains(string(src), strconv.Quote(sdkPath)) {
					usesSDK = true
				}
			}
		}
	}
	for path := range x.datafiles {
		if filepath.Dir(path) == dir && !seen[path] {
			delete(x.datafiles, path)
		}
	}
	if usesSDK {
		x.goFiles[dir] = goFiles
		if x.goDirs[dir] == nil {
			x.goDirs[dir] = &goAccess{}
		}
	} else {
		delete(x.goFiles, dir)
		delete(x.goDirs, dir)
	}
	return subs
}

func (x *accessIndex) forgetDir(dir string) {
	delete(x.dirs, dir)
	delete(x.goDirs, dir)
	delete(x.goFiles, dir)
	for path := range x.datafiles {
		if filepath.Dir(path) == dir {
			delete(x.datafiles, path)
		}
	}
}

// datafileGrants returns the grants of the datafile path with text src.
func datafileGrants(path string, src []byte) []grantSite {
	f := datafile.ParseFile(path, src)
	gs := []grantSite{} // not nil: an empty file is indexed too
	for _, g := range f.TokenGrants() {
		line, _ := f.Position(g.NameStart)
		gs = append(gs, grantSite{
			token: g.Token, scope: g.Scope, resource: g.Resource, kind: g.Kind,
			file: path, line: line + 1, datafile: true,
		})
	}
	return gs
}

// extractGoAccess reads the grants and token definitions of a package.
func extractGoAccess(p *typedPackage) *goAccess {
	ga := &goAccess{files: map[string]*ast.File{}, defs: map[string]tokenDef{}, grants: []grantSite{}}
	e := goExtractor{p: p, inits: map[string]ast.Expr{}, initFile: map[string]*ast.File{}}
	for _, file := range p.files {
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				if len(vs.Values) != len(vs.Names) {
					continue
				}
				for i, n := range vs.Names {
					e.inits[n.Name] = vs.Values[i]
					e.initFile[n.Name] = file
					if name, ok := e.defineTokenName(file, vs.Values[i]); ok && p.pkg != nil {
						pos := p.fset.Position(n.Pos())
						ga.defs[p.pkg.Path()+"."+n.Name] = tokenDef{name: name, file: pos.Filename, line: pos.Line}
					}
				}
			}
		}
	}
	for _, file := range p.files {
		ga.grants = append(ga.grants, e.fileGrants(file)...)
	}
	return ga
}

// goExtractor reads grants out of a package's syntax and types.
type goExtractor struct {
	p *typedPackage
	// Package-level variables' initializers and their files, by name: names
	// are unique in a package scope, while an object's Pos may point into
	// an older text of its file after an incremental check.
	inits    map[string]ast.Expr
	initFile map[string]*ast.File
}

// defineTokenName returns the constant name of a DefineToken call.
func (e *goExtractor) defineTokenName(file *ast.File, x ast.Expr) (string, bool) {
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 || sdkCallName(e.p.infoOf(file), file, call) != "DefineToken" {
		return "", false
	}
	return constStringOf(e.p.infoOf(file), call.Args[0])
}

// sdkCallName returns the name of the SDK function call calls, or "".
func sdkCallName(info *types.Info, file *ast.File, call *ast.CallExpr) string {
	var id *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		id = fun.Sel
		if info == nil {
			if x, ok := fun.X.(*ast.Ident); ok && isSDKQualifier(nil, file, x) {
				return fun.Sel.Name
			}
			return ""
		}
	case *ast.Ident:
		id = fun
		if info == nil {
			return syntaxTypeName(nil, file, fun)
		}
	default:
		return ""
	}
	if fn, ok := info.Uses[id].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == sdkPath {
		return fn.Name()
	}
	return ""
}

// constStringOf returns the constant string value of x.
func constStringOf(info *types.Info, x ast.Expr) (string, bool) {
	if info != nil {
		if tv, ok := info.Types[x]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return constant.StringVal(tv.Value), true
		}
	}
	if lit, ok := ast.Unparen(x).(*ast.BasicLit); ok && lit.Kind == token.STRING {
		if s, err := strconv.Unquote(lit.Value); err == nil {
			return s, true
		}
	}
	return "", false
}

// fileGrants returns the grants made by the options literals of file.
func (e *goExtractor) fileGrants(file *ast.File) []grantSite {
	info := e.p.infoOf(file)
	var out []grantSite
	var stack []ast.Node
	ast.Inspect(file, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		path := make([]ast.Node, len(stack))
		for i := range stack {
			path[i] = stack[len(stack)-1-i]
		}
		kind, ok := analyzer.OptionsKind(litTypeName(info, file, lit, path))
		if !ok {
			return true
		}
		fields := map[string]*ast.KeyValueExpr{}
		for _, elt := range lit.Elts {
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				fields[keyName(kv)] = kv
			}
		}
		if kind == rules.KindPipe {
			kind = analyzer.RefinePipeKind(func(field string) bool {
				kv, ok := fields[field]
				if !ok {
					return false
				}
				id, isID := kv.Value.(*ast.Ident)
				return !isID || id.Name != "nil"
			})
		}
		tokens, ok := fields["Tokens"]
		if !ok {
			return true
		}
		resource := ""
		if len(path) > 1 {
			if call, ok := path[1].(*ast.CallExpr); ok && len(call.Args) == 2 && call.Args[1] == lit && strings.HasPrefix(sdkCallName(info, file, call), "Define") {
				resource, _ = constStringOf(info, call.Args[0])
			}
		}
		for _, a := range e.accesses(file, tokens.Value, 0) {
			line := e.p.fset.Position(a.at.Pos()).Line
			if a.file != file || a.at.Pos() < lit.Pos() || a.at.Pos() > lit.End() {
				line = e.p.fset.Position(tokens.Pos()).Line // a shared list: where this resource uses it
			}
			for _, g := range e.accessGrants(a, kind) {
				g.resource, g.kind, g.file, g.line = resource, kind, e.p.fset.Position(file.Pos()).Filename, line
				out = append(out, g)
			}
		}
		return true
	})
	return out
}

// accessExpr is one TokenAccess literal of a Tokens value, with the file
// it is written in and the element it comes from.
type accessExpr struct {
	lit  *ast.CompositeLit
	file *ast.File
	at   ast.Node
}

// accesses returns the TokenAccess literals a Tokens value holds: a slice
// literal's elements, through package-level variables and append.
func (e *goExtractor) accesses(file *ast.File, x ast.Expr, depth int) []accessExpr {
	if depth > maxVarHops {
		return nil
	}
	info := e.p.infoOf(file)
	switch v := ast.Unparen(x).(type) {
	case *ast.CompositeLit:
		if sliceElemTypeName(info, file, v, nil) == "TokenAccess" {
			var out []accessExpr
			for _, elt := range v.Elts {
				out = append(out, e.accesses(file, elt, depth)...)
			}
			return out
		}
		if litTypeName(info, file, v, nil) == "TokenAccess" || v.Type == nil {
			return []accessExpr{{lit: v, file: file, at: v}}
		}
	case *ast.Ident:
		if info == nil {
			return nil
		}
		obj, ok := info.Uses[v].(*types.Var)
		if !ok || obj.Pkg() == nil || obj.Parent() != obj.Pkg().Scope() {
			return nil // not a package-level variable
		}
		init, ok := e.inits[obj.Name()]
		if !ok {
			return nil
		}
		return e.accesses(e.initFile[obj.Name()], init, depth+1)
	case *ast.CallExpr:
		if id, ok := ast.Unparen(v.Fun).(*ast.Ident); ok && id.Name == "append" {
			var out []accessExpr
			for _, arg := range v.Args {
				out = append(out, e.accesses(file, arg, depth)...)
			}
			return out
		}
	}
	return nil
}

// accessGrants returns the grants of one TokenAccess on a resource of kind.
func (e *goExtractor) accessGrants(a accessExpr, kind rules.Kind) []grantSite {
	info := e.p.infoOf(a.file)
	fields := map[string]ast.Expr{}
	for _, elt := range a.lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			fields[keyName(kv)] = kv.Value
		}
	}
	if tok, ok := fields["Token"]; ok {
		g := grantSite{}
		g.scope, _ = e.scopeValue(info, a.file, fields["Scope"])
		if key, ok := e.tokenVar(info, tok); ok {
			g.tokenVar = key
			return []grantSite{g}
		}
		return nil
	}
	name, ok := constStringOf(info, fields["Name"])
	if !ok {
		return nil
	}
	if kind.IsPipe() {
		return []grantSite{{token: name, scope: rules.ScopeRead}}
	}
	var out []grantSite
	if perms, ok := ast.Unparen(fields["Permissions"]).(*ast.CompositeLit); ok {
		for _, p := range perms.Elts {
			if s, ok := e.scopeValue(info, a.file, p); ok {
				out = append(out, grantSite{token: name, scope: s})
			}
		}
	}
	return out
}

// scopeValue returns the constant value of a scope expression.
func (e *goExtractor) scopeValue(info *types.Info, file *ast.File, x ast.Expr) (string, bool) {
	if x == nil {
		return "", false
	}
	if s, ok := constStringOf(info, x); ok {
		return s, true
	}
	// Without types: tinybird.Read and friends, by the SDK's constants.
	if sel, ok := ast.Unparen(x).(*ast.SelectorExpr); ok {
		if id, ok := sel.X.(*ast.Ident); ok && isSDKQualifier(info, file, id) {
			for v, name := range sdkConsts(e.p.sdkPackage(), "Scope") {
				if name == sel.Sel.Name {
					return v, true
				}
			}
		}
	}
	return "", false
}

// tokenVar returns the "pkgpath.Var" key of the token variable x refers to.
func (e *goExtractor) tokenVar(info *types.Info, x ast.Expr) (string, bool) {
	if info == nil {
		return "", false
	}
	var id *ast.Ident
	switch v := ast.Unparen(x).(type) {
	case *ast.Ident:
		id = v
	case *ast.SelectorExpr:
		id = v.Sel
	default:
		return "", false
	}
	obj, ok := info.Uses[id].(*types.Var)
	if !ok || obj.Pkg() == nil {
		return "", false
	}
	return obj.Pkg().Path() + "." + obj.Name(), true
}

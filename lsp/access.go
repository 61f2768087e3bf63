package lsp

import (
	"context"
	"errors"
	"go/ast"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

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

// extractGoAccess reads the grants and token definitions of a package
// from its SDK model (analyzer.Model), which the analyzers read too.
func extractGoAccess(p *typedPackage) *goAccess {
	ga := &goAccess{files: map[string]*ast.File{}, defs: map[string]tokenDef{}, grants: []grantSite{}}
	m := p.sdkModel()
	path := ""
	if p.pkg != nil {
		path = p.pkg.Path()
	}
	for _, t := range m.Tokens {
		if t.VarName == "" || !t.NameConst || path == "" {
			continue
		}
		pos := p.fset.Position(t.Call.Pos())
		if t.Var != nil {
			pos = p.fset.Position(t.Var.Pos())
		}
		ga.defs[path+"."+t.VarName] = tokenDef{name: t.Name, file: pos.Filename, line: pos.Line}
	}
	for _, g := range m.Grants {
		site := grantSite{tokenVar: g.TokenVar, scope: g.Scope, kind: g.Kind}
		if g.TokenVar == "" {
			if !g.InlineConst || !g.ScopeConst {
				continue
			}
			site.token = g.Inline
		}
		if g.Resource != nil && g.Resource.NameConst {
			site.resource = g.Resource.Name
		}
		site.file = p.fset.Position(g.File.Pos()).Filename
		site.line = p.fset.Position(g.Pos).Line
		ga.grants = append(ga.grants, site)
	}
	return ga
}

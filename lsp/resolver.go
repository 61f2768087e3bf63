package lsp

import (
	"context"
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/resolve"
)

// The workspace's names for navigation (definition.go, references.go,
// rename.go, symbols.go, codelens.go) and the unknown-reference check: a
// resolve.Project of the workspace folders' datafiles (open buffers over
// disk) and of the Go packages that import the SDK (from the engine's
// snapshots).
//
// The index keeps each source's resolve.File and refreshes it at query
// time, cheaply: a datafile is re-read when its open buffer or its file on
// disk changed (by version, or by size and modification time); a Go
// package is re-read when the engine's snapshot holds a syntax tree it did
// not hold before; directories are re-listed when their modification time
// changes. A query then joins the files into a Project, which is
// immutable.

// resolverIndex is the workspace's resolver state.
type resolverIndex struct {
	s *Server

	mu        sync.Mutex
	dirs      map[string]fileStamp // listed directories
	datafiles map[string]*resolvedDatafile
	goDirs    map[string]*resolvedGo // directories whose Go files import the SDK
	goFiles   map[string][]string    // such a directory → its Go files on disk
}

// resolvedDatafile is one datafile of the index.
type resolvedDatafile struct {
	stamp   fileStamp
	version int32
	opened  uint64
	open    bool
	text    []byte
	file    *resolve.File
}

// resolvedGo is one Go package of the index.
type resolvedGo struct {
	syntax map[string]*ast.File // the trees read; the engine keeps a tree while its text is unchanged
	texts  map[string][]byte
	files  []*resolve.File
}

func newResolverIndex(s *Server) *resolverIndex {
	return &resolverIndex{
		s:         s,
		dirs:      map[string]fileStamp{},
		datafiles: map[string]*resolvedDatafile{},
		goDirs:    map[string]*resolvedGo{},
		goFiles:   map[string][]string{},
	}
}

// workspace is a consistent view of the workspace's names: the project and
// the texts its offsets are in.
type workspace struct {
	project *resolve.Project
	texts   map[string][]byte
	enc     Encoding
	mappers map[string]*Mapper
}

// text returns the text of path the project's offsets refer to.
func (w *workspace) text(path string) ([]byte, bool) {
	t, ok := w.texts[path]
	return t, ok
}

// mapper returns a Mapper of path's text.
func (w *workspace) mapper(path string) (*Mapper, bool) {
	if m, ok := w.mappers[path]; ok {
		return m, true
	}
	t, ok := w.texts[path]
	if !ok {
		return nil, false
	}
	m := NewMapper(t, w.enc)
	w.mappers[path] = m
	return m, true
}

// location converts a byte range of path.
func (w *workspace) location(path string, start, end int) (protocol.Location, bool) {
	m, ok := w.mapper(path)
	if !ok {
		return protocol.Location{}, false
	}
	rng, err := m.OffsetRange(start, end)
	if err != nil {
		return protocol.Location{}, false
	}
	return protocol.Location{URI: uri.File(path), Range: rng}, true
}

// offset converts a position of an open document into a byte offset and
// checks that the workspace's text of it is the document's.
func (w *workspace) offset(d *document, pos protocol.Position) (int, bool) {
	if d.path == "" {
		return 0, false
	}
	t, ok := w.texts[d.path]
	if !ok || string(t) != string(d.text) {
		return 0, false // the workspace holds another text: offsets would lie
	}
	off, err := d.mapper.PositionOffset(pos)
	return off, err == nil
}

// workspace returns the current workspace.
func (x *resolverIndex) workspace(ctx context.Context) *workspace {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.refresh(ctx)
	w := &workspace{texts: map[string][]byte{}, enc: x.s.encoding(), mappers: map[string]*Mapper{}}
	var files []*resolve.File
	for path, df := range x.datafiles {
		if df.file != nil {
			files = append(files, df.file)
			w.texts[path] = df.text
		}
	}
	for _, g := range x.goDirs {
		files = append(files, g.files...)
		for path, t := range g.texts {
			w.texts[path] = t
		}
	}
	w.project = resolve.NewProject(files...)
	return w
}

// refresh brings the index up to date. x.mu is held.
func (x *resolverIndex) refresh(ctx context.Context) {
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
	for path, d := range docs {
		switch {
		case d.kind == kindDatafile && resolve.IsDatafile(path) && x.datafiles[path] == nil:
			x.datafiles[path] = &resolvedDatafile{}
		case d.kind == kindGo && x.goDirs[filepath.Dir(path)] == nil && strings.Contains(string(d.text), strconv.Quote(sdkPath)):
			x.goDirs[filepath.Dir(path)] = &resolvedGo{}
		}
	}

	for path, df := range x.datafiles {
		if d, ok := docs[path]; ok {
			if !df.open || df.version != d.version || df.opened != d.opened || df.file == nil {
				*df = resolvedDatafile{open: true, version: d.version, opened: d.opened, text: d.text,
					file: resolve.Datafile(path, datafile.ParseFile(path, d.text))}
			}
			continue
		}
		fi, err := os.Stat(path)
		if err != nil {
			delete(x.datafiles, path)
			continue
		}
		if df.open || stampOf(fi) != df.stamp || df.file == nil {
			src, err := safeio.ReadFile(path)
			if err != nil {
				delete(x.datafiles, path)
				continue
			}
			*df = resolvedDatafile{stamp: stampOf(fi), text: src, file: resolve.Datafile(path, datafile.ParseFile(path, src))}
		}
	}

	for dir, g := range x.goDirs {
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
		if g.syntax != nil && sameTexts(g.syntax, pkg) {
			continue
		}
		ng := &resolvedGo{syntax: map[string]*ast.File{}, texts: map[string][]byte{}}
		var syntax []*ast.File
		names := map[*ast.File]string{}
		for _, f := range pkg.Files {
			ng.syntax[f.Name] = f.Syntax
			if f.Syntax == nil {
				continue
			}
			ng.texts[f.Name] = f.Content
			syntax = append(syntax, f.Syntax)
			names[f.Syntax] = f.Name
		}
		ng.files = resolve.GoFiles(resolve.GoPackage{Fset: pkg.Fset, Files: syntax, Info: func(f *ast.File) *types.Info { return pkg.Info(names[f]) }})
		x.goDirs[dir] = ng
	}
}

// walk lists dir and the directories below it.
func (x *resolverIndex) walk(dir string) {
	for _, sub := range x.list(dir) {
		x.walk(sub)
	}
}

// list (re)lists dir: its datafiles and, when one of its Go files imports
// the SDK, its Go package. It returns the subdirectories not listed yet.
func (x *resolverIndex) list(dir string) []string {
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
		case resolve.IsDatafile(path):
			seen[path] = true
			if x.datafiles[path] == nil {
				x.datafiles[path] = &resolvedDatafile{}
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
			x.goDirs[dir] = &resolvedGo{}
		}
	} else {
		delete(x.goFiles, dir)
		delete(x.goDirs, dir)
	}
	return subs
}

func (x *resolverIndex) forgetDir(dir string) {
	delete(x.dirs, dir)
	delete(x.goDirs, dir)
	delete(x.goFiles, dir)
	for path := range x.datafiles {
		if filepath.Dir(path) == dir {
			delete(x.datafiles, path)
		}
	}
}

// resolver returns the server's resolver index.
func (s *Server) resolver() *resolverIndex { return s.names }

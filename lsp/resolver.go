package lsp

import (
	"context"
	"go/ast"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/lsp/cache"
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

	// last is the workspace of the last query; changed says whether
	// anything was re-read since, so that a query on an unchanged workspace
	// reuses it and its project's index.
	last    *workspace
	changed bool
	enc     Encoding

	// scanned is when the files on disk were last compared with the index;
	// diskDirty is set when the client reports a change on disk. A client
	// that watches files reports every change; otherwise disk is compared
	// at most every diskRescan: a request would stat every datafile of the
	// workspace otherwise, thousands of system calls for each definition.
	scanned   time.Time
	diskDirty bool
	watched   bool // the client watches the files: it reports every change
	// scanUntil is a time until which every query compares the index with
	// disk: after a rename that renames files, which the client does, and
	// reports (if at all) after the fact.
	scanUntil time.Time

	// names is the workspace's resource names when TB710 was last
	// computed, to tell when other open datafiles need it again.
	names    string
	namesSet bool
}

// namesChanged records the resource names of w and reports whether they
// differ from those recorded before (false the first time).
func (x *resolverIndex) namesChanged(w *workspace) bool {
	sig := strings.Join(w.project.Names(resolve.Resource), "\x00")
	x.mu.Lock()
	defer x.mu.Unlock()
	changed := x.namesSet && sig != x.names
	x.names, x.namesSet = sig, true
	return changed
}

// diskRescan is how stale the index may be about files changed on disk
// by other programs, for clients that do not watch files.
const diskRescan = time.Second

// expectDiskChanges makes queries compare the index with disk for the next
// few seconds, while a client applies file operations.
func (x *resolverIndex) expectDiskChanges() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.scanUntil = time.Now().Add(5 * time.Second)
}

// watching records that the client watches the workspace's files: from
// then on the index compares itself with disk only when the client
// reports a change.
func (x *resolverIndex) watching() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.watched, x.diskDirty = true, true
}

// diskChanged records that the client reported a change on disk.
func (x *resolverIndex) diskChanged() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.diskDirty = true
}

// fileStamp tells whether a file on disk changed.
type fileStamp struct {
	size    int64
	modTime time.Time
}

func stampOf(fi os.FileInfo) fileStamp { return fileStamp{fi.Size(), fi.ModTime()} }

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
	// reading is what files were read from, which the next reading of the
	// package reuses for what its edit left unchanged.
	reading *resolve.GoReading
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
	// complete is false while a Go package of the workspace could not be
	// read (still loading, or not loadable): its declarations are missing,
	// so references must not be judged unknown.
	complete bool
	texts    map[string][]byte
	enc      Encoding

	mu      sync.Mutex // guards mappers: requests share a workspace
	mappers map[string]*Mapper
}

// text returns the text of path the project's offsets refer to.
func (w *workspace) text(path string) ([]byte, bool) {
	t, ok := w.texts[path]
	return t, ok
}

// mapper returns a Mapper of path's text.
func (w *workspace) mapper(path string) (*Mapper, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
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
	enc := x.s.encoding()
	if x.last != nil && !x.changed && x.enc == enc {
		return x.last
	}
	w := &workspace{texts: map[string][]byte{}, enc: enc, mappers: map[string]*Mapper{}, complete: true}
	var files []*resolve.File
	for path, df := range x.datafiles {
		if df.file != nil {
			files = append(files, df.file)
			w.texts[path] = df.text
		}
	}
	for _, g := range x.goDirs {
		if g.syntax == nil {
			w.complete = false
		}
		files = append(files, g.files...)
		for path, t := range g.texts {
			w.texts[path] = t
		}
	}
	w.project = resolve.NewProject(files...)
	x.last, x.changed, x.enc = w, false, enc
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
	scan := x.diskDirty || !x.watched && time.Since(x.scanned) >= diskRescan || time.Now().Before(x.scanUntil)
	if scan {
		x.scanned, x.diskDirty = time.Now(), false
	}
	for dir, st := range x.dirs {
		if !scan {
			break
		}
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
			x.changed = true
		case d.kind == kindGo && x.goDirs[filepath.Dir(path)] == nil && strings.Contains(string(d.text), strconv.Quote(sdkPath)):
			x.goDirs[filepath.Dir(path)] = &resolvedGo{}
			x.changed = true
		}
	}

	for path, df := range x.datafiles {
		if d, ok := docs[path]; ok {
			if !df.open || df.version != d.version || df.opened != d.opened || df.file == nil {
				*df = resolvedDatafile{open: true, version: d.version, opened: d.opened, text: d.text,
					file: resolve.Datafile(path, datafile.ParseFile(path, d.text))}
				x.changed = true
			}
			continue
		}
		if !scan && !df.open && df.file != nil {
			continue // unchanged on disk as far as we know
		}
		fi, err := os.Stat(path)
		if err != nil {
			delete(x.datafiles, path)
			x.changed = true
			continue
		}
		if df.open || stampOf(fi) != df.stamp || df.file == nil {
			x.changed = true
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
			x.changed = true
			continue
		}
		pkg, err := x.s.goSnapshot(ctx, file)
		if err != nil || pkg == nil {
			continue
		}
		if g.syntax != nil && sameTexts(g.syntax, pkg) {
			continue
		}
		x.changed = true
		ng := &resolvedGo{syntax: map[string]*ast.File{}, texts: map[string][]byte{}}
		tp := x.s.typedFromCache(pkg)
		for _, f := range pkg.Files {
			ng.syntax[f.Name] = f.Syntax
			if f.Syntax != nil {
				ng.texts[f.Name] = f.Content
			}
		}
		// The snapshot's model, which completion and hover share: one walk
		// of the package per check, not one per feature.
		gp := resolve.GoPackage{Fset: pkg.Fset, Files: tp.files, Pkg: pkg.Types, Info: pkg.TypesInfo, Path: pkg.PkgPath, SDK: x.s.sdk.last(),
			Model: tp.sdkModel(), Epochs: tp.epochs}
		ng.files, ng.reading = resolve.GoFilesReusing(gp, g.reading)
		x.goDirs[dir] = ng
	}
}

// sameTexts reports whether pkg holds the very syntax trees read before
// (the engine keeps a file's tree while its text is unchanged).
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
	x.changed = true
	var subs, goFiles []string
	usesSDK := false
	seen := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		if e.IsDir() {
			// The datafile walk's rule (a Go package in a _ directory,
			// which the go command ignores, has no snapshot and is left
			// out where it is resolved).
			if datafile.SkipDir(name) {
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
	x.changed = true
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

package lsp

import (
	"context"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/lsp/cache"
	"github.com/tbls-dev/tbls/rules"
)

// engine is the server's side of the Go analysis engine (lsp/cache): it
// loads workspace folders in the background, makes every run wait for the
// loads under way, and turns the engine's results into findings.
type engine struct {
	s       *Server
	session *cache.Session

	mu      sync.Mutex
	pending int             // folder loads under way
	idle    chan struct{}   // closed when pending is 0
	roots   map[string]bool // folders given to the session
}

// goResult is the analysis of one package: the findings of each of its
// files, in the text they were found in.
type goResult struct {
	files    []goFile
	contents func(path string) ([]byte, bool)
	snapshot *cache.Package // the check the findings come from
}

type goFile struct {
	path     string
	content  []byte
	own      bool // the file belongs first to this package (cache.FileResult.Own)
	findings []finding
}

// owns reports whether path belongs first to the package of r.
func (r *goResult) owns(path string) bool {
	for _, f := range r.files {
		if f.path == path {
			return f.own
		}
	}
	return false
}

func newEngine(s *Server) *engine {
	analyzers := s.opts.Analyzers
	if analyzers == nil {
		analyzers = analyzer.Suite
	}
	idle := make(chan struct{})
	close(idle)
	return &engine{
		s:       s,
		session: cache.New(cache.Options{Analyzers: analyzers, Logger: s.log, Env: s.opts.Env}),
		roots:   make(map[string]bool),
		idle:    idle,
	}
}

// addFolder loads dir in the background: go list over a large module takes
// seconds, and the read loop must not wait for it. Runs wait instead.
func (e *engine) addFolder(dir string) {
	e.load(dir, func(ctx context.Context) error { return e.session.AddFolder(ctx, dir) })
}

// load runs add, the loading of root, in the background, once per root.
func (e *engine) load(root string, add func(context.Context) error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.roots[root] {
		return
	}
	e.roots[root] = true
	if e.pending == 0 {
		e.idle = make(chan struct{})
	}
	e.pending++
	go func() {
		defer func() {
			e.mu.Lock()
			e.pending--
			if e.pending == 0 {
				close(e.idle)
			}
			e.mu.Unlock()
		}()
		if err := add(e.s.ctx); err != nil {
			e.s.log.Warn("loading Go packages", "root", root, "err", err)
		}
	}()
}

func (e *engine) removeFolder(dir string) {
	e.mu.Lock()
	delete(e.roots, dir)
	e.mu.Unlock()
	e.session.RemoveFolder(dir)
}

// setOverlay records the text of an open Go file. A file outside every
// folder the client named (an editor opening a lone file) gets its module
// loaded, as gopls does, and nothing below it; a file in no module is
// loaded alone. Either way go runs in one directory.
func (e *engine) setOverlay(path string, text []byte) {
	e.session.SetOverlay(path, text)
	if text == nil {
		return
	}
	e.mu.Lock()
	covered := false
	for root := range e.roots {
		if within(path, root) {
			covered = true
			break
		}
	}
	e.mu.Unlock()
	if covered {
		return
	}
	if root, ok := moduleRoot(filepath.Dir(path)); ok {
		e.load(root, func(ctx context.Context) error { return e.session.AddModule(ctx, root) })
	} else {
		e.load(path, func(ctx context.Context) error { return e.session.AddFile(ctx, path) })
	}
}

func (e *engine) fileChanged(path string) { e.session.FileChanged(path) }

// close waits for background loads, which the server's context cancels.
func (e *engine) close() { _ = e.ready(context.Background()) }

// ready waits for the folder loads under way.
func (e *engine) ready(ctx context.Context) error {
	e.mu.Lock()
	idle := e.idle
	e.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// snapshot returns the type-checked package of the Go file path, for the
// features; nil, nil when the file belongs to no loaded package.
func (e *engine) snapshot(ctx context.Context, path string) (*cache.Package, error) {
	if err := e.ready(ctx); err != nil {
		return nil, err
	}
	return e.session.Snapshot(ctx, path)
}

// errNoPackage says a Go file belongs to no loaded package.
type errNoPackage string

func (e errNoPackage) Error() string {
	return string(e) + " belongs to no package of a loaded module: open its module as a workspace folder"
}

// diagnose runs the analyzers on the package of path.
func (e *engine) diagnose(ctx context.Context, path string) (*goResult, error) {
	if err := e.ready(ctx); err != nil {
		return nil, err
	}
	res, err := e.session.Diagnose(ctx, path)
	if err != nil {
		return nil, err
	}
	if res == nil {
		return nil, errNoPackage(path)
	}
	for _, aerr := range res.AnalyzerErrors {
		e.s.log.Warn("analyzer failed", "file", path, "err", aerr)
	}
	byName := make(map[string]*cache.FileResult, len(res.Files))
	for _, f := range res.Files {
		byName[f.Filename] = f
	}
	out := &goResult{snapshot: res.Snapshot, contents: func(p string) ([]byte, bool) {
		if f := byName[p]; f != nil {
			return f.Content, true
		}
		return nil, false
	}}
	for _, f := range res.Files {
		gf := goFile{path: f.Filename, content: f.Content, own: f.Own}
		for _, d := range f.Diagnostics {
			if fd, ok := e.finding(res.Fset, f, d); ok {
				gf.findings = append(gf.findings, fd)
			}
		}
		out.files = append(out.files, gf)
	}
	return out, nil
}

// finding converts a diagnostic of file f.
func (e *engine) finding(fset *token.FileSet, f *cache.FileResult, d cache.Diagnostic) (finding, bool) {
	start, ok := offsetIn(f.File, d.Pos)
	if !ok {
		e.s.log.Error("dropping a diagnostic outside its file", "file", f.Filename, "analyzer", d.Analyzer, "message", d.Message)
		return finding{}, false
	}
	end := start
	if d.End.IsValid() {
		if end, ok = offsetIn(f.File, d.End); !ok {
			end = start
		}
	}
	// Analyzer messages start with their code for go vet's plain output;
	// an LSP diagnostic carries the code in a field of its own, which
	// clients show next to the message, so the prefix would show twice.
	code := rules.Code(d.Category)
	message := strings.TrimPrefix(d.Message, string(code)+" ")
	fd := finding{start: start, end: end, code: code, source: d.Analyzer, message: message}
	for _, sf := range d.SuggestedFixes {
		fx := findingFix{message: sf.Message}
		ok := true
		for _, te := range sf.TextEdits {
			tf := fset.File(te.Pos)
			s, sok := offsetIn(tf, te.Pos)
			en := te.End
			if !en.IsValid() {
				en = te.Pos
			}
			t, tok := offsetIn(tf, en)
			if !sok || !tok {
				ok = false
				break
			}
			fx.edits = append(fx.edits, fileEdit{file: tf.Name(), start: s, end: t, newText: string(te.NewText)})
		}
		if ok {
			fd.fixes = append(fd.fixes, fx)
		}
	}
	return fd, true
}

// offsetIn returns the offset of pos in tf.
func offsetIn(tf *token.File, pos token.Pos) (int, bool) {
	if tf == nil || !pos.IsValid() || int(pos) < tf.Base() || int(pos) > tf.Base()+tf.Size() {
		return 0, false
	}
	return tf.Offset(pos), true
}

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// moduleRoot returns the directory at or above dir with the go.work
// governing it, else the nearest with a go.mod; ok is false when there is
// neither.
func moduleRoot(dir string) (root string, ok bool) {
	var mod string
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d, true
		}
		if mod == "" {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				mod = d
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return mod, mod != ""
}

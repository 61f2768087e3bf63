package lsp

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/rules"
)

// SourceDatafile is the source of datafile diagnostics; Go diagnostics carry
// the name of the analyzer that reported them.
const SourceDatafile = "tbls"

// finding is a diagnostic in byte offsets, from an analyzer or the datafile
// checker, before it is mapped to a document's positions.
type finding struct {
	start, end int
	code       rules.Code
	severity   rules.Severity // zero: the check's
	source     string
	message    string
	fixes      []findingFix
}

// findingFix is one suggested fix of a finding.
type findingFix struct {
	message string
	edits   []fileEdit
}

// fileEdit replaces [start, end) of file with newText. An empty file means
// the document the finding is in.
type fileEdit struct {
	file       string
	start, end int
	newText    string
}

// publishedDiagnostic is a diagnostic as published, with the fixes that
// code actions offer for it, already in positions.
type publishedDiagnostic struct {
	protocol.Diagnostic
	Code  rules.Code
	Fixes []publishedFix
}

// publishedFix is a fix as a workspace edit.
type publishedFix struct {
	Message string
	Edits   map[uri.URI][]protocol.TextEdit
}

// publication is what was last published for a document.
type publication struct {
	opened  uint64 // the document's opening (see document.opened)
	version int32
	diags   []publishedDiagnostic
}

// diagnostics schedules diagnostics runs and publishes their results.
//
// Runs are keyed by what they cover: a Go package directory, or a datafile.
// A key has at most one run at a time; a change while it runs cancels it and
// queues one more, so that a burst of edits costs one run after the burst,
// not one per edit, and no run outlives the text it was started for.
type diagnostics struct {
	s  *Server
	wg sync.WaitGroup

	mu   sync.Mutex
	runs map[string]*runner

	// pubMu serializes publishing, so that the versions a client sees for
	// a document never go backwards.
	pubMu     sync.Mutex
	published map[uri.URI]*publication
}

type runner struct {
	running bool
	dirty   bool
	cancel  context.CancelFunc
	fn      func(context.Context)
}

func newDiagnostics(s *Server) *diagnostics {
	return &diagnostics{s: s, runs: make(map[string]*runner), published: make(map[uri.URI]*publication)}
}

// schedule runs fn for key as soon as no other run of key is going,
// cancelling the one that is.
func (d *diagnostics) schedule(key string, fn func(context.Context)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	r := d.runs[key]
	if r == nil {
		r = &runner{}
		d.runs[key] = r
	}
	r.dirty, r.fn = true, fn
	if r.running {
		// The loop may not have started its run yet (cancel is set
		// with the run): dirty alone makes it run fn then.
		if r.cancel != nil {
			r.cancel()
		}
		return
	}
	r.running = true
	d.wg.Add(1)
	go d.loop(key, r)
}

func (d *diagnostics) loop(key string, r *runner) {
	defer d.wg.Done()
	for {
		d.mu.Lock()
		if !r.dirty || d.s.ctx.Err() != nil {
			r.running = false
			delete(d.runs, key)
			d.mu.Unlock()
			return
		}
		r.dirty = false
		ctx, cancel := context.WithCancel(d.s.ctx)
		r.cancel = cancel
		fn := r.fn
		d.mu.Unlock()
		d.s.safely("diagnostics "+key, func() { fn(ctx) })
		cancel()
	}
}

// cancelAll cancels every run, at shutdown.
func (d *diagnostics) cancelAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, r := range d.runs {
		r.dirty = false
		if r.cancel != nil {
			r.cancel()
		}
	}
}

// wait waits for the runs to end.
func (d *diagnostics) wait() { d.wg.Wait() }

// safely runs f, logging a panic instead of crashing the server.
func (s *Server) safely(what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "in", what, "panic", r)
		}
	}()
	f()
}

// documentChanged is called, on the read loop, after d was opened, changed
// or (closed) closed. It hands the new text to the engine at once, so that
// any later request sees it, and schedules the diagnostics it affects.
func (s *Server) documentChanged(d *document, closed bool) {
	switch d.kind {
	case kindGo:
		if d.path == "" {
			return
		}
		if closed {
			s.engine.setOverlay(d.path, nil)
		} else {
			s.engine.setOverlay(d.path, d.text)
		}
		dir := filepath.Dir(d.path)
		trigger := d.path
		if closed {
			trigger = ""
		}
		s.diags.schedule("go:"+dir, func(ctx context.Context) { s.diagnoseGo(ctx, dir, trigger) })
	case kindDatafile:
		if closed {
			break
		}
		u := d.uri
		s.diags.schedule("datafile:"+string(u), func(ctx context.Context) { s.diagnoseDatafile(ctx, u) })
	}
	if closed {
		s.clearLater(d)
	}
}

// clearLater clears the diagnostics of d, closed or out of sync, in the
// background: publishing must not block the read loop.
func (s *Server) clearLater(d *document) {
	s.diags.wg.Add(1)
	go func() {
		defer s.diags.wg.Done()
		s.clearDiagnostics(d.uri, d.opened)
	}()
}

// diagnoseDatafile checks the current text of the datafile u and publishes
// the result.
func (s *Server) diagnoseDatafile(ctx context.Context, u uri.URI) {
	d, ok := s.document(u)
	if !ok {
		return
	}
	var fs []finding
	// INCLUDE is resolved from disk, relative to the file; an untitled
	// buffer has no directory to resolve it from.
	var opts datafile.Options
	if d.path != "" && datafileExt(d.path) {
		opts.ReadFile = safeio.ReadFile
	}
	for _, dd := range datafile.CheckWith(d.checkName(), d.text, opts) {
		f := finding{
			start: dd.Start, end: dd.End, code: dd.Code, severity: dd.Severity,
			source: SourceDatafile, message: dd.Message,
		}
		for _, fx := range dd.Fixes {
			ff := findingFix{message: fx.Message}
			for _, e := range fx.Edits {
				ff.edits = append(ff.edits, fileEdit{start: e.Start, end: e.End, newText: e.NewText})
			}
			f.fixes = append(f.fixes, ff)
		}
		fs = append(fs, f)
	}
	fs = append(fs, s.referenceFindings(ctx, d.path, d.text)...)
	if ctx.Err() != nil {
		return
	}
	s.publish(u, d.text, fs, nil, true)
}

// diagnoseGo runs the analyzers on the packages in dir that hold open
// files, and publishes the diagnostics of each open file. A directory
// holds up to three packages (p, its test variant with the _test.go files
// of package p, and p_test): the open files are taken non-test files first,
// each diagnosed with the package the engine assigns it, so that a file is
// published from the same package whatever order the files were opened in.
// trigger is the file whose edit caused the run: it is published even when
// its diagnostics did not change, so that the client learns they hold for
// its new version.
func (s *Server) diagnoseGo(ctx context.Context, dir, trigger string) {
	var open []string
	s.mu.Lock()
	for _, d := range s.docs {
		if d.kind == kindGo && d.path != "" && filepath.Dir(d.path) == dir {
			open = append(open, d.path)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(open, func(a, b string) int {
		at, bt := strings.HasSuffix(a, "_test.go"), strings.HasSuffix(b, "_test.go")
		switch {
		case at && !bt:
			return 1
		case bt && !at:
			return -1
		}
		return strings.Compare(a, b)
	})
	done := make(map[string]bool, len(open))
	for _, target := range open {
		if done[target] {
			continue
		}
		done[target] = true
		res, err := s.engine.diagnose(ctx, target)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			s.log.Debug("no Go diagnostics", "file", target, "err", err)
			if d, ok := s.documentByPath(target); ok {
				s.publish(d.uri, d.text, nil, nil, false)
			}
			continue
		}
		for _, f := range res.files {
			if f.path != target && (done[f.path] || !slices.Contains(open, f.path) || !res.owns(f.path)) {
				continue
			}
			done[f.path] = true
			d, ok := s.documentByPath(f.path)
			if !ok {
				continue
			}
			f.findings = append(f.findings, s.referenceFindings(ctx, f.path, f.content)...)
			if ctx.Err() != nil {
				return // a newer run (an edit, a close) replaces this one
			}
			s.publish(d.uri, f.content, f.findings, res.contents, f.path == trigger)
		}
		// Read the snapshot's SDK model now, while the user reads the
		// diagnostics, rather than in the next completion.
		if res.snapshot != nil && ctx.Err() == nil {
			typedFromCache(res.snapshot).sdkModel()
		}
	}
}

// publish publishes fs, found in text, as the diagnostics of the open
// document u, if u still holds text (otherwise a newer run will publish
// for its newer text). When force is false it publishes only when the
// diagnostics differ from the ones last published. contents gives the text
// of other files a fix edits.
func (s *Server) publish(u uri.URI, text []byte, fs []finding, contents func(path string) ([]byte, bool), force bool) {
	s.diags.pubMu.Lock()
	defer s.diags.pubMu.Unlock()
	d, ok := s.document(u)
	if !ok || d.outOfSync || !bytes.Equal(d.text, text) {
		return
	}
	last := s.diags.published[u]
	if last != nil && last.opened != d.opened {
		// Versions count from the document's opening: a reopened
		// document may start below what was published before.
		last = nil
	}
	if last != nil && d.version < last.version {
		return
	}
	diags := s.toProtocol(d, s.filterFindings(d.path, fs), contents)
	// A document is published at least once per opening, so that the
	// client learns its diagnostics even when there are none.
	if !force && last != nil {
		if slices.EqualFunc(last.diags, diags, sameDiagnostic) {
			last.version = d.version
			return
		}
	}
	s.diags.published[u] = &publication{opened: d.opened, version: d.version, diags: diags}
	params := &protocol.PublishDiagnosticsParams{
		URI:         u,
		Version:     protocol.NewOptional(d.version),
		Diagnostics: make([]protocol.Diagnostic, 0, len(diags)),
	}
	for _, pd := range diags {
		params.Diagnostics = append(params.Diagnostics, pd.Diagnostic)
	}
	if err := s.client.PublishDiagnostics(s.ctx, params); err != nil {
		s.log.Debug("publishing diagnostics", "uri", u, "err", err)
	}
}

// clearDiagnostics publishes an empty list for the document u, closed or
// out of sync, unless the opening (see document.opened) it was called for
// was replaced meanwhile: the newer one's own run publishes.
func (s *Server) clearDiagnostics(u uri.URI, opened uint64) {
	s.diags.pubMu.Lock()
	defer s.diags.pubMu.Unlock()
	if d, open := s.document(u); open && (d.opened != opened || !d.outOfSync) {
		return
	}
	delete(s.diags.published, u)
	params := &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: []protocol.Diagnostic{}}
	if err := s.client.PublishDiagnostics(s.ctx, params); err != nil {
		s.log.Debug("clearing diagnostics", "uri", u, "err", err)
	}
}

// publishedDiagnostics returns the diagnostics last published for u and the
// version they were published for. Code actions read their fixes here.
func (s *Server) publishedDiagnostics(u uri.URI) (int32, []publishedDiagnostic) {
	s.diags.pubMu.Lock()
	defer s.diags.pubMu.Unlock()
	p := s.diags.published[u]
	if p == nil {
		return 0, nil
	}
	return p.version, p.diags
}

func sameDiagnostic(a, b publishedDiagnostic) bool {
	return a.Range == b.Range && a.Code == b.Code && a.Severity == b.Severity &&
		a.Message == b.Message && len(a.Fixes) == len(b.Fixes)
}

// toProtocol maps findings to d's positions. A finding whose range does not
// fit the text (which would be a bug of its producer) is logged and dropped
// rather than sent wrong.
func (s *Server) toProtocol(d *document, fs []finding, contents func(string) ([]byte, bool)) []publishedDiagnostic {
	out := make([]publishedDiagnostic, 0, len(fs))
	mappers := map[string]*Mapper{}
	mapperOf := func(path string) *Mapper {
		if path == "" || path == d.path {
			return d.mapper
		}
		if m, ok := mappers[path]; ok {
			return m
		}
		var m *Mapper
		if od, ok := s.documentByPath(path); ok {
			m = od.mapper
		} else if contents != nil {
			if b, ok := contents(path); ok {
				m = NewMapper(b, d.mapper.Encoding())
			}
		}
		mappers[path] = m
		return m
	}
	for _, f := range fs {
		rng, err := d.mapper.OffsetRange(f.start, f.end)
		if err != nil {
			s.log.Error("dropping a diagnostic with a bad range", "uri", d.uri, "code", f.code, "err", err)
			continue
		}
		sev := f.severity
		if sev == 0 {
			if c, ok := rules.Lookup(f.code); ok {
				sev = c.Severity
			} else {
				sev = rules.Error
			}
		}
		pd := publishedDiagnostic{Code: f.code}
		pd.Range = rng
		pd.Severity = protocol.DiagnosticSeverityWarning
		if sev == rules.Error {
			pd.Severity = protocol.DiagnosticSeverityError
		}
		pd.Message = protocol.String(f.message)
		pd.Source = protocol.NewOptional(f.source)
		if f.code != "" {
			pd.Diagnostic.Code = protocol.String(string(f.code))
			if _, known := rules.Lookup(f.code); known {
				pd.CodeDescription = protocol.CodeDescription{Href: uri.URI(rules.DocURL(f.code))}
			}
		}
	fixes:
		for _, fx := range f.fixes {
			pf := publishedFix{Message: fx.message, Edits: map[uri.URI][]protocol.TextEdit{}}
			for _, e := range fx.edits {
				m := mapperOf(e.file)
				if m == nil {
					continue fixes
				}
				r, err := m.OffsetRange(e.start, e.end)
				if err != nil {
					s.log.Error("dropping a fix with a bad edit", "uri", d.uri, "code", f.code, "err", err)
					continue fixes
				}
				eu := d.uri
				if e.file != "" && e.file != d.path {
					eu = s.uriOf(e.file)
				}
				pf.Edits[eu] = append(pf.Edits[eu], protocol.TextEdit{Range: r, NewText: e.newText})
			}
			pd.Fixes = append(pd.Fixes, pf)
		}
		out = append(out, pd)
	}
	return out
}

// uriOf returns the URI of file path: the open document's, as the client
// spelled it, or a file: URI.
func (s *Server) uriOf(path string) uri.URI {
	if d, ok := s.documentByPath(path); ok {
		return d.uri
	}
	return uri.File(path)
}

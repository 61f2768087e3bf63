package cache

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"runtime/debug"
	"slices"
	"sort"
	"time"

	"golang.org/x/tools/go/analysis"
)

// Diagnostic is a diagnostic and the name of the analyzer that reported it.
type Diagnostic struct {
	analysis.Diagnostic
	Analyzer string
}

// FileResult is the outcome of a run for one file of the package.
type FileResult struct {
	Filename string
	// Content is the text that was analyzed, and File its position table
	// in Result.Fset: together they map token.Pos to lines and columns.
	Content     []byte
	File        *token.File
	Diagnostics []Diagnostic // sorted by position
	ParseError  error        // syntax errors, nil when the file parsed
	// Own is false for a file that belongs first to another package: a
	// test variant holds its package's non-test files, which Diagnose of
	// such a file analyzes with the package itself.
	Own bool
}

// Result is the outcome of Diagnose for one package.
type Result struct {
	Fset  *token.FileSet
	Files []*FileResult // every file of the package, in package order
	// TypeErrors are the package's type errors; the analyzers ran anyway.
	TypeErrors []types.Error
	// AnalyzerErrors lists analyzers that failed or panicked.
	AnalyzerErrors []error
	Snapshot       *Package
}

// File returns the result of filename, nil when the package lacks it.
func (r *Result) File(filename string) *FileResult {
	for _, f := range r.Files {
		if f.Filename == filename {
			return f
		}
	}
	return nil
}

// diagnose brings the package up to date and runs the analyzers, unless
// the current state was analyzed already or is being analyzed by another
// call, whose result it shares. The lock is held only to update and to
// take the state to analyze: analyzers run without it, so that edits and
// snapshots (completion, hover) never wait for them.
func (st *pkgState) diagnose(ctx context.Context) (*Result, error) {
	ctx, done := st.startRun(ctx)
	defer done()
	for {
		st.mu.Lock()
		if err := st.update(ctx); err != nil {
			st.mu.Unlock()
			return nil, err
		}
		if st.result != nil && st.resGen == st.gen {
			res := st.result
			st.mu.Unlock()
			return res, nil
		}
		if r := st.running; r != nil && r.gen == st.gen {
			st.mu.Unlock()
			select {
			case <-r.done:
				if r.err == nil {
					return r.res, nil
				}
				continue // cancelled: run it ourselves, unless we are too
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		cs, m := st.cur, st.cur.merged
		if len(m.pending) > 0 && m.pins > 0 {
			// An older analysis still reads the merged info; it was
			// cancelled by the edit that made this generation.
			idle := m.idle
			st.mu.Unlock()
			select {
			case <-idle:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		m.apply()
		m.pin()
		r := &run{gen: st.gen, done: make(chan struct{})}
		st.running = r
		pkg := st.packageLocked()
		st.mu.Unlock()

		r.res, r.err = st.analyze(ctx, cs, pkg)

		st.mu.Lock()
		m.unpin()
		if r.err == nil && (st.result == nil || r.gen > st.resGen) {
			st.result, st.resGen = r.res, r.gen
		}
		if st.running == r {
			st.running = nil
		}
		close(r.done)
		st.mu.Unlock()
		return r.res, r.err
	}
}

func (st *pkgState) snapshot(ctx context.Context) (*Package, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if err := st.update(ctx); err != nil {
		return nil, err
	}
	return st.packageLocked(), nil
}

// analyzerOrder returns the analyzers and everything they require, each
// after its requirements.
func analyzerOrder(roots []*analysis.Analyzer) []*analysis.Analyzer {
	var order []*analysis.Analyzer
	seen := make(map[*analysis.Analyzer]bool)
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		order = append(order, a)
	}
	for _, a := range roots {
		visit(a)
	}
	return order
}

// analyze runs the analyzers on cs, whose merged info the caller pinned,
// without holding st.mu; pkg is the snapshot of cs.
func (st *pkgState) analyze(ctx context.Context, cs *checkState, pkg *Package) (*Result, error) {
	start := time.Now()
	files := make([]*ast.File, len(cs.files))
	for i, fs := range cs.files {
		files[i] = fs.syntax
	}
	typeErrs := pkg.TypeErrors
	res := &Result{Fset: st.state.fset, TypeErrors: typeErrs, Snapshot: pkg}
	byFile := make(map[*fileState]*FileResult, len(cs.files))
	for _, fs := range cs.files {
		sts := st.state.byFile[fs.name]
		own := len(sts) > 0 && sts[0] == st
		fr := &FileResult{Filename: fs.name, Content: fs.content, File: fs.tok, ParseError: fs.parseErr, Own: own}
		res.Files = append(res.Files, fr)
		byFile[fs] = fr
	}
	roots := make(map[*analysis.Analyzer]bool)
	for _, a := range st.s.opts.Analyzers {
		roots[a] = true
	}
	results := make(map[*analysis.Analyzer]any)
	failed := make(map[*analysis.Analyzer]error)
	for _, a := range analyzerOrder(st.s.opts.Analyzers) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(a.Requires, func(r *analysis.Analyzer) bool { return failed[r] != nil }); i >= 0 {
			failed[a] = fmt.Errorf("analyzer %s skipped: %s failed", a.Name, a.Requires[i].Name)
			continue
		}
		resultOf := make(map[*analysis.Analyzer]any, len(a.Requires))
		for _, r := range a.Requires {
			resultOf[r] = results[r]
		}
		var diags []analysis.Diagnostic
		pass := &analysis.Pass{
			Analyzer:     a,
			Fset:         st.state.fset,
			Files:        files,
			OtherFiles:   st.meta.OtherFiles,
			IgnoredFiles: st.meta.IgnoredFiles,
			Pkg:          cs.pkg,
			TypesInfo:    cs.merged.info,
			TypesSizes:   st.sizes,
			TypeErrors:   typeErrs,
			Module:       st.module,
			Report:       func(d analysis.Diagnostic) { diags = append(diags, d) },
			ResultOf:     resultOf,
			ReadFile:     func(name string) ([]byte, error) { return st.readFile(cs, name) },
			// Facts cross package boundaries, which this driver does not
			// analyze: no analyzer of the Suite declares fact types.
			ImportObjectFact:  func(types.Object, analysis.Fact) bool { return false },
			ImportPackageFact: func(*types.Package, analysis.Fact) bool { return false },
			ExportObjectFact:  func(types.Object, analysis.Fact) {},
			ExportPackageFact: func(analysis.Fact) {},
			AllObjectFacts:    func() []analysis.ObjectFact { return nil },
			AllPackageFacts:   func() []analysis.PackageFact { return nil },
		}
		out, err := runAnalyzer(a, pass)
		if err != nil {
			failed[a] = err
			res.AnalyzerErrors = append(res.AnalyzerErrors, err)
			st.s.log.Error("analyzer failed", "analyzer", a.Name, "pkg", st.id, "err", err)
			continue
		}
		results[a] = out
		if !roots[a] {
			continue
		}
		for _, d := range diags {
			fs := fileAt(cs.files, d.Pos)
			if fs == nil {
				st.s.log.Warn("diagnostic outside the package's files", "analyzer", a.Name, "message", d.Message)
				continue
			}
			if d.End < d.Pos || int(d.End) > fs.tok.Base()+fs.tok.Size() {
				// An End outside the file (an analyzer reading the
				// position of a node the parser made up for broken
				// syntax): a point at Pos is the range left.
				d.End = d.Pos
			}
			byFile[fs].Diagnostics = append(byFile[fs].Diagnostics, Diagnostic{d, a.Name})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err // a newer edit made the result stale
	}
	for _, fr := range res.Files {
		sort.SliceStable(fr.Diagnostics, func(i, j int) bool {
			a, b := fr.Diagnostics[i], fr.Diagnostics[j]
			if a.Pos != b.Pos {
				return a.Pos < b.Pos
			}
			if a.End != b.End {
				return a.End < b.End
			}
			if a.Analyzer != b.Analyzer {
				return a.Analyzer < b.Analyzer
			}
			return a.Message < b.Message
		})
	}
	st.s.log.Debug("analyzed", "pkg", st.id, "took", time.Since(start))
	return res, nil
}

// runAnalyzer runs a, turning a panic into an error: one broken analyzer
// must not take the server down.
func runAnalyzer(a *analysis.Analyzer, pass *analysis.Pass) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("analyzer %s panicked: %v\n%s", a.Name, r, debug.Stack())
		}
	}()
	out, err = a.Run(pass)
	if err != nil {
		err = fmt.Errorf("analyzer %s: %w", a.Name, err)
	}
	return out, err
}

// readFile serves the package's files as analyzed (overlays included) and
// its other files from the session.
func (st *pkgState) readFile(cs *checkState, filename string) ([]byte, error) {
	if fs := cs.byName[filename]; fs != nil {
		return fs.content, nil
	}
	for _, list := range [][]string{st.meta.GoFiles, st.meta.OtherFiles, st.meta.IgnoredFiles, st.meta.EmbedFiles} {
		if slices.Contains(list, filename) {
			data, _, err := st.s.content(filename)
			return data, err
		}
	}
	return nil, fmt.Errorf("ReadFile: %s is not a file of package %s", filename, st.path)
}

// Package is a type-checked package at one point in time, for completion
// and hover. Its fields never change; Info returns the type information
// of one file.
type Package struct {
	ID, PkgPath, Name string
	Fset              *token.FileSet
	Types             *types.Package
	TypesSizes        types.Sizes
	Module            *analysis.Module
	Files             []*File
	TypeErrors        []types.Error

	st    *pkgState
	gen   uint64
	files []*fileState
}

// File is one file of a Package.
type File struct {
	Name     string
	Content  []byte
	Syntax   *ast.File
	Tok      *token.File
	ParseErr error
}

// File returns the file named filename, nil when the package lacks it.
func (p *Package) File(filename string) *File {
	for _, f := range p.Files {
		if f.Name == filename {
			return f
		}
	}
	return nil
}

// Info returns the type information of the file named filename: the
// Types, Defs, Uses, Selections… entries of its syntax. It returns nil
// when the package lacks the file, or when that file was re-checked since
// this Package was taken and its information was not computed before
// (Session.Snapshot computes it for the file it was asked about).
func (p *Package) Info(filename string) *types.Info {
	i := slices.IndexFunc(p.files, func(fs *fileState) bool { return fs.name == filename })
	if i < 0 {
		return nil
	}
	fs := p.files[i]
	p.st.mu.Lock()
	defer p.st.mu.Unlock()
	if fs.info != nil {
		return fs.info
	}
	if cs := p.st.cur; cs != nil && cs.byName[filename] == fs {
		return cs.fileInfo(fs)
	}
	return nil
}

func (st *pkgState) packageLocked() *Package {
	if st.snap != nil && st.snap.gen == st.gen {
		return st.snap
	}
	cs := st.cur
	p := &Package{
		ID: st.id, PkgPath: st.path, Name: st.name,
		Fset: st.state.fset, Types: cs.pkg, TypesSizes: st.sizes, Module: st.module,
		TypeErrors: cs.typeErrors(),
		st:         st, gen: st.gen, files: slices.Clone(cs.files),
	}
	for _, fs := range cs.files {
		p.Files = append(p.Files, &File{Name: fs.name, Content: fs.content, Syntax: fs.syntax, Tok: fs.tok, ParseErr: fs.parseErr})
	}
	st.snap = p
	return p
}

// Stats counts the checks done for the package containing filename, for
// tests and benchmarks: full package checks and single-file ones.
func (s *Session) Stats(filename string) (full, incremental int) {
	s.mu.Lock()
	views := s.allViewsLocked()
	s.mu.Unlock()
	for _, v := range views {
		v.mu.Lock()
		state := v.state
		v.mu.Unlock()
		if state == nil {
			continue
		}
		for _, st := range state.byFile[filename] {
			st.mu.Lock()
			full, incremental = full+st.nFull, incremental+st.nIncr
			st.mu.Unlock()
			return full, incremental
		}
	}
	return 0, 0
}

package cache

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"runtime/debug"
	"slices"
	"sort"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
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

// diagnose checks the package against its files' current texts and runs
// the analyzers on that check, once per check: concurrent calls for the
// same check share one run. Analyzers read the check, which never changes,
// without locks; a newer edit cancels the run instead of waiting for it.
func (st *pkgState) diagnose(ctx context.Context) (*Result, error) {
	ctx, done := st.startRun(ctx)
	defer done()
	for {
		c, err := st.check(ctx)
		if err != nil {
			return nil, err
		}
		c.st.mu.Lock()
		f := c.analysis
		mine := f.val == nil && f.err == nil && !c.running
		if mine {
			c.running = true
		}
		c.st.mu.Unlock()
		if !mine {
			res, err := f.wait(ctx)
			if err == nil || ctx.Err() != nil {
				return res, err
			}
			continue // the run it waited for was cancelled
		}
		res, err := st.analyze(ctx, c, c.snapshot())
		c.st.mu.Lock()
		if err != nil {
			// Cancelled: the next caller runs it again, on a new future.
			c.analysis = newFuture[*Result]()
			f.err = err
		} else {
			f.val = res
		}
		c.running = false
		c.st.mu.Unlock()
		close(f.done)
		return res, err
	}
}

func (st *pkgState) snapshot(ctx context.Context) (*Package, error) {
	c, err := st.check(ctx)
	if err != nil {
		return nil, err
	}
	return c.snapshot(), nil
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

// analyze runs the analyzers on the check cs; pkg is its snapshot.
func (st *pkgState) analyze(ctx context.Context, cs *checked, pkg *Package) (*Result, error) {
	start := time.Now()
	files := syntaxOf(cs.files)
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
	if st.splitAnalysis(cs) {
		diags, errs, ok, err := st.analyzeSplit(ctx, cs, files, typeErrs)
		if err != nil {
			return nil, err
		}
		if ok {
			for _, e := range errs {
				res.AnalyzerErrors = append(res.AnalyzerErrors, e)
				st.s.log.Error("analyzer failed", "pkg", st.id, "err", e)
			}
			for _, a := range st.s.opts.Analyzers {
				st.addDiagnostics(cs, byFile, a, diags[a])
			}
			return st.finishResult(ctx, res, start)
		}
	}
	whole := cs.wholeInfo()
	roots := make(map[*analysis.Analyzer]bool)
	for _, a := range st.s.opts.Analyzers {
		roots[a] = true
	}
	// Every analyzer runs as soon as those it requires are done: they
	// read the check, which never changes, and keep no state, so those of
	// one level run in parallel. Their diagnostics are gathered after, in
	// analyzerOrder, so the result does not depend on the schedule.
	type action struct {
		done    chan struct{}
		out     any
		err     error
		skipped bool // a required analyzer failed: err says which
		diags   []analysis.Diagnostic
	}
	order := analyzerOrder(st.s.opts.Analyzers)
	actions := make(map[*analysis.Analyzer]*action, len(order))
	for _, a := range order {
		actions[a] = &action{done: make(chan struct{})}
	}
	for _, a := range order {
		act := actions[a]
		go func() {
			defer close(act.done)
			resultOf := make(map[*analysis.Analyzer]any, len(a.Requires))
			for _, r := range a.Requires {
				req := actions[r]
				<-req.done
				if req.err != nil {
					act.err, act.skipped = fmt.Errorf("analyzer %s skipped: %s failed", a.Name, r.Name), true
					return
				}
				resultOf[r] = req.out
			}
			if err := ctx.Err(); err != nil {
				act.err = err
				return
			}
			pass := st.newPass(a, cs, files, cs.pkg, whole, typeErrs, func(d analysis.Diagnostic) { act.diags = append(act.diags, d) })
			pass.ResultOf = resultOf
			act.out, act.err = runAnalyzer(a, pass)
		}()
	}
	for _, a := range order {
		act := actions[a]
		<-act.done
		if err := ctx.Err(); err != nil {
			continue // wait for every goroutine before returning
		}
		if act.err != nil {
			if !act.skipped {
				res.AnalyzerErrors = append(res.AnalyzerErrors, act.err)
				st.s.log.Error("analyzer failed", "analyzer", a.Name, "pkg", st.id, "err", act.err)
			}
			continue
		}
		if !roots[a] {
			continue
		}
		st.addDiagnostics(cs, byFile, a, act.diags)
	}
	return st.finishResult(ctx, res, start)
}

// addDiagnostics files the diagnostics of analyzer a under their files.
func (st *pkgState) addDiagnostics(cs *checked, byFile map[*fileState]*FileResult, a *analysis.Analyzer, diags []analysis.Diagnostic) {
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

// finishResult sorts each file's diagnostics, unless ctx was cancelled.
func (st *pkgState) finishResult(ctx context.Context, res *Result, start time.Time) (*Result, error) {
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

// newPass returns a pass of analyzer a over files, checked as pkg and
// info, for the check cs.
func (st *pkgState) newPass(a *analysis.Analyzer, cs *checked, files []*ast.File, pkg *types.Package, info *types.Info, typeErrs []types.Error, report func(analysis.Diagnostic)) *analysis.Pass {
	return &analysis.Pass{
		Analyzer:     a,
		Fset:         st.state.fset,
		Files:        files,
		OtherFiles:   st.meta.OtherFiles,
		IgnoredFiles: st.meta.IgnoredFiles,
		Pkg:          pkg,
		TypesInfo:    info,
		TypesSizes:   st.sizes,
		TypeErrors:   typeErrs,
		Module:       st.module,
		Report:       report,
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
func (st *pkgState) readFile(cs *checked, filename string) ([]byte, error) {
	for _, fs := range cs.files {
		if fs.name == filename {
			return fs.content, nil
		}
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
// and hover. It never changes.
type Package struct {
	ID, PkgPath, Name string
	Fset              *token.FileSet
	Types             *types.Package
	// TypesInfo is the type information of every file of the package.
	TypesInfo  *analyzer.TypesInfo
	TypesSizes types.Sizes
	Module     *analysis.Module
	Files      []*File
	TypeErrors []types.Error

	epochs map[string]any // see FileEpoch
}

// FileEpoch returns an identity of filename's type information in p, for
// caches of what is derived from one file. When two Packages of the same
// package return the same non-nil epoch for a file, the file has the same
// syntax tree in both, the same entries in TypesInfo for its nodes, and
// its identifiers denote the same objects, declared by the same syntax:
// anything computed from the file, its Info entries and the declarations
// its identifiers reach is the same in both. Nothing more is promised:
// the package's other files may differ, so what is gathered across files
// (the uses of a variable, duplicate names, which resources use a shared
// list) must be gathered again.
//
// Files checked by the same split check's rest (split.go) share the
// rest's epoch across edits of the one file left out; every other file
// has the epoch of its check alone.
func (p *Package) FileEpoch(filename string) any {
	return p.epochs[filename]
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

// Info returns the type information of the file named filename (that of
// the whole package, which holds the file's), nil when the package lacks
// the file.
func (p *Package) Info(filename string) *analyzer.TypesInfo {
	if p.File(filename) == nil {
		return nil
	}
	return p.TypesInfo
}

// wholeInfo returns the type information of c as one types.Info, for an
// analyzers' run on the whole package: a split check's parts are copied
// into one, which the split analysis (split_analysis.go) never needs.
func (c *checked) wholeInfo() *types.Info {
	if c.rest == nil {
		return c.own
	}
	info := &types.Info{
		Types:        maps.Clone(c.rest.info.Types),
		Defs:         maps.Clone(c.rest.info.Defs),
		Uses:         maps.Clone(c.rest.info.Uses),
		Implicits:    maps.Clone(c.rest.info.Implicits),
		Instances:    maps.Clone(c.rest.info.Instances),
		Scopes:       maps.Clone(c.rest.info.Scopes),
		Selections:   maps.Clone(c.rest.info.Selections),
		FileVersions: maps.Clone(c.rest.info.FileVersions),
	}
	maps.Copy(info.Types, c.own.Types)
	maps.Copy(info.Defs, c.own.Defs)
	maps.Copy(info.Uses, c.own.Uses)
	maps.Copy(info.Implicits, c.own.Implicits)
	maps.Copy(info.Instances, c.own.Instances)
	maps.Copy(info.Scopes, c.own.Scopes)
	maps.Copy(info.Selections, c.own.Selections)
	maps.Copy(info.FileVersions, c.own.FileVersions)
	return info
}

// snapshot returns the Package of c, made once.
func (c *checked) snapshot() *Package {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	if c.snap != nil {
		return c.snap
	}
	st := c.st
	p := &Package{
		ID: st.id, PkgPath: st.path, Name: st.name,
		Fset: st.state.fset, Types: c.pkg, TypesInfo: c.info, TypesSizes: st.sizes, Module: st.module,
		TypeErrors: c.typeErrors(),
	}
	p.epochs = make(map[string]any, len(c.files))
	for _, fs := range c.files {
		p.Files = append(p.Files, &File{Name: fs.name, Content: fs.content, Syntax: fs.syntax, Tok: fs.tok, ParseErr: fs.parseErr})
		p.epochs[fs.name] = c
		if c.rest != nil && fs.name != c.rest.excluded {
			p.epochs[fs.name] = c.rest
		}
	}
	c.snap = p
	return p
}

// typeErrors returns the package's type errors in file order, each file's
// by position, as go/types reported them.
func (c *checked) typeErrors() []types.Error {
	var errs, other []types.Error
	byFile := make(map[*fileState][]types.Error)
	for _, e := range c.errs {
		if fs := fileAt(c.files, e.Pos); fs != nil {
			byFile[fs] = append(byFile[fs], e)
		} else {
			other = append(other, e)
		}
	}
	for _, fs := range c.files {
		fe := byFile[fs]
		sort.SliceStable(fe, func(i, j int) bool { return fe[i].Pos < fe[j].Pos })
		errs = append(errs, fe...)
	}
	return append(errs, other...)
}

// Stats counts the checks done for the package containing filename, for
// tests and benchmarks: every check, and how many of them were split
// checks (split.go).
func (s *Session) Stats(filename string) (checks, split int) {
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
			defer st.mu.Unlock()
			return st.nChecks, st.stats.split
		}
	}
	return 0, 0
}

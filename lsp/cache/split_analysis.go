package cache

import (
	"context"
	"fmt"
	"go/ast"
	"go/types"
	"runtime/debug"
	"slices"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
)

// This file runs the analyzers on a split check (split.go) in the same two
// parts: the rest's files once per rest check, the edited file F on each
// edit. It gives the diagnostics of a whole run because:
//
//   - the Local analyzers (analyzer.Local) report at a file's SDK nodes
//     what those nodes, the file's type information and the declarations
//     its identifiers reach say. The rest's files reach only the rest's
//     declarations (condition 1 of split.go), which the rest's check
//     holds, so their diagnostics are those of the rest's run, kept; F's
//     are those of a run over the whole package whose index holds F's
//     nodes only (analyzer.Index with only);
//   - the other analyzers (TokenUse, Project compare the whole package)
//     run on the whole index, made of the rest's kept FileIndex parts and
//     F's, every time;
//   - a diagnostic both parts report (a problem in a variable of the rest
//     that a node of F reaches too) is reported once, as a whole run's
//     reporter does;
//   - no file has a //tbvet: directive, whose TB001 depends on every
//     diagnostic of its file (analyzer.HasDirectives): with one, the run
//     is whole.
//
// TestSplitMatchesWhole compares the two on random edits.

// restAnalysis is what the rest of a split check gives every run on it.
type restAnalysis struct {
	parts []*analyzer.FileIndex // each rest file's index part, in order
	diags map[*analysis.Analyzer][]analysis.Diagnostic
	errs  []error
}

// splitAnalysis reports whether the analyzers may run on cs in parts.
func (st *pkgState) splitAnalysis(cs *checked) bool {
	if cs.rest == nil {
		return false
	}
	for _, a := range st.s.opts.Analyzers {
		if len(a.Requires) != 1 || !analyzer.IsIndex(a.Requires[0]) {
			return false
		}
		if !analyzer.Local(a) && a != analyzer.TokenUse && a != analyzer.Project {
			return false // an analyzer this file knows nothing of
		}
	}
	for _, fs := range cs.files {
		if analyzer.HasDirectives(fs.syntax) {
			return false
		}
	}
	return true
}

// analyzeSplit runs the analyzers on the split check cs; ok is false when
// they must run whole after all.
func (st *pkgState) analyzeSplit(ctx context.Context, cs *checked, files []*ast.File, typeErrs []types.Error) (diags map[*analysis.Analyzer][]analysis.Diagnostic, errs []error, ok bool, err error) {
	// The analyzers read the index's type information, both parts, not
	// Pass.TypesInfo, which holds F's part only.
	whole := st.newPass(nil, cs, files, cs.pkg, cs.own, typeErrs, nil)
	restPass := st.newPass(nil, cs, syntaxOf(cs.rest.files), cs.rest.pkg, cs.rest.info, cs.rest.errs, nil)
	if analyzer.UsesSDK(whole) != analyzer.UsesSDK(restPass) {
		// F alone imports the SDK: the rest's run indexes nothing, a
		// whole run indexes the rest too (a value of an SDK type reached
		// through another package).
		return nil, nil, false, nil
	}
	rest, err := st.restAnalysis(ctx, cs, restPass)
	if err != nil {
		return nil, nil, false, err
	}
	errs = append(errs, rest.errs...)
	parts := make([]*analyzer.FileIndex, 0, len(cs.files))
	var edited *ast.File
	j := 0
	for _, fs := range cs.files {
		if fs.name != cs.rest.excluded {
			parts = append(parts, rest.parts[j])
			j++
			continue
		}
		edited = fs.syntax
		part, err := indexFile(cs.info, fs.syntax)
		if err != nil {
			return nil, append(errs, err), true, nil
		}
		parts = append(parts, part)
	}
	local := analyzer.Index(whole, cs.info, parts, func(f *ast.File) bool { return f == edited })
	all := analyzer.Index(whole, cs.info, parts, nil)

	diags = make(map[*analysis.Analyzer][]analysis.Diagnostic)
	type run struct {
		a     *analysis.Analyzer
		diags []analysis.Diagnostic
		err   error
	}
	runs := make([]*run, len(st.s.opts.Analyzers))
	var wg sync.WaitGroup
	for i, a := range st.s.opts.Analyzers {
		r := &run{a: a}
		runs[i] = r
		idx := all
		if analyzer.Local(a) {
			idx = local
		}
		wg.Go(func() {
			pass := st.newPass(a, cs, files, cs.pkg, cs.own, typeErrs, func(d analysis.Diagnostic) { r.diags = append(r.diags, d) })
			pass.ResultOf = map[*analysis.Analyzer]any{a.Requires[0]: idx}
			_, r.err = runAnalyzer(a, pass)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, false, err
	}
	for _, r := range runs {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		if !analyzer.Local(r.a) {
			diags[r.a] = r.diags
			continue
		}
		// Once each, as a whole run's reporter reports them.
		type key struct {
			pos, end int
			msg      string
		}
		seen := make(map[key]bool)
		for _, d := range slices.Concat(rest.diags[r.a], r.diags) {
			k := key{int(d.Pos), int(d.End), d.Message}
			if !seen[k] {
				seen[k] = true
				diags[r.a] = append(diags[r.a], d)
			}
		}
	}
	return diags, errs, true, nil
}

// restAnalysis returns the rest's analysis of cs's split check, made once
// per rest check.
func (st *pkgState) restAnalysis(ctx context.Context, cs *checked, pass *analysis.Pass) (*restAnalysis, error) {
	r := cs.rest
	r.mu.Lock()
	ra := r.analysis
	r.mu.Unlock()
	if ra != nil {
		return ra, nil
	}
	ra = &restAnalysis{diags: make(map[*analysis.Analyzer][]analysis.Diagnostic)}
	info := analyzer.NewTypesInfo(pass.TypesInfo)
	for _, f := range pass.Files {
		part, err := indexFile(info, f)
		if err != nil {
			return nil, err
		}
		ra.parts = append(ra.parts, part)
	}
	idx := analyzer.Index(pass, info, ra.parts, nil)
	for _, a := range st.s.opts.Analyzers {
		if !analyzer.Local(a) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := *pass
		p.Analyzer = a
		p.Report = func(d analysis.Diagnostic) { ra.diags[a] = append(ra.diags[a], d) }
		p.ResultOf = map[*analysis.Analyzer]any{a.Requires[0]: idx}
		if _, err := runAnalyzer(a, &p); err != nil {
			ra.errs = append(ra.errs, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.analysis == nil {
		r.analysis = ra
	}
	ra = r.analysis
	r.mu.Unlock()
	return ra, nil
}

// indexFile runs analyzer.IndexFile, turning a panic into an error.
func indexFile(info *analyzer.TypesInfo, f *ast.File) (part *analyzer.FileIndex, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("analyzer index panicked: %v\n%s", r, debug.Stack())
		}
	}()
	return analyzer.IndexFile(info, f), nil
}

package main

import (
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/report"
)

// Exit codes, as x/tools' checker (go/analysis/internal/checker) defines
// them, plus the flag package's 2 for bad flags.
const (
	exitOK          = 0
	exitFailure     = 1
	exitBadFlags    = 2
	exitDiagnostics = 3
)

// enableFlag is an analyzer's -NAME flag: unset, true or false, like x/tools'
// triState, so that "-scope" runs only scope and "-scope=false" all but it.
type enableFlag struct{ set, value bool }

func (f *enableFlag) String() string   { return fmt.Sprint(f.value) }
func (f *enableFlag) IsBoolFlag() bool { return true }
func (f *enableFlag) Set(s string) error {
	switch s {
	case "true", "1":
		f.value = true
	case "false", "0":
		f.value = false
	default:
		return fmt.Errorf("want true or false, got %q", s)
	}
	f.set = true
	return nil
}

// runStandalone is the standalone driver of the fast path: it lists the
// packages with go/packages (without compiling them, see list), takes
// each package's findings from the result cache or else type-checks it in
// process and runs the analyzers with checker.Analyze, and writes the
// findings through package report. It returns the exit code.
//
// With plain set it is `tbvet [flags] packages`: it takes only the flags
// that plainArgs allows and prints go vet's text on stderr, as x/tools'
// checker does, or with -fix applies the fixes (runFixes). Otherwise it is
// -format's driver, printing on stdout.
func runStandalone(args []string, plain bool, stdout, stderr io.Writer, suite []*analysis.Analyzer) int {
	if os.Getenv("GOGC") == "" {
		// A short run that keeps most of what it allocates (syntax and
		// types) until it exits: collecting less often saves about a third
		// of the CPU time after an edit of the 27,000-line schema, for a
		// peak of about 55 MB instead of 45 MB.
		debug.SetGCPercent(400)
	}
	fs := flag.NewFlagSet(progname(), flag.ContinueOnError)
	fs.SetOutput(stderr)
	tests := fs.Bool("test", true, "also check the packages' tests")
	tags := fs.String("tags", "", "comma-separated build tags")
	var formatName, baseDir *string
	incompatible := map[string]*bool{}
	var fix, diff *bool
	if plain {
		fix = fs.Bool("fix", false, "apply all suggested fixes")
		diff = fs.Bool("diff", false, "with -fix, don't update the files, but print a unified diff")
	} else {
		formatName = fs.String("format", "text", "output format: text, json, sarif or github")
		baseDir = fs.String("basedir", "", "directory that file names are made relative to (default $GITHUB_WORKSPACE, else the working directory)")
		// The x/tools flags that have no meaning here are refused rather
		// than ignored, so that nobody believes -fix ran.
		for _, name := range []string{"json", "fix", "diff"} {
			incompatible[name] = fs.Bool(name, false, "not with -format: run without -format")
		}
	}
	enabled := make(map[*analysis.Analyzer]*enableFlag)
	for _, a := range suite {
		f := new(enableFlag)
		enabled[a] = f
		fs.Var(f, a.Name, fmt.Sprintf("enable %q analysis", a.Name))
		a.Flags.VisitAll(func(af *flag.Flag) { fs.Var(af.Value, a.Name+"."+af.Name, af.Usage) })
	}
	if err := fs.Parse(args); err != nil {
		return exitBadFlags
	}
	format := report.Text
	if !plain {
		var err error
		if format, err = report.ParseFormat(*formatName); err != nil {
			fmt.Fprintf(stderr, "%s: -format: %v\n", progname(), err)
			return exitBadFlags
		}
		for name, set := range incompatible {
			if *set {
				fmt.Fprintf(stderr, "%s: -%s cannot be combined with -format: run `%s -%s ./...` on its own\n", progname(), name, progname(), name)
				return exitBadFlags
			}
		}
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "%s: no packages to check: pass package patterns, e.g. %s -format=%s ./...\n", progname(), progname(), format)
		return exitFailure
	}
	analyzers := selectAnalyzers(suite, enabled)
	base := ""
	if !plain {
		base = *baseDir
		if base == "" {
			base = os.Getenv("GITHUB_WORKSPACE")
		}
	}
	if base == "" {
		var err error
		if base, err = os.Getwd(); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
			return exitFailure
		}
	}
	if needFacts(analyzers) {
		// Facts need every dependency analyzed from source; tbvet's
		// analyzers have none. Say so rather than be silently wrong.
		fmt.Fprintf(stderr, "%s: an analyzer uses facts, which this driver does not support: run with -json to use x/tools' driver\n", progname())
		return exitFailure
	}
	var buildFlags []string
	if *tags != "" {
		buildFlags = []string{"-tags=" + *tags}
	}

	roots, err := list(fs.Args(), *tests, buildFlags)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return exitFailure
	}
	if len(roots) == 0 {
		fmt.Fprintf(stderr, "%s: %s matched no packages\n", progname(), strings.Join(fs.Args(), " "))
		return exitFailure
	}
	if plain && *fix {
		return runFixes(roots, analyzers, buildFlags, *diff, stdout, stderr)
	}
	diags, code := findings(roots, analyzers, buildFlags, stderr)
	write := report.Write
	if format == report.Text {
		write = goVetText // until tbvet adopts report's text format
	}
	if err := write(stdoutOr(plain, stdout, stderr), format, diags, report.Options{BaseDir: base, ToolName: "tbvet", ToolVersion: moduleVersion()}); err != nil {
		fmt.Fprintf(stderr, "%s: writing %s: %v\n", progname(), format, err)
		return exitFailure
	}
	if len(diags) > 0 && code == exitOK && (format == report.Text || format == report.GitHub) {
		code = exitDiagnostics
	}
	return code
}

// stdoutOr returns where the findings go: stderr in the plain mode, as
// x/tools' checker and go vet print them, else stdout.
func stdoutOr(plain bool, stdout, stderr io.Writer) io.Writer {
	if plain {
		return stderr
	}
	return stdout
}

// openKeyedCache opens the result cache and the keyer of roots' entries.
// Both are nil when the cache is off or the keys cannot be computed, which
// only costs speed.
func openKeyedCache(roots []*packages.Package, analyzers []*analysis.Analyzer, buildFlags []string, stderr io.Writer) (*resultCache, *keyer) {
	cache := openCache(stderr)
	if cache == nil {
		return nil, nil
	}
	keys, err := newKeyer(analyzers, buildFlags, roots)
	if err != nil {
		cache.logf("off: %v", err)
		return nil, nil
	}
	return cache, keys
}

// findings returns the findings of analyzers on roots, without the
// duplicates that a package and its test variant report for the same file,
// and exitFailure when a package did not load or type-check or an analyzer
// failed (after printing why to stderr), else exitOK.
//
// A root whose findings the result cache holds is neither parsed nor
// type-checked, unless a root that missed imports it; the others are
// type-checked, analyzed, and their findings stored.
func findings(roots []*packages.Package, analyzers []*analysis.Analyzer, buildFlags []string, stderr io.Writer) ([]report.Diagnostic, int) {
	code := exitOK
	cache, keys := openKeyedCache(roots, analyzers, buildFlags, stderr)
	byRoot := make(map[*packages.Package][]report.Diagnostic)
	rootKeys := make(map[*packages.Package]cacheKey)
	var misses []*packages.Package
	for _, p := range roots {
		if cache != nil {
			if key, ok := keys.key(p); ok {
				if diags, hit := cache.get(key); hit {
					byRoot[p] = diags
					continue
				}
				rootKeys[p] = key
			}
		}
		misses = append(misses, p)
	}

	if len(misses) > 0 {
		if _, err := check(roots, misses, buildFlags, cache, keys); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
			return nil, exitFailure
		}
	}
	// Like x/tools: print package errors, keep going, and exit at least 1.
	packages.Visit(roots, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			code = exitFailure
		}
	})
	if len(misses) > 0 {
		graph, err := checker.Analyze(analyzers, misses, nil)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
			return nil, exitFailure
		}
		failed := collect(graph, byRoot, stderr)
		for _, p := range misses {
			if key, ok := rootKeys[p]; ok && !failed[p] && len(p.Errors) == 0 {
				cache.put(key, byRoot[p])
			}
			if failed[p] {
				code = exitFailure
			}
		}
	}
	cache.finish()

	type dedupKey struct {
		file       string
		start, end int
		message    string
	}
	seen := make(map[dedupKey]bool)
	var diags []report.Diagnostic
	for _, p := range roots {
		for _, d := range byRoot[p] {
			k := dedupKey{d.File, d.Start.Offset, d.End.Offset, d.Message}
			if !seen[k] {
				seen[k] = true
				diags = append(diags, d)
			}
		}
	}
	return diags, code
}

// selectAnalyzers applies the -NAME flags as x/tools does: when any is true,
// only those run; otherwise those set false are skipped.
func selectAnalyzers(suite []*analysis.Analyzer, enabled map[*analysis.Analyzer]*enableFlag) []*analysis.Analyzer {
	var only, all []*analysis.Analyzer
	for _, a := range suite {
		f := enabled[a]
		if f.set && f.value {
			only = append(only, a)
		}
		if !f.set || f.value {
			all = append(all, a)
		}
	}
	if len(only) > 0 {
		return only
	}
	return all
}

// collect adds the root actions' diagnostics, converted, to byRoot. It
// prints analyzer failures to stderr and returns the packages that had
// any. An analyzer skipped because its package has errors is not a
// failure of its own: the errors were printed already.
func collect(graph *checker.Graph, byRoot map[*packages.Package][]report.Diagnostic, stderr io.Writer) map[*packages.Package]bool {
	converters := make(map[*token.FileSet]*report.Converter)
	failed := make(map[*packages.Package]bool)
	for _, act := range graph.Roots {
		if act.Err != nil {
			failed[act.Package] = true
			if !act.Package.IllTyped || act.Analyzer.RunDespiteErrors {
				fmt.Fprintf(stderr, "%s: %s: %v\n", progname(), act, act.Err)
			}
			continue
		}
		fset := act.Package.Fset
		conv, ok := converters[fset]
		if !ok {
			conv = report.NewConverter(fset, nil)
			converters[fset] = conv
		}
		for _, d := range act.Diagnostics {
			byRoot[act.Package] = append(byRoot[act.Package], conv.Convert(act.Analyzer.Name, d))
		}
	}
	return failed
}

// needFacts reports whether an analyzer, or one it requires, uses facts,
// which needs the dependencies loaded from source.
func needFacts(analyzers []*analysis.Analyzer) bool {
	seen := make(map[*analysis.Analyzer]bool)
	var visit func([]*analysis.Analyzer) bool
	visit = func(as []*analysis.Analyzer) bool {
		for _, a := range as {
			if seen[a] {
				continue
			}
			seen[a] = true
			if len(a.FactTypes) > 0 || visit(a.Requires) {
				return true
			}
		}
		return false
	}
	return visit(analyzers)
}

// runFixes is -fix [-diff]: it type-checks and analyzes every root, without
// the result cache (which holds findings, not the fixes with positions in
// the current text), and applies the fixes as x/tools' checker does (see
// applyFixes). Like x/tools, it prints package errors and exits 1 for them
// but still applies the fixes, prints no findings, and exits 0 when every
// fix applied, else 1.
//
// It does use the cache's other part, where the dependencies' export data
// lies, keyed by their files' content: no position comes from it.
func runFixes(roots []*packages.Package, analyzers []*analysis.Analyzer, buildFlags []string, printDiff bool, stdout, stderr io.Writer) int {
	cache, keys := openKeyedCache(roots, analyzers, buildFlags, stderr)
	_, err := check(roots, roots, buildFlags, cache, keys)
	cache.finish()
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return exitFailure
	}
	code := exitOK
	packages.Visit(roots, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			code = exitFailure
		}
	})
	graph, err := checker.Analyze(analyzers, roots, nil)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return exitFailure
	}
	if err := applyFixes(graph.Roots, printDiff, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return exitFailure
	}
	return code
}

// goVetText writes go vet's "file:line:col: message" lines.
func goVetText(w io.Writer, _ report.Format, diags []report.Diagnostic, opts report.Options) error {
	diags = slices.Clone(diags)
	report.Sort(diags)
	var b strings.Builder
	for _, d := range diags {
		file := d.File
		if rel, err := filepath.Rel(opts.BaseDir, file); err == nil && filepath.IsLocal(rel) {
			file = filepath.ToSlash(rel)
		}
		fmt.Fprintf(&b, "%s:%d:%d: %s %s\n", file, d.Start.Line, d.Start.Column, d.Code, d.BareMessage())
	}
	_, err := io.WriteString(w, b.String())
	return err
}

package main

import (
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
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

// runFormat is the standalone driver behind -format: it loads the packages
// with go/packages, runs the analyzers with checker.Analyze and writes the
// findings through package report. It returns the exit code.
func runFormat(args []string, stdout, stderr io.Writer, suite []*analysis.Analyzer) int {
	fs := flag.NewFlagSet(progname(), flag.ContinueOnError)
	fs.SetOutput(stderr)
	formatName := fs.String("format", "text", "output format: text, json, sarif or github")
	tests := fs.Bool("test", true, "also check the packages' tests")
	tags := fs.String("tags", "", "comma-separated build tags")
	baseDir := fs.String("basedir", "", "directory that file names are made relative to (default $GITHUB_WORKSPACE, else the working directory)")
	// The x/tools flags that have no meaning here are refused rather than
	// ignored, so that nobody believes -fix ran.
	incompatible := map[string]*bool{}
	for _, name := range []string{"json", "fix", "diff"} {
		incompatible[name] = fs.Bool(name, false, "not with -format: run without -format")
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
	format, err := report.ParseFormat(*formatName)
	if err != nil {
		fmt.Fprintf(stderr, "%s: -format: %v\n", progname(), err)
		return exitBadFlags
	}
	for name, set := range incompatible {
		if *set {
			fmt.Fprintf(stderr, "%s: -%s cannot be combined with -format: run `%s -%s ./...` on its own\n", progname(), name, progname(), name)
			return exitBadFlags
		}
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "%s: no packages to check: pass package patterns, e.g. %s -format=%s ./...\n", progname(), progname(), format)
		return exitFailure
	}
	analyzers := selectAnalyzers(suite, enabled)
	if *baseDir == "" {
		*baseDir = os.Getenv("GITHUB_WORKSPACE")
	}
	if *baseDir == "" {
		if *baseDir, err = os.Getwd(); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
			return exitFailure
		}
	}

	if needFacts(analyzers) {
		// Facts need every dependency analyzed from source; tbvet's
		// analyzers have none. Say so rather than be silently wrong.
		fmt.Fprintf(stderr, "%s: an analyzer uses facts, which -format does not support\n", progname())
		return exitFailure
	}
	var buildFlags []string
	if *tags != "" {
		buildFlags = []string{"-tags=" + *tags}
	}
	pkgs, err := load(fs.Args(), *tests, buildFlags)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return exitFailure
	}
	if len(pkgs) == 0 {
		fmt.Fprintf(stderr, "%s: %s matched no packages\n", progname(), strings.Join(fs.Args(), " "))
		return exitFailure
	}
	code := exitOK
	// Like x/tools: print package errors, keep going, and exit at least 1.
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			code = exitFailure
		}
	})
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return exitFailure
	}
	diags, failed := collect(graph, stderr)
	if failed {
		code = exitFailure
	}
	if err := report.Write(stdout, format, diags, report.Options{BaseDir: *baseDir, ToolName: "tbvet", ToolVersion: moduleVersion()}); err != nil {
		fmt.Fprintf(stderr, "%s: writing %s: %v\n", progname(), format, err)
		return exitFailure
	}
	if len(diags) > 0 && code == exitOK && (format == report.Text || format == report.GitHub) {
		code = exitDiagnostics
	}
	return code
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

// collect returns the root actions' diagnostics, converted and without the
// duplicates that a package and its test variant report for the same file.
// It prints analyzer failures to stderr and reports whether there were any.
func collect(graph *checker.Graph, stderr io.Writer) ([]report.Diagnostic, bool) {
	type key struct {
		file       string
		start, end int
		message    string
	}
	seen := make(map[key]bool)
	converters := make(map[*token.FileSet]*report.Converter)
	var diags []report.Diagnostic
	failed := false
	for _, act := range graph.Roots {
		if act.Err != nil {
			fmt.Fprintf(stderr, "%s: %s: %v\n", progname(), act, act.Err)
			failed = true
			continue
		}
		fset := act.Package.Fset
		conv, ok := converters[fset]
		if !ok {
			conv = report.NewConverter(fset, nil)
			converters[fset] = conv
		}
		for _, d := range act.Diagnostics {
			rd := conv.Convert(act.Analyzer.Name, d)
			k := key{rd.File, rd.Start.Offset, rd.End.Offset, rd.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			diags = append(diags, rd)
		}
	}
	return diags, failed
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

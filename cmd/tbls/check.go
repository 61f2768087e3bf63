package main

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/lsp"
	"github.com/tbls-dev/tbls/report"
)

// check is `tbls check`: it checks datafiles with the datafile checker and
// Go packages with analyzer.Suite, and writes the findings with package
// report, as tbvet -format does.
func check(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tbls check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	formatName := fs.String("format", "text", "output `format`: text, json, sarif or github")
	baseDir := fs.String("basedir", "", "directory that file names are made relative to (default $GITHUB_WORKSPACE, else the working directory)")
	tests := fs.Bool("test", true, "also check the Go packages' tests")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: tbls check [-format=text|json|sarif|github] [targets…]

Targets are datafiles (.datasource, .pipe, .incl, .connection), directories
and Go package patterns (./..., example.com/schema). The default is ./...

A directory, with or without /..., is searched for datafiles in it and every
directory below it; vendor, node_modules, testdata and hidden directories
(.git, .diff_tmp) are skipped, directories starting with _ are not. A
directory holding Go files is checked as a Go package; dir/... checks every
Go package below dir. A target holding nothing to check is an error.

Text output ends with a count of what was checked, on stderr.

Exit status: 0 nothing found, 1 something could not be checked (a missing
path, a target with nothing to check, a package that does not load),
2 usage error, 3 findings reported.

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	format, err := report.ParseFormat(*formatName)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: -format: %v\n", err)
		return exitUsage
	}
	if *baseDir == "" {
		*baseDir = os.Getenv("GITHUB_WORKSPACE")
	}
	if *baseDir == "" {
		if *baseDir, err = os.Getwd(); err != nil {
			fmt.Fprintf(stderr, "tbls check: %v\n", err)
			return exitFailure
		}
	}
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"./..."}
	}

	failed := false
	datafiles, patterns, err := classify(targets, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		failed = true
	}
	var diags []report.Diagnostic
	checked := 0
	for _, path := range datafiles {
		src, err := readDatafile(path)
		if err != nil {
			fmt.Fprintf(stderr, "tbls check: %v\n", err)
			failed = true
			continue
		}
		checked++
		diags = append(diags, datafileDiagnostics(path, src)...)
	}
	var goPackages int
	if len(patterns) > 0 {
		gd, n, ok := checkGo(patterns, *tests, stderr)
		diags = append(diags, gd...)
		goPackages = n
		failed = failed || !ok
	}
	if err := report.Write(stdout, format, diags, report.Options{BaseDir: *baseDir, ToolName: "tbls", ToolVersion: version()}); err != nil {
		fmt.Fprintf(stderr, "tbls check: writing %s: %v\n", format, err)
		return exitFailure
	}
	if format == report.Text || format == report.GitHub {
		fmt.Fprintf(stderr, "tbls check: %s, %s checked: %s\n",
			plural(checked, "datafile"), plural(goPackages, "Go package"), plural(len(diags), "finding"))
	}
	switch {
	case failed:
		return exitFailure
	case len(diags) > 0:
		return exitFindings
	}
	return exitOK
}

// plural returns "1 thing" or "n things".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// classify splits targets into datafiles to read and Go package patterns.
// A directory is walked for datafiles (see walk), and is a Go package
// pattern too when it holds Go files; dir/... is the same, but a pattern
// for the Go packages below dir. A target with nothing to check is an
// error, so that a mistyped path never passes silently.
func classify(targets []string, stderr io.Writer) (datafiles, patterns []string, err error) {
	var errs []error
	for _, t := range targets {
		dir, tree := strings.CutSuffix(t, "/...")
		if dir == "" {
			dir = "."
		}
		info, statErr := os.Stat(dir)
		switch {
		case statErr == nil && !info.IsDir():
			if isDatafile(dir) {
				datafiles = append(datafiles, dir)
			} else if strings.HasSuffix(dir, ".go") {
				patterns = append(patterns, dir)
			} else {
				errs = append(errs, fmt.Errorf("%s is neither a datafile (%s) nor a Go file", t, strings.Join(datafileExts, ", ")))
			}
		case statErr == nil:
			r, err := walk(dir, tree)
			if err != nil {
				errs = append(errs, err)
			}
			for _, s := range r.skipped {
				fmt.Fprintf(stderr, "tbls check: skipping %s: not a regular file\n", s)
			}
			datafiles = append(datafiles, r.datafiles...)
			if r.hasGo {
				patterns = append(patterns, goPattern(t))
			}
			if err == nil && len(r.datafiles) == 0 && !r.hasGo {
				errs = append(errs, fmt.Errorf("%s: %w: no datafiles (%s) or Go packages in it or below it (%s)",
					t, errNothing, strings.Join(datafileExts, ", "), skippedDirs))
			}
		case tree || strings.HasPrefix(t, ".") || filepath.IsAbs(t):
			errs = append(errs, fmt.Errorf("%s: no such file or directory", dir))
		default:
			patterns = append(patterns, t) // an import path pattern
		}
	}
	return datafiles, patterns, errors.Join(errs...)
}

// goPattern turns a directory target into a pattern the go command reads
// as a directory rather than an import path.
func goPattern(t string) string {
	if filepath.IsAbs(t) || t == "." || strings.HasPrefix(t, "./") || strings.HasPrefix(t, "../") {
		return t
	}
	return "./" + t
}

// datafileDiagnostics checks one datafile.
func datafileDiagnostics(path string, src []byte) []report.Diagnostic {
	m := lsp.NewMapper(src, lsp.UTF16)
	pos := func(off int) report.Position {
		p, err := m.OffsetPosition(off)
		if err != nil {
			return report.Position{Offset: -1}
		}
		return report.Position{Line: int(p.Line) + 1, Column: int(p.Character) + 1, Offset: off}
	}
	var out []report.Diagnostic
	for _, d := range datafile.Check(path, src) {
		rd := report.Diagnostic{
			File: path, Start: pos(d.Start), End: pos(d.End),
			Code: d.Code, Analyzer: report.AnalyzerDatafile, Severity: d.Severity, Message: d.Message,
		}
		for _, f := range d.Fixes {
			fix := report.Fix{Message: f.Message}
			for _, e := range f.Edits {
				fix.Edits = append(fix.Edits, report.Edit{File: path, Start: pos(e.Start), End: pos(e.End), NewText: e.NewText})
			}
			rd.Fixes = append(rd.Fixes, fix)
		}
		out = append(out, rd)
	}
	return out
}

// checkGo loads the packages matching patterns and runs analyzer.Suite on
// them. It reports false when a package could not be loaded or analyzed.
func checkGo(patterns []string, tests bool, stderr io.Writer) ([]report.Diagnostic, int, bool) {
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule, Tests: tests}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: loading %s: %v\n", strings.Join(patterns, " "), err)
		return nil, 0, false
	}
	// Count packages as the go command names them, not their test variants.
	count := 0
	for _, p := range pkgs {
		if p.ForTest == "" && !strings.HasSuffix(p.ID, ".test") {
			count++
		}
	}
	ok := true
	if count == 0 {
		fmt.Fprintf(stderr, "tbls check: %s: %v: the pattern matched no Go packages\n", strings.Join(patterns, " "), errNothing)
		ok = false
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			ok = false
		}
	})
	graph, err := checker.Analyze(analyzer.Suite, pkgs, nil)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		return nil, count, false
	}
	type key struct {
		file       string
		start, end int
		message    string
	}
	seen := map[key]bool{}
	converters := map[*token.FileSet]*report.Converter{}
	var diags []report.Diagnostic
	for _, act := range graph.Roots {
		if act.Err != nil {
			fmt.Fprintf(stderr, "tbls check: %s: %v\n", act, act.Err)
			ok = false
			continue
		}
		conv := converters[act.Package.Fset]
		if conv == nil {
			conv = report.NewConverter(act.Package.Fset, nil)
			converters[act.Package.Fset] = conv
		}
		for _, d := range act.Diagnostics {
			rd := conv.Convert(act.Analyzer.Name, d)
			// A package and its test variant report the same finding.
			k := key{rd.File, rd.Start.Offset, rd.End.Offset, rd.Message}
			if !seen[k] {
				seen[k] = true
				diags = append(diags, rd)
			}
		}
	}
	return diags, count, ok
}

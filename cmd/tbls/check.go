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
	"github.com/tbls-dev/tbls/checkconfig"
	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/lsp"
	"github.com/tbls-dev/tbls/report"
)

// check is `tbls check`: it checks datafiles with the datafile checker and
// Go packages with analyzer.Suite, keeps the findings that the -checks flag
// and the tbls.conf files of their directories enable, and writes them with
// package report, with tbvet's exit statuses.
func check(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("tbls check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	formatName := fs.String("format", "text", "output `format`: text, json, sarif or github")
	baseDir := fs.String("basedir", "", "directory that file names are made relative to (default $GITHUB_WORKSPACE, else the working directory)")
	tests := fs.Bool("test", true, "also check the Go packages' tests")
	checks := fs.String("checks", "", "comma-separated `patterns` of the checks to run, over the tbls.conf files (all, -TB302, TB2*, scope)")
	failList := fs.String("fail", "", "comma-separated `patterns` of the checks whose findings fail the run, over the tbls.conf files")
	fs.Usage = func() {
		fmt.Fprint(stderr, `usage: tbls check [-format=F] [-checks=LIST] [-fail=LIST] [targets…]

Targets are datafiles (.datasource, .pipe, .incl, .connection), directories
and Go package patterns (./..., example.com/schema). The default is ./...

A directory, with or without /..., is searched for datafiles in it and every
directory below it; vendor, node_modules, testdata and hidden directories
(.git, .diff_tmp) are skipped, directories starting with _ are not. A
directory holding Go files is checked as a Go package; dir/... checks every
Go package below dir. A target holding nothing to check is an error.

Which checks run and which fail the run come from the tbls.conf files found
walking up from each datafile's or package's directory, then -checks and
-fail (staticcheck's syntax: all, none, -TB302, TB2*, analyzer names).

Text output ends with a count of what was checked, on stderr; json and sarif
carry it as fields.

Exit status: 0 nothing failing found, 1 something could not be checked (a
missing path, a target with nothing to check, a file that is not a regular
file, a package that does not load), 2 bad flags or configuration,
3 failing findings reported.

`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return report.ExitOK
		}
		return report.ExitUsage
	}
	format, err := report.ParseFormat(*formatName)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: -format: %v\n", err)
		return report.ExitUsage
	}
	loader, err := checkconfig.NewLoader(*checks, *failList)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		return report.ExitUsage
	}
	if *baseDir == "" {
		*baseDir = os.Getenv("GITHUB_WORKSPACE")
	}
	if *baseDir == "" {
		if *baseDir, err = os.Getwd(); err != nil {
			fmt.Fprintf(stderr, "tbls check: %v\n", err)
			return report.ExitFailure
		}
	}
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"./..."}
	}

	// A broken tbls.conf is a usage error even where it would filter
	// nothing, so that it is fixed before it matters.
	for _, t := range targets {
		if err := checkConfigFiles(loader, t); err != nil {
			fmt.Fprintf(stderr, "tbls check: %v\n", err)
			return report.ExitUsage
		}
	}

	failed := false
	c, err := classify(targets)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		failed = true
	}
	var diags []report.Diagnostic
	var checked report.Checked
	for _, path := range c.datafiles {
		src, err := safeio.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "tbls check: %v; skipped\n", err)
			failed = true
			continue
		}
		checked.Datafiles++
		diags = append(diags, datafileDiagnostics(path, src)...)
	}
	for _, path := range c.specialGo {
		fmt.Fprintf(stderr, "tbls check: %s: %v; skipped\n", path, safeio.ErrNotRegular)
		failed = true
	}
	if len(c.patterns) > 0 {
		gd, n, ok := checkGo(c.patterns, c.specialGo, *tests, stderr)
		diags = append(diags, gd...)
		checked.GoPackages = n
		failed = failed || !ok
	}
	diags = append(diags, referenceDiagnostics(targets, c.datafiles, stderr)...)
	diags, failing, err := loader.Filter(diags)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		return report.ExitUsage
	}
	opts := report.Options{BaseDir: *baseDir, ToolName: "tbls", ToolVersion: version(), Checked: checked}
	if err := report.Write(stdout, format, diags, opts); err != nil {
		fmt.Fprintf(stderr, "tbls check: writing %s: %v\n", format, err)
		return report.ExitFailure
	}
	if format == report.Text || format == report.GitHub {
		report.WriteSummary(stderr, "tbls check", checked, diags, failing)
	}
	return report.ExitCode(failed, failing)
}

// checkConfigFiles reads the tbls.conf files that apply to target: those
// in the directories above it and, for a directory, those below it.
func checkConfigFiles(loader *checkconfig.Loader, target string) error {
	dir, _ := strings.CutSuffix(target, "/...")
	if dir == "" {
		dir = "."
	}
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		return nil // not a path: an import path pattern, or missing (classify says so)
	case info.IsDir():
		if _, err := loader.Dir(dir); err != nil {
			return err
		}
		return loader.CheckTree(dir)
	}
	_, err = loader.Dir(filepath.Dir(dir))
	return err
}

// classified is what the targets of tbls check name.
type classified struct {
	datafiles []string // to read; some may turn out not to be regular files
	patterns  []string // Go package patterns
	// specialGo lists the Go files of the directories walked that are not
	// regular files, which go list must not read.
	specialGo []string
}

// classify splits targets into datafiles to read and Go package patterns.
// A directory is walked for datafiles (see walk), and is a Go package
// pattern too when it holds Go files; dir/... is the same, but a pattern
// for the Go packages below dir. A target with nothing to check is an
// error, so that a mistyped path never passes silently.
func classify(targets []string) (classified, error) {
	var c classified
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
				c.datafiles = append(c.datafiles, dir)
			} else if strings.HasSuffix(dir, ".go") {
				c.patterns = append(c.patterns, dir)
			} else {
				errs = append(errs, fmt.Errorf("%s is neither a datafile (%s) nor a Go file", t, strings.Join(datafileExts, ", ")))
			}
		case statErr == nil:
			r, err := walk(dir, tree)
			if err != nil {
				errs = append(errs, err)
			}
			c.datafiles = append(c.datafiles, r.datafiles...)
			c.specialGo = append(c.specialGo, r.specialGo...)
			if r.hasGo {
				c.patterns = append(c.patterns, goPattern(t))
			}
			if err == nil && len(r.datafiles) == 0 && !r.hasGo {
				errs = append(errs, fmt.Errorf("%s: %w: no datafiles (%s) or Go packages in it or below it (%s)",
					t, errNothing, strings.Join(datafileExts, ", "), skippedDirs))
			}
		case tree || strings.HasPrefix(t, ".") || filepath.IsAbs(t):
			errs = append(errs, fmt.Errorf("%s: no such file or directory", dir))
		default:
			c.patterns = append(c.patterns, t) // an import path pattern
		}
	}
	return c, errors.Join(errs...)
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
	// INCLUDE is resolved from disk, through safeio as the walker reads.
	for _, d := range datafile.CheckWith(path, src, datafile.Options{ReadFile: safeio.ReadFile}) {
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
// them, and returns the findings and the number of packages checked. It
// reports false when a package could not be loaded or analyzed. The special
// files are given to go list as a text that is not Go, so that it does not
// read them (reading a FIFO blocks) and reports them invalid.
func checkGo(patterns, special []string, tests bool, stderr io.Writer) ([]report.Diagnostic, int, bool) {
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule, Tests: tests}
	for _, path := range special {
		if cfg.Overlay == nil {
			cfg.Overlay = make(map[string][]byte)
		}
		if abs, err := filepath.Abs(path); err == nil {
			cfg.Overlay[abs] = []byte("tbls: not a regular file, skipped\n")
		}
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: loading %s: %v\n", strings.Join(patterns, " "), err)
		return nil, 0, false
	}
	// Count packages as report.Checked does: a package with its tests
	// once, its external test package (package x_test) once more; not the
	// test variants and test mains go list adds.
	count := 0
	for _, p := range pkgs {
		if p.ForTest == "" && !strings.HasSuffix(p.ID, ".test") || p.ForTest != "" && strings.HasSuffix(p.PkgPath, "_test") {
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

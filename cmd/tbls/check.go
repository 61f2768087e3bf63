package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/checkconfig"
	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/govet"
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
	tests := fs.Bool("test", true, "report findings in the Go packages' _test.go files (go vet always analyzes the tests)")
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
			} else if strings.HasSuffix(dir, ".go") && !info.Mode().IsRegular() {
				c.specialGo = append(c.specialGo, dir) // the go command would block reading a FIFO
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

// positions returns the conversion of byte offsets in src to report's
// positions (1-based lines, UTF-16 columns), through the language server's
// Mapper; an offset outside src has Offset -1.
func positions(src []byte) func(off int) report.Position {
	m := lsp.NewMapper(src, lsp.UTF16)
	return func(off int) report.Position {
		p, err := m.OffsetPosition(off)
		if err != nil {
			return report.Position{Offset: -1}
		}
		return report.Position{Line: int(p.Line) + 1, Column: int(p.Character) + 1, Offset: off}
	}
}

// datafileDiagnostics checks one datafile.
func datafileDiagnostics(path string, src []byte) []report.Diagnostic {
	pos := positions(src)
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

// checkGo runs analyzer.Suite on the packages matching patterns on go
// vet's engine, as tbvet does: `go vet -vettool=<this executable> -json`
// (package govet), so that tbls check, tbvet and go vet share the go
// command's package loading and its cache of vet results. It returns the
// findings and the number of packages go vet checked (a package with its
// tests once, its external test package once more), and reports false
// when a package did not build or an analyzer failed. go vet always
// analyzes the tests: without tests, the findings in _test.go files are
// dropped.
//
// The special files (Go files that are not regular files) are replaced,
// through go vet's -overlay, by a file that build constraints exclude, so
// that the go command never reads them (reading a FIFO blocks) and checks
// their packages without them; check reports them skipped.
func checkGo(patterns, special []string, tests bool, stderr io.Writer) ([]report.Diagnostic, int, bool) {
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: finding its own executable for go vet -vettool: %v\n", err)
		return nil, 0, false
	}
	var flags []string
	if len(special) > 0 {
		overlay, err := writeOverlay(special)
		if err != nil {
			fmt.Fprintf(stderr, "tbls check: %v\n", err)
			return nil, 0, false
		}
		defer os.RemoveAll(filepath.Dir(overlay))
		flags = append(flags, "-overlay="+overlay)
	}
	res, err := govet.Run(context.Background(), govet.Options{VetTool: self, Flags: flags}, patterns)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		return nil, 0, false
	}
	stderr.Write(res.Stderr) // build errors, as the go command prints them
	ok := !res.Failed()
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "tbls check: %v\n", e)
	}
	for _, p := range res.NoMatch {
		fmt.Fprintf(stderr, "tbls check: %s: %v: the pattern matched no Go packages\n", p, errNothing)
	}
	if res.Packages == 0 && ok {
		fmt.Fprintf(stderr, "tbls check: %s: %v: the pattern matched no Go packages\n", strings.Join(patterns, " "), errNothing)
		ok = false
	}
	var diags []report.Diagnostic
	for _, f := range res.Findings {
		if tests || !strings.HasSuffix(f.File, "_test.go") {
			diags = append(diags, f.Diagnostic)
		}
	}
	return diags, res.Packages, ok
}

// skippedGoFile is what the go command reads in place of a Go file that
// is not a regular file: a file its build constraint leaves out.
const skippedGoFile = "// tbls check: not a regular file, skipped.\n\n//go:build ignore\n\npackage ignore\n"

// writeOverlay writes a go command -overlay file replacing each of the
// special files by skippedGoFile, in a new temporary directory, and
// returns its path.
func writeOverlay(special []string) (string, error) {
	dir, err := os.MkdirTemp("", "tbls-check-overlay")
	if err != nil {
		return "", fmt.Errorf("writing the overlay that skips the Go files that are not regular files: %v", err)
	}
	skipped := filepath.Join(dir, "skipped.go")
	replace := make(map[string]string)
	for _, path := range special {
		abs, err := filepath.Abs(path)
		if err != nil {
			os.RemoveAll(dir)
			return "", fmt.Errorf("%s: %v", path, err)
		}
		replace[abs] = skipped
	}
	data, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err == nil {
		err = os.WriteFile(skipped, []byte(skippedGoFile), 0o644)
	}
	overlay := filepath.Join(dir, "overlay.json")
	if err == nil {
		err = os.WriteFile(overlay, data, 0o644)
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("writing the overlay that skips the Go files that are not regular files: %v", err)
	}
	return overlay, nil
}

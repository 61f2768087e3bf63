package main

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
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

Targets are .datasource and .pipe files, directories (searched for datafiles,
and checked as Go packages when they hold Go files; dir/... for the tree), and
Go package patterns (./..., example.com/schema). The default is ./...

Exit status: 0 nothing found, 1 findings reported, 2 usage error,
3 something could not be checked (a missing path, a package that does not load).

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
			return exitError
		}
	}
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"./..."}
	}

	failed := false
	datafiles, patterns, special, err := classify(targets)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		failed = true
	}
	var diags []report.Diagnostic
	for _, path := range datafiles {
		src, err := safeio.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "tbls check: %v; skipped\n", err)
			failed = true
			continue
		}
		diags = append(diags, datafileDiagnostics(path, src)...)
	}
	for _, path := range special {
		fmt.Fprintf(stderr, "tbls check: %s: %v; skipped\n", path, safeio.ErrNotRegular)
		failed = true
	}
	if len(patterns) > 0 {
		gd, ok := checkGo(patterns, special, *tests, stderr)
		diags = append(diags, gd...)
		failed = failed || !ok
	}
	if err := report.Write(stdout, format, diags, report.Options{BaseDir: *baseDir, ToolName: "tbls", ToolVersion: version()}); err != nil {
		fmt.Fprintf(stderr, "tbls check: writing %s: %v\n", format, err)
		return exitError
	}
	switch {
	case failed:
		return exitError
	case len(diags) > 0:
		return exitFindings
	}
	return exitOK
}

// classify splits targets into datafiles to read and Go package patterns;
// special lists the Go files of the directories walked that are not regular
// files, which go list must not read.
func classify(targets []string) (datafiles, patterns, special []string, err error) {
	var errs []error
	for _, t := range targets {
		dir, recursive := strings.CutSuffix(t, "/...")
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
				errs = append(errs, fmt.Errorf("%s is neither a datafile (.datasource, .pipe) nor a Go file", t))
			}
		case statErr == nil:
			found, hasGo, sp, err := walk(dir, recursive)
			if err != nil {
				errs = append(errs, err)
			}
			datafiles = append(datafiles, found...)
			special = append(special, sp...)
			if hasGo {
				patterns = append(patterns, goPattern(t))
			}
		case recursive || strings.HasPrefix(t, ".") || filepath.IsAbs(t):
			errs = append(errs, fmt.Errorf("%s: no such file or directory", dir))
		default:
			patterns = append(patterns, t) // an import path pattern
		}
	}
	return datafiles, patterns, special, errors.Join(errs...)
}

// goPattern turns a directory target into a pattern the go command reads
// as a directory rather than an import path.
func goPattern(t string) string {
	if filepath.IsAbs(t) || t == "." || strings.HasPrefix(t, "./") || strings.HasPrefix(t, "../") {
		return t
	}
	return "./" + t
}

func isDatafile(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".datasource" || ext == ".pipe"
}

// walk finds the datafiles in dir (and below it when recursive), skipping
// hidden directories, vendor, node_modules and testdata as the go command
// does, and reports whether it saw a Go file, and which Go files are not
// regular files.
func walk(dir string, recursive bool) (datafiles []string, hasGo bool, special []string, err error) {
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == dir {
				return nil
			}
			name := d.Name()
			if !recursive || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
				name == "vendor" || name == "node_modules" || name == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case isDatafile(path):
			datafiles = append(datafiles, path)
		case strings.HasSuffix(path, ".go"):
			hasGo = true
			if !d.Type().IsRegular() && !safeio.IsRegular(path) {
				special = append(special, path)
			}
		}
		return nil
	})
	return datafiles, hasGo, special, err
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
// The special files are given to go list as a text that is not Go, so that
// it does not read them (reading a FIFO blocks) and reports them invalid.
func checkGo(patterns, special []string, tests bool, stderr io.Writer) ([]report.Diagnostic, bool) {
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
		return nil, false
	}
	ok := true
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			fmt.Fprintln(stderr, e)
			ok = false
		}
	})
	graph, err := checker.Analyze(analyzer.Suite, pkgs, nil)
	if err != nil {
		fmt.Fprintf(stderr, "tbls check: %v\n", err)
		return nil, false
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
	return diags, ok
}

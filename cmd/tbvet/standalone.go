package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/checkconfig"
	"github.com/tbls-dev/tbls/internal/govet"
	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/report"
)

// options are the standalone mode's flags.
type options struct {
	format     string
	json       bool
	fix, diff  bool
	context    int
	tags       string
	tests      bool
	checks     string
	fail       string
	baseDir    string
	vetFlags   []string // the analyzers' flags, for go vet
	patterns   []string
	formatSet  bool
	contextSet bool
}

// parseFlags parses the standalone mode's arguments. The analyzers' own
// switches (-NAME, -NAME=false, -NAME.FLAG=…) pass through to go vet,
// which hands them to the unitchecker.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet(progname(), flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.format, "format", "", "print findings as `text|json|sarif|github` on stdout (default: text on stderr)")
	fs.BoolVar(&o.json, "json", false, "print go vet's JSON tree (exit 0 with findings, as go vet -json)")
	fs.BoolVar(&o.fix, "fix", false, "apply each finding's first fix (go vet -fix)")
	fs.BoolVar(&o.diff, "diff", false, "with -fix, print the fixes as a unified diff instead of applying them")
	fs.IntVar(&o.context, "c", -1, "show `N` lines of context around each finding")
	fs.StringVar(&o.tags, "tags", "", "comma-separated build `tags`")
	fs.BoolVar(&o.tests, "test", true, "report findings in _test.go files (go vet always analyzes them)")
	fs.StringVar(&o.checks, "checks", "", "`patterns` of the checks to run, over tbls.conf (e.g. all,-TB302)")
	fs.StringVar(&o.fail, "fail", "", "`patterns` of the checks whose findings fail the run (e.g. none, all,-TB206)")
	fs.StringVar(&o.baseDir, "basedir", "", "`dir` file names are made relative to (default $GITHUB_WORKSPACE, else the working directory)")
	for _, a := range analyzer.Suite {
		fs.Var(&passFlag{o: o, name: a.Name, isBool: true}, a.Name, "run only "+a.Name+" (-"+a.Name+"=false: skip it)")
		a.Flags.VisitAll(func(f *flag.Flag) {
			_, isBool := f.Value.(interface{ IsBoolFlag() bool })
			fs.Var(&passFlag{o: o, name: a.Name + "." + f.Name, isBool: isBool}, a.Name+"."+f.Name, f.Usage)
		})
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s [flags] packages (%s help: the checks and flags)\n", progname(), progname())
	}
	if err := fs.Parse(args); err != nil {
		return nil, errPrinted{err} // the flag package printed it, with the usage
	}
	fs.Visit(func(f *flag.Flag) {
		o.formatSet = o.formatSet || f.Name == "format"
		o.contextSet = o.contextSet || f.Name == "c"
	})
	o.patterns = fs.Args()
	switch {
	case len(o.patterns) == 0:
		return nil, fmt.Errorf("no packages to check: give package patterns (./... for the module)")
	case o.diff && !o.fix:
		return nil, fmt.Errorf("-diff prints the fixes of -fix: use -fix -diff")
	case o.fix && (o.formatSet || o.json || o.contextSet):
		return nil, fmt.Errorf("-fix cannot be combined with -format, -json or -c")
	case o.json && o.formatSet:
		return nil, fmt.Errorf("-json is go vet's JSON tree and -format=json report's: choose one")
	case o.contextSet && (o.json || (o.formatSet && o.format != string(report.Text))):
		return nil, fmt.Errorf("-c adds context to text output only")
	}
	if o.formatSet {
		if _, err := report.ParseFormat(o.format); err != nil {
			return nil, fmt.Errorf("-format: %v", err)
		}
	}
	return o, nil
}

// errPrinted is an error that has been printed already.
type errPrinted struct{ error }

func (e errPrinted) Unwrap() error { return e.error }

// passFlag records an analyzer flag to pass to go vet.
type passFlag struct {
	o      *options
	name   string
	isBool bool
	value  string
}

func (f *passFlag) String() string   { return f.value }
func (f *passFlag) IsBoolFlag() bool { return f.isBool }
func (f *passFlag) Set(v string) error {
	if f.isBool {
		if _, err := strconv.ParseBool(v); err != nil {
			return err
		}
	}
	f.value = v
	f.o.vetFlags = append(f.o.vetFlags, "-"+f.name+"="+v)
	return nil
}

// standalone runs `tbvet [flags] packages` and returns the exit status.
func standalone(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return report.ExitOK
		}
		if _, printed := err.(errPrinted); !printed {
			fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		}
		return report.ExitUsage
	}
	loader, err := checkconfig.NewLoader(o.checks, o.fail)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return report.ExitUsage
	}
	if err := checkConfigFiles(loader, o.patterns); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return report.ExitUsage
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "%s: finding its own executable for go vet -vettool: %v\n", progname(), err)
		return report.ExitFailure
	}
	vetFlags := o.vetFlags
	if o.tags != "" {
		vetFlags = append([]string{"-tags=" + o.tags}, vetFlags...)
	}
	ctx := context.Background()
	res, err := govet.Run(ctx, govet.Options{VetTool: self, Flags: vetFlags}, o.patterns)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return report.ExitFailure
	}
	stderr.Write(res.Stderr) // build errors, as the go command prints them
	failed := res.Failed()
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), e)
	}
	for _, p := range res.NoMatch {
		fmt.Fprintf(stderr, "%s: %s matches no Go package: there is nothing to check there\n", progname(), p)
	}
	if res.Packages == 0 && !failed {
		// go vet itself fails on this ("no packages to vet"); be sure.
		fmt.Fprintf(stderr, "%s: %s matched no Go packages: nothing was checked\n", progname(), strings.Join(o.patterns, " "))
		failed = true
	}

	var findings []govet.Finding
	for _, f := range res.Findings {
		if o.tests || !strings.HasSuffix(f.File, "_test.go") {
			findings = append(findings, f)
		}
	}
	kept, failing, err := filter(loader, findings)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progname(), err)
		return report.ExitUsage
	}
	if o.fix {
		return runFix(ctx, self, vetFlags, o, res, kept, stdout, stderr)
	}

	checked := report.Checked{GoPackages: res.Packages}
	diags := make([]report.Diagnostic, len(kept))
	for i, f := range kept {
		diags[i] = f.Diagnostic
	}
	if o.json {
		if err := writeTree(stdout, kept, res.Errors); err != nil {
			fmt.Fprintf(stderr, "%s: writing JSON: %v\n", progname(), err)
			return report.ExitFailure
		}
		report.WriteSummary(stderr, progname(), checked, diags, failing)
		// go vet -json's status: findings are data.
		return report.ExitCode(failed, 0)
	}
	format, out := report.Text, stderr // tbvet ./...: like go vet, on stderr
	if o.formatSet {
		format, _ = report.ParseFormat(o.format)
		out = stdout
	}
	opts := report.Options{BaseDir: baseDir(o.baseDir), ToolName: "tbvet", ToolVersion: moduleVersion(), Checked: checked}
	if o.contextSet && o.context >= 0 {
		err = writeTextWithContext(out, diags, opts, o.context)
	} else {
		err = report.Write(out, format, diags, opts)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: writing %s: %v\n", progname(), format, err)
		return report.ExitFailure
	}
	if format == report.Text || format == report.GitHub {
		report.WriteSummary(stderr, progname(), checked, diags, failing)
	}
	return report.ExitCode(failed, failing)
}

// checkConfigFiles reads the configuration of the working directory and
// every tbls.conf under the directories the patterns name, so that a
// broken file is an error even where there is nothing to filter.
func checkConfigFiles(loader *checkconfig.Loader, patterns []string) error {
	if _, err := loader.Dir("."); err != nil {
		return err
	}
	for _, p := range patterns {
		dir, tree := strings.CutSuffix(p, "/...")
		if p == "..." {
			dir, tree = ".", true
		}
		info, err := os.Stat(dir)
		if err != nil || !info.IsDir() {
			continue // an import path, or a file: go vet says what is wrong with it
		}
		if tree {
			err = loader.CheckTree(dir)
		} else {
			_, err = loader.Dir(dir)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// filter keeps the findings their directories' configurations enable, and
// counts those that fail the run.
func filter(loader *checkconfig.Loader, findings []govet.Finding) (kept []govet.Finding, failing int, err error) {
	for _, f := range findings {
		enabled, fails, err := loader.Decide(f.File, f.Code)
		if err != nil {
			return nil, 0, err
		}
		if !enabled {
			continue
		}
		kept = append(kept, f)
		if fails {
			failing++
		}
	}
	return kept, failing, nil
}

// baseDir returns the directory file names are made relative to.
func baseDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if ws := os.Getenv("GITHUB_WORKSPACE"); ws != "" {
		return ws
	}
	wd, _ := os.Getwd() // "" on error: names stay absolute
	return wd
}

// writeTree prints go vet's JSON tree, package → analyzer → diagnostics
// (or {"error": …}), as one object: go vet prints one per package, which
// is not one JSON document.
func writeTree(w io.Writer, findings []govet.Finding, errs []govet.AnalyzerError) error {
	tree := make(map[string]map[string]any)
	add := func(pkg, name string) map[string]any {
		if tree[pkg] == nil {
			tree[pkg] = make(map[string]any)
		}
		return tree[pkg]
	}
	for _, f := range findings {
		m := add(f.Package, f.Analyzer)
		list, _ := m[f.Analyzer].([]json.RawMessage)
		m[f.Analyzer] = append(list, f.Raw)
	}
	for _, e := range errs {
		add(e.Package, e.Analyzer)[e.Analyzer] = map[string]string{"error": e.Err}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}

// writeTextWithContext writes the text format with n lines of the file
// around each finding, as go vet -c=N does.
func writeTextWithContext(w io.Writer, diags []report.Diagnostic, opts report.Options, n int) error {
	report.Sort(diags)
	files := make(map[string][]string)
	for _, d := range diags {
		if err := report.WriteText(w, []report.Diagnostic{d}, opts); err != nil {
			return err
		}
		lines, ok := files[d.File]
		if !ok {
			if src, err := safeio.ReadFile(d.File); err == nil {
				lines = strings.Split(string(src), "\n")
			}
			files[d.File] = lines
		}
		for l := max(d.Start.Line-n, 1); l <= d.End.Line+n && l <= len(lines); l++ {
			if _, err := fmt.Fprintf(w, "%d\t%s\n", l, lines[l-1]); err != nil {
				return err
			}
		}
	}
	return nil
}

// runFix runs go vet -fix (-diff) after a check run whose findings it
// already has: it refuses when a finding the configuration disables
// carries a fix, which go vet -fix would apply all the same.
func runFix(ctx context.Context, self string, vetFlags []string, o *options, res *govet.Result, kept []govet.Finding, stdout, stderr io.Writer) int {
	if res.Failed() {
		fmt.Fprintf(stderr, "%s: not applying fixes: the packages did not check cleanly\n", progname())
		return report.ExitFailure
	}
	keep := make(map[string]bool)
	for _, f := range kept {
		keep[string(f.Raw)] = true
	}
	var blocked []string
	for _, f := range res.Findings {
		if len(f.Fixes) > 0 && !keep[string(f.Raw)] {
			blocked = append(blocked, fmt.Sprintf("%s:%d:%d: %s", f.File, f.Start.Line, f.Start.Column, f.Code))
		}
	}
	if len(blocked) > 0 {
		fmt.Fprintf(stderr, "%s: not applying fixes: go vet -fix would also fix findings that -checks, -test=false or tbls.conf leave out, which it cannot skip one by one:\n\t%s\n"+
			"Skip their whole analyzer (-NAME=false) or fix with them enabled.\n", progname(), strings.Join(blocked, "\n\t"))
		return report.ExitFailure
	}
	args := append([]string{"vet", "-vettool=" + self, "-fix"}, vetFlags...)
	if o.diff {
		args = append(args, "-diff")
	}
	args = append(append(args, "--"), o.patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, stderr
	err := cmd.Run()
	stdout.Write(out.Bytes())
	fixable := 0
	for _, f := range kept {
		if len(f.Fixes) > 0 {
			fixable++
		}
	}
	did := "applied the fixes of"
	if o.diff {
		did = "printed the fixes of"
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		fmt.Fprintf(stderr, "%s: checked %s: %s %s\n", progname(), plural(res.Packages, "Go package"), did, plural(fixable, "finding"))
		return report.ExitOK
	case errors.As(err, &exit) && o.diff && out.Len() > 0:
		// go vet -fix -diff exits 1 when it prints a diff, like diff(1);
		// the check run above built every package, so this is a diff.
		fmt.Fprintf(stderr, "%s: checked %s: %s %s\n", progname(), plural(res.Packages, "Go package"), did, plural(fixable, "finding"))
		return report.ExitFindings
	}
	fmt.Fprintf(stderr, "%s: go vet -fix: %v\n", progname(), err)
	return report.ExitFailure
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

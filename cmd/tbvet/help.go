package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/checkconfig"
	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/rules"
)

// help prints `tbvet help` (an overview) or `tbvet help NAME…` where each
// NAME is an analyzer or a check code. It returns the exit code: 1 for a
// name that is neither, as x/tools' help does.
func help(stdout, stderr io.Writer, suite []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		overview(stdout, suite)
		return report.ExitOK
	}
	for i, name := range names {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if a := findAnalyzer(suite, name); a != nil {
			analyzerHelp(stdout, a)
			continue
		}
		if c, ok := rules.Lookup(rules.Code(strings.ToUpper(name))); ok {
			checkHelp(stdout, c)
			continue
		}
		fmt.Fprintf(stderr, "%s: %q is neither an analyzer nor a check code: run `%s help` for the list\n", progname(), name, progname())
		return report.ExitFailure
	}
	return report.ExitOK
}

func findAnalyzer(suite []*analysis.Analyzer, name string) *analysis.Analyzer {
	for _, a := range suite {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// title returns the first paragraph of an analyzer's Doc.
func title(a *analysis.Analyzer) string {
	t, _, _ := strings.Cut(a.Doc, "\n\n")
	return t
}

func overview(w io.Writer, suite []*analysis.Analyzer) {
	p := progname()
	var formats []string
	for _, f := range report.Formats {
		formats = append(formats, string(f))
	}
	fmt.Fprintf(w, `%[1]s checks Go code that declares Tinybird resources with github.com/tbls-dev/tbls/tinybird.

Usage:
  %[1]s [flags] [packages]                      runs go vet -vettool=%[1]s for you
  tbvet=$(command -v %[1]s) && go vet -vettool="$tbvet" [-NAME=false] [packages]
  %[1]s help [ANALYZER|CODE]...
  %[1]s version

Analyzers and their checks (-NAME runs only the named ones, -NAME=false skips one):
`, p)
	for _, a := range suite {
		fmt.Fprintf(w, "  %-13s %s\n", a.Name, title(a))
		for _, c := range rules.ChecksOf(a.Name) {
			fmt.Fprintf(w, "      %s %-7s %s\n", c.Code, c.Severity, c.Title)
		}
	}
	if c, ok := rules.Lookup(rules.TB001); ok {
		fmt.Fprintf(w, "  directives (reported by the analyzer owning the code they name)\n      %s %-7s %s\n", c.Code, c.Severity, c.Title)
	}
	fmt.Fprintf(w, `
Flags of the standalone mode:
  -format=%[2]s
                print on stdout through tbls' report package: text, a flat JSON
                with what was checked, SARIF 2.1.0 for code scanning, or GitHub
                Actions annotations; without -format, text on stderr
  -checks=LIST  the checks to run, staticcheck's syntax: all, none, inherit,
                codes (TB201), globs (TB2*), analyzer names, -PATTERN removes
                (e.g. -checks=all,-TB302); applies over the %[4]s files
  -fail=LIST    the checks whose findings fail the run (default all; none)
  -json         print go vet's JSON tree (exit 0 even with findings, as go vet)
  -fix          apply every finding's first fix; with -diff, print a diff instead
  -c=N          show N lines of context around each finding
  -test=false   report no finding in _test.go files
  -tags=a,b     build tags
  -basedir=DIR  make file names relative to DIR (default $GITHUB_WORKSPACE, else .)
Run '%[1]s -flags' for the machine-readable list go vet reads.

Configuration: a %[4]s file (TOML: checks = ["inherit", "-TB302"], fail = [...])
in a package's directory or any parent; the nearest overrides the outer ones.

Exit status, in every format: 0 no failing finding; 1 the tool failed (load or
type errors, an analyzer failed, a pattern matched nothing); 2 bad flags or
configuration; 3 at least one failing finding. -json keeps go vet's: 0 with
findings. Under go vet -vettool, go vet exits 1 when %[1]s reports.

Suppress a finding with //tbvet:ignore CODE reason on its line or the line
above, or //tbvet:file-ignore CODE reason for a whole file.
Documentation: %[3]s
`, p, strings.Join(formats, "|"), rules.DocBaseURL, checkconfig.FileName)
}

func analyzerHelp(w io.Writer, a *analysis.Analyzer) {
	fmt.Fprintf(w, "%s: %s\n", a.Name, title(a))
	// The rest of Doc lists the checks, which follow in full.
	var flags []string
	a.Flags.VisitAll(func(f *flag.Flag) {
		flags = append(flags, fmt.Sprintf("  -%s.%s=%s\n      %s\n", a.Name, f.Name, f.DefValue, f.Usage))
	})
	if len(flags) > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", strings.Join(flags, ""))
	}
	for _, c := range rules.ChecksOf(a.Name) {
		fmt.Fprintln(w)
		checkHelp(w, c)
	}
	if a.URL != "" {
		fmt.Fprintf(w, "\nDocumentation: %s\n", a.URL)
	}
}

func checkHelp(w io.Writer, c rules.Check) {
	owner := c.Analyzer
	if owner == "" {
		owner = "the analyzer owning the named code"
	}
	fmt.Fprintf(w, "%s (%s, %s): %s\n\n", c.Code, c.Severity, owner, c.Title)
	fmt.Fprintf(w, "%s\n", wrap(c.Doc, 76, "  "))
	if c.Bad != "" {
		fmt.Fprintf(w, "\n  Flagged:\n%s\n", indent(c.Bad, "    "))
	}
	if c.Good != "" {
		fmt.Fprintf(w, "\n  Fixed:\n%s\n", indent(c.Good, "    "))
	}
	fmt.Fprintf(w, "\n  %s\n", c.URL())
}

// wrap fills text into lines of at most width columns, each starting with
// prefix.
func wrap(text string, width int, prefix string) string {
	var b strings.Builder
	line := prefix
	for _, word := range strings.Fields(text) {
		if len(line) > len(prefix) && len(line)+1+len(word) > width {
			b.WriteString(line + "\n")
			line = prefix
		}
		if len(line) > len(prefix) {
			line += " "
		}
		line += word
	}
	b.WriteString(line)
	return b.String()
}

func indent(text, prefix string) string {
	return prefix + strings.ReplaceAll(text, "\n", "\n"+prefix)
}

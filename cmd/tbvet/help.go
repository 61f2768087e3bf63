package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/rules"
)

// help prints `tbvet help` (an overview) or `tbvet help NAME…` where each
// NAME is an analyzer or a check code. It returns the exit code: 1 for a
// name that is neither, as x/tools' help does.
func help(stdout, stderr io.Writer, suite []*analysis.Analyzer, names []string) int {
	if len(names) == 0 {
		overview(stdout, suite)
		return exitOK
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
		return exitFailure
	}
	return exitOK
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
  go vet -vettool=$(command -v %[1]s) [-NAME=false] [packages]
  %[1]s [flags] [packages]
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
                print through tbls' report package: SARIF 2.1.0 for code scanning,
                GitHub Actions annotations, or a flat JSON; without -format the
                output is go vet's text on stderr
  -json         print x/tools' JSON tree (exit 0 even with findings)
  -fix          apply every suggested fix; with -diff, print a diff instead
  -c=N          show N lines of context around each finding
  -test=false   skip the packages' tests
  -tags=a,b     build tags
Run '%[1]s -flags' for the machine-readable list go vet reads.

Findings are cached per package in the user cache directory: an unchanged
package is not type-checked again. TBVET_CACHE=off turns the cache off,
TBVET_CACHE=/abs/dir moves it, TBVET_CACHE_DEBUG=1 prints hits and misses.

Exit codes: 0 no findings; 1 the tool failed (load or type errors, an analyzer
failed); 2 bad flags; 3 findings (text and github output; -json, -format=json
and -format=sarif exit 0). go vet exits 1 when %[1]s reports.

Suppress a finding with //tbvet:ignore CODE reason on its line or the line
above, or //tbvet:file-ignore CODE reason for a whole file.
Documentation: %[3]s
`, p, strings.Join(formats, "|"), rules.DocBaseURL)
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

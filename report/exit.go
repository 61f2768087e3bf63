package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// The exit statuses of every command-line front end, in every output
// format. They are documented once, in the README's "Exit status".
const (
	// ExitOK: the run checked something and no finding fails it (there may
	// be findings that -fail leaves out, such as with -fail=none).
	ExitOK = 0
	// ExitFailure: the tool failed: a package did not load or type-check,
	// an analyzer returned an error, a file could not be read or written,
	// or a target held nothing to check.
	ExitFailure = 1
	// ExitUsage: bad flags, arguments or configuration.
	ExitUsage = 2
	// ExitFindings: at least one finding fails the run.
	ExitFindings = 3
)

// ExitCode returns the exit status of a run that failed as a tool or not,
// and reported failing findings that fail it.
func ExitCode(failed bool, failing int) int {
	switch {
	case failed:
		return ExitFailure
	case failing > 0:
		return ExitFindings
	}
	return ExitOK
}

// WriteSummary writes the line that says what a run checked and found,
// for stderr in text mode:
//
//	tbvet: checked 3 Go packages and 2 datafiles: 2 errors, 1 warning (3 failing)
//
// Kinds that the tool does not check (zero of them) are left out unless
// nothing was checked at all. failing counts the findings that fail the
// run; it is shown when it differs from the number of findings.
func WriteSummary(w io.Writer, tool string, checked Checked, diags []Diagnostic, failing int) error {
	var what []string
	if checked.GoPackages > 0 || checked.Datafiles == 0 {
		what = append(what, Plural(checked.GoPackages, "Go package"))
	}
	if checked.Datafiles > 0 {
		what = append(what, Plural(checked.Datafiles, "datafile"))
	}
	errs, warns := 0, 0
	for _, d := range diags {
		if d.Level() == rules.Error {
			errs++
		} else {
			warns++
		}
	}
	found := "no findings"
	if errs+warns > 0 {
		var parts []string
		if errs > 0 {
			parts = append(parts, Plural(errs, "error"))
		}
		if warns > 0 {
			parts = append(parts, Plural(warns, "warning"))
		}
		found = strings.Join(parts, ", ")
		if failing != errs+warns {
			found += fmt.Sprintf(" (%d failing)", failing)
		}
	}
	_, err := fmt.Fprintf(w, "%s: checked %s: %s\n", tool, strings.Join(what, " and "), found)
	return err
}

// Plural returns n and noun, with an s unless n is 1: "1 datafile",
// "2 datafiles".
func Plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Package report turns findings into output. It is the one place that
// formats diagnostics, shared by tbvet's -format flag and `tbls check`, so
// that a finding reads the same everywhere.
//
// # Positions
//
// Lines and columns are 1-based. Columns count UTF-16 code units, the unit of
// LSP and SARIF's default columnKind (utf16CodeUnits), so one Diagnostic
// serves an editor, a SARIF upload and a GitHub annotation without
// conversion. On ASCII lines this equals go vet's byte columns; on lines with
// other characters it is smaller. An End equal to Start is an empty range
// (a point). Offsets are 0-based byte offsets into the file, as x/tools
// reports them, for tools that apply fixes.
//
// # Formats
//
//   - text: "file:line:col: severity: message (CODE)", one a line, the
//     shape of gcc's and clang's diagnostics, which editors' error formats
//     (Vim's, Emacs' compilation mode, VS Code's problem matchers) read
//     with the severity. Continuation lines of a multi-line message start
//     with a tab.
//   - json: {"version":2,"checked":{…},"diagnostics":[…]}, the schema of
//     Diagnostic's JSON tags below. It is not x/tools' -json tree (package →
//     analyzer → diagnostics), which tbvet -json still prints; this one is
//     flat, carries severity, code and URL, and is the same for Go and
//     datafile findings.
//   - sarif: SARIF 2.1.0 with one run, the checks of rules as the tool's
//     rules, file URIs relative to %SRCROOT% (Options.BaseDir), and what was
//     checked in the run's properties.
//   - github: GitHub Actions workflow commands (::error / ::warning) that
//     become annotations on the pull request.
//
// Every writer sorts the diagnostics by file, position and code first, so
// the output does not depend on the order analyzers ran in. No format
// repeats the check code inside the message: analyzers' messages start with
// it (go vet prints them that way), and the writers take it off.
//
// # Exit status
//
// Every command-line front end (tbvet standalone, tbls check) exits with
// ExitOK, ExitFailure, ExitUsage or ExitFindings, in every format: findings
// that fail the run (see package checkconfig's -fail) give ExitFindings
// whether they are printed as text, JSON, SARIF or annotations.
package report

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// Position is a place in a file. Line and Column are 1-based; Column counts
// UTF-16 code units. Offset is the 0-based byte offset, or -1 when unknown.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

// Edit replaces the text between Start and End of File with NewText.
type Edit struct {
	File    string   `json:"file"`
	Start   Position `json:"start"`
	End     Position `json:"end"`
	NewText string   `json:"newText"`
}

// Fix is one suggested fix: edits to apply all together.
type Fix struct {
	Message string `json:"message"`
	Edits   []Edit `json:"edits"`
}

// Diagnostic is one finding, from a Go analyzer or the datafile checker.
type Diagnostic struct {
	File     string     `json:"file"` // as found; writers make it relative to Options.BaseDir
	Start    Position   `json:"start"`
	End      Position   `json:"end"`
	Code     rules.Code `json:"code"`
	Analyzer string     `json:"analyzer"` // the analyzer's name, or "datafile"
	// Severity is the check's, from rules.Lookup(Code), when zero.
	Severity rules.Severity `json:"-"`
	Message  string         `json:"message"`
	URL      string         `json:"url,omitempty"` // rules.DocURL(Code) when empty and Code is known
	Fixes    []Fix          `json:"fixes,omitempty"`
}

// AnalyzerDatafile is the Analyzer of findings in .datasource and .pipe
// files.
const AnalyzerDatafile = "datafile"

// Level returns the diagnostic's severity: its own, or else its check's,
// or else Warning for a code rules does not know.
func (d Diagnostic) Level() rules.Severity {
	if d.Severity != 0 {
		return d.Severity
	}
	if c, ok := rules.Lookup(d.Code); ok {
		return c.Severity
	}
	return rules.Warning
}

// DocURL returns the diagnostic's documentation address: its own URL, or
// the check's.
func (d Diagnostic) DocURL() string {
	if d.URL != "" {
		return d.URL
	}
	if _, ok := rules.Lookup(d.Code); ok {
		return rules.DocURL(d.Code)
	}
	return ""
}

// BareMessage returns the message without a leading "CODE " prefix, for
// formats that show the code in a field of its own.
func (d Diagnostic) BareMessage() string {
	if d.Code != "" {
		if m, ok := strings.CutPrefix(d.Message, string(d.Code)+" "); ok {
			return m
		}
	}
	return d.Message
}

// Format is an output format.
type Format string

// The formats.
const (
	Text   Format = "text"
	JSON   Format = "json"
	SARIF  Format = "sarif"
	GitHub Format = "github"
)

// Formats lists every format, for flag help.
var Formats = []Format{Text, JSON, SARIF, GitHub}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use one of text, json, sarif, github", s)
}

// Options configure the writers.
type Options struct {
	// BaseDir is the directory file names are made relative to (the
	// repository root for GitHub and SARIF). Empty means the file names are
	// written as they are.
	BaseDir string
	// ToolName and ToolVersion name the tool in SARIF ("tbvet", a module
	// version); ToolName defaults to "tbvet".
	ToolName    string
	ToolVersion string
	// Checked says what the run checked; the json and sarif formats carry
	// it, so that a run that checked nothing is visible in them too.
	Checked Checked
}

// Checked counts what a run checked.
type Checked struct {
	// GoPackages counts the Go packages analyzed; a package checked with
	// its tests counts once, its external test package (package x_test)
	// once more.
	GoPackages int `json:"goPackages"`
	// Datafiles counts the .datasource and .pipe files checked.
	Datafiles int `json:"datafiles"`
}

// Write writes diags in format f.
func Write(w io.Writer, f Format, diags []Diagnostic, opts Options) error {
	switch f {
	case Text:
		return WriteText(w, diags, opts)
	case JSON:
		return WriteJSON(w, diags, opts)
	case SARIF:
		return WriteSARIF(w, diags, opts)
	case GitHub:
		return WriteGitHub(w, diags, opts)
	}
	return fmt.Errorf("unknown format %q: use one of text, json, sarif, github", f)
}

// Sort orders diags by file, start, end, code and message, in place.
func Sort(diags []Diagnostic) {
	slices.SortStableFunc(diags, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Start.Line, b.Start.Line),
			cmp.Compare(a.Start.Column, b.Start.Column),
			cmp.Compare(a.End.Line, b.End.Line),
			cmp.Compare(a.End.Column, b.End.Column),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

// sorted returns a sorted copy, leaving the caller's slice alone, in which
// a missing End (line 0) is set to Start.
func sorted(diags []Diagnostic) []Diagnostic {
	out := slices.Clone(diags)
	for i := range out {
		if out[i].End.Line == 0 {
			out[i].End = out[i].Start
		}
	}
	Sort(out)
	return out
}

// relPath returns file relative to base, with forward slashes, when file
// lies below base; otherwise file unchanged and false.
func relPath(base, file string) (string, bool) {
	if base == "" {
		return file, false
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return file, false
	}
	absBase, err := filepath.Abs(base)
	if err != nil {
		return file, false
	}
	rel, err := filepath.Rel(absBase, abs)
	if err != nil || !filepath.IsLocal(rel) {
		return file, false
	}
	return filepath.ToSlash(rel), true
}

// WriteText writes one line per diagnostic,
//
//	file:line:col: error: message (TB201)
//
// the shape of gcc's diagnostics, which editors parse with the severity,
// for Go and datafile findings alike. File names below BaseDir are made
// relative to it. The lines of a multi-line message after the first start
// with a tab, so that no error format reads them as findings.
func WriteText(w io.Writer, diags []Diagnostic, opts Options) error {
	var b strings.Builder
	for _, d := range sorted(diags) {
		file, _ := relPath(opts.BaseDir, d.File)
		msg := strings.ReplaceAll(d.BareMessage(), "\n", "\n\t")
		fmt.Fprintf(&b, "%s:%d:%d: %s: %s", file, d.Start.Line, d.Start.Column, d.Level(), msg)
		if d.Code != "" {
			fmt.Fprintf(&b, " (%s)", d.Code)
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

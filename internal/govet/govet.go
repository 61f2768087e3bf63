// Package govet runs `go vet -vettool=TOOL -json` and turns its output into
// report.Diagnostics. It is how tbvet's standalone mode (and any other
// front end that checks Go packages) stands on go vet's engine: the go
// command lists, builds and caches, and the vet tool analyzes one package
// at a time.
//
// go vet -json prints one JSON object per package it vetted on stdout:
//
//	{"pkg/path": {"analyzer": [diagnostic…] | {"error": "…"}}}
//
// or {} for a package without findings, and the go command's own messages
// (build errors, "matched no packages") on stderr. It exits non-zero when a
// package does not build; findings do not change its status.
package govet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"

	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/rules"
)

// Options configure a run of go vet.
type Options struct {
	// VetTool is the vet tool's path (tbvet's own executable, for tbvet).
	VetTool string
	// Dir is the go command's working directory; "" is the current one.
	Dir string
	// Flags go to go vet before the patterns: build flags (-tags=…) and
	// the vet tool's flags (-scope=false, …). -json is added.
	Flags []string
	// Env is added to the environment.
	Env []string
}

// Result is what a run of go vet -json found.
type Result struct {
	// Packages counts the packages vetted: one JSON object each. A package
	// vetted with its test files counts once, its external test package
	// once more.
	Packages int
	// Findings are the diagnostics, in go vet's order, each once (a
	// finding reported by a package and by its test variant is kept once).
	Findings []Finding
	// Errors are the analyzers' errors.
	Errors []AnalyzerError
	// Stderr is the go command's output on stderr: build errors and
	// warnings, to show the user as they are.
	Stderr []byte
	// ExitCode is go vet's exit status: non-zero when a package did not
	// build or the vet tool failed.
	ExitCode int
	// NoMatch lists the patterns the go command warned matched no
	// packages.
	NoMatch []string
}

// Failed reports whether the run failed as a tool: go vet exited non-zero,
// an analyzer returned an error, or a pattern matched no packages.
func (r *Result) Failed() bool {
	return r.ExitCode != 0 || len(r.Errors) > 0 || len(r.NoMatch) > 0
}

// Diagnostics returns the findings' diagnostics.
func (r *Result) Diagnostics() []report.Diagnostic {
	out := make([]report.Diagnostic, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = f.Diagnostic
	}
	return out
}

// AnalyzerError is an error an analyzer returned on a package.
type AnalyzerError struct {
	Package, Analyzer, Err string
}

func (e AnalyzerError) Error() string {
	return e.Package + ": " + e.Analyzer + ": " + e.Err
}

// Finding is one diagnostic of go vet's output.
type Finding struct {
	Package  string          // the package's ID, as go vet's JSON names it
	Analyzer string          // the analyzer's name
	Raw      json.RawMessage // the diagnostic as go vet printed it
	report.Diagnostic
}

// Run runs go vet -vettool=opts.VetTool -json on patterns. The error says
// that go vet could not be started or that its output did not parse; build
// errors and analyzer errors are in the Result.
func Run(ctx context.Context, opts Options, patterns []string) (*Result, error) {
	args := append([]string{"vet", "-vettool=" + opts.VetTool, "-json"}, opts.Flags...)
	args = append(args, "--")
	args = append(args, patterns...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = opts.Dir
	if len(opts.Env) > 0 {
		cmd.Env = append(os.Environ(), opts.Env...)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := &Result{Stderr: stderr.Bytes()}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		res.ExitCode = exit.ExitCode()
	case err != nil:
		return nil, fmt.Errorf("running go vet: %v", err)
	}
	res.NoMatch = noMatch(res.Stderr)
	if err := res.parse(&stdout, newFileCache(opts.Dir)); err != nil {
		return nil, fmt.Errorf("reading go vet -json's output: %v", err)
	}
	return res, nil
}

// noMatch returns the patterns of the go command's `go: warning: "P"
// matched no packages` lines.
func noMatch(stderr []byte) []string {
	var out []string
	for line := range strings.Lines(string(stderr)) {
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "go: warning: ")
		if !ok {
			continue
		}
		if p, ok := strings.CutSuffix(rest, " matched no packages"); ok {
			if q, err := strconv.Unquote(p); err == nil {
				p = q
			}
			out = append(out, p)
		}
	}
	return out
}

// jsonDiagnostic is the part of x/tools' JSONDiagnostic that is read.
type jsonDiagnostic struct {
	Category       string `json:"category"`
	Posn           string `json:"posn"`
	End            string `json:"end"`
	Message        string `json:"message"`
	SuggestedFixes []struct {
		Message string `json:"message"`
		Edits   []struct {
			Filename string `json:"filename"`
			Start    int    `json:"start"`
			End      int    `json:"end"`
			New      string `json:"new"`
		} `json:"edits"`
	} `json:"suggested_fixes"`
}

// parse reads the stream of JSON objects go vet printed.
func (r *Result) parse(stdout io.Reader, files *fileCache) error {
	type key struct {
		file          string
		start, end    int
		code, message string
	}
	seen := make(map[key]bool)
	dec := json.NewDecoder(stdout)
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		r.Packages++
		for _, pkg := range sortedKeys(tree) {
			byAnalyzer := tree[pkg]
			for _, name := range sortedKeys(byAnalyzer) {
				raw := byAnalyzer[name]
				if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
					var e struct {
						Error string `json:"error"`
					}
					if err := json.Unmarshal(raw, &e); err != nil {
						return fmt.Errorf("%s: %s: %v", pkg, name, err)
					}
					r.Errors = append(r.Errors, AnalyzerError{Package: pkg, Analyzer: name, Err: e.Error})
					continue
				}
				var raws []json.RawMessage
				if err := json.Unmarshal(raw, &raws); err != nil {
					return fmt.Errorf("%s: %s: %v", pkg, name, err)
				}
				for _, rd := range raws {
					var jd jsonDiagnostic
					if err := json.Unmarshal(rd, &jd); err != nil {
						return fmt.Errorf("%s: %s: %v", pkg, name, err)
					}
					d, err := convert(name, jd, files)
					if err != nil {
						return fmt.Errorf("%s: %s: %v", pkg, name, err)
					}
					k := key{d.File, d.Start.Offset, d.End.Offset, string(d.Code), d.Message}
					if seen[k] {
						continue
					}
					seen[k] = true
					r.Findings = append(r.Findings, Finding{Package: pkg, Analyzer: name, Raw: rd, Diagnostic: d})
				}
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// convert turns one of go vet's diagnostics into a report.Diagnostic, with
// UTF-16 columns and byte offsets.
func convert(analyzer string, jd jsonDiagnostic, files *fileCache) (report.Diagnostic, error) {
	file, line, col, err := splitPosn(jd.Posn)
	if err != nil {
		return report.Diagnostic{}, err
	}
	d := report.Diagnostic{
		File:     file,
		Start:    files.fromLineCol(file, line, col),
		Code:     codeOf(jd.Category, jd.Message),
		Analyzer: analyzer,
		Message:  jd.Message,
	}
	d.End = d.Start
	if jd.End != "" {
		endFile, endLine, endCol, err := splitPosn(jd.End)
		if err == nil && endFile == file {
			d.End = files.fromLineCol(file, endLine, endCol)
		}
	}
	for _, f := range jd.SuggestedFixes {
		fix := report.Fix{Message: f.Message}
		for _, e := range f.Edits {
			fix.Edits = append(fix.Edits, report.Edit{
				File:    e.Filename,
				Start:   files.fromOffset(e.Filename, e.Start),
				End:     files.fromOffset(e.Filename, e.End),
				NewText: e.New,
			})
		}
		d.Fixes = append(d.Fixes, fix)
	}
	return d, nil
}

// codeOf returns a diagnostic's check code: its category, or else the
// "TBnnn" its message starts with.
func codeOf(category, message string) rules.Code {
	if category != "" {
		return rules.Code(category)
	}
	if word, _, _ := strings.Cut(message, " "); len(word) == 5 && strings.HasPrefix(word, "TB") {
		return rules.Code(word)
	}
	return ""
}

// splitPosn splits go/token's "file:line:col" (the file may hold colons)
// or "file:line".
func splitPosn(posn string) (file string, line, col int, err error) {
	rest, last, _ := cutLast(posn, ":")
	n, lastErr := strconv.Atoi(last)
	head, mid, _ := cutLast(rest, ":")
	m, midErr := strconv.Atoi(mid)
	switch {
	case lastErr == nil && midErr == nil && head != "":
		return head, m, n, nil
	case lastErr == nil && rest != "":
		return rest, n, 1, nil
	}
	return "", 0, 0, fmt.Errorf("position %q is not file:line:col", posn)
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

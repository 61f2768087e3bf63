package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/analyzer"
)

// codes returns the check codes of the finding lines of out, in order.
func codes(out string) []string {
	var got []string
	for line := range strings.Lines(out) {
		// file:line:col: CODE message
		parts := strings.SplitN(line, ": ", 3)
		if len(parts) >= 2 && strings.Count(parts[0], ":") == 2 && strings.HasPrefix(parts[1], "TB") {
			code, _, _ := strings.Cut(parts[1], " ")
			got = append(got, code)
		}
	}
	slices.Sort(got)
	return got
}

// TestPlainOutput pins the in-process driver's output: go vet's text lines,
// relative to the working directory, on stderr, nothing on stdout, exit 3.
func TestPlainOutput(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "./...")
	want := "schema.go:5:36: TB101 Invalid token name: \"app-read\""
	lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if r.code != exitDiagnostics || r.stdout != "" || len(lines) != 2 ||
		!strings.HasPrefix(lines[0], want) || !strings.HasPrefix(lines[1], "schema.go:8:56: TB201 Scope APPEND") {
		t.Errorf("tbvet ./...: want exit 3 and two lines on stderr, the first starting %q\n%s", want, r)
	}
	// The same findings as x/tools' driver, which -c=-1 (its default, no
	// context lines) selects without changing its output.
	x := run(t, dir, tbvetBin, "-c=-1", "./...")
	if x.code != exitDiagnostics || !slices.Equal(codes(x.stderr), codes(r.stderr)) {
		t.Errorf("x/tools' driver and the in-process one disagree:\n%s\n%s", x, r)
	}
	// A pattern by import path: names are still relative to the working
	// directory.
	r = run(t, dir, tbvetBin, "example.com/tbvettest")
	if r.code != exitDiagnostics || !strings.HasPrefix(r.stderr, want) {
		t.Errorf("tbvet example.com/tbvettest: want %q first\n%s", want, r)
	}
}

// TestPlainSwitchesMatchXTools runs every analyzer switch through both
// drivers and wants the same findings and exit code.
func TestPlainSwitchesMatchXTools(t *testing.T) {
	dir := module(t, badSchema)
	for _, flags := range [][]string{
		nil,
		{"-scope=false"},
		{"-tokenname=false"},
		{"-tokenname"},
		{"-scope"},
		{"-tokenname", "-scope"},
		{"-jwt"},
		{"-tokenname=false", "-scope=false"},
		{"-tokenname", "-scope=false"}, // a true switch wins: only tokenname
		{"-test=false", "-scope=false"},
	} {
		args := append(slices.Clone(flags), "./...")
		fast := run(t, dir, tbvetBin, args...)
		slow := run(t, dir, tbvetBin, append([]string{"-c=-1"}, args...)...)
		if fast.code != slow.code || !slices.Equal(codes(fast.stderr), codes(slow.stderr)) {
			t.Errorf("tbvet %v: in-process and x/tools' drivers differ\n%s\n%s", flags, fast, slow)
		}
	}
	r := run(t, dir, tbvetBin, "-scope=maybe", "./...")
	if r.code != exitBadFlags || !strings.Contains(r.stderr, "-scope") {
		t.Errorf("tbvet -scope=maybe: want exit 2 naming the flag\n%s", r)
	}
}

// TestPlainTypeError: a type error is printed and is a failure (exit 1),
// not findings, and the analyzers' skipping is not reported on top.
func TestPlainTypeError(t *testing.T) {
	dir := module(t, badSchema+"\nvar x int = \"s\"\n")
	r := run(t, dir, tbvetBin, "./...")
	if r.code != exitFailure || !strings.Contains(r.stderr, "schema.go:13:13: cannot use \"s\"") || strings.Contains(r.stderr, "skipped") {
		t.Errorf("tbvet ./... with a type error: want exit 1 and the error\n%s", r)
	}
	// x/tools' driver agrees on the exit code.
	if x := run(t, dir, tbvetBin, "-c=-1", "./..."); x.code != exitFailure {
		t.Errorf("x/tools' driver with a type error: want exit 1\n%s", x)
	}
	// A package that does not exist is a failure too.
	if r := run(t, dir, tbvetBin, "./nosuchdir"); r.code != exitFailure || !strings.Contains(r.stderr, "nosuchdir") {
		t.Errorf("tbvet ./nosuchdir: want exit 1 naming it\n%s", r)
	}
}

func TestPlainArgs(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"./..."}, true},
		{[]string{"-scope=false", "-test=false", "./..."}, true},
		{[]string{"--tokenname", "-tags", "a,b", "./x", "./y"}, true},
		{[]string{"-tags=a", "--", "./..."}, true},
		{[]string{"-json", "./..."}, false},
		{[]string{"-fix", "./..."}, true},
		{[]string{"-fix", "-diff", "./..."}, true},
		{[]string{"-fix", "-json", "./..."}, false},
		{[]string{"-fix", "-c=-1", "./..."}, false}, // how the tests reach x/tools' -fix
		{[]string{"-c", "2", "./..."}, false},
		{[]string{"-V=full"}, false},
		{[]string{"-flags"}, false},
		{[]string{"-debug=v", "./..."}, false},
		{[]string{"-v", "./..."}, false},
		{[]string{"/tmp/vet.cfg"}, false},
		{[]string{"-scope=false", "/tmp/vet.cfg"}, false},
		{[]string{"-scope"}, false},
		{nil, false},
		{[]string{"-nosuchflag", "./..."}, false}, // x/tools says what is wrong
	} {
		if got := plainArgs(tc.args, analyzer.Suite); got != tc.want {
			t.Errorf("plainArgs(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// TestPlainCgo: a package using cgo is checked from its own files, with C's
// names left untyped rather than reported, as go list is not asked to run
// cgo.
func TestPlainCgo(t *testing.T) {
	if out, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(out)) != "1" {
		t.Skip("cgo is disabled here, so go list leaves out files that import \"C\"")
	}
	src := "package schema\n\n// #include <stdlib.h>\nimport \"C\"\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar AppRead = tinybird.DefineToken(\"app-read\")\n\nvar _ = C.size_t(0)\n"
	r := run(t, module(t, src), tbvetBin, "./...")
	if r.code != exitDiagnostics || strings.TrimSpace(r.stderr) == "" || !strings.HasPrefix(r.stderr, "schema.go:8:36: TB101 ") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("tbvet ./... on a cgo package: want exactly the TB101 line, exit 3\n%s", r)
	}
}

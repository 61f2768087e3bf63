package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/internal/schemagen"
	"github.com/tbls-dev/tbls/report"
)

// tbvetBin is the tbvet binary built by TestMain.
var tbvetBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tbvet-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	tbvetBin = filepath.Join(dir, "tbvet")
	build := exec.Command("go", "build", "-o", tbvetBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building tbvet: %v\n%s", err, out)
		return 1
	}
	return m.Run()
}

// badSchema has one finding per line marked: TB101 (with one fix) and
// TB201 (an endpoint granted APPEND).
const badSchema = `package schema

import "github.com/tbls-dev/tbls/tinybird"

var AppRead = tinybird.DefineToken("app-read")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{{Token: Reader, Scope: tinybird.Append}},
	Nodes:  []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1 AS one"}},
	Output: tinybird.Schema{tinybird.Col("one", tinybird.UInt8())},
})

var Reader = tinybird.DefineToken("reader")
`

const cleanSchema = `package schema

import "github.com/tbls-dev/tbls/tinybird"

var Reader = tinybird.DefineToken("reader")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{{Token: Reader, Scope: tinybird.Read}},
	Nodes:  []tinybird.Node{{Name: "endpoint", SQL: "SELECT 1 AS one"}},
	Output: tinybird.Schema{tinybird.Col("one", tinybird.UInt8())},
})
`

// module writes a module whose one package holds src as schema.go, built
// against this checkout, and returns its directory.
func module(t *testing.T, src string) string {
	t.Helper()
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := schemagen.WriteModule(dir, "example.com/tbvettest", root); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "schema.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

type result struct {
	stdout, stderr string
	code           int
}

// run runs name with args in dir. GOFLAGS=-mod=mod lets the go command
// record the replaced module's requirements in go.mod; the copied go.sum
// covers them, so nothing is fetched.
//
// runEnv passes other settings.
func run(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	return runEnv(t, nil, dir, name, args...)
}

// runEnv is run with env added to the environment.
func runEnv(t *testing.T, env []string, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GITHUB_WORKSPACE=")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return result{stdout.String(), stderr.String(), code}
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// The findings of badSchema as go vet prints them (the unitchecker's text)
// and as tbvet does (report's text).
var (
	vetTB101 = regexp.MustCompile(`schema\.go:5:36: TB101 .*"app-read"`)
	vetTB201 = regexp.MustCompile(`schema\.go:8:56: TB201 `)
	tb101    = regexp.MustCompile(`(?m)^schema\.go:5:36: error: Invalid token name: "app-read"\..* \(TB101\)$`)
	tb201    = regexp.MustCompile(`(?m)^schema\.go:8:56: error: Scope APPEND is not allowed on an endpoint.* \(TB201\)$`)
	summary  = regexp.MustCompile(`(?m)^tbvet: checked (\d+) Go packages?: `)
)

func TestGoVetVettool(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, "go", "vet", "-vettool="+tbvetBin, "./...")
	if r.code != 1 {
		t.Errorf("go vet -vettool on a bad module: want exit 1\n%s", r)
	}
	if !vetTB101.MatchString(r.stderr) || !vetTB201.MatchString(r.stderr) {
		t.Errorf("go vet -vettool: missing TB101 or TB201 line\n%s", r)
	}

	// -NAME=false passes through go vet to the unitchecker.
	r = run(t, dir, "go", "vet", "-vettool="+tbvetBin, "-scope=false", "./...")
	if r.code != 1 || !vetTB101.MatchString(r.stderr) || strings.Contains(r.stderr, "TB201") {
		t.Errorf("go vet -vettool -scope=false: want TB101 only\n%s", r)
	}

	// -format belongs to the standalone mode: -flags does not declare it,
	// so go vet refuses it instead of running the unitchecker with it.
	r = run(t, dir, "go", "vet", "-vettool="+tbvetBin, "-format=sarif", "./...")
	if r.code == 0 || !strings.Contains(r.stderr, "format") {
		t.Errorf("go vet -vettool -format=sarif: want a refusal naming the flag\n%s", r)
	}
}

func TestGoVetVettoolClean(t *testing.T) {
	r := run(t, module(t, cleanSchema), "go", "vet", "-vettool="+tbvetBin, "./...")
	if r.code != 0 || r.stderr != "" {
		t.Errorf("go vet -vettool on a clean module: want exit 0 and no output\n%s", r)
	}
}

func TestStandaloneText(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "./...")
	if r.code != report.ExitFindings || !tb101.MatchString(r.stderr) || !tb201.MatchString(r.stderr) || r.stdout != "" {
		t.Errorf("tbvet ./...: want exit 3 with TB101 and TB201 on stderr\n%s", r)
	}
	if !strings.HasSuffix(r.stderr, "tbvet: checked 1 Go package: 2 errors\n") {
		t.Errorf("tbvet ./...: want the summary last\n%s", r)
	}
	r = run(t, module(t, cleanSchema), tbvetBin, "./...")
	if r.code != report.ExitOK || r.stderr != "tbvet: checked 1 Go package: no findings\n" {
		t.Errorf("tbvet ./... on a clean module: want exit 0 and only the summary\n%s", r)
	}
}

// vetJSON runs go vet -vettool=tbvet -json in dir and returns its
// findings as "file:line:col: CODE message" (file relative to dir, byte
// columns, as go vet prints them), and its objects merged into one tree.
func vetJSON(t *testing.T, dir string, args ...string) ([]string, map[string]map[string]json.RawMessage) {
	t.Helper()
	r := run(t, dir, "go", append([]string{"vet", "-vettool=" + tbvetBin, "-json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("go vet -json: %s", r)
	}
	tree := make(map[string]map[string]json.RawMessage)
	var got []string
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	for dec.More() {
		var obj map[string]map[string]json.RawMessage
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("go vet -json: %v\n%s", err, r)
		}
		for pkg, byAnalyzer := range obj {
			tree[pkg] = byAnalyzer
			for _, raw := range byAnalyzer {
				var diags []struct{ Category, Posn, Message string }
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("go vet -json: %v\n%s", err, raw)
				}
				for _, d := range diags {
					rel, _ := filepath.Rel(dir, d.Posn)
					got = append(got, rel+": "+d.Message)
				}
			}
		}
	}
	slices.Sort(got)
	return slices.Compact(got), tree
}

// TestMatchesGoVetJSON compares every output of tbvet with go vet
// -vettool=tbvet -json's on the same modules: report's JSON, text and
// SARIF carry the same findings at the same places (columns are UTF-16
// units in report, bytes in go vet: the modules are ASCII), and -json is
// go vet's tree, merged into one document.
func TestMatchesGoVetJSON(t *testing.T) {
	bad := module(t, badSchema)
	loads := moduleWithTests(t)
	examples, err := filepath.Abs("../../examples/badschema")
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{bad, loads, examples} {
		want, tree := vetJSON(t, dir, "./...")
		if len(want) == 0 {
			t.Fatalf("%s: go vet found nothing", dir)
		}
		r := run(t, dir, tbvetBin, "-format=json", "./...")
		var out struct {
			Checked     report.Checked
			Diagnostics []struct {
				File    string
				Start   report.Position
				Code    string
				Message string
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("tbvet -format=json: %v\n%s", err, r)
		}
		var got []string
		for _, d := range out.Diagnostics {
			got = append(got, fmt.Sprintf("%s:%d:%d: %s %s", d.File, d.Start.Line, d.Start.Column, d.Code, d.Message))
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: tbvet -format=json and go vet -json differ:\n%s\n--- go vet\n%s", dir, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if out.Checked.GoPackages != len(tree) && out.Checked.GoPackages < 1 {
			t.Errorf("%s: checked %+v", dir, out.Checked)
		}

		// The text format: the same findings, one a line.
		r = run(t, dir, tbvetBin, "-format=text", "./...")
		if n := strings.Count(r.stdout, "\n"); n != len(want) || r.code != report.ExitFindings {
			t.Errorf("%s: tbvet -format=text: %d lines, want %d, exit 3\n%s", dir, n, len(want), r)
		}

		// -json: go vet's tree, as one document.
		r = run(t, dir, tbvetBin, "-json", "./...")
		var gotTree map[string]map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.stdout), &gotTree); err != nil || r.code != report.ExitOK {
			t.Fatalf("%s: tbvet -json: %v\n%s", dir, err, r)
		}
		if g, w := canonical(t, gotTree), canonical(t, tree); g != w {
			t.Errorf("%s: tbvet -json differs from go vet -json:\n%s\n--- go vet\n%s", dir, g, w)
		}
	}
}

// canonical re-encodes a tree with sorted keys and no indentation.
func canonical(t *testing.T, tree map[string]map[string]json.RawMessage) string {
	t.Helper()
	var v any
	data, err := json.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	data, _ = json.Marshal(v)
	return string(data)
}

func TestFormatSARIF(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "-format=sarif", "./...")
	if r.code != report.ExitFindings {
		t.Fatalf("tbvet -format=sarif: want exit 3 (failing findings, in every format)\n%s", r)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
			Properties struct{ Checked report.Checked }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("SARIF: %v\n%s", err, r)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "tbvet" || len(log.Runs[0].Tool.Driver.Rules) == 0 {
		t.Fatalf("SARIF log header: %+v", log)
	}
	if log.Runs[0].Properties.Checked != (report.Checked{GoPackages: 1}) {
		t.Errorf("SARIF run properties: %+v, want 1 Go package checked", log.Runs[0].Properties)
	}
	var got []string
	for _, res := range log.Runs[0].Results {
		loc := res.Locations[0].PhysicalLocation
		got = append(got, fmt.Sprintf("%s %s %s:%d:%d", res.RuleID, res.Level, loc.ArtifactLocation.URI, loc.Region.StartLine, loc.Region.StartColumn))
		if strings.HasPrefix(res.Message.Text, "TB") {
			t.Errorf("SARIF message repeats the code: %q", res.Message.Text)
		}
	}
	want := []string{"TB101 error schema.go:5:36", "TB201 error schema.go:8:56"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SARIF results:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// -fail=none: findings are reported, the run passes.
	if r := run(t, dir, tbvetBin, "-format=sarif", "-fail=none", "./..."); r.code != report.ExitOK || !strings.Contains(r.stdout, `"ruleId": "TB201"`) {
		t.Errorf("tbvet -format=sarif -fail=none: want exit 0 with the findings\n%s", r)
	}
}

func TestFormatGitHub(t *testing.T) {
	r := run(t, module(t, badSchema), tbvetBin, "-format=github", "./...")
	if r.code != report.ExitFindings {
		t.Errorf("tbvet -format=github: want exit 3\n%s", r)
	}
	want := []*regexp.Regexp{
		regexp.MustCompile(`(?m)^::error file=schema\.go,line=5,col=36,endLine=5,endColumn=46,title=TB101::Invalid token name`),
		regexp.MustCompile(`(?m)^::error file=schema\.go,line=8,col=56,endLine=8,endColumn=71,title=TB201::`),
	}
	for _, re := range want {
		if !re.MatchString(r.stdout) {
			t.Errorf("tbvet -format=github: no line matching %s\n%s", re, r)
		}
	}
	if !summary.MatchString(r.stderr) {
		t.Errorf("tbvet -format=github: no summary on stderr\n%s", r)
	}
}

func TestFormatTextAndJSON(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "-format=text", "./...")
	if r.code != report.ExitFindings || !tb101.MatchString(r.stdout) || !tb201.MatchString(r.stdout) || !summary.MatchString(r.stderr) {
		t.Errorf("tbvet -format=text: want exit 3, TB101 and TB201 on stdout, the summary on stderr\n%s", r)
	}
	// A package and its test variant report the same finding once.
	if n := strings.Count(r.stdout, "TB101"); n != 1 {
		t.Errorf("TB101 printed %d times\n%s", n, r)
	}
	r = run(t, dir, tbvetBin, "-format", "json", "./...")
	var out struct {
		Version     int
		Checked     report.Checked
		Diagnostics []struct{ File, Code, Analyzer, Severity, URL, Message string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != report.ExitFindings {
		t.Fatalf("tbvet -format json: %v\n%s", err, r)
	}
	if out.Version != 2 || out.Checked != (report.Checked{GoPackages: 1}) || len(out.Diagnostics) != 2 || out.Diagnostics[1].Code != "TB201" || out.Diagnostics[1].Analyzer != "scope" || out.Diagnostics[1].Severity != "error" || !strings.HasSuffix(out.Diagnostics[1].URL, "#tb201") || !strings.HasPrefix(out.Diagnostics[1].Message, "Scope APPEND") {
		t.Errorf("tbvet -format json: %+v", out)
	}
}

func TestFix(t *testing.T) {
	// Only TB101 has a single fix here; TB201's two alternatives are
	// exercised by -diff below.
	src := strings.Replace(badSchema, "tinybird.Append", "tinybird.Read", 1)
	dir := module(t, src)
	r := run(t, dir, tbvetBin, "-fix", "./...")
	if r.code != report.ExitOK || !strings.HasSuffix(r.stderr, "tbvet: checked 1 Go package: applied the fixes of 1 finding\n") {
		t.Fatalf("tbvet -fix: want exit 0 and what it did\n%s", r)
	}
	got, err := os.ReadFile(filepath.Join(dir, "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(src, `"app-read"`, `"app_read"`, 1); string(got) != want {
		t.Errorf("after -fix schema.go is\n%s\nwant\n%s", got, want)
	}
	if r := run(t, dir, tbvetBin, "./..."); r.code != report.ExitOK {
		t.Errorf("tbvet after -fix: want no findings\n%s", r)
	}
}

func TestDiff(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "-fix", "-diff", "./...")
	if r.code != report.ExitFindings ||
		!strings.Contains(r.stdout, `-var AppRead = tinybird.DefineToken("app-read")`) ||
		!strings.Contains(r.stdout, `+var AppRead = tinybird.DefineToken("app_read")`) ||
		!strings.Contains(r.stdout, "+\tTokens: []tinybird.TokenAccess{{Token: Reader, Scope: tinybird.Read}},") {
		t.Errorf("tbvet -fix -diff: want the rename and the first TB201 fix, exit 3\n%s", r)
	}
	// The same diff as go vet's own.
	vet := run(t, dir, "go", "vet", "-vettool="+tbvetBin, "-fix", "-diff", "./...")
	if vet.stdout != r.stdout {
		t.Errorf("tbvet -fix -diff and go vet -fix -diff differ:\n%s\n--- go vet\n%s", r.stdout, vet.stdout)
	}
	got, err := os.ReadFile(filepath.Join(dir, "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != badSchema {
		t.Errorf("-diff changed the file:\n%s", got)
	}
	// A finding -checks leaves out would be fixed all the same: refused.
	r = run(t, dir, tbvetBin, "-checks=all,-TB101", "-fix", "./...")
	if r.code != report.ExitFailure || !strings.Contains(r.stderr, "schema.go:5:36: TB101") {
		t.Errorf("tbvet -checks=all,-TB101 -fix: want a refusal naming TB101, exit 1\n%s", r)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "schema.go")); string(got) != badSchema {
		t.Errorf("a refused -fix changed the file:\n%s", got)
	}
}

func TestDisableAndSelectAnalyzers(t *testing.T) {
	dir := module(t, badSchema)
	for _, args := range [][]string{
		{"-scope=false", "./..."},
		{"-format=text", "-scope=false", "./..."},
		{"-tokenname", "./..."},
		{"-format=github", "-tokenname", "./..."},
		{"-checks=all,-TB201", "./..."},
		{"-checks=all,-scope", "./..."},
		{"-checks=TB1*", "./..."},
	} {
		r := run(t, dir, tbvetBin, args...)
		out := r.stdout + r.stderr
		if r.code != report.ExitFindings || !strings.Contains(out, "TB101") || strings.Contains(out, "TB201") {
			t.Errorf("tbvet %v: want TB101 only, exit 3\n%s", args, r)
		}
	}
	r := run(t, dir, tbvetBin, "-tokenname=false", "-scope=false", "./...")
	if r.code != report.ExitOK || r.stderr != "tbvet: checked 1 Go package: no findings\n" {
		t.Errorf("tbvet with both reporting analyzers off: want exit 0\n%s", r)
	}
}

func TestFail(t *testing.T) {
	dir := module(t, badSchema)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-fail=none", "./..."}, report.ExitOK, "2 errors (0 failing)"},
		{[]string{"-fail=TB201", "./..."}, report.ExitFindings, "2 errors (1 failing)"},
		{[]string{"-fail=none", "-format=json", "./..."}, report.ExitOK, ""},
		{[]string{"-checks=all,-TB201", "-fail=TB201", "./..."}, report.ExitOK, "1 error (0 failing)"},
	} {
		r := run(t, dir, tbvetBin, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stdout+r.stderr, "TB101") {
			t.Errorf("tbvet %v: want exit %d, TB101 reported and %q\n%s", tc.args, tc.code, tc.want, r)
		}
	}
}

// TestConfigFile checks tbls.conf: found by walking up from each
// package's directory, overridden below, and loud when wrong.
func TestConfigFile(t *testing.T) {
	dir := moduleWithTests(t) // findings in the root package and in sub/
	writeFile(t, dir, "tbls.conf", `checks = ["all", "-TB201"]`+"\n")
	r := run(t, dir, tbvetBin, "-format=text", "./...")
	if strings.Contains(r.stdout, "TB201") || !strings.Contains(r.stdout, "(TB101)") || r.code != report.ExitFindings {
		t.Errorf("tbls.conf without TB201: want TB101 only\n%s", r)
	}
	// sub/ turns TB201 back on and lets nothing fail there.
	writeFile(t, dir, "sub/tbls.conf", `checks = ["inherit", "TB201"]`+"\nfail = [\"none\"]\n")
	r = run(t, dir, tbvetBin, "-format=text", "./...")
	if !strings.Contains(r.stdout, "sub/sub.go:9:63: error: ") || strings.Count(r.stdout, "(TB201)") != 1 || !strings.Contains(r.stderr, "(2 failing)") {
		t.Errorf("sub/tbls.conf: want TB201 in sub/ only, not failing\n%s", r)
	}
	// The command line applies over the files.
	r = run(t, dir, tbvetBin, "-checks=inherit,-TB101", "-format=text", "./...")
	if strings.Contains(r.stdout, "TB101") || !strings.Contains(r.stdout, "(TB201)") || r.code != report.ExitOK {
		t.Errorf("-checks=inherit,-TB101: want sub's TB201 only, exit 0\n%s", r)
	}
	// A broken file anywhere under the patterns is a configuration error,
	// even with nothing to filter there.
	writeFile(t, dir, "sub/deeper/tbls.conf", `checks = ["all", "-TB999"]`)
	r = run(t, dir, tbvetBin, "./...")
	if r.code != report.ExitUsage || !strings.Contains(r.stderr, filepath.Join("sub", "deeper", "tbls.conf")) || !strings.Contains(r.stderr, `unknown check or analyzer "TB999"`) {
		t.Errorf("a broken sub/deeper/tbls.conf: want exit 2 naming the file and the code\n%s", r)
	}
}

func TestNeverSilent(t *testing.T) {
	dir := module(t, cleanSchema)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"./nosuchdir/..."}, report.ExitFailure, "nosuchdir"},
		{[]string{"example.com/tbvettest/zz/..."}, report.ExitFailure, "matched no packages"},
		{[]string{"./...", "example.com/tbvettest/zz/..."}, report.ExitFailure, "example.com/tbvettest/zz/... matches no Go package"},
		{[]string{"-format=json", "example.com/tbvettest/zz/..."}, report.ExitFailure, "matched no packages"},
		{[]string{"-checks=all,-TB999", "./..."}, report.ExitUsage, `-checks: unknown check or analyzer "TB999"`},
		{[]string{"-fail=TB9*", "./..."}, report.ExitUsage, `-fail: pattern "TB9*" matches no check`},
	} {
		r := run(t, dir, tbvetBin, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("tbvet %v: want exit %d and %q\n%s", tc.args, tc.code, tc.want, r)
		}
	}
	r := run(t, dir, tbvetBin, "-format=json", "./...")
	if r.code != report.ExitOK || !strings.Contains(r.stdout, `"goPackages": 1`) {
		t.Errorf("tbvet -format=json on a clean module: want exit 0 and the count\n%s", r)
	}
}

// TestVettoolFormsFailLoudly runs the README's go vet -vettool forms
// through bash with no tbvet to find: each must fail, not fall back to go
// vet's own analyzers, which pass the bad schema.
func TestVettoolFormsFailLoudly(t *testing.T) {
	dir := module(t, badSchema)
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Dir(goBin) + string(os.PathListSeparator) + "/usr/bin:/bin" // no tbvet
	for _, form := range []string{
		`tbvet=$(command -v tbvet) && go vet -vettool="$tbvet" ./...`,
		`tbvet=$(go tool -n tbvet) && go vet -vettool="$tbvet" ./...`,
		`go tool tbvet ./...`,
	} {
		r := runEnv(t, []string{"PATH=" + path}, dir, "bash", "-c", form)
		if r.code == 0 {
			t.Errorf("%s without tbvet: want a failure\n%s", form, r)
		}
	}
	// With tbvet on PATH, the first form finds the schema's mistakes.
	r := runEnv(t, []string{"PATH=" + filepath.Dir(tbvetBin) + string(os.PathListSeparator) + path}, dir, "bash", "-c",
		`tbvet=$(command -v tbvet) && go vet -vettool="$tbvet" ./...`)
	if r.code != 1 || !vetTB101.MatchString(r.stderr) {
		t.Errorf("with tbvet on PATH: want go vet's findings\n%s", r)
	}
	// go get -tool, then the README's two go tool forms find them too.
	if r := runEnv(t, []string{"GOPROXY=off"}, dir, "go", "get", "-tool", "github.com/tbls-dev/tbls/cmd/tbvet"); r.code != 0 {
		t.Fatalf("go get -tool: %s", r)
	}
	r = runEnv(t, []string{"PATH=" + path}, dir, "bash", "-c", `go tool tbvet ./...`)
	if r.code != report.ExitFindings || !tb101.MatchString(r.stderr) {
		t.Errorf("go tool tbvet ./...: want exit 3 and the findings\n%s", r)
	}
	r = runEnv(t, []string{"PATH=" + path}, dir, "bash", "-c", `tbvet=$(go tool -n tbvet) && go vet -vettool="$tbvet" ./...`)
	if r.code != 1 || !vetTB101.MatchString(r.stderr) {
		t.Errorf("go vet -vettool=$(go tool -n tbvet): want go vet's findings\n%s", r)
	}
}

func TestFormatErrors(t *testing.T) {
	dir := module(t, badSchema)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-format=xml", "./..."}, report.ExitUsage, "unknown format"},
		{[]string{"-format=sarif", "-fix", "./..."}, report.ExitUsage, "-fix cannot be combined with -format"},
		{[]string{"-diff", "./..."}, report.ExitUsage, "-fix -diff"},
		{[]string{"-format=sarif"}, report.ExitUsage, "no packages to check"},
		{[]string{"-nosuchflag", "./..."}, report.ExitUsage, "flag provided but not defined: -nosuchflag"},
		{[]string{"-format=text", "./nosuchdir"}, report.ExitFailure, "nosuchdir"},
	} {
		r := run(t, dir, tbvetBin, tc.args...)
		if r.code != tc.code || strings.Count(r.stderr, tc.want) != 1 {
			t.Errorf("tbvet %v: want exit %d and %q once\n%s", tc.args, tc.code, tc.want, r)
		}
	}
	if r := run(t, dir, tbvetBin, "-h"); r.code != report.ExitOK || !strings.Contains(r.stderr, "usage: tbvet") {
		t.Errorf("tbvet -h: want the usage, exit 0\n%s", r)
	}
	// A type error is a tool failure (1), not findings, in every format.
	broken := module(t, badSchema+"\nvar x int = \"s\"\n")
	for _, args := range [][]string{{"./..."}, {"-format=json", "./..."}, {"-json", "./..."}} {
		if r := run(t, broken, tbvetBin, args...); r.code != report.ExitFailure || !strings.Contains(r.stderr, `cannot use "s"`) {
			t.Errorf("tbvet %v on a package with a type error: want exit 1 and go's error\n%s", args, r)
		}
	}
}

func TestContext(t *testing.T) {
	r := run(t, module(t, badSchema), tbvetBin, "-c=1", "./...")
	want := "schema.go:5:36: error: Invalid token name"
	i := strings.Index(r.stderr, want)
	if r.code != report.ExitFindings || i < 0 || !strings.Contains(r.stderr[i:], "\n4\t\n5\tvar AppRead = tinybird.DefineToken(\"app-read\")\n6\t\n") {
		t.Errorf("tbvet -c=1: want a line of context around each finding\n%s", r)
	}
}

func TestHelp(t *testing.T) {
	r := run(t, ".", tbvetBin, "help", "scope")
	if r.code != 0 {
		t.Fatalf("tbvet help scope: %s", r)
	}
	for _, want := range []string{"scope: ", "TB201 (error, scope): scope other than READ on a pipe", "TB206", "Flagged:", "Fixed:", "#tb201"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("tbvet help scope lacks %q\n%s", want, r)
		}
	}
	if strings.Contains(r.stdout, "TB101") {
		t.Errorf("tbvet help scope shows another analyzer's check\n%s", r)
	}
	r = run(t, ".", tbvetBin, "help", "tb302")
	if r.code != 0 || !strings.Contains(r.stdout, "TB302 (warning, tokenuse): token granted on no resource") {
		t.Errorf("tbvet help tb302:\n%s", r)
	}
	r = run(t, ".", tbvetBin, "help")
	for _, want := range []string{"go vet -vettool", "TB404", "Exit status", "-checks", "-fail", "tbls.conf"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("tbvet help lacks %q:\n%s", want, r)
		}
	}
	if r := run(t, ".", tbvetBin, "help", "nosuch"); r.code != 1 || !strings.Contains(r.stderr, "neither an analyzer nor a check code") {
		t.Errorf("tbvet help nosuch:\n%s", r)
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"version", "-V"} {
		r := run(t, ".", tbvetBin, arg)
		if r.code != 0 || !regexp.MustCompile(`^tbvet \S+ go1\.\S+\n$`).MatchString(r.stdout) {
			t.Errorf("tbvet %s:\n%s", arg, r)
		}
	}
	// -V=full and -flags are go vet's protocol, answered by x/tools.
	// -V=full answers with the Go build ID, which changes with the binary.
	r := run(t, ".", tbvetBin, "-V=full")
	id := run(t, ".", "go", "tool", "buildid", tbvetBin)
	if r.code != 0 || id.code != 0 || r.stdout != tbvetBin+" version devel comments-go-here buildID="+id.stdout {
		t.Errorf("tbvet -V=full: want the build ID %q\n%s", id.stdout, r)
	}
	r = run(t, ".", tbvetBin, "-flags")
	if r.code != 0 || !strings.Contains(r.stdout, `"Name": "scope"`) {
		t.Errorf("tbvet -flags:\n%s", r)
	}
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// moduleWithTests is a module with findings in an internal test file, an
// external test package, and a second package importing the first.
func moduleWithTests(t *testing.T) string {
	t.Helper()
	dir := module(t, cleanSchema)
	writeFile(t, dir, "schema_test.go", "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar inTest = tinybird.DefineToken(\"in-test\")\n\nvar _ = inTest\n")
	writeFile(t, dir, "x_test.go", "package schema_test\n\nimport (\n\t\"example.com/tbvettest\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar X = tinybird.DefineToken(\"x-test\")\n\nvar _ = schema.Reader\n")
	writeFile(t, dir, "sub/sub.go", "package sub\n\nimport (\n\tschema \"example.com/tbvettest\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar Top = tinybird.DefineEndpoint(\"top_events\", tinybird.EndpointOptions{\n\tTokens: []tinybird.TokenAccess{{Token: schema.Reader, Scope: tinybird.Append}},\n\tNodes:  []tinybird.Node{{Name: \"endpoint\", SQL: \"SELECT 1 AS one\"}},\n\tOutput: tinybird.Schema{tinybird.Col(\"one\", tinybird.UInt8())},\n})\n")
	return dir
}

// TestLoadsTestsAndImports covers internal and external test files (the
// external test imports the test variant of the package), -test=false, and
// one checked package importing another.
func TestLoadsTestsAndImports(t *testing.T) {
	dir := moduleWithTests(t)
	r := run(t, dir, tbvetBin, "-format=text", "./...")
	want := "schema_test.go:5:35: error: Invalid token name: \"in-test\"" +
		"|sub/sub.go:9:63: error: Scope APPEND" +
		"|x_test.go:8:30: error: Invalid token name: \"x-test\""
	for _, w := range strings.Split(want, "|") {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("tbvet -format=text: missing %q\n%s", w, r)
		}
	}
	if n := strings.Count(r.stdout, "\n"); r.code != report.ExitFindings || n != 3 {
		t.Errorf("tbvet -format=text: want 3 findings, exit 3\n%s", r)
	}
	// The root package with its tests, its external test package, sub.
	if !strings.Contains(r.stderr, "tbvet: checked 3 Go packages: 3 errors") {
		t.Errorf("tbvet -format=text: want 3 packages checked\n%s", r)
	}
	r = run(t, dir, tbvetBin, "-format=text", "-test=false", "./...")
	if r.code != report.ExitFindings || strings.Contains(r.stdout, "_test.go") || !strings.Contains(r.stdout, "sub/sub.go") {
		t.Errorf("tbvet -format=text -test=false: want only sub/sub.go\n%s", r)
	}
}

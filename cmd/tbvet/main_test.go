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
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/internal/schemagen"
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

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{Nodes: []tinybird.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt8())},
	Tokens: []tinybird.TokenAccess{{Token: Reader, Scope: tinybird.Append}},
})

var Reader = tinybird.DefineToken("reader")
`

const cleanSchema = `package schema

import "github.com/tbls-dev/tbls/tinybird"

var Reader = tinybird.DefineToken("reader")

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{Nodes: []tinybird.Node{{Name: "n", SQL: "SELECT 1"}}, Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt8())},
	Tokens: []tinybird.TokenAccess{{Token: Reader, Scope: tinybird.Read}},
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
// Each run has a result cache of its own, empty, so that every test sees
// tbvet work; runEnv passes other settings, such as a shared cache.
func run(t *testing.T, dir, name string, args ...string) result {
	t.Helper()
	return runEnv(t, []string{"TBVET_CACHE=" + t.TempDir()}, dir, name, args...)
}

// runEnv is run with env added to the environment.
func runEnv(t *testing.T, env []string, dir, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GITHUB_WORKSPACE=", "TBVET_CACHE_DEBUG=")
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

// The positions of the two findings of badSchema.
var (
	tb101Line = regexp.MustCompile(`schema\.go:5:36: TB101 .*"app-read"`)
	tb201Line = regexp.MustCompile(`schema\.go:8:56: TB201 `)
)

func TestGoVetVettool(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, "go", "vet", "-vettool="+tbvetBin, "./...")
	if r.code != 1 {
		t.Errorf("go vet -vettool on a bad module: want exit 1\n%s", r)
	}
	if !tb101Line.MatchString(r.stderr) || !tb201Line.MatchString(r.stderr) {
		t.Errorf("go vet -vettool: missing TB101 or TB201 line\n%s", r)
	}

	// -NAME=false passes through go vet to the unitchecker.
	r = run(t, dir, "go", "vet", "-vettool="+tbvetBin, "-scope=false", "./...")
	if r.code != 1 || !tb101Line.MatchString(r.stderr) || strings.Contains(r.stderr, "TB201") {
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
	if r.code != exitDiagnostics || !tb101Line.MatchString(r.stderr) || !tb201Line.MatchString(r.stderr) {
		t.Errorf("tbvet ./...: want exit 3 with TB101 and TB201\n%s", r)
	}
	r = run(t, module(t, cleanSchema), tbvetBin, "./...")
	if r.code != exitOK || r.stderr != "" {
		t.Errorf("tbvet ./... on a clean module: want exit 0, no output\n%s", r)
	}
}

func TestStandaloneJSON(t *testing.T) {
	r := run(t, module(t, badSchema), tbvetBin, "-json", "./...")
	if r.code != exitOK {
		t.Fatalf("tbvet -json: want exit 0 (x/tools' -json)\n%s", r)
	}
	// x/tools' tree: package ID → analyzer → diagnostics.
	var tree map[string]map[string][]struct {
		Category, Posn, Message string
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("tbvet -json output: %v\n%s", err, r)
	}
	var got []string
	for _, byAnalyzer := range tree {
		for name, diags := range byAnalyzer {
			for _, d := range diags {
				got = append(got, name+":"+d.Category)
			}
		}
	}
	if want := "scope:TB201"; !strings.Contains(strings.Join(got, " "), want) {
		t.Errorf("tbvet -json: got %v, want %s among them\n%s", got, want, r)
	}
}

func TestFormatSARIF(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "-format=sarif", "./...")
	if r.code != exitOK {
		t.Fatalf("tbvet -format=sarif: want exit 0 (findings are data)\n%s", r)
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
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatalf("SARIF: %v\n%s", err, r)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "tbvet" || len(log.Runs[0].Tool.Driver.Rules) == 0 {
		t.Fatalf("SARIF log header: %+v", log)
	}
	var got []string
	for _, res := range log.Runs[0].Results {
		loc := res.Locations[0].PhysicalLocation
		got = append(got, fmt.Sprintf("%s %s %s:%d:%d", res.RuleID, res.Level, loc.ArtifactLocation.URI, loc.Region.StartLine, loc.Region.StartColumn))
	}
	want := []string{"TB101 error schema.go:5:36", "TB201 error schema.go:8:56"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SARIF results:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestFormatGitHub(t *testing.T) {
	r := run(t, module(t, badSchema), tbvetBin, "-format=github", "./...")
	if r.code != exitDiagnostics {
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
}

func TestFormatTextAndJSON(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "-format=text", "./...")
	if r.code != exitDiagnostics || !tb101Line.MatchString(r.stdout) || !tb201Line.MatchString(r.stdout) {
		t.Errorf("tbvet -format=text: want exit 3, TB101 and TB201\n%s", r)
	}
	// A package and its test variant report the same finding once.
	if n := strings.Count(r.stdout, "TB101"); n != 1 {
		t.Errorf("TB101 printed %d times\n%s", n, r)
	}
	r = run(t, dir, tbvetBin, "-format", "json", "./...")
	var out struct {
		Version     int
		Diagnostics []struct{ File, Code, Analyzer, Severity, URL string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != exitOK {
		t.Fatalf("tbvet -format json: %v\n%s", err, r)
	}
	if out.Version != 2 || len(out.Diagnostics) != 2 || out.Diagnostics[1].Code != "TB201" || out.Diagnostics[1].Analyzer != "scope" || out.Diagnostics[1].Severity != "error" || !strings.HasSuffix(out.Diagnostics[1].URL, "#tb201") {
		t.Errorf("tbvet -format json: %+v", out)
	}
}

func TestFix(t *testing.T) {
	// Only TB101 has a single fix here; TB201's two alternatives are
	// exercised by -diff below.
	src := strings.Replace(badSchema, "tinybird.Append", "tinybird.Read", 1)
	dir := module(t, src)
	r := run(t, dir, tbvetBin, "-fix", "./...")
	if r.code != exitOK {
		t.Fatalf("tbvet -fix: want exit 0\n%s", r)
	}
	got, err := os.ReadFile(filepath.Join(dir, "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(src, `"app-read"`, `"app_read"`, 1); string(got) != want {
		t.Errorf("after -fix schema.go is\n%s\nwant\n%s", got, want)
	}
	if r := run(t, dir, tbvetBin, "./..."); r.code != exitOK {
		t.Errorf("tbvet after -fix: want no findings\n%s", r)
	}
}

func TestDiff(t *testing.T) {
	dir := module(t, badSchema)
	r := run(t, dir, tbvetBin, "-fix", "-diff", "./...")
	if !strings.Contains(r.stdout, `-var AppRead = tinybird.DefineToken("app-read")`) ||
		!strings.Contains(r.stdout, `+var AppRead = tinybird.DefineToken("app_read")`) ||
		!strings.Contains(r.stdout, "+\tTokens: []tinybird.TokenAccess{{Token: Reader, Scope: tinybird.Read}},") {
		t.Errorf("tbvet -fix -diff: want the rename and the first TB201 fix\n%s", r)
	}
	got, err := os.ReadFile(filepath.Join(dir, "schema.go"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != badSchema {
		t.Errorf("-diff changed the file:\n%s", got)
	}
}

func TestDisableAndSelectAnalyzers(t *testing.T) {
	dir := module(t, badSchema)
	for _, args := range [][]string{
		{"-scope=false", "./..."},
		{"-format=text", "-scope=false", "./..."},
		{"-tokenname", "./..."},
		{"-format=github", "-tokenname", "./..."},
	} {
		r := run(t, dir, tbvetBin, args...)
		out := r.stdout + r.stderr
		if r.code != exitDiagnostics || !strings.Contains(out, "TB101") || strings.Contains(out, "TB201") {
			t.Errorf("tbvet %v: want TB101 only, exit 3\n%s", args, r)
		}
	}
	r := run(t, dir, tbvetBin, "-tokenname=false", "-scope=false", "./...")
	if r.code != exitOK || r.stderr != "" {
		t.Errorf("tbvet with both reporting analyzers off: want exit 0\n%s", r)
	}
}

func TestFormatErrors(t *testing.T) {
	dir := module(t, badSchema)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-format=xml", "./..."}, exitBadFlags, "unknown format"},
		{[]string{"-format=sarif", "-fix", "./..."}, exitBadFlags, "-fix cannot be combined with -format"},
		{[]string{"-format=sarif"}, exitFailure, "no packages"},
		{[]string{"-format=text", "./nosuchdir"}, exitFailure, "nosuchdir"},
	} {
		r := run(t, dir, tbvetBin, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("tbvet %v: want exit %d and %q\n%s", tc.args, tc.code, tc.want, r)
		}
	}
	// A type error is a tool failure (1), not findings.
	broken := module(t, cleanSchema+"\nvar x int = \"s\"\n")
	if r := run(t, broken, tbvetBin, "-format=text", "./..."); r.code != exitFailure {
		t.Errorf("tbvet -format=text on a package with a type error: want exit 1\n%s", r)
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
	if r.code != 0 || !strings.Contains(r.stdout, "go vet -vettool") || !strings.Contains(r.stdout, "TB404") || !strings.Contains(r.stdout, "Exit codes") {
		t.Errorf("tbvet help:\n%s", r)
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
	// -V=full is go vet's protocol, answered by x/tools.
	r := run(t, ".", tbvetBin, "-V=full")
	if r.code != 0 || !strings.Contains(r.stdout, "buildID=") {
		t.Errorf("tbvet -V=full:\n%s", r)
	}
}

func TestHasFormatFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-format=sarif", "./..."}, true},
		{[]string{"--format", "github", "./..."}, true},
		{[]string{"-c", "2", "-format=text", "./..."}, true},
		{[]string{"./...", "-format=text"}, false}, // after the patterns: a package pattern
		{[]string{"-json", "./..."}, false},
		{[]string{"x.cfg"}, false},
		{[]string{"-formatx", "./..."}, false},
	} {
		if got := hasFormatFlag(tc.args); got != tc.want {
			t.Errorf("hasFormatFlag(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// TestFormatLoadsTestsAndImports covers what -format's own loader must get
// right: internal and external test files (the external test imports the
// test variant of the package), -test=false, and one checked package
// importing another.
func TestFormatLoadsTestsAndImports(t *testing.T) {
	dir := module(t, cleanSchema)
	files := map[string]string{
		"schema_test.go": "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar inTest = tinybird.DefineToken(\"in-test\")\n\nvar _ = inTest\n",
		"x_test.go":      "package schema_test\n\nimport (\n\t\"example.com/tbvettest\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar X = tinybird.DefineToken(\"x-test\")\n\nvar _ = schema.Reader\n",
		"sub/sub.go":     "package sub\n\nimport (\n\tschema \"example.com/tbvettest\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar Top = tinybird.DefineEndpoint(\"top_events\", tinybird.EndpointOptions{Nodes: []tinybird.Node{{Name: \"n\", SQL: \"SELECT 1\"}}, Output: tinybird.Schema{tinybird.Col(\"n\", tinybird.UInt8())},\n\tTokens: []tinybird.TokenAccess{{Token: schema.Reader, Scope: tinybird.Append}},\n})\n",
	}
	for name, src := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := run(t, dir, tbvetBin, "-format=text", "./...")
	want := "schema_test.go:5:35: TB101 Invalid token name: \"in-test\"" +
		"|sub/sub.go:9:63: TB201 " +
		"|x_test.go:8:30: TB101 Invalid token name: \"x-test\""
	for _, w := range strings.Split(want, "|") {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("tbvet -format=text: missing %q\n%s", w, r)
		}
	}
	if n := strings.Count(r.stdout, "\n"); r.code != exitDiagnostics || n != 3 {
		t.Errorf("tbvet -format=text: want 3 findings, exit 3\n%s", r)
	}
	r = run(t, dir, tbvetBin, "-format=text", "-test=false", "./...")
	if r.code != exitDiagnostics || strings.Contains(r.stdout, "_test.go") || !strings.Contains(r.stdout, "sub/sub.go") {
		t.Errorf("tbvet -format=text -test=false: want only sub/sub.go\n%s", r)
	}
}

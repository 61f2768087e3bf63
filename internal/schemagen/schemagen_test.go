package schemagen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// goCmd runs the go command in dir, offline against the module cache.
func goCmd(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func countLines(t *testing.T, dir string) (files, lines int) {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		lines += bytes.Count(data, []byte("\n"))
	}
	return len(matches), lines
}

func TestDefaultModuleBuildsAndVets(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, Config{ReplaceDir: repoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	files, lines := countLines(t, dir)
	if files != DefaultFiles+1 {
		t.Errorf("got %d files, want %d resource files + tokens.go", files, DefaultFiles)
	}
	// The workload: about 27,000 lines.
	if lines < 26000 || lines > 28000 {
		t.Errorf("got %d lines, want about 27,000", lines)
	}
	all, err := os.ReadFile(filepath.Join(dir, "endpoints_01.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(all), "Scope: tb.Read}") {
		t.Errorf("endpoints do not grant with tb.Read:\n%.400s", all)
	}
	for _, args := range [][]string{{"build", "./..."}, {"vet", "./..."}} {
		if out, err := goCmd(t, dir, args...); err != nil {
			t.Fatalf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestResourceCounts(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Datasources: 7, Endpoints: 3, AccessesPerResource: 2, Files: 4, ReplaceDir: repoRoot(t), ModulePath: "example.com/small"}
	if err := Write(dir, cfg); err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, m := range matches {
		data, _ := os.ReadFile(m)
		src.Write(data)
	}
	count := func(re string) int { return len(regexp.MustCompile(re).FindAllString(src.String(), -1)) }
	if got := count(`tb\.DefineDatasource\(`); got != 7 {
		t.Errorf("%d datasources, want 7", got)
	}
	if got := count(`tb\.DefineEndpoint\(`); got != 3 {
		t.Errorf("%d endpoints, want 3", got)
	}
	if got := count(`\{Token: \w+, Scope: `); got != 2*(7+3) {
		t.Errorf("%d token accesses, want %d", got, 2*(7+3))
	}
	if got := count(`tb\.DefineToken\(`); got != TokenCount {
		t.Errorf("%d tokens, want %d", got, TokenCount)
	}
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	if !strings.HasPrefix(string(gomod), "module example.com/small\n") || !strings.Contains(string(gomod), "replace "+SDKModule+" => "+repoRoot(t)) {
		t.Errorf("go.mod:\n%s", gomod)
	}
	if out, err := goCmd(t, dir, "build", "./..."); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
}

func TestMistakesStillCompile(t *testing.T) {
	dir := t.TempDir()
	if err := Write(dir, Config{Datasources: 4, Endpoints: 4, Files: 2, Mistakes: true, ReplaceDir: repoRoot(t)}); err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	matches, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, m := range matches {
		data, _ := os.ReadFile(m)
		src.Write(data)
	}
	for _, want := range []string{`DefineToken("bad-name")`, `Scope: "read"`, `"web-events_0001"`, `{Token: AppRead, Scope: tb.Append}`} {
		if !strings.Contains(src.String(), want) {
			t.Errorf("mistake %s missing", want)
		}
	}
	if len(MistakeCodes()) != 4 {
		t.Errorf("MistakeCodes: %v", MistakeCodes())
	}
	// The mistakes are findings for tbvet, not compile errors.
	if out, err := goCmd(t, dir, "build", "./..."); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
}

func TestConfigErrors(t *testing.T) {
	root := repoRoot(t)
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{}, "ReplaceDir is empty"},
		{Config{ReplaceDir: root, AccessesPerResource: TokenCount + 1}, "AccessesPerResource"},
		{Config{ReplaceDir: root, Datasources: -1}, "negative"},
		{Config{ReplaceDir: t.TempDir()}, "must be a tbls checkout"},
		{Config{ReplaceDir: root, Datasources: 1, Mistakes: true}, "Mistakes needs"},
	} {
		err := Write(t.TempDir(), tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Write(%+v) = %v, want error containing %q", tc.cfg, err, tc.want)
		}
	}
}

func TestFindModuleRootOutside(t *testing.T) {
	if _, err := FindModuleRoot(t.TempDir()); err == nil {
		t.Error("FindModuleRoot outside a checkout succeeded")
	}
}

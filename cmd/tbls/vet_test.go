package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/internal/schemagen"
	"github.com/tbls-dev/tbls/lsp"
)

// checkJSON is the part of report's JSON format compared between tbls
// check and tbvet: everything but the tool's name and version.
type checkJSON struct {
	Checked struct {
		GoPackages int `json:"goPackages"`
		Datafiles  int `json:"datafiles"`
	} `json:"checked"`
	Diagnostics []map[string]any `json:"diagnostics"`
}

// TestCheckGoMatchesTbvet runs tbls check and tbvet -format=json on the
// same module (schemagen's mistakes, a finding in an internal test file,
// an external test package with one, and a second package importing the
// first): both stand on go vet's engine with the same analyzers, so they
// print the same findings, with the same positions and fixes, and count
// the same packages (tbls adds the project check's, left out here); tbls
// runs as go vet's vet tool.
func TestCheckGoMatchesTbvet(t *testing.T) {
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{Datasources: 3, Endpoints: 3, Files: 2, ReplaceDir: root, Mistakes: true}); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{
		"in_test.go":  "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar inTest = tinybird.DefineToken(\"in-test\")\n\nvar _ = inTest\n",
		"ext_test.go": "package schema_test\n\nimport (\n\t\"example.com/tbschema\"\n\t\"github.com/tbls-dev/tbls/tinybird\"\n)\n\nvar X = tinybird.DefineToken(\"x-test\")\n\nvar _ = schema.AppRead\n",
		"sub/sub.go":  "package sub\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar Bad = tinybird.DefineToken(\"sub-bad\")\n",
	})
	tbvet := filepath.Join(t.TempDir(), "tbvet")
	if out, err := exec.Command("go", "build", "-o", tbvet, "../tbvet").CombinedOutput(); err != nil {
		t.Fatalf("building tbvet: %v\n%s", err, out)
	}
	env := []string{"GOFLAGS=-mod=mod"}
	parse := func(name, out, errOut string) checkJSON {
		t.Helper()
		var doc checkJSON
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", name, err, out, errOut)
		}
		return doc
	}
	for _, args := range [][]string{{"./..."}, {"-checks=TB101", "./..."}, {"-test=false", "./..."}} {
		out, errOut, code := runTbls(t, dir, env, append([]string{"check", "-format=json"}, args...)...)
		if code != 3 {
			t.Errorf("tbls check %v: status %d, want 3\n%s", args, code, errOut)
		}
		got := parse("tbls check", out, errOut)
		// TB710, the project check, is tbls's own: it resolves names
		// across the Go code and the datafiles, which tbvet does not see.
		got.Diagnostics = slices.DeleteFunc(got.Diagnostics, func(d map[string]any) bool {
			return d["analyzer"] == lsp.SourceReferences
		})

		cmd := exec.Command(tbvet, append([]string{"-format=json"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err == nil || cmd.ProcessState.ExitCode() != 3 {
			t.Errorf("tbvet %v: %v, want status 3\n%s", args, err, stderr.String())
		}
		want := parse("tbvet", stdout.String(), stderr.String())

		if len(want.Diagnostics) < 2 {
			t.Fatalf("tbvet %v found %d findings: the module's mistakes are not checked\n%s", args, len(want.Diagnostics), stdout.String())
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.MarshalIndent(got, "", "  ")
			w, _ := json.MarshalIndent(want, "", "  ")
			t.Errorf("%v: tbls check printed\n%s\ntbvet printed\n%s", args, g, w)
		}
		inTests := strings.Contains(out, "in_test.go") && strings.Contains(out, "ext_test.go")
		if withTests := args[0] != "-test=false"; inTests != withTests {
			t.Errorf("%v: findings in the test files: %v, want %v\n%s", args, inTests, withTests, out)
		}
	}
}

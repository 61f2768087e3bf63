package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tbls-dev/tbls/internal/safeio"
)

// writeTree writes files (path → text) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const badPipe = "NODE n\nSQL >\n    SELECT 1\n\nTYPE endpoint\nTOKEN app_read APPEND\n"

// TestCheckTinybirdProject runs tbls check on a directory laid out as
// Tinybird projects are (datasources/, pipes/, endpoints/, _migration/),
// with copies of a bad file in every directory the walk must skip.
func TestCheckTinybirdProject(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"tinybird/datasources/events.datasource":   "SCHEMA >\n    `ts` DateTime\n\nTOKEN ingest APPEND\n",
		"tinybird/pipes/top_events.pipe":           badPipe,
		"tinybird/endpoints/api.pipe":              badPipe,
		"tinybird/_migration/old.pipe":             badPipe,
		"tinybird/includes/common.incl":            "NODE n\nSQL >\n    SELECT 1\n",
		"tinybird/connections/kafka.connection":    "TYPE kafka\n",
		"tinybird/vendor/ws/x.pipe":                badPipe,
		"tinybird/.diff_tmp/top_events.pipe":       badPipe,
		"tinybird/node_modules/pkg/x.pipe":         badPipe,
		"tinybird/.tinyb/x.pipe":                   badPipe,
		"tinybird/fixtures/testdata/x.pipe":        badPipe,
		"tinybird/README.md":                       "not a datafile\n",
		"tinybird/_migration/notes/also_here.pipe": badPipe,
	})
	for _, target := range []string{"tinybird", "tinybird/...", "./tinybird", "./tinybird/..."} {
		out, errOut, code := runTbls(t, dir, nil, "check", target)
		if code != 3 {
			t.Errorf("%s: status %d, want 3\n%s%s", target, code, out, errOut)
		}
		var files []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			file, _, _ := strings.Cut(line, ":")
			files = append(files, file)
		}
		want := []string{
			"tinybird/_migration/notes/also_here.pipe", "tinybird/_migration/old.pipe",
			"tinybird/endpoints/api.pipe", "tinybird/pipes/top_events.pipe",
		}
		if strings.Join(files, " ") != strings.Join(want, " ") {
			t.Errorf("%s: findings in %v, want %v\n%s", target, files, want, out)
		}
		if wantCount := "tbls check: checked 7 datafiles: 4 errors\n"; errOut != wantCount {
			t.Errorf("%s: stderr %q, want %q", target, errOut, wantCount)
		}
	}
	// A skipped directory named as a target is checked.
	if out, _, code := runTbls(t, dir, nil, "check", "tinybird/vendor"); code != 3 || !strings.Contains(out, "vendor/ws/x.pipe") {
		t.Errorf("explicit vendor target: status %d\n%s", code, out)
	}
}

// TestCheckNothingToCheck: a target with nothing to check fails the run
// and says why, whatever else was checked.
func TestCheckNothingToCheck(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"empty/README.md":           "nothing here\n",
		"hidden/.git/x.pipe":        badPipe,
		"good/events.datasource":    "SCHEMA >\n    `ts` DateTime\n",
		"gofiles/_skipped/x.go":     "package x\n",
		"onlyvendor/vendor/x.pipe":  badPipe,
		"onlyvendor/vendor/mod.txt": "",
	})
	for _, args := range [][]string{
		{"empty"}, {"empty/..."}, {"hidden"}, {"onlyvendor/..."}, {"good", "empty"}, {"gofiles/..."},
	} {
		out, errOut, code := runTbls(t, dir, nil, append([]string{"check"}, args...)...)
		if code != 1 || !strings.Contains(errOut, "nothing to check") || out != "" {
			t.Errorf("%v: status %d, stdout %q, stderr %q; want 1 and \"nothing to check\"", args, code, out, errOut)
		}
	}
	// The default target, ./..., in a directory with nothing.
	if _, errOut, code := runTbls(t, filepath.Join(dir, "empty"), nil, "check"); code != 1 || !strings.Contains(errOut, "./...: nothing to check") {
		t.Errorf("default target: status %d, stderr %q", code, errOut)
	}
}

// TestCheckWalkSpecialFiles: a walk lists a datafile that is a link to a
// named pipe, and the read refuses it without opening it (that would block):
// the run says so and fails; a link to a regular datafile is checked; a
// file over safeio's limit is refused.
func TestCheckWalkSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"p/good.pipe": "NODE n\nSQL >\n    SELECT 1\n"})
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "fifo"), filepath.Join(dir, "p/fifo.pipe")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "p/good.pipe"), filepath.Join(dir, "p/link.pipe")); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runTbls(t, dir, nil, "check", "p")
	if code != 1 || !strings.Contains(errOut, "p/fifo.pipe: not a regular file (a FIFO); skipped") ||
		!strings.Contains(errOut, "checked 2 datafiles") {
		t.Errorf("walk: status %d, want 1\n%s%s", code, out, errOut)
	}
	big := filepath.Join(dir, "big.datasource")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(safeio.MaxSize + 1); err != nil { // sparse: no 32 MiB written
		t.Fatal(err)
	}
	f.Close()
	if _, errOut, code := runTbls(t, dir, nil, "check", "big.datasource"); code != 1 || !strings.Contains(errOut, "MiB") {
		t.Errorf("oversized: status %d, stderr %q", code, errOut)
	}
}

// TestCheckConfig: -checks, -fail and the tbls.conf files of the datafiles'
// directories decide what tbls check reports and what fails it, and the
// JSON and SARIF outputs say how much was checked.
func TestCheckConfig(t *testing.T) {
	dir := t.TempDir()
	dup := "SCHEMA >\n    `ts` DateTime\n\nTOKEN a READ\nTOKEN a READ\n" // TB206, a warning
	writeTree(t, dir, map[string]string{
		"tb/pipes/top_events.pipe":      badPipe, // TB201
		"tb/pipes/dup.datasource":       dup,
		"tb/legacy/tbls.conf":           "checks = [\"all\", \"-TB201\"]\n",
		"tb/legacy/old.pipe":            badPipe,
		"tb/legacy/ok/tbls.conf":        "checks = [\"inherit\", \"TB201\"]\nfail = [\"none\"]\n",
		"tb/legacy/ok/again.pipe":       badPipe,
		"tb/legacy/ok/again.datasource": dup,
	})
	codes := func(out string) string {
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if i := strings.LastIndex(line, "("); i >= 0 {
				file, _, _ := strings.Cut(line, ":")
				got = append(got, file+" "+strings.TrimSuffix(line[i+1:], ")"))
			}
		}
		return strings.Join(got, ", ")
	}
	for _, tc := range []struct {
		args []string
		want string
		code int
	}{
		// tb/legacy turns TB201 off; tb/legacy/ok turns it back on but
		// makes nothing fail.
		{nil, "tb/legacy/ok/again.datasource TB206, tb/legacy/ok/again.pipe TB201, tb/pipes/dup.datasource TB206, tb/pipes/top_events.pipe TB201", 3},
		{[]string{"-checks", "inherit,-TB2*"}, "", 0},
		{[]string{"-checks", "TB206"}, "tb/legacy/ok/again.datasource TB206, tb/pipes/dup.datasource TB206", 3},
		{[]string{"-fail", "inherit,-TB206"}, "tb/legacy/ok/again.datasource TB206, tb/legacy/ok/again.pipe TB201, tb/pipes/dup.datasource TB206, tb/pipes/top_events.pipe TB201", 3},
		{[]string{"-fail", "none"}, "tb/legacy/ok/again.datasource TB206, tb/legacy/ok/again.pipe TB201, tb/pipes/dup.datasource TB206, tb/pipes/top_events.pipe TB201", 0},
		// The flags apply over the files: TB206 fails in tb/legacy/ok too.
		{[]string{"-fail", "TB206", "tb/legacy"}, "tb/legacy/ok/again.datasource TB206, tb/legacy/ok/again.pipe TB201", 3},
		{[]string{"-fail", "TB201", "tb/legacy"}, "tb/legacy/ok/again.datasource TB206, tb/legacy/ok/again.pipe TB201", 3},
		{[]string{"-fail", "TB206", "tb/legacy/ok/again.pipe"}, "tb/legacy/ok/again.pipe TB201", 0},
	} {
		args := append([]string{"check"}, tc.args...)
		if len(tc.args) == 0 || !strings.HasPrefix(tc.args[len(tc.args)-1], "tb") {
			args = append(args, "tb")
		}
		out, errOut, code := runTbls(t, dir, nil, args...)
		if got := codes(out); got != tc.want || code != tc.code {
			t.Errorf("%v: status %d, findings %q; want %d, %q\n%s", tc.args, code, got, tc.code, tc.want, errOut)
		}
	}

	out, _, code := runTbls(t, dir, nil, "check", "-format=json", "tb")
	var doc struct {
		Checked struct {
			GoPackages, Datafiles int
		}
		Diagnostics []struct{ Code string }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 3 || doc.Checked.Datafiles != 5 || len(doc.Diagnostics) != 4 {
		t.Errorf("json: status %d, %+v, %v\n%s", code, doc, err, out)
	}
	out, _, code = runTbls(t, dir, nil, "check", "-format=sarif", "-fail=none", "tb")
	var sarif struct {
		Runs []struct {
			Properties struct{ Checked struct{ Datafiles int } }
		}
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil || code != 0 || len(sarif.Runs) != 1 || sarif.Runs[0].Properties.Checked.Datafiles != 5 {
		t.Errorf("sarif: status %d, %+v, %v", code, sarif, err)
	}

	// Bad patterns and bad files are usage errors that name the culprit.
	if _, errOut, code := runTbls(t, dir, nil, "check", "-checks", "TB9999x", "tb"); code != 2 || !strings.Contains(errOut, "-checks") {
		t.Errorf("bad -checks: status %d, %q", code, errOut)
	}
	writeTree(t, dir, map[string]string{"tb/broken/tbls.conf": "checks = \"all\"\n", "tb/broken/x.pipe": badPipe})
	if _, errOut, code := runTbls(t, dir, nil, "check", "tb/pipes"); code != 0 && code != 3 {
		t.Errorf("a broken tbls.conf outside the target failed the run: %d %q", code, errOut)
	}
	if _, errOut, code := runTbls(t, dir, nil, "check", "tb"); code != 2 || !strings.Contains(errOut, filepath.Join("tb", "broken", "tbls.conf")) {
		t.Errorf("broken tbls.conf: status %d, stderr %q; want 2 naming the file", code, errOut)
	}
}

// TestCheckIncludes: tbls check resolves INCLUDE from disk, relative to the
// including file: an existing include brings the pipe its node, a missing
// one is TB804.
func TestCheckIncludes(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"tb/includes/node.incl": "NODE $NAME\nSQL >\n    SELECT 1\n",
		"tb/pipes/good.pipe":    "INCLUDE \"../includes/node.incl\" \"NAME=top\"\n",
		"tb/pipes/bad.pipe":     "INCLUDE \"../includes/gone.incl\"\n",
	})
	out, errOut, code := runTbls(t, dir, nil, "check", "tb")
	if code != 3 || !strings.Contains(out, "tb/pipes/bad.pipe:1:9: error: Included file tb/includes/gone.incl not found") || strings.Contains(out, "good.pipe") {
		t.Errorf("status %d, want 3 and one TB804 on bad.pipe\n%s%s", code, out, errOut)
	}
}

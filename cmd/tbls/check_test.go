package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
		if wantCount := "tbls check: 7 datafiles, 0 Go packages checked: 4 findings\n"; errOut != wantCount {
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

// TestCheckSpecialFiles: named pipes (a read would block) and links to
// them are never opened, and oversized files are refused.
func TestCheckSpecialFiles(t *testing.T) {
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
	if code != 0 || !strings.Contains(errOut, "skipping p/fifo.pipe: not a regular file") ||
		!strings.Contains(errOut, "2 datafiles") {
		t.Errorf("walk: status %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code := runTbls(t, dir, nil, "check", "p/fifo.pipe"); code != 1 || !strings.Contains(errOut, "not a regular file") {
		t.Errorf("named fifo: status %d, stderr %q", code, errOut)
	}
	big := filepath.Join(dir, "big.datasource")
	if err := os.WriteFile(big, make([]byte, maxDatafileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runTbls(t, dir, nil, "check", "big.datasource"); code != 1 || !strings.Contains(errOut, "MiB") {
		t.Errorf("oversized: status %d, stderr %q", code, errOut)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckUnknownReferences(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"tb/datasources/events.datasource": "SCHEMA >\n    `ts` DateTime\n",
		"tb/pipes/typo.pipe":               "NODE n\nSQL >\n    SELECT * FROM evnets\n",
		"tb/pipes/good.pipe":               "NODE a\nSQL >\n    SELECT * FROM events\n\nNODE b\nSQL >\n    SELECT * FROM a JOIN system.one USING x\n",
		"other/only_pipes.pipe":            "NODE n\nSQL >\n    SELECT * FROM somewhere_else\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The pipe checked alone still resolves against its project.
	out, _, code := runTbls(t, dir, nil, "check", "tb/pipes/typo.pipe")
	if n := strings.Count(out, "TB710"); n != 1 {
		t.Errorf("typo.pipe: %d TB710 findings, want 1\n%s", n, out)
	}
	if code == 0 || !strings.Contains(out, "tb/pipes/typo.pipe:3:19: ") || !strings.Contains(out, `Unknown table "evnets"`) || !strings.Contains(out, `Did you mean "events"?`) {
		t.Errorf("typo.pipe: status %d\n%s", code, out)
	}
	out, _, _ = runTbls(t, dir, nil, "check", "tb/...")
	if n := strings.Count(out, "TB710"); n != 1 {
		t.Errorf("tb/...: %d TB710 findings, want 1\n%s", n, out)
	}
	// A project of pipes only reads datasources defined elsewhere.
	if out, _, _ := runTbls(t, dir, nil, "check", "other"); strings.Contains(out, "TB710") {
		t.Errorf("other: %s", out)
	}
}

//go:build unix

package lsp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/uri"
)

// goRecorder puts on PATH a go command that logs the directory it runs
// in and its arguments, one line each, then runs the real go. It returns
// the log's path.
func goRecorder(t *testing.T) string {
	t.Helper()
	real, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	log := filepath.Join(bin, "go.log")
	script := "#!/bin/sh\necho \"$(pwd -P) $*\" >> '" + log + "'\nexec '" + real + "' \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return log
}

// goRuns returns the directories go ran in, one per run.
func goRuns(t *testing.T, log string) []string {
	t.Helper()
	data, err := os.ReadFile(log)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var dirs []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if line != "" {
			dirs = append(dirs, strings.Fields(line)[0])
		}
	}
	return dirs
}

// TestLoneFile opens Go files outside every workspace folder (issue 8,
// failure 7): a file in no module is loaded alone, with go run in its
// directory only, not in the modules below it; a file of a module loads
// that module, not the modules nested in it.
func TestLoneFile(t *testing.T) {
	log := goRecorder(t)
	home, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, home, map[string]string{
		"notes.go":            "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n",
		"projects/a/go.mod":   "module example.com/a\n\ngo 1.22\n",
		"projects/a/a.go":     "package a\n",
		"projects/a/n/go.mod": "module example.com/n\n\ngo 1.22\n",
		"projects/a/n/n.go":   "package n\n",
		"projects/b/go.mod":   "module example.com/b\n\ngo 1.22\n",
		"projects/b/b.go":     "package b\n",
	})
	c, _ := initialize(t, Options{Env: []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off"}}, nil)

	notes := uri.File(filepath.Join(home, "notes.go"))
	c.open(notes, "go", 1, "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(1) }\n")
	c.diagnosticsFor(notes, 1)
	runs := goRuns(t, log)
	// Two go/packages loads (the package graph, then the dependencies'
	// export data) of a few go list runs each.
	if len(runs) == 0 || len(runs) > 6 {
		t.Errorf("go ran %d times for a lone file, want 1 to 6: %q\n%s", len(runs), runs, readLog(t, log))
	}
	for _, d := range runs {
		if d != home {
			t.Errorf("go ran in %s for a lone file in %s", d, home)
		}
	}
	if res, err := lastServer.Load().engine.session.Diagnose(context.Background(), notes.FsPath()); res == nil || err != nil {
		t.Errorf("the lone file belongs to no package: %v", err)
	}

	if err := os.Truncate(log, 0); err != nil {
		t.Fatal(err)
	}
	a := uri.File(filepath.Join(home, "projects", "a", "a.go"))
	c.open(a, "go", 1, "package a\n")
	c.diagnosticsFor(a, 1)
	for _, d := range goRuns(t, log) {
		if d != filepath.Join(home, "projects", "a") {
			t.Errorf("go ran in %s for a file of the module in projects/a", d)
		}
	}
}

func readLog(t *testing.T, log string) string {
	data, _ := os.ReadFile(log)
	return string(data)
}

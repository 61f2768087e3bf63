package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// tbls builds the command once per test run.
func tbls(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tbls-test")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "tbls")
		out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func frame(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body)
}

// frameReader reads LSP frames from r; anything else is an error: stdout
// must carry nothing but protocol.
type frameReader struct {
	r *bufio.Reader
}

// next returns the next message, or nil at the end of the stream. It must
// not fail the test from another goroutine than the test's, so it returns
// an error for the caller to report.
func (fr frameReader) next() (map[string]any, error) {
	line, err := fr.r.ReadString('\n')
	if errors.Is(err, io.EOF) && line == "" {
		return nil, nil
	}
	v, ok := strings.CutPrefix(line, "Content-Length: ")
	if !ok || err != nil {
		return nil, fmt.Errorf("stdout has %q where a Content-Length header belongs", line)
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, "\r\n"))
	if err != nil {
		return nil, fmt.Errorf("bad Content-Length %q", v)
	}
	if blank, _ := fr.r.ReadString('\n'); blank != "\r\n" {
		return nil, fmt.Errorf("header not ended by a blank line: %q", blank)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(fr.r, body); err != nil {
		return nil, fmt.Errorf("short body: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("body is not JSON: %q", body)
	}
	return m, nil
}

// TestStdoutCarriesOnlyProtocol drives the built binary over stdio through
// a session that makes it log (a malformed frame, a bad didChange) and
// publish, and checks that stdout holds nothing but Content-Length frames.
// It shuts the server down only once the diagnostics are published: a
// server may drop pending work on shutdown.
func TestStdoutCarriesOnlyProtocol(t *testing.T) {
	pipe := "file://" + filepath.Join(t.TempDir(), "top_events.pipe")
	cmd := exec.Command(tbls(t), "-v")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	type message struct {
		m   map[string]any
		err error
	}
	msgs := make(chan message)
	go func() {
		defer close(msgs)
		fr := frameReader{r: bufio.NewReader(stdout)}
		for {
			m, err := fr.next()
			if m == nil && err == nil {
				return
			}
			msgs <- message{m, err}
			if err != nil {
				return
			}
		}
	}()
	send := func(frames ...string) {
		t.Helper()
		if _, err := io.WriteString(stdin, strings.Join(frames, "")); err != nil {
			t.Fatalf("writing to tbls: %v\nstderr:\n%s", err, stderr.String())
		}
	}
	var ids []string
	published := false
	record := func(msg message) {
		t.Helper()
		if msg.err != nil {
			t.Fatal(msg.err)
		}
		if id, ok := msg.m["id"]; ok {
			ids = append(ids, fmt.Sprint(id))
		}
		if msg.m["method"] == "textDocument/publishDiagnostics" {
			published = true
		}
	}

	send(
		frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`),
		frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`),
		frame(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"`+pipe+`","languageId":"","version":1,"text":"TOKEN a APPEND\n"}}}`),
		frame(`{not json`),
		frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///not/open.go","version":2},"contentChanges":[{"text":"x"}]}}`),
	)
	timeout := time.After(60 * time.Second)
	for !published {
		select {
		case msg, ok := <-msgs:
			if !ok {
				t.Fatalf("stdout closed before any publishDiagnostics\nstderr:\n%s", stderr.String())
			}
			record(msg)
		case <-timeout:
			t.Fatalf("no publishDiagnostics within 60 s\nstderr:\n%s", stderr.String())
		}
	}
	send(
		frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`),
		frame(`{"jsonrpc":"2.0","method":"exit"}`),
	)
	stdin.Close()
	for msg := range msgs {
		record(msg)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("tbls: %v\nstderr:\n%s", err, stderr.String())
	}
	// Responses to initialize, the malformed frame (null id) and shutdown.
	if strings.Join(ids, ",") != "1,<nil>,2" {
		t.Errorf("response ids %v, want 1, <nil>, 2", ids)
	}
	if !strings.Contains(stderr.String(), "level=") {
		t.Errorf("the log did not go to stderr: %q", stderr.String())
	}
}

func TestExitStatus(t *testing.T) {
	logfile := filepath.Join(t.TempDir(), "tbls.log")
	for _, tc := range []struct {
		name  string
		input string
		want  int
	}{
		{"exit without shutdown", frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) + frame(`{"jsonrpc":"2.0","method":"exit"}`), 1},
		{"hang up", frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`), 1},
		{"shutdown and exit", frame(`{"jsonrpc":"2.0","id":1,"method":"shutdown"}`) + frame(`{"jsonrpc":"2.0","method":"exit"}`), 1}, // shutdown before initialize is refused
	} {
		cmd := exec.Command(tbls(t), "-logfile", logfile, "serve")
		cmd.Stdin = strings.NewReader(tc.input)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		}
		if code != tc.want {
			t.Errorf("%s: exit status %d, want %d", tc.name, code, tc.want)
		}
		if stderr.Len() != 0 {
			t.Errorf("%s: with -logfile, stderr got %q", tc.name, stderr.String())
		}
	}
	if b, _ := os.ReadFile(logfile); !bytes.Contains(b, []byte("exit without shutdown")) {
		t.Errorf("log file lacks the exit error: %q", b)
	}
}

// TestExitWithStdinOpen ends a session the way editors do: shutdown and
// exit, with the pipe to tbls's stdin left open. tbls must exit 0 on its
// own; the deadline only keeps a hang from stalling the test run.
func TestExitWithStdinOpen(t *testing.T) {
	cmd := exec.Command(tbls(t), "serve")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	io.WriteString(stdin, frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`)+
		frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`)+
		frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)+
		frame(`{"jsonrpc":"2.0","method":"exit"}`))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("tbls exited with %v after shutdown and exit\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("tbls still running 30 s after exit, with its stdin open\nstderr:\n%s", stderr.String())
	}
}

func runTbls(t *testing.T, dir string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(tbls(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

func TestCheckDatafiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good/events.datasource", "SCHEMA >\n    `ts` DateTime\n\nTOKEN ingest APPEND\n")
	write("bad/top_events.pipe", "NODE n\nSQL >\n    SELECT 1\n\n# é😀\nTOKEN app_read APPEND\n")
	write("bad/nested/select.datasource", "TOKEN app_read READ\n")

	if out, errOut, code := runTbls(t, dir, nil, "check", "good"); code != 0 || out != "" ||
		errOut != "tbls check: checked 1 datafile: no findings\n" {
		t.Errorf("good: status %d, stdout %q, stderr %q; want 0, nothing, and the count on stderr", code, out, errOut)
	}
	out, _, code := runTbls(t, dir, nil, "check", "bad/...")
	if code != 3 {
		t.Errorf("bad: status %d, want 3", code)
	}
	for _, want := range []string{"bad/top_events.pipe:6:16: ", "bad/nested/select.datasource:1:1: "} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runTbls(t, dir, nil, "check", "-format=json", "bad/top_events.pipe")
	var doc struct {
		Diagnostics []struct {
			Code     string `json:"code"`
			Analyzer string `json:"analyzer"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != 3 || len(doc.Diagnostics) != 1 || doc.Diagnostics[0].Code != "TB201" {
		t.Errorf("json: status %d, %+v, %v\n%s", code, doc, err, out)
	}
	for _, f := range []string{"sarif", "github"} {
		out, _, code := runTbls(t, dir, nil, "check", "-format="+f, "bad")
		if code != 3 || !strings.Contains(out, "TB201") && !strings.Contains(out, "scope") {
			t.Errorf("%s: status %d\n%s", f, code, out)
		}
	}
	if _, _, code := runTbls(t, dir, nil, "check", "-format=xml", "bad"); code != 2 {
		t.Errorf("unknown format: status %d, want 2", code)
	}
	if _, _, code := runTbls(t, dir, nil, "frobnicate"); code != 2 {
		t.Errorf("unknown command: status %d, want 2", code)
	}
	if _, errOut, code := runTbls(t, dir, nil, "check", "./missing"); code != 1 || !strings.Contains(errOut, "missing") {
		t.Errorf("missing path: status %d, stderr %q; want 1", code, errOut)
	}
	if out, _, code := runTbls(t, dir, nil, "version"); code != 0 || !strings.HasPrefix(out, "tbls ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestCheckGoPackages(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := schemagen.FindModuleRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{Datasources: 3, Endpoints: 3, Files: 2, ReplaceDir: root, Mistakes: true}); err != nil {
		t.Fatal(err)
	}
	env := []string{"GOFLAGS=-mod=mod"}
	out, errOut, code := runTbls(t, dir, env, "check", "./...")
	if code != 3 {
		t.Fatalf("status %d, want 3\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, c := range schemagen.MistakeCodes() {
		if !strings.Contains(out, string(c)) {
			t.Errorf("output lacks %s:\n%s", c, out)
		}
	}
	if !strings.Contains(errOut, "tbls check: checked 1 Go package: ") {
		t.Errorf("stderr lacks the count of what was checked:\n%s", errOut)
	}
	clean := t.TempDir()
	if err := schemagen.Write(clean, schemagen.Config{Datasources: 2, Endpoints: 2, Files: 1, ReplaceDir: root}); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := runTbls(t, clean, env, "check"); code != 0 {
		t.Errorf("clean module: status %d\n%s\n%s", code, out, errOut)
	}
}

// TestServerGCPercent: the language server collects at GOGC=50 unless the
// environment sets GOGC, which the runtime then applies itself.
func TestServerGCPercent(t *testing.T) {
	for env, want := range map[string]int{"": 50, "100": 0, "off": 0, "20": 0} {
		if got := serverGCPercent(env); got != want {
			t.Errorf("serverGCPercent(%q) = %d, want %d", env, got, want)
		}
	}
}

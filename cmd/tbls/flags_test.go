package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestServeFlags runs the built binary with the server's flags after serve
// (as gopls accepts them) and before it: the log, with -rpc.trace's record
// of every message, goes to the -logfile, and nothing to stderr.
func TestServeFlags(t *testing.T) {
	session := frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`) +
		frame(`{"jsonrpc":"2.0","method":"initialized","params":{}}`) +
		frame(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`) +
		frame(`{"jsonrpc":"2.0","method":"exit"}`)
	for _, args := range [][]string{
		{"serve", "-logfile", "LOG", "-rpc.trace"},
		{"-logfile", "LOG", "serve", "-rpc.trace"},
		{"-rpc.trace", "-logfile=LOG"},
	} {
		logfile := filepath.Join(t.TempDir(), "tbls.log")
		for i, a := range args {
			args[i] = strings.ReplaceAll(a, "LOG", logfile)
		}
		cmd := exec.Command(tbls(t), args...)
		cmd.Stdin = strings.NewReader(session)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Errorf("%v: %v\n%s", args, err, stderr.String())
			continue
		}
		if stderr.Len() != 0 {
			t.Errorf("%v: stderr got %q, want everything in the log file", args, stderr.String())
		}
		log, err := os.ReadFile(logfile)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			`msg=rpc dir=received kind=request method=initialize id=1`,
			`msg=rpc dir=sent kind=response id=1 result="{`,
			`msg=rpc dir=received kind=notification method=initialized`,
			`msg=rpc dir=received kind=request method=shutdown id=2`,
		} {
			if !strings.Contains(string(log), want) {
				t.Errorf("%v: the log lacks %q:\n%s", args, want, log)
			}
		}
	}
	// Without -rpc.trace, no message is logged.
	logfile := filepath.Join(t.TempDir(), "tbls.log")
	cmd := exec.Command(tbls(t), "serve", "-logfile", logfile)
	cmd.Stdin = strings.NewReader(session)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if log, _ := os.ReadFile(logfile); bytes.Contains(log, []byte("msg=rpc")) {
		t.Errorf("messages logged without -rpc.trace:\n%s", log)
	}
	for _, args := range [][]string{{"serve", "extra"}, {"serve", "-nosuchflag"}} {
		if _, _, code := runTbls(t, t.TempDir(), nil, args...); code != 2 {
			t.Errorf("%v: status %d, want 2", args, code)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runTbls(t, t.TempDir(), nil, "version")
	if code != 0 || !strings.HasPrefix(out, "tbls ") || !strings.Contains(out, "go: "+runtime.Version()) {
		t.Errorf("version: status %d\n%s", code, out)
	}
	out, _, code = runTbls(t, t.TempDir(), nil, "version", "-json")
	var v struct {
		Version, Path, GoVersion, Platform string
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 {
		t.Fatalf("version -json: status %d, %v\n%s", code, err, out)
	}
	if v.Version == "" || v.Path != "github.com/tbls-dev/tbls/cmd/tbls" || v.GoVersion != runtime.Version() ||
		v.Platform != runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("version -json: %+v", v)
	}
	if _, _, code := runTbls(t, t.TempDir(), nil, "version", "extra"); code != 2 {
		t.Errorf("version extra: status %d, want 2", code)
	}
}

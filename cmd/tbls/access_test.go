package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// gitRepo is a throw-away git repository.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

func (r *gitRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (r *gitRepo) write(name, text string) {
	r.t.Helper()
	path := filepath.Join(r.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) commit(msg string) {
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

func TestAccessMatrix(t *testing.T) {
	r := newGitRepo(t)
	r.write("tb/datasources/events.datasource", "SCHEMA >\n    `ts` DateTime\n\nTOKEN app_read READ\nTOKEN ingest APPEND\n")
	r.write("tb/pipes/top.pipe", "TOKEN app_read READ\n\nNODE n\nSQL >\n    SELECT * FROM events\n\nTYPE endpoint\n")
	out, errOut, code := runTbls(t, r.dir, nil, "access")
	if code != 0 {
		t.Fatalf("status %d, stderr %s", code, errOut)
	}
	for _, want := range []string{
		"app_read  events    datasource  READ    tb/datasources/events.datasource:4",
		"app_read  top       endpoint    READ    tb/pipes/top.pipe:1",
		"ingest    events    datasource  APPEND  tb/datasources/events.datasource:5",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runTbls(t, r.dir, nil, "access", "-format=json", "tb")
	var m []struct {
		Token, Resource, Kind string
		Scopes                []string
		Grants                []struct {
			File string
			Line int
		}
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || len(m) != 3 || m[2].Token != "ingest" || m[2].Grants[0].Line != 5 {
		t.Errorf("json: %v %+v\n%s", err, m, out)
	}
	out, _, _ = runTbls(t, r.dir, nil, "access", "-format=csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "token" || rows[3][3] != "APPEND" {
		t.Errorf("csv: %v %q", err, rows)
	}
	out, _, _ = runTbls(t, r.dir, nil, "access", "-format=markdown")
	if !strings.Contains(out, "| `app_read` | `top` | endpoint | READ | tb/pipes/top.pipe:1 |") {
		t.Errorf("markdown:\n%s", out)
	}
	if _, _, code := runTbls(t, r.dir, nil, "access", "-format=xml"); code != 2 {
		t.Errorf("unknown format: status %d, want 2", code)
	}
	if _, _, code := runTbls(t, r.dir, nil, "access", "missing"); code != 1 {
		t.Errorf("missing path: status %d, want 1", code)
	}
	if !strings.Contains(errOut, "tbls access: read 2 datafiles and 0 Go files") {
		t.Errorf("the run does not say what it read: %q", errOut)
	}
	// Never silent: a target with no project is an error, not an empty
	// matrix.
	r.write("empty/README", "no datafiles here\n")
	if out, errOut, code := runTbls(t, r.dir, nil, "access", "empty"); code != 1 || out != "" || !strings.Contains(errOut, "empty: nothing to read") {
		t.Errorf("empty target: status %d, stdout %q, stderr %q; want 1 and \"nothing to read\"", code, out, errOut)
	}
}

func TestAccessDiff(t *testing.T) {
	r := newGitRepo(t)
	r.write("README", "a project\n")
	r.commit("empty")
	r.write("tb/datasources/events.datasource", "SCHEMA >\n    `ts` DateTime\n\nTOKEN app_read READ\nTOKEN old_token READ\n")
	r.write("tb/pipes/top.pipe", "TOKEN app_read READ\n\nNODE n\nSQL >\n    SELECT * FROM events\n")
	r.commit("first")
	r.write("tb/datasources/events.datasource", "SCHEMA >\n    `ts` DateTime\n\nTOKEN app_read APPEND\nTOKEN new_token READ\n")
	r.write("tb/datasources/users.datasource", "SCHEMA >\n    `id` String\n\nTOKEN app_read READ\n")
	r.commit("second")
	// An uncommitted change counts too: the work tree is compared.
	r.write("tb/pipes/top.pipe", "NODE n\nSQL >\n    SELECT * FROM events\n")
	status := r.git("status", "--porcelain")

	out, errOut, code := runTbls(t, r.dir, nil, "access", "-base", "HEAD~1")
	if code != 0 {
		t.Fatalf("status %d, stderr %s", code, errOut)
	}
	for _, want := range []string{
		"widened  app_read   events    datasource  READ    APPEND  tb/datasources/events.datasource:4",
		"removed  app_read   top       pipe        READ    —       tb/pipes/top.pipe:1",
		"added    app_read   users     datasource  —       READ    tb/datasources/users.datasource:4",
		"added    new_token  events    datasource  —       READ    tb/datasources/events.datasource:5",
		"removed  old_token  events    datasource  READ    —       tb/datasources/events.datasource:5",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = runTbls(t, r.dir, nil, "access", "-base", "HEAD~1", "-format=markdown")
	if !strings.Contains(out, "### Token access changes against `HEAD~1`") || !strings.Contains(out, "| widened | `app_read` | `events` | datasource | READ | APPEND |") {
		t.Errorf("markdown diff:\n%s", out)
	}
	out, _, _ = runTbls(t, r.dir, nil, "access", "-base", "HEAD~1", "-format=json", "tb/datasources")
	var changes []struct{ Change, Token, Resource string }
	if err := json.Unmarshal([]byte(out), &changes); err != nil || len(changes) != 4 {
		t.Errorf("json diff of tb/datasources: %v %+v\n%s", err, changes, out)
	}
	// Against the first commit, before the project existed: all added.
	out, _, _ = runTbls(t, r.dir, nil, "access", "-base", "HEAD~2", "-format=csv")
	if n := strings.Count(out, "\nadded,"); n != 3 {
		t.Errorf("against an empty tree: %d added rows, want 3\n%s", n, out)
	}
	// From a subdirectory, the same paths.
	out, _, _ = runTbls(t, filepath.Join(r.dir, "tb"), nil, "access", "-base", "HEAD", "datasources")
	if !strings.Contains(out, "No token gains or loses access against HEAD.") {
		t.Errorf("no change in tb/datasources since HEAD:\n%s", out)
	}
	if _, errOut, code := runTbls(t, r.dir, nil, "access", "-base", "nosuchrev"); code != 1 || !strings.Contains(errOut, "not a commit") {
		t.Errorf("unknown revision: status %d, stderr %q", code, errOut)
	}
	// The work tree is untouched.
	if got := r.git("status", "--porcelain"); got != status {
		t.Errorf("the work tree changed:\n%s\nwas\n%s", got, status)
	}
}

// TestAccessGo reads grants from Go packages and datafiles together: a
// generated module whose datasources and endpoints grant four tokens, and
// a datafile granting one of them.
func TestAccessGo(t *testing.T) {
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{Datasources: 2, Endpoints: 1, Files: 1, ReplaceDir: root}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extra.datasource"), []byte("SCHEMA >\n    `a` String\n\nTOKEN dashboard READ\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runTbls(t, dir, []string{"GOFLAGS=-mod=mod"}, "access", "-format=csv")
	if code != 0 {
		t.Fatalf("status %d\n%s\n%s", code, out, errOut)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rows[1:] {
		got[r[0]+" "+r[1]+" "+r[2]+" "+r[3]+" "+filepath.Ext(r[4])] = true
	}
	for _, want := range []string{
		"app_read events_0000 datasource READ .go",
		"ingest events_0001 datasource APPEND .go",
		"dashboard top_events_0000 endpoint READ .go",
		"dashboard extra datasource READ .datasource",
	} {
		if !got[want] {
			t.Errorf("no grant %q in\n%s", want, out)
		}
	}
	// 2 datasources and 1 endpoint granting 4 tokens each, and the datafile.
	if len(rows) != 1+12+1 {
		t.Errorf("%d rows, want %d\n%s", len(rows), 1+12+1, out)
	}
}

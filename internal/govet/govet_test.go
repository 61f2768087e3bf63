package govet

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/rules"
)

func TestParse(t *testing.T) {
	dir := t.TempDir()
	// "é" is 2 bytes and 1 UTF-16 unit, "😀" 4 bytes and 2 units.
	src := "package p\n\nvar s = \"é😀\" + x\n"
	file := filepath.Join(dir, "a:b.go") // a colon in the name
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	xOff := strings.Index(src, "x")
	posn := func(col int) string { return file + ":3:" + strconv.Itoa(col) }
	diag := `{"category": "TB202", "posn": "` + posn(9) + `", "end": "` + posn(20) + `", "message": "TB202 m",
	  "suggested_fixes": [{"message": "Fix it", "edits": [{"filename": "` + file + `", "start": ` + strconv.Itoa(xOff) + `, "end": ` + strconv.Itoa(xOff+1) + `, "new": "y"}]}]}`
	stream := `{}
{"example.com/p [example.com/p.test]": {"scope": [` + diag + `], "jwt": {"error": "boom"}}}
{"example.com/p": {"scope": [` + diag + `]}}
{"example.com/q": {"tokenname": [{"posn": "` + file + `:1", "end": "", "message": "TB101 no column"}]}}
`
	var r Result
	if err := r.parse(strings.NewReader(stream), newFileCache("")); err != nil {
		t.Fatal(err)
	}
	if r.Packages != 4 {
		t.Errorf("Packages = %d, want 4", r.Packages)
	}
	if len(r.Errors) != 1 || r.Errors[0].Error() != "example.com/p [example.com/p.test]: jwt: boom" || !r.Failed() {
		t.Errorf("Errors = %q", r.Errors)
	}
	if len(r.Findings) != 2 {
		t.Fatalf("%d findings, want 2 (the test variant's duplicate dropped): %+v", len(r.Findings), r.Findings)
	}
	d := r.Findings[0].Diagnostic
	// The literal starts at byte column 9; x at byte column 20, UTF-16 column 17.
	if d.File != file || d.Start != (report.Position{Line: 3, Column: 9, Offset: 19}) || d.End != (report.Position{Line: 3, Column: 17, Offset: 30}) {
		t.Errorf("range %+v–%+v in %s", d.Start, d.End, d.File)
	}
	if d.Code != rules.TB202 || d.Analyzer != "scope" || r.Findings[0].Package != "example.com/p [example.com/p.test]" {
		t.Errorf("got %+v", r.Findings[0])
	}
	if len(d.Fixes) != 1 || d.Fixes[0].Edits[0].Start != (report.Position{Line: 3, Column: 17, Offset: 30}) || d.Fixes[0].Edits[0].End.Column != 18 {
		t.Errorf("fixes %+v", d.Fixes)
	}
	d = r.Findings[1].Diagnostic
	if d.Code != rules.TB101 || d.Start != (report.Position{Line: 1, Column: 1, Offset: 0}) || d.End != d.Start {
		t.Errorf("code from the message, a point: %+v", d)
	}
}

func TestParseErrors(t *testing.T) {
	for _, stream := range []string{
		`{"p": {"a": [{"posn": "nowhere", "message": "m"}]}}`,
		`{"p": {"a": "text"}}`,
		`{"p": `,
		`[]`,
	} {
		var r Result
		if err := r.parse(strings.NewReader(stream), newFileCache("")); err == nil {
			t.Errorf("%s: no error", stream)
		}
	}
}

func TestUnreadableFileKeepsByteColumns(t *testing.T) {
	var r Result
	stream := `{"p": {"a": [{"posn": "/no/such/file.go:4:7", "end": "/no/such/file.go:4:9", "message": "TB101 m"}]}}`
	if err := r.parse(strings.NewReader(stream), newFileCache("")); err != nil {
		t.Fatal(err)
	}
	if d := r.Findings[0].Diagnostic; d.Start != (report.Position{Line: 4, Column: 7, Offset: -1}) || d.End.Column != 9 {
		t.Errorf("got %+v", d)
	}
}

func TestNoMatch(t *testing.T) {
	stderr := "go: warning: \"./nosuch/...\" matched no packages\n# example.com/p\np.go:1:1: syntax error\ngo: warning: \"example.com/zz\" matched no packages\n"
	if got := noMatch([]byte(stderr)); !slices.Equal(got, []string{"./nosuch/...", "example.com/zz"}) {
		t.Errorf("noMatch = %q", got)
	}
}

func TestIsVetProtocol(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"/tmp/go-build/vet.cfg"}, true},
		{[]string{"-json", "-scope=false", "/tmp/go-build/vet.cfg"}, true},
		{[]string{"./..."}, false},
		{[]string{"-V"}, false},
		{[]string{"./x", "y.cfg"}, false},
		{nil, false},
	} {
		if got := IsVetProtocol(tc.args); got != tc.want {
			t.Errorf("IsVetProtocol(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

// FuzzParse feeds arbitrary output to the parser of go vet's JSON, with
// positions in a real file: it must return an error or findings, never
// panic, and every position it makes must lie in the file.
func FuzzParse(f *testing.F) {
	dir := f.TempDir()
	file := filepath.Join(dir, "a.go")
	src := "package p\n\nvar s = \"é\" + x\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		`{}`,
		`{"p": {"a": [{"posn": "FILE:3:9", "end": "FILE:3:14", "message": "TB101 m"}]}}`,
		`{"p": {"a": [{"posn": "FILE:0:-3", "end": "FILE:99:1", "message": "m", "suggested_fixes": [{"message": "f", "edits": [{"filename": "FILE", "start": -1, "end": 999, "new": ""}]}]}]}}`,
		`{"p": {"a": {"error": "boom"}}}`,
		`{"p": {"a": [{"posn": "FILE:1", "message": "m"}]}} {"q": {}}`,
	} {
		f.Add(strings.ReplaceAll(seed, "FILE", file))
	}
	f.Fuzz(func(t *testing.T, stream string) {
		var r Result
		if err := r.parse(strings.NewReader(stream), newFileCache("")); err != nil {
			return
		}
		for _, fd := range r.Findings {
			for _, p := range []report.Position{fd.Start, fd.End} {
				if fd.File == file && (p.Offset > len(src) || p.Offset < -1) {
					t.Errorf("position %+v outside the file", p)
				}
			}
		}
	})
}

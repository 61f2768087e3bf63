package report

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

func TestExitCode(t *testing.T) {
	for _, tc := range []struct {
		failed  bool
		failing int
		want    int
	}{
		{false, 0, ExitOK},
		{false, 2, ExitFindings},
		{true, 0, ExitFailure},
		{true, 5, ExitFailure}, // a tool failure wins: the findings may be incomplete
	} {
		if got := ExitCode(tc.failed, tc.failing); got != tc.want {
			t.Errorf("ExitCode(%v, %d) = %d, want %d", tc.failed, tc.failing, got, tc.want)
		}
	}
}

func TestWriteSummary(t *testing.T) {
	two := sample()[1:3] // an error and a warning
	for _, tc := range []struct {
		checked Checked
		diags   []Diagnostic
		failing int
		want    string
	}{
		{Checked{GoPackages: 3}, nil, 0, "tbvet: checked 3 Go packages: no findings\n"},
		{Checked{}, nil, 0, "tbvet: checked 0 Go packages: no findings\n"},
		{Checked{Datafiles: 1}, nil, 0, "tbvet: checked 1 datafile: no findings\n"},
		{Checked{GoPackages: 1, Datafiles: 2}, two, 2, "tbvet: checked 1 Go package and 2 datafiles: 1 error, 1 warning\n"},
		{Checked{GoPackages: 1}, two, 0, "tbvet: checked 1 Go package: 1 error, 1 warning (0 failing)\n"},
	} {
		var b bytes.Buffer
		if err := WriteSummary(&b, "tbvet", tc.checked, tc.diags, tc.failing); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("got  %q\nwant %q", b.String(), tc.want)
		}
	}
}

// TestTextErrorFormat checks every text line against the pattern editors'
// error formats use for gcc-style diagnostics (Vim's
// "%f:%l:%c: %t%*[^:]: %m", Emacs' compilation-mode "gnu" rule): file,
// line, column, severity, then the message with the code at its end, never
// at its start.
func TestTextErrorFormat(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, sample(), Options{BaseDir: base}); err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`^(\S.*?):(\d+):(\d+): (error|warning): (.+) \(([A-Z]+\d+)\)$`)
	findings := 0
	// A continuation line of a multi-line message joins the line before.
	text := strings.ReplaceAll(strings.TrimSuffix(b.String(), "\n"), "\n\t", " ")
	for _, l := range strings.Split(text, "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("line does not parse as file:line:col: severity: message (CODE): %q", l)
			continue
		}
		findings++
		if strings.HasPrefix(m[5], m[6]) {
			t.Errorf("message repeats the code: %q", l)
		}
	}
	if findings != len(sample()) {
		t.Errorf("%d findings parsed, want %d:\n%s", findings, len(sample()), b.String())
	}
}

// TestJSONMessageHasNoCode checks that Go findings (whose analyzer
// messages start with the code) and datafile findings (whose do not) come
// out alike.
func TestJSONMessageHasNoCode(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample(), Options{Checked: Checked{GoPackages: 4, Datafiles: 5}}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Version     int
		Checked     Checked
		Diagnostics []struct{ Code, Message string }
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Version != JSONVersion || out.Checked != (Checked{GoPackages: 4, Datafiles: 5}) {
		t.Errorf("header: %+v", out)
	}
	for _, d := range out.Diagnostics {
		if strings.HasPrefix(d.Message, d.Code) || strings.HasPrefix(d.Message, "TB") {
			t.Errorf("%s: message repeats the code: %q", d.Code, d.Message)
		}
	}
	if _, ok := rules.Lookup(rules.TB101); !ok {
		t.Fatal("TB101 unknown")
	}
}

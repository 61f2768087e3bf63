package checkconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/tbls-dev/tbls/report"
	"github.com/tbls-dev/tbls/rules"
)

// codesOf returns the codes of the checks whose code starts with prefix or
// whose analyzer is prefix.
func codesOf(prefix string) []rules.Code {
	var out []rules.Code
	for _, c := range rules.Checks() {
		if strings.HasPrefix(string(c.Code), prefix) || c.Analyzer == prefix {
			out = append(out, c.Code)
		}
	}
	return out
}

func all() []rules.Code { return AllChecks().Codes() }

func without(codes []rules.Code, drop ...rules.Code) []rules.Code {
	return slices.DeleteFunc(slices.Clone(codes), func(c rules.Code) bool { return slices.Contains(drop, c) })
}

func TestParseListApply(t *testing.T) {
	parent := Set{codes: map[rules.Code]bool{rules.TB101: true, rules.TB302: true}}
	for _, tc := range []struct {
		list string
		want []rules.Code
	}{
		{"all", all()},
		{"*", all()},
		{"all,-TB302", without(all(), rules.TB302)},
		{" all , -tb302 ", without(all(), rules.TB302)}, // spaces, any case
		{"TB2*", codesOf("TB2")},
		{"scope", codesOf(rules.AnalyzerScope)},
		{"all,-scope", without(all(), codesOf(rules.AnalyzerScope)...)},
		{"all,-TB2*,TB201", append(without(all(), codesOf("TB2")...), rules.TB201)},
		{"inherit", []rules.Code{rules.TB101, rules.TB302}},
		{"inherit,-TB302", []rules.Code{rules.TB101}},
		{"-TB302", []rules.Code{rules.TB101}}, // removals alone start from inherit
		{"-TB302,-TB101", nil},
		{"inherit,TB201", []rules.Code{rules.TB101, rules.TB201, rules.TB302}},
		{"none", nil},
		{"all,none,TB001", []rules.Code{rules.TB001}},
		{"all,-all,TB404", []rules.Code{rules.TB404}},
		{"TB101", []rules.Code{rules.TB101}},
	} {
		l, err := ParseList(tc.list)
		if err != nil {
			t.Errorf("ParseList(%q): %v", tc.list, err)
			continue
		}
		got := l.Apply(parent).Codes()
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ParseList(%q).Apply = %v, want %v", tc.list, got, want)
		}
	}
}

func TestParseListErrors(t *testing.T) {
	for _, tc := range []struct{ list, want string }{
		{"all,-TB999", `unknown check or analyzer "TB999"`},
		{"nosuch", `unknown check or analyzer "nosuch"`},
		{"TB9*", `"TB9*" matches no check`},
		{"T*B*", "a glob is a code prefix followed by one *"},
		{"", "empty pattern"},
		{"all,,TB101", "empty pattern"},
		{"all,", "empty pattern"},
		{"-", "names nothing after the -"},
		{"-inherit", "inherit cannot be removed"},
		{"all,-none", "none cannot be removed"},
	} {
		_, err := ParseList(tc.list)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseList(%q) = %v, want an error containing %q", tc.list, err, tc.want)
		}
	}
}

func TestUnknownCodeAlwaysIn(t *testing.T) {
	var empty Set
	if !empty.Has("XX999") || empty.Has(rules.TB101) {
		t.Error("the empty set must hold codes rules does not know, and nothing else")
	}
}

// write creates the files (path → content) under a new directory and
// returns it.
func write(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestLoaderInheritance(t *testing.T) {
	root := write(t, map[string]string{
		"tbls.conf":                  `checks = ["all", "-TB302"]` + "\nfail = [\"all\", \"-TB206\"]\n",
		"a/tbls.conf":                `checks = ["inherit", "-scope"]` + "\n",        // fail inherited whole
		"a/b/tbls.conf":              `checks = ["TB201"]` + "\nfail = [\"none\"]\n", // replaces
		"c/tbls.conf":                "# only a comment: inherits both\n",
		"a/b/deeper/schema.go":       "package deeper\n",
		"d/tbls.conf":                `fail = ["inherit", "-tokenname"]`,
		"notes/tbls.conf.disabled/x": "", // not a configuration file
	})
	l, err := NewLoader("", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir         string
		checks, off []rules.Code // some codes in, some out
		fails, pass []rules.Code
	}{
		{".", []rules.Code{rules.TB201, rules.TB101}, []rules.Code{rules.TB302}, []rules.Code{rules.TB201}, []rules.Code{rules.TB206, rules.TB302}},
		{"a", []rules.Code{rules.TB101}, []rules.Code{rules.TB201, rules.TB302}, []rules.Code{rules.TB101}, []rules.Code{rules.TB201}},
		{"a/b", []rules.Code{rules.TB201}, []rules.Code{rules.TB101}, nil, []rules.Code{rules.TB201}},
		{"a/b/deeper", []rules.Code{rules.TB201}, []rules.Code{rules.TB101}, nil, []rules.Code{rules.TB201}},
		{"a/b/deeper/schema.go", []rules.Code{rules.TB201}, nil, nil, nil}, // a file's path: its directory's
		{"c", []rules.Code{rules.TB201}, []rules.Code{rules.TB302}, []rules.Code{rules.TB201}, []rules.Code{rules.TB206}},
		{"d", []rules.Code{rules.TB101}, []rules.Code{rules.TB302}, []rules.Code{rules.TB201}, []rules.Code{rules.TB101, rules.TB206}},
		{"nosuchdir", []rules.Code{rules.TB201}, []rules.Code{rules.TB302}, nil, nil},
	} {
		cfg, err := l.Dir(filepath.Join(root, tc.dir))
		if err != nil {
			t.Errorf("%s: %v", tc.dir, err)
			continue
		}
		for _, c := range tc.checks {
			if !cfg.Enabled(c) {
				t.Errorf("%s: %s disabled", tc.dir, c)
			}
		}
		for _, c := range tc.off {
			if cfg.Enabled(c) {
				t.Errorf("%s: %s enabled", tc.dir, c)
			}
		}
		for _, c := range tc.fails {
			if !cfg.Fails(c) {
				t.Errorf("%s: %s does not fail", tc.dir, c)
			}
		}
		for _, c := range tc.pass {
			if cfg.Fails(c) {
				t.Errorf("%s: %s fails", tc.dir, c)
			}
		}
	}
}

func TestLoaderFlagsOverFiles(t *testing.T) {
	root := write(t, map[string]string{"tbls.conf": `checks = ["all", "-TB302"]`})
	l, err := NewLoader("inherit,-TB101", "none")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := l.Dir(root)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Enabled(rules.TB101) || cfg.Enabled(rules.TB302) || !cfg.Enabled(rules.TB201) || cfg.Fails(rules.TB201) {
		t.Errorf("flags over the file: checks %v fail %v", cfg.Checks.Codes(), cfg.Fail.Codes())
	}
	// A list without inherit replaces the files'.
	l, _ = NewLoader("TB302", "")
	cfg, _ = l.Dir(root)
	if !slices.Equal(cfg.Checks.Codes(), []rules.Code{rules.TB302}) || !cfg.Fails(rules.TB302) {
		t.Errorf("-checks=TB302: %v", cfg.Checks.Codes())
	}
	if _, err := NewLoader("all,-TB999", ""); err == nil || !strings.Contains(err.Error(), `-checks: unknown check or analyzer "TB999"`) {
		t.Errorf("bad -checks: %v", err)
	}
	if _, err := NewLoader("", "TB9*"); err == nil || !strings.Contains(err.Error(), `-fail: pattern "TB9*" matches no check`) {
		t.Errorf("bad -fail: %v", err)
	}
}

func TestLoaderFileErrors(t *testing.T) {
	for _, tc := range []struct{ content, want string }{
		{`checks = ["all", "-TB999"]`, `tbls.conf: checks: unknown check or analyzer "TB999"`},
		{`fail = ["all,-TB302"]`, `fail: "all,-TB302": one pattern a string`},
		{`check = ["all"]`, "unknown key check: a tbls.conf holds only checks and fail"},
		{`checks = "all"`, "tbls.conf"},
		{`checks = [`, "tbls.conf"},
		{`checks = []`, "checks: empty list of checks"},
	} {
		root := write(t, map[string]string{"sub/tbls.conf": tc.content})
		l, _ := NewLoader("", "")
		_, err := l.Dir(filepath.Join(root, "sub", "deeper"))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), filepath.Join(root, "sub", FileName)) {
			t.Errorf("%s: got %v, want an error naming the file and %q", tc.content, err, tc.want)
		}
		// CheckTree finds it from the root, where Dir would not look.
		l, _ = NewLoader("", "")
		if err := l.CheckTree(root); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckTree with %s: %v", tc.content, err)
		}
	}
	root := write(t, map[string]string{"testdata/tbls.conf": "bad", ".hidden/tbls.conf": "bad", "ok/tbls.conf": `checks = ["all"]`})
	l, _ := NewLoader("", "")
	if err := l.CheckTree(root); err != nil {
		t.Errorf("CheckTree must skip testdata and hidden directories: %v", err)
	}
}

func TestFilter(t *testing.T) {
	root := write(t, map[string]string{"quiet/tbls.conf": `checks = ["inherit", "-TB302"]` + "\nfail = [\"TB201\"]\n"})
	diags := []report.Diagnostic{
		{File: filepath.Join(root, "a.go"), Code: rules.TB302},
		{File: filepath.Join(root, "quiet", "b.go"), Code: rules.TB302},
		{File: filepath.Join(root, "quiet", "b.go"), Code: rules.TB101},
		{File: filepath.Join(root, "quiet", "x.pipe"), Code: rules.TB201},
		{File: filepath.Join(root, "quiet", "c.go"), Code: "XX999"},
	}
	l, _ := NewLoader("", "")
	kept, failing, err := l.Filter(diags)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range kept {
		rel, _ := filepath.Rel(root, d.File)
		got = append(got, rel+":"+string(d.Code))
	}
	want := []string{"a.go:TB302", "quiet/b.go:TB101", "quiet/x.pipe:TB201", "quiet/c.go:XX999"}
	if !slices.Equal(got, want) || failing != 3 { // TB302 in the root, TB201, XX999
		t.Errorf("Filter kept %v (%d failing), want %v (3 failing)", got, failing, want)
	}
}

// FuzzParseList checks that the pattern parser never panics and that
// what it accepts round-trips through String and selects only checks.
func FuzzParseList(f *testing.F) {
	for _, s := range []string{"all", "all,-TB302", "TB2*", "scope,-TB206", "inherit,-scope", "none", "-TB302", "*,-*", "tb101", "T*B", ",", "all,-", "\x00", "TB2**"} {
		f.Add(s)
	}
	parent := Set{codes: map[rules.Code]bool{rules.TB101: true}}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseList(s)
		if err != nil {
			if err.Error() == "" {
				t.Errorf("ParseList(%q): an empty error", s)
			}
			return
		}
		set := l.Apply(parent)
		for _, c := range set.Codes() {
			if _, ok := rules.Lookup(c); !ok {
				t.Errorf("ParseList(%q) selects %q, not a check", s, c)
			}
		}
		again, err := ParseList(l.String())
		if err != nil {
			t.Fatalf("ParseList(%q).String() = %q does not parse: %v", s, l.String(), err)
		}
		if !slices.Equal(again.Apply(parent).Codes(), set.Codes()) {
			t.Errorf("%q and its String %q select different checks", s, l.String())
		}
	})
}

// TestLoaderSpecialFile checks that a tbls.conf that is a FIFO, or a link
// to a device, is an error naming it rather than a read that never ends:
// anyone can commit one to a repository the language server opens.
func TestLoaderSpecialFile(t *testing.T) {
	for _, mk := range []func(path string) error{
		func(path string) error { return syscall.Mkfifo(path, 0o644) },
		func(path string) error { return os.Symlink("/dev/zero", path) },
	} {
		root := t.TempDir()
		path := filepath.Join(root, FileName)
		if err := mk(path); err != nil {
			t.Fatal(err)
		}
		l, _ := NewLoader("", "")
		_, err := l.Dir(root)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("Dir with a special %s: %v, want an error naming it", FileName, err)
		}
	}
}

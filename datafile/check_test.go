package datafile

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

// want is one expected diagnostic.
type want struct {
	code rules.Code
	sev  rules.Severity
	at   string            // the source text the diagnostic covers
	msg  string            // a part of the message
	fix  map[string]string // fix message -> the whole text after applying it
}

// apply applies edits to src; they must be ordered and not overlap.
func apply(t *testing.T, src string, edits []Edit) string {
	t.Helper()
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			t.Fatalf("bad edit %+v (previous end %d, len %d)", e, last, len(src))
		}
		b.WriteString(src[last:e.Start])
		b.WriteString(e.NewText)
		last = e.End
	}
	b.WriteString(src[last:])
	return b.String()
}

const (
	E = rules.Error
	W = rules.Warning
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name     string
		filename string
		src      string
		want     []want
	}{
		// TB205: arity, blocks, quotes.
		{
			name: "TOKEN without arguments", filename: "events.datasource",
			src: "TOKEN\n",
			want: []want{{code: rules.TB205, sev: E, at: "TOKEN", msg: "TOKEN takes two params: token name and permission",
				fix: map[string]string{"Remove the TOKEN line": ""}}},
		},
		{
			name: "TOKEN without a scope on a datasource", filename: "events.datasource",
			src: "TOKEN app_read  # no scope\nENGINE \"MergeTree\"\n",
			want: []want{{code: rules.TB205, sev: E, at: "TOKEN app_read", msg: "found 1",
				fix: map[string]string{
					"Add the scope READ":    "TOKEN app_read READ  # no scope\nENGINE \"MergeTree\"\n",
					"Add the scope APPEND":  "TOKEN app_read APPEND  # no scope\nENGINE \"MergeTree\"\n",
					"Remove the TOKEN line": "ENGINE \"MergeTree\"\n",
				}}},
		},
		{
			name: "TOKEN without a scope on a pipe offers READ only", filename: "top_events.pipe",
			src: "TOKEN app_read",
			want: []want{{code: rules.TB205, sev: E, at: "TOKEN app_read",
				fix: map[string]string{"Add the scope READ": "TOKEN app_read READ", "Remove the TOKEN line": ""}}},
		},
		{
			name: "unquoted name with spaces", filename: "events.datasource",
			src: "TOKEN read api token READ\n",
			want: []want{{code: rules.TB205, sev: E, at: "TOKEN read api token READ", msg: "found 4",
				fix: map[string]string{
					"Join the name's words with underscores: read_api_token": "TOKEN read_api_token READ\n",
					"Quote the token name":  "TOKEN \"read api token\" READ\n",
					"Remove the TOKEN line": "",
				}}},
		},
		{
			name: "extra word after the scope", filename: "events.datasource",
			src: "TOKEN a READ now\n",
			want: []want{{code: rules.TB205, sev: E, at: "TOKEN a READ now", msg: "found 3",
				fix: map[string]string{"Remove the words after the scope": "TOKEN a READ\n", "Remove the TOKEN line": ""}}},
		},
		{
			name: "# glued to a name starts a comment", filename: "events.datasource",
			src:  "TOKEN a#b READ\n",
			want: []want{{code: rules.TB205, sev: E, at: "TOKEN a", msg: "# starts a comment, even inside a word"}},
		},
		{
			name: "TOKEN block", filename: "events.datasource",
			src: "TOKEN >\n    a READ\nENGINE \"MergeTree\"\n",
			want: []want{{code: rules.TB205, sev: E, at: "TOKEN >", msg: "does not take a block",
				fix: map[string]string{"Remove the TOKEN line": "ENGINE \"MergeTree\"\n"}}},
		},
		{
			name: "unterminated quote before a scope", filename: "events.datasource",
			src: "TOKEN \"read api READ\n",
			want: []want{{code: rules.TB205, sev: E, at: `"read api READ`, msg: "unterminated \" quote",
				fix: map[string]string{"Close the quote before the scope": "TOKEN \"read api\" READ\n"}}},
		},
		{
			name: "unterminated quote without a scope", filename: "events.datasource",
			src: "TOKEN 'read api",
			want: []want{{code: rules.TB205, sev: E, at: `'read api`,
				fix: map[string]string{"Close the quote at the end of the line": "TOKEN 'read api'"}}},
		},
		{
			name: "quoted name with spaces is one argument", filename: "events.datasource",
			src: "TOKEN 'read api' READ\n",
			want: []want{{code: rules.TB101, sev: W, at: `'read api'`, msg: "Tinybird accepts it in a datafile",
				fix: map[string]string{"Rename the token to read_api (a new token: \"read api\" loses access on deploy)": "TOKEN read_api READ\n"}}},
		},

		// TB202: unknown scopes.
		{
			name: "unknown scope on a datasource", filename: "events.datasource",
			src:  "TOKEN a WRITE\n",
			want: []want{{code: rules.TB202, sev: E, at: "WRITE", msg: `Unknown scope "WRITE": a datasource accepts READ or APPEND`}},
		},
		{
			name: "unknown scope on a pipe suggests READ", filename: "top_events.pipe",
			src: "TOKEN a WRITE\n",
			want: []want{{code: rules.TB202, sev: E, at: "WRITE",
				fix: map[string]string{"Change the scope to READ": "TOKEN a READ\n"}}},
		},
		{
			name: "lower-case scope is a warning", filename: "events.datasource",
			src: "TOKEN a append\r\nTOKEN b Read\r\n",
			want: []want{
				{code: rules.TB202, sev: W, at: "append", msg: "the Tinybird CLI upper-cases it",
					fix: map[string]string{"Write the scope in upper case: APPEND": "TOKEN a APPEND\r\nTOKEN b Read\r\n"}},
				{code: rules.TB202, sev: W, at: "Read",
					fix: map[string]string{"Write the scope in upper case: READ": "TOKEN a append\r\nTOKEN b READ\r\n"}},
			},
		},
		{
			name: "quoted scope is an error", filename: "events.datasource",
			src: "TOKEN a \"read \"\n",
			want: []want{{code: rules.TB202, sev: E, at: `"read "`, msg: "is quoted",
				fix: map[string]string{"Change the scope to READ": "TOKEN a READ\n"}}},
		},

		// TB201: non-READ scopes on pipes.
		{
			name: "APPEND on an endpoint", filename: "top_events.pipe",
			src: "NODE endpoint\nSQL >\n    SELECT 1\nTYPE endpoint\nTOKEN ingest APPEND\nTOKEN app_read READ\n",
			want: []want{{code: rules.TB201, sev: E, at: "APPEND", msg: "not allowed on an endpoint",
				fix: map[string]string{
					"Change the scope to READ": "NODE endpoint\nSQL >\n    SELECT 1\nTYPE endpoint\nTOKEN ingest READ\nTOKEN app_read READ\n",
					"Remove the TOKEN line":    "NODE endpoint\nSQL >\n    SELECT 1\nTYPE endpoint\nTOKEN app_read READ\n",
				}}},
		},
		{
			name: "lower-case append on a materialized view", filename: "mv.pipe",
			src:  "NODE n\nTYPE MATERIALIZED\nDATASOURCE d\nTOKEN ingest append",
			want: []want{{code: rules.TB201, sev: E, at: "append", msg: "materialized view"}},
		},
		{
			name: "APPEND on a plain pipe", filename: "p.pipe",
			src:  "TOKEN a APPEND\n",
			want: []want{{code: rules.TB201, sev: E, at: "APPEND", msg: "on a pipe"}},
		},
		{
			name: "APPEND on a datasource is fine", filename: "events.datasource",
			src: "TOKEN a APPEND\nTOKEN a READ\n",
		},
		{
			name: "TOKEN APPEND inside an SQL body is text", filename: "p.pipe",
			src: "NODE n\nSQL >\n    SELECT 1\n    TOKEN x APPEND\n\tTOKEN y WRITE\n    TOKEN \"unterminated\nFROM t\nTYPE endpoint\n",
		},

		// TB101: token names.
		{
			name: "token name with a hyphen", filename: "events.datasource",
			src: "TOKEN app-read READ\n",
			want: []want{{code: rules.TB101, sev: W, at: "app-read", msg: `Invalid token name: "app-read"`,
				fix: map[string]string{"Rename the token to app_read (a new token: app-read loses access on deploy)": "TOKEN app_read READ\n"}}},
		},
		{
			name: "empty quoted name has no rename", filename: "events.datasource",
			src:  "TOKEN \"\" READ\n",
			want: []want{{code: rules.TB101, sev: W, at: `""`}},
		},
		{
			name: "quoted valid name is fine", filename: "events.datasource",
			src: "TOKEN \"app_read\" READ\ntoken _x1 READ # lower-case keyword\n",
		},

		// TB103, TB104: the name from the file name.
		{
			name: "invalid pipe name", filename: "dir/top-events.pipe",
			src:  "NODE n\nSQL >\n    SELECT 1\n",
			want: []want{{code: rules.TB103, sev: E, at: "NODE n", msg: `Invalid pipe name: "top-events"`}},
		},
		{
			name: "invalid datasource name, empty file", filename: "1events.datasource",
			src:  "",
			want: []want{{code: rules.TB103, sev: E, at: "", msg: "rename the file"}},
		},
		{
			name: "reserved pipe name", filename: "select.pipe",
			src:  "\nNODE n\n",
			want: []want{{code: rules.TB104, sev: E, at: "", msg: `Reserved pipe name: "select"`}},
		},
		{
			name: "reserved datasource name ignores case", filename: "Default.datasource",
			src:  "SCHEMA >\r\n    a Int32\r\n",
			want: []want{{code: rules.TB104, sev: E, at: "SCHEMA >"}},
		},
		{
			name: "allowed word", filename: "materialized.pipe",
			src: "NODE n\n",
		},

		// TB206: duplicate grants.
		{
			name: "duplicate grant", filename: "events.datasource",
			src: "TOKEN a READ\nTOKEN b READ\nTOKEN \"a\" READ\n",
			want: []want{{code: rules.TB206, sev: W, at: `TOKEN "a" READ`, msg: `Token "a" is granted READ twice`,
				fix: map[string]string{"Remove the duplicate TOKEN line": "TOKEN a READ\nTOKEN b READ\n"}}},
		},
		{
			name: "duplicate after upper-casing", filename: "events.datasource",
			src: "TOKEN a READ\nTOKEN a read\n",
			want: []want{
				{code: rules.TB206, sev: W, at: "TOKEN a read"},
				{code: rules.TB202, sev: W, at: "read"},
			},
		},
		{
			name: "two scopes are not a duplicate", filename: "events.datasource",
			src: "TOKEN a READ\nTOKEN a APPEND\n",
		},
		{
			name: "refused grants do not count as duplicates", filename: "p.pipe",
			src: "TOKEN a APPEND\nTOKEN a APPEND\n",
			want: []want{
				{code: rules.TB201, sev: E, at: "APPEND"},
				{code: rules.TB201, sev: E, at: "APPEND"},
			},
		},

		// Files that are not datafiles.
		{
			name: "not a datafile", filename: "notes.txt",
			src: "TOKEN a APPEND\nTOKEN\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The cases are fragments about TOKEN lines and names: the
			// whole-file and whole-node checks (TB802, TB501, TB601, TB603)
			// are TestCheckShape's and TestCheckSchema's.
			got := slices.DeleteFunc(Check(tt.filename, []byte(tt.src)), func(d Diagnostic) bool {
				return d.Code == rules.TB802 || d.Code == rules.TB501 || d.Code == rules.TB601 || d.Code == rules.TB603
			})
			checkDiagnostics(t, tt.src, got)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), dump(tt.src, got))
			}
			for i, w := range tt.want {
				d := got[i]
				at := tt.src[d.Start:d.End]
				if d.Code != w.code || d.Severity != w.sev || at != w.at || !strings.Contains(d.Message, w.msg) {
					t.Errorf("diagnostic %d:\n got %s %s %q %q\nwant %s %s %q containing %q", i, d.Code, d.Severity, at, d.Message, w.code, w.sev, w.at, w.msg)
				}
				if w.fix == nil {
					continue
				}
				var msgs []string
				for _, f := range d.Fixes {
					msgs = append(msgs, f.Message)
					want, ok := w.fix[f.Message]
					if !ok {
						t.Errorf("diagnostic %d: unexpected fix %q", i, f.Message)
						continue
					}
					if res := apply(t, tt.src, f.Edits); res != want {
						t.Errorf("fix %q:\n got %q\nwant %q", f.Message, res, want)
					}
				}
				for m := range w.fix {
					if !slices.Contains(msgs, m) {
						t.Errorf("diagnostic %d: missing fix %q (have %q)", i, m, msgs)
					}
				}
			}
		})
	}
}

func dump(src string, ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(string(d.Code) + " " + d.Severity.String() + " " + src[d.Start:d.End] + ": " + d.Message + "\n")
	}
	return b.String()
}

// checkDiagnostics checks what must hold of any result of Check: ranges
// within the source, diagnostics ordered, fixes with distinct messages and
// ordered, non-overlapping edits within the source.
func checkDiagnostics(t *testing.T, src string, ds []Diagnostic) {
	t.Helper()
	n := len(src)
	if !sort.SliceIsSorted(ds, func(i, j int) bool { return ds[i].Start < ds[j].Start }) {
		t.Fatalf("diagnostics not ordered by Start")
	}
	for _, d := range ds {
		if d.Start < 0 || d.End > n || d.Start > d.End {
			t.Fatalf("%s range [%d,%d) outside [0,%d]", d.Code, d.Start, d.End, n)
		}
		if _, ok := rules.Lookup(d.Code); !ok || d.Message == "" || (d.Severity != rules.Error && d.Severity != rules.Warning) {
			t.Fatalf("malformed diagnostic %+v", d)
		}
		seen := map[string]bool{}
		for _, f := range d.Fixes {
			if seen[f.Message] || f.Message == "" {
				t.Fatalf("%s: fix message %q empty or repeated", d.Code, f.Message)
			}
			seen[f.Message] = true
			last := 0
			for _, e := range f.Edits {
				if e.Start < last || e.End < e.Start || e.End > n {
					t.Fatalf("%s: fix %q edit %+v overlaps, is reversed or out of [0,%d]", d.Code, f.Message, e, n)
				}
				last = e.End
			}
		}
	}
}

// TestFixesResolve applies every fix of every diagnostic and checks that the
// diagnostic it fixes is gone: a fix that leaves its problem in place, or
// trades it for another error on the same line, is a bad fix.
func TestFixesResolve(t *testing.T) {
	srcs := map[string]string{
		"events.datasource": "TOKEN\nTOKEN a\nTOKEN z READ now then\nTOKEN read api token READ\nTOKEN a WRITE\nTOKEN b append\nTOKEN c \"READ\"\nTOKEN d-e READ\nTOKEN \"f g\" APPEND\nTOKEN \"h READ\nTOKEN a READ\nTOKEN a READ\n",
		"top_events.pipe":   "NODE n\nSQL >\n    SELECT 1\nTYPE endpoint\nTOKEN a APPEND\nTOKEN b write\nTOKEN c\nTOKEN x y READ\n",
	}
	for filename, src := range srcs {
		for _, d := range Check(filename, []byte(src)) {
			for _, f := range d.Fixes {
				fixed := apply(t, src, f.Edits)
				line := lineOf(src, d.Start)
				for _, d2 := range Check(filename, []byte(fixed)) {
					if d2.Severity == rules.Error && lineOf(fixed, d2.Start) == line && d2.Code == d.Code && !strings.HasPrefix(f.Message, "Remove") {
						t.Errorf("%s: fix %q of %s %q leaves %s %q on line %d:\n%s", filename, f.Message, d.Code, src[d.Start:d.End], d2.Code, d2.Message, line, fixed)
					}
				}
			}
		}
	}
}

func lineOf(s string, off int) int { return strings.Count(s[:off], "\n") }

func TestTokenGrants(t *testing.T) {
	src := "NODE n\nSQL >\n    TOKEN hidden APPEND\nTYPE endpoint\nTOKEN app_read READ\nTOKEN \"read api\" read\nTOKEN bad\nTOKEN \"open READ\nTOKEN x APPEND\n"
	f := ParseFile("dir/top_events.pipe", []byte(src))
	gs := f.TokenGrants()
	var got []string
	for _, g := range gs {
		got = append(got, g.Token+"|"+g.Scope+"|"+g.ScopeText+"|"+src[g.NameStart:g.NameEnd]+"|"+src[g.ScopeStart:g.ScopeEnd]+"|"+g.Resource+"|"+g.Kind.String())
	}
	want := []string{
		"app_read|READ|READ|app_read|READ|top_events|endpoint",
		`read api|READ|read|"read api"|read|top_events|endpoint`,
		"x|APPEND|APPEND|x|APPEND|top_events|endpoint",
	}
	if !slices.Equal(got, want) {
		t.Errorf("grants:\n got %q\nwant %q", got, want)
	}
	g, ok := f.GrantAt(strings.Index(src, "read api"))
	if !ok || g.Token != "read api" {
		t.Errorf("GrantAt the quoted name = %+v, %v", g, ok)
	}
	if _, ok := f.GrantAt(strings.Index(src, "hidden")); ok {
		t.Errorf("GrantAt inside an SQL body found a grant")
	}
	if _, ok := f.GrantAt(strings.Index(src, "bad")); ok {
		t.Errorf("GrantAt on a malformed TOKEN line found a grant")
	}
}

func TestCompletionContext(t *testing.T) {
	const pipe = "NODE n\nSQL >\n    SELECT 1\n    TOKEN a |\nTYPE endpoint\n"
	tests := []struct {
		name     string
		filename string
		src      string // | marks the cursor
		ok       bool
		kind     rules.Kind
		token    string
		word     string // the text of the range to replace
		prefix   string
	}{
		{name: "after the name", filename: "e.datasource", src: "TOKEN app_read |\n", ok: true, kind: rules.KindDatasource, token: "app_read"},
		{name: "after the name at end of file", filename: "e.datasource", src: "TOKEN app_read |", ok: true, kind: rules.KindDatasource, token: "app_read"},
		{name: "after the name, several spaces", filename: "e.datasource", src: "TOKEN app_read   |  ", ok: true, kind: rules.KindDatasource, token: "app_read"},
		{name: "partial scope", filename: "e.datasource", src: "TOKEN app_read RE|\n", ok: true, kind: rules.KindDatasource, token: "app_read", word: "RE", prefix: "RE"},
		{name: "inside the scope", filename: "e.datasource", src: "TOKEN app_read AP|PEND\n", ok: true, kind: rules.KindDatasource, token: "app_read", word: "APPEND", prefix: "AP"},
		{name: "start of the scope", filename: "e.datasource", src: "TOKEN app_read |READ\n", ok: true, kind: rules.KindDatasource, token: "app_read", word: "READ"},
		{name: "quoted name", filename: "e.datasource", src: "TOKEN \"read api\" |\n", ok: true, kind: rules.KindDatasource, token: "read api"},
		{name: "lower-case keyword, tab", filename: "e.datasource", src: "token\tapp\t|\n", ok: true, kind: rules.KindDatasource, token: "app"},
		{name: "before a comment", filename: "e.datasource", src: "TOKEN app |# grants\n", ok: true, kind: rules.KindDatasource, token: "app"},
		{name: "endpoint kind", filename: "top_events.pipe", src: "NODE n\nSQL >\n    SELECT 1\nTYPE endpoint\nTOKEN app |\n", ok: true, kind: rules.KindEndpoint, token: "app"},
		{name: "CRLF", filename: "top_events.pipe", src: "NODE n\r\nTOKEN app |\r\nTYPE copy\r\n", ok: true, kind: rules.KindCopyPipe, token: "app"},
		{name: "after a block, column 0", filename: "top_events.pipe", src: "NODE n\nSQL >\n    SELECT 1\nTOKEN app R|", ok: true, kind: rules.KindPipe, token: "app", word: "R", prefix: "R"},

		{name: "on the keyword", filename: "e.datasource", src: "TOK|EN app READ\n"},
		{name: "right after the keyword", filename: "e.datasource", src: "TOKEN |\n"},
		{name: "at the name", filename: "e.datasource", src: "TOKEN app|\n"},
		{name: "inside the name", filename: "e.datasource", src: "TOKEN a|pp READ\n"},
		{name: "inside quotes", filename: "e.datasource", src: "TOKEN \"read |api\" READ\n"},
		{name: "inside an open quote", filename: "e.datasource", src: "TOKEN \"read api |\n"},
		{name: "inside a quoted scope", filename: "e.datasource", src: "TOKEN app \"RE|\"\n"},
		{name: "past the scope", filename: "e.datasource", src: "TOKEN app READ |\n"},
		{name: "between name and scope", filename: "e.datasource", src: "TOKEN app | READ\n"},
		{name: "in a comment", filename: "e.datasource", src: "TOKEN app # |\n"},
		{name: "other directive", filename: "e.datasource", src: "ENGINE_TTL x |\n"},
		{name: "TOKEN block", filename: "e.datasource", src: "TOKEN > |\n"},
		{name: "inside an SQL body", filename: "top_events.pipe", src: pipe},
		{name: "inside an SQL body, tab", filename: "top_events.pipe", src: "NODE n\nSQL >\n\tTOKEN a |\n"},
		{name: "next line", filename: "e.datasource", src: "TOKEN app \n|"},
		{name: "not a datafile", filename: "notes.txt", src: "TOKEN app |\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off := strings.Index(tt.src, "|")
			src := tt.src[:off] + tt.src[off+1:]
			c, ok := CompletionContext(tt.filename, []byte(src), off)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, c)
			}
			if !ok {
				return
			}
			if c.Kind != tt.kind || c.Token != tt.token || src[c.Start:c.End] != tt.word || c.Prefix != tt.prefix {
				t.Errorf("got kind %v token %q word %q prefix %q, want %v %q %q %q", c.Kind, c.Token, src[c.Start:c.End], c.Prefix, tt.kind, tt.token, tt.word, tt.prefix)
			}
			if c.Start > off || c.End < off {
				t.Errorf("range [%d,%d) does not contain the cursor %d", c.Start, c.End, off)
			}
		})
	}
	if _, ok := CompletionContext("e.datasource", []byte("TOKEN a "), 99); ok {
		t.Error("an offset past the end must not complete")
	}
}

// FuzzParse checks that Parse never panics and that every offset it
// returns is within the source and consistent.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		file := Parse(src)
		checkInvariants(t, file)
		for off := 0; off <= len(src); off += 1 + len(src)/64 {
			file.DirectiveAt(off)
			line, col := file.Position(off)
			if got := file.Offset(line, col); got != off && !(off > 0 && (src[off-1] == '\r')) {
				t.Fatalf("Offset(Position(%d)) = %d", off, got)
			}
		}
	})
}

// FuzzCheck checks that Check and CompletionContext never panic, and that
// diagnostics and fixes are well formed, for every kind of file. INCLUDE
// resolves every path to the input itself, so that includes nest and cycle.
func FuzzCheck(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		self := Options{ReadFile: func(string) ([]byte, error) { return src, nil }}
		for _, name := range []string{"events.datasource", "top-events.pipe", "kafka.connection", "common.incl", "ws.shared.datasource"} {
			file := ParseFile(name, src)
			checkDiagnostics(t, string(src), CheckFile(file))
			checkDiagnostics(t, string(src), CheckWith("dir/"+name, src, self))
			for off := 0; off <= len(src); off += 1 + len(src)/64 {
				if c, ok := file.CompletionAt(off); ok {
					if c.Start < 0 || c.End > len(src) || c.Start > off || c.End < off {
						t.Fatalf("completion range [%d,%d) for cursor %d", c.Start, c.End, off)
					}
				}
			}
			for _, g := range file.TokenGrants() {
				if g.NameStart < 0 || g.ScopeEnd > len(src) || g.NameEnd > g.ScopeStart {
					t.Fatalf("grant offsets %+v", g)
				}
			}
		}
	})
}

func addSeeds(f *testing.F) {
	paths, _ := os.ReadDir("testdata")
	for _, p := range paths {
		if !strings.HasSuffix(p.Name(), ExtDatasource) && !strings.HasSuffix(p.Name(), ExtPipe) {
			continue
		}
		if src, err := os.ReadFile("testdata/" + p.Name()); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"", "\r", "\n\r\n", "TOKEN", "TOKEN \"", "TOKEN 'a b' READ\r\n", "TOKEN a#b READ", "SQL >", "SQL >\n\tTOKEN a APPEND\nTOKEN b c d",
		"NODE\nNODE n\nTYPE\nTYPE sink\nTOKEN >\n  x\n", "TOKEN \"a\"\"b\" READ\n#\n  #\n", "TOKEN a read\nTOKEN a READ\nTOKEN \"h READ",
		"\uFEFF", "\uFEFFTOKEN a READ\n", "-- c\nSETTINGS x\nNODE from\nTYPE api\n", "INCLUDE \"a.incl\" \"X=$Y\"\nINCLUDE\nINCLUDE >\n",
		"SELECT 1\nFROM t\n", "NODE ${N}\nSQL >\n    $$X ${X\n", "SCHEMA >\n  a Int8\nNODE n\n",
		"SCHEMA >\n  `a` Nullable(Int8) `json:$.a`, -- c\n  b DEFAULT 1,\n  `c d` Enum8('x,y' = 1)\nENGINE ReplacingMergeTree\nENGINE_SORTING_KEY a, b\nENGINE_VER c\nENGINE_PRIMARY_KEY \"b\"\n",
		"SCHEMA >\n  `a\n  (b\nKAFKA_TOPIC t\nENGINE_SORTING_KEY __timestamp\n",
	} {
		f.Add([]byte(s))
	}
}

func ExampleCheck() {
	src := []byte("NODE endpoint\nSQL >\n    SELECT 1\n    TOKEN ignored APPEND\n\nTYPE endpoint\nTOKEN app-read APPEND\n")
	for _, d := range Check("top_events.pipe", src) {
		fmt.Printf("%s %s %q\n", d.Code, d.Severity, src[d.Start:d.End])
		for _, f := range d.Fixes {
			fmt.Println("  fix:", f.Message)
		}
	}
	// Output:
	// TB101 warning "app-read"
	//   fix: Rename the token to app_read (a new token: app-read loses access on deploy)
	// TB201 error "APPEND"
	//   fix: Change the scope to READ
	//   fix: Remove the TOKEN line
}

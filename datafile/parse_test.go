package datafile

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

// summary renders what the parser made of a file, one line per directive:
//
//	KEYWORD arg arg > [body line|body line] @node
//
// with args as written and "@node" naming the NODE section.
func summary(f *File) []string {
	var out []string
	for _, d := range f.Directives {
		var b strings.Builder
		b.WriteString(d.Keyword.Text)
		if d.Block != nil {
			b.WriteString(" >")
		}
		for _, a := range d.Args {
			b.WriteString(" " + a.Text)
		}
		if d.Block != nil {
			var lines []string
			for _, l := range d.Block.Lines {
				lines = append(lines, string(f.Src[l.Start:l.End]))
			}
			b.WriteString(" [" + strings.Join(lines, "|") + "]")
		}
		if d.Node != nil {
			b.WriteString(" @" + d.Node.Name())
		}
		out = append(out, b.String())
	}
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		want   []string
		errors int // syntax errors expected
	}{
		{
			name: "empty",
			src:  "",
		},
		{
			name: "only comments and blank lines",
			src:  "# a comment\n\n   \n\t# indented comment\n",
		},
		{
			name: "datasource blocks",
			src: "DESCRIPTION >\n    User events\n\nSCHEMA >\n    timestamp DateTime `json:$.timestamp`,\n    user_id String\n\n" +
				"ENGINE \"MergeTree\"\nENGINE_SORTING_KEY \"user_id, timestamp\"\n\nINDEXES >\n    idx event TYPE bloom_filter(0.01) GRANULARITY 4\n\n" +
				"TOKEN app_read READ\nSHARED_WITH >\n    ws_a,\n    ws_b",
			want: []string{
				"DESCRIPTION > [    User events]",
				"SCHEMA > [    timestamp DateTime `json:$.timestamp`,|    user_id String]",
				`ENGINE "MergeTree"`,
				`ENGINE_SORTING_KEY "user_id, timestamp"`,
				"INDEXES > [    idx event TYPE bloom_filter(0.01) GRANULARITY 4]",
				"TOKEN app_read READ",
				"SHARED_WITH > [    ws_a,|    ws_b]",
			},
		},
		{
			name: "nested NODE sections",
			src: "DESCRIPTION >\n    pipe doc\n\nNODE first\nSQL >\n    SELECT 1\n\nNODE second\nDESCRIPTION >\n    node doc\nSQL >\n    SELECT * FROM first\n\n" +
				"TYPE endpoint\nCACHE 60\n\nTOKEN app_read READ\n",
			want: []string{
				"DESCRIPTION > [    pipe doc]",
				"NODE first @first",
				"SQL > [    SELECT 1] @first",
				"NODE second @second",
				"DESCRIPTION > [    node doc] @second",
				"SQL > [    SELECT * FROM first] @second",
				"TYPE endpoint @second",
				"CACHE 60 @second",
				"TOKEN app_read READ @second",
			},
		},
		{
			name: "SQL body containing TOKEN and NODE words",
			src:  "NODE n\nSQL >\n    SELECT 'TOKEN' AS t\n    TOKEN x APPEND\n\tNODE inner\n    -- TYPE endpoint\nTYPE endpoint\n",
			want: []string{
				"NODE n @n",
				"SQL > [    SELECT 'TOKEN' AS t|    TOKEN x APPEND|\tNODE inner|    -- TYPE endpoint] @n",
				"TYPE endpoint @n",
			},
		},
		{
			name: "column-0 SQL stays in the body, column-0 keyword ends it",
			src:  "NODE n\nSQL >\n    SELECT *\nFROM events\nWHERE 1\nSETTINGS max_threads = 1\ntoken a READ\n",
			want: []string{
				"NODE n @n",
				"SQL > [    SELECT *|FROM events|WHERE 1|SETTINGS max_threads = 1] @n",
				"token a READ @n",
			},
		},
		{
			name: "keywords ignore case",
			src:  "node n\nsql >\n    select 1\nNode m\nSql >\n    select 2\n",
			want: []string{"node n @n", "sql > [    select 1] @n", "Node m @m", "Sql > [    select 2] @m"},
		},
		{
			name: "quotes",
			src: "TOKEN \"read api token\" READ\nTOKEN 'a b' READ\nTOKEN \"a\"b READ\nTOKEN a\"b c\" READ\nTOKEN \"a#b\" READ\n" +
				"TOKEN a#b READ\nTOKEN \"\" READ\nENGINE_SORTING_KEY \"a, b\" # trailing comment\n",
			want: []string{
				`TOKEN "read api token" READ`,
				`TOKEN 'a b' READ`,
				`TOKEN "a" b READ`,
				`TOKEN a"b c" READ`,
				`TOKEN "a#b" READ`,
				`TOKEN a`,
				`TOKEN "" READ`,
				`ENGINE_SORTING_KEY "a, b"`,
			},
		},
		{
			name: "comments inside a body are skipped, # in SQL kept",
			src:  "NODE n\nSQL >\n    SELECT 1\n    # a note\n# column-0 note\n\n    , '#' AS hash # not a comment\nTYPE endpoint # comment\n",
			want: []string{
				"NODE n @n",
				"SQL > [    SELECT 1|    , '#' AS hash # not a comment] @n",
				"TYPE endpoint @n",
			},
		},
		{
			name: "CRLF",
			src:  "NODE n\r\nSQL >\r\n    SELECT 1\r\n    TOKEN x APPEND\r\n\r\nTOKEN a READ\r\n",
			want: []string{"NODE n @n", "SQL > [    SELECT 1|    TOKEN x APPEND] @n", "TOKEN a READ @n"},
		},
		{
			name: "lone CR line ends",
			src:  "TOKEN a READ\rTOKEN b READ\r",
			want: []string{"TOKEN a READ", "TOKEN b READ"},
		},
		{
			name: "tabs and spaces",
			src:  "SCHEMA >\n\ta Int32,\n  b String\n\tTOKEN x APPEND\n\t\nTOKEN\ta\tREAD\n    TOKEN b READ\n",
			want: []string{"SCHEMA > [\ta Int32,|  b String|\tTOKEN x APPEND]", "TOKEN a READ", "TOKEN b READ"},
		},
		{
			name:   "unterminated quote on a directive line",
			src:    "TOKEN \"read api READ\nTOKEN ok READ\n",
			want:   []string{`TOKEN "read api READ`, "TOKEN ok READ"},
			errors: 1,
		},
		{
			name: "unterminated quote in a body is body text",
			src:  "NODE n\nSQL >\n    SELECT 'it\nTOKEN \"x READ\n'\nTOKEN a READ\n",
			want: []string{"NODE n @n", "SQL > [    SELECT 'it|TOKEN \"x READ|'] @n", "TOKEN a READ @n"},
		},
		{
			name: "block header with text after the marker, and at the end of the file",
			src:  "SQL > SELECT 1\n    SELECT 2\nDESCRIPTION >",
			want: []string{"SQL > SELECT 1 [    SELECT 2]", "DESCRIPTION > []"},
		},
		{
			name: "unknown directives",
			src:  "FOO bar\nNODE n\nSQL >\n    SELECT 1\nBAR baz\n",
			want: []string{"FOO bar", "NODE n @n", "SQL > [    SELECT 1|BAR baz] @n"},
		},
		{
			name: "engine, kafka, import and export families end blocks",
			src:  "SCHEMA >\n    a Int32\nENGINE_TTL \"a\"\nFORWARD_QUERY >\n    SELECT a\nKAFKA_TOPIC t\nIMPORT_SCHEDULE @auto\nEXPORT_FORMAT csv\n",
			want: []string{"SCHEMA > [    a Int32]", `ENGINE_TTL "a"`, "FORWARD_QUERY > [    SELECT a]", "KAFKA_TOPIC t", "IMPORT_SCHEDULE @auto", "EXPORT_FORMAT csv"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse([]byte(tt.src))
			if got := summary(f); !slices.Equal(got, tt.want) {
				t.Errorf("directives:\n got %q\nwant %q", got, tt.want)
			}
			if len(f.Errors) != tt.errors {
				t.Errorf("got %d syntax errors %v, want %d", len(f.Errors), f.Errors, tt.errors)
			}
			checkInvariants(t, f)
		})
	}
}

// checkInvariants checks what must hold of any parse: offsets within the
// text and in order, token text equal to the source at its offsets.
func checkInvariants(t *testing.T, f *File) {
	t.Helper()
	n := len(f.Src)
	in := func(what string, s, e int) {
		t.Helper()
		if s < 0 || e > n || s > e {
			t.Fatalf("%s [%d,%d) out of [0,%d] or reversed", what, s, e, n)
		}
	}
	tok := func(tk Token) {
		t.Helper()
		in("token", tk.Start, tk.End)
		if string(f.Src[tk.Start:tk.End]) != tk.Text {
			t.Fatalf("token %q does not match the source %q", tk.Text, f.Src[tk.Start:tk.End])
		}
	}
	prev := -1
	for _, d := range f.Directives {
		if d.LineStart <= prev {
			t.Fatalf("directives out of order at %d", d.LineStart)
		}
		prev = d.LineStart
		in("line", d.LineStart, d.LineEnd)
		in("directive", d.Start, d.End)
		in("header", d.Start, d.HeaderEnd)
		tok(d.Keyword)
		for _, a := range d.Args {
			tok(a)
		}
		if d.Block != nil {
			tok(d.Block.Marker)
			for _, l := range d.Block.Lines {
				in("body line", l.Start, l.End)
			}
		}
		if d.Comment != nil {
			in("comment", d.Comment.Start, d.Comment.End)
		}
	}
	for _, nd := range f.Nodes {
		in("node", nd.Start, nd.End)
	}
	for _, c := range f.Comments {
		in("comment", c.Start, c.End)
		if f.Src[c.Start] != '#' {
			t.Fatalf("comment at %d does not start with #", c.Start)
		}
	}
	for _, e := range f.Errors {
		in("error", e.Start, e.End)
	}
}

func TestTokenValue(t *testing.T) {
	f := Parse([]byte(`TOKEN "read api token" 'x' a"b "open`))
	args := f.Directives[0].Args
	got := []string{args[0].Value(), args[1].Value(), args[2].Value(), args[3].Value()}
	want := []string{"read api token", "x", `a"b`, `"open`}
	if !slices.Equal(got, want) {
		t.Errorf("values %q, want %q", got, want)
	}
	if !args[3].Unterminated || args[0].Quote != '"' || args[1].Quote != '\'' || args[2].Quote != 0 {
		t.Errorf("quote flags wrong: %+v", args)
	}
}

func TestPositionOffset(t *testing.T) {
	src := "ab\r\ncd\n\nxyz\rq"
	f := Parse([]byte(src))
	tests := []struct{ off, line, col int }{
		{0, 0, 0}, {2, 0, 2}, {4, 1, 0}, {6, 1, 2}, {7, 2, 0}, {8, 3, 0}, {11, 3, 3}, {12, 4, 0}, {13, 4, 1},
	}
	for _, tt := range tests {
		line, col := f.Position(tt.off)
		if line != tt.line || col != tt.col {
			t.Errorf("Position(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
		if tt.off != 3 { // offset 3 is inside the CRLF terminator
			if got := f.Offset(tt.line, tt.col); got != tt.off {
				t.Errorf("Offset(%d, %d) = %d, want %d", tt.line, tt.col, got, tt.off)
			}
		}
	}
	if got := f.Offset(0, 99); got != 2 {
		t.Errorf("Offset clamps to the line end: got %d, want 2", got)
	}
	if got := f.Offset(99, 0); got != len(src) {
		t.Errorf("Offset past the last line: got %d, want %d", got, len(src))
	}
}

func TestDirectiveAt(t *testing.T) {
	src := "NODE n\nSQL >\n    SELECT 1\n\n# note\nTOKEN a READ"
	f := Parse([]byte(src))
	tests := []struct {
		at   string // text the offset points at (first occurrence)
		want string // keyword of the directive, "" for none
	}{
		{"NODE", "NODE"}, {" n", "NODE"}, {"SQL", "SQL"}, {"SELECT", "SQL"}, {"# note", ""}, {"TOKEN", "TOKEN"}, {"READ", "TOKEN"},
	}
	for _, tt := range tests {
		off := strings.Index(src, tt.at)
		d := f.DirectiveAt(off)
		got := ""
		if d != nil {
			got = d.Keyword.Text
		}
		if got != tt.want {
			t.Errorf("DirectiveAt(%q) = %q, want %q", tt.at, got, tt.want)
		}
	}
	if d := f.DirectiveAt(len(src)); d == nil || d.Keyword.Text != "TOKEN" {
		t.Errorf("DirectiveAt(end of file) should be the last TOKEN line, got %v", d)
	}
}

func TestResourceKind(t *testing.T) {
	tests := []struct {
		filename, src string
		want          rules.Kind
	}{
		{"events.datasource", "TYPE endpoint\n", rules.KindDatasource},
		{"a/b/top.pipe", "NODE n\nSQL >\n    SELECT 1\n", rules.KindPipe},
		{"top_events.pipe", "NODE n\nSQL >\n    SELECT 1\nTYPE endpoint\n", rules.KindEndpoint},
		{"top_events.pipe", "NODE n\nTYPE \"Endpoint\"\n", rules.KindEndpoint},
		{"mv.pipe", "NODE n\nTYPE MATERIALIZED\nDATASOURCE d\n", rules.KindMaterializedView},
		{"cp.pipe", "NODE n\nTYPE COPY\n", rules.KindCopyPipe},
		{"sk.pipe", "NODE n\nTYPE sink\n", rules.KindSinkPipe},
		{"std.pipe", "NODE n\nTYPE standard\n", rules.KindPipe},
		{"sql.pipe", "NODE n\nSQL >\n    TYPE endpoint\n", rules.KindPipe},
		{"notes.txt", "TOKEN a READ\n", 0},
		{"shared.incl", "TOKEN a READ\n", 0},
		{"EVENTS.DATASOURCE", "TOKEN a READ\n", 0},
	}
	for _, tt := range tests {
		f := ParseFile(tt.filename, []byte(tt.src))
		if f.Kind != tt.want {
			t.Errorf("%s %q: kind %v, want %v", tt.filename, tt.src, f.Kind, tt.want)
		}
	}
	if got := ResourceKind("x.pipe", nil); got != rules.KindPipe {
		t.Errorf("ResourceKind without a file = %v, want pipe", got)
	}
	if got := ResourceName(`C:\proj\pipes\top_events.pipe`); got != "top_events" {
		t.Errorf("ResourceName = %q", got)
	}
}

// TestGeneratedFiles parses the files the TypeScript SDK's generators
// produce (testdata/, see testdata/README) and checks every directive is a
// known one outside blocks and nothing is reported.
func TestGeneratedFiles(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range paths {
		if !strings.HasSuffix(p, ExtDatasource) && !strings.HasSuffix(p, ExtPipe) {
			continue
		}
		n++
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := ParseFile(p, src)
		checkInvariants(t, f)
		for _, d := range f.Directives {
			if !d.Known {
				t.Errorf("%s: unknown directive %q", p, d.Keyword.Text)
			}
		}
		if len(f.Errors) > 0 {
			t.Errorf("%s: syntax errors %v", p, f.Errors)
		}
		if ds := Check(p, src); len(ds) > 0 {
			t.Errorf("%s: diagnostics on an SDK-generated file: %v", p, ds)
		}
	}
	if n < 5 {
		t.Fatalf("found %d datafiles in testdata, want the generated ones", n)
	}
}

func ExampleParse() {
	f := Parse([]byte("NODE endpoint\nSQL >\n    SELECT 1\n    TOKEN x APPEND\n\nTYPE endpoint\nTOKEN \"read api\" READ\n"))
	for _, d := range f.Directives {
		fmt.Println(d.Keyword.Text, len(d.Args), d.Block != nil)
	}
	for _, g := range f.TokenGrants() {
		fmt.Printf("%s %s\n", g.Token, g.Scope)
	}
	// Output:
	// NODE 1 false
	// SQL 0 true
	// TYPE 1 false
	// TOKEN 2 false
	// read api READ
}

// TestParseLargeBlocks checks blocks and sections on a file large enough that
// the parser's slabs of directives, arguments and body lines fill up and move
// on to new ones while blocks are open.
func TestParseLargeBlocks(t *testing.T) {
	sizes := []int{1, 700, 3, 511, 1200, 2, 513, 0, 90}
	var src strings.Builder
	var wantBodies []string
	for i, n := range sizes {
		fmt.Fprintf(&src, "NODE n%d\nTOKEN t%d READ\nSQL >\n", i, i)
		var body strings.Builder
		for j := range n {
			fmt.Fprintf(&body, "    SELECT %d, %d\n", i, j)
			if j%7 == 0 {
				body.WriteString("    TOKEN x APPEND\n")
			}
		}
		src.WriteString(body.String())
		src.WriteString("# between\n\n")
		wantBodies = append(wantBodies, body.String())
	}
	for i := range 300 { // enough directives and arguments to fill several slabs
		fmt.Fprintf(&src, "TOKEN many_%d READ\n", i)
	}
	f := Parse([]byte(src.String()))
	checkInvariants(t, f)
	if len(f.Nodes) != len(sizes) {
		t.Fatalf("got %d nodes, want %d", len(f.Nodes), len(sizes))
	}
	for i, nd := range f.Nodes {
		if nd.Name() != fmt.Sprintf("n%d", i) {
			t.Errorf("node %d is named %q", i, nd.Name())
		}
		wantDirectives := 2
		if i == len(sizes)-1 {
			wantDirectives += 300
		}
		if len(nd.Directives) != wantDirectives {
			t.Fatalf("node %d has %d directives, want %d", i, len(nd.Directives), wantDirectives)
		}
		tok, sql := nd.Directives[0], nd.Directives[1]
		if !tok.Is("TOKEN") || tok.Args[0].Text != fmt.Sprintf("t%d", i) || !sql.Is("SQL") {
			t.Fatalf("node %d directives: %q %q", i, tok.Keyword.Text, sql.Keyword.Text)
		}
		if got := sql.Block.Text(f.Src); got != wantBodies[i] {
			t.Errorf("node %d body: got %d bytes, want %d", i, len(got), len(wantBodies[i]))
		}
		if cap(sql.Block.Lines) != len(sql.Block.Lines) || cap(tok.Args) != len(tok.Args) {
			t.Errorf("node %d: slices share capacity with later ones", i)
		}
	}
	if gs := f.TokenGrants(); len(gs) != len(sizes)+300 || gs[len(gs)-1].Token != "many_299" {
		t.Errorf("got %d grants, last %+v", len(gs), gs[len(gs)-1])
	}
}

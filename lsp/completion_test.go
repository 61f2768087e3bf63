package lsp

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/rules"
)

const header = "package schema\n\nimport \"github.com/tbls-dev/tbls/tinybird\"\n\nvar AppRead = tinybird.DefineToken(\"app_read\")\n\n"

func TestGoCompletion(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		labels []string // nil: no completion
		word   string   // the text the items replace
		// syntax, when set, is what completion offers without type
		// information, where it differs: the kinds of the resources an
		// access list in a variable is granted on need types.
		syntax []string
	}{
		{
			name:   "string on a datasource",
			src:    header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: "‸"}}})`,
			labels: []string{"READ", "APPEND"},
		},
		{
			name:   "string on an endpoint, partial word replaced",
			src:    header + `var E = tinybird.DefineEndpoint("e", tinybird.EndpointOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: "RE‸AD"}}})`,
			labels: []string{"READ"},
			word:   "READ",
		},
		{
			name:   "unterminated string",
			src:    header + "var E = tinybird.DefineDatasource(\"e\", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: \"AP‸\n}}})",
			labels: []string{"READ", "APPEND"},
			word:   "AP",
		},
		{
			name:   "selector, syntax error",
			src:    header + "var E = tinybird.DefineEndpoint(\"e\", tinybird.EndpointOptions{\n\tTokens: []tinybird.TokenAccess{\n\t\t{Token: AppRead, Scope: tinybird.‸\n\t\t},\n\t},\n})\n",
			labels: []string{"Read"},
		},
		{
			name:   "selector with partial name on a datasource",
			src:    header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Ap‸}}})`,
			labels: []string{"Read", "Append"},
			word:   "Ap",
		},
		{
			name:   "selector with an alias",
			src:    "package schema\n\nimport tb \"github.com/tbls-dev/tbls/tinybird\"\n\nvar A = tb.DefineToken(\"a\")\n\n" + `var E = tb.DefinePipe("e", tb.PipeOptions{Tokens: []tb.TokenAccess{{Token: A, Scope: tb.‸}}})`,
			labels: []string{"Read"},
		},
		{
			name: "selector of another package",
			src:  header + "import \"strings\"\n\nvar _ = strings.ToUpper\n\n" + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: strings.‸}}})`,
		},
		{
			name:   "empty value, qualified items",
			src:    "package schema\n\nimport tb \"github.com/tbls-dev/tbls/tinybird\"\n\nvar A = tb.DefineToken(\"a\")\n\n" + "var E = tb.DefineDatasource(\"e\", tb.DatasourceOptions{Tokens: []tb.TokenAccess{{Token: A, Scope: ‸}}})",
			labels: []string{"tb.Read", "tb.Append"},
		},
		{
			name:   "empty value before a newline",
			src:    header + "var E = tinybird.DefineDatasource(\"e\", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{\n\tToken: AppRead,\n\tScope: ‸\n}}})",
			labels: []string{"tinybird.Read", "tinybird.Append"},
		},
		{
			name:   "dot import, bare constant",
			src:    "package schema\n\nimport . \"github.com/tbls-dev/tbls/tinybird\"\n\nvar A = DefineToken(\"a\")\n\n" + "var E = DefineEndpoint(\"e\", EndpointOptions{Tokens: []TokenAccess{{Token: A, Scope: Re‸}}})",
			labels: []string{"Read"},
			word:   "Re",
		},
		{
			name:   "permissions, first element",
			src:    header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Name: "ingest", Permissions: []tinybird.Scope{‸}}}})`,
			labels: []string{"tinybird.Read", "tinybird.Append"},
		},
		{
			name:   "permissions, after a comma",
			src:    header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Name: "ingest", Permissions: []tinybird.Scope{tinybird.Read, tinybird.‸}}}})`,
			labels: []string{"Read", "Append"},
		},
		{
			name:   "permissions on a copy pipe",
			src:    header + `var E = tinybird.DefineCopyPipe("e", tinybird.CopyPipeOptions{Tokens: []tinybird.TokenAccess{{Name: "x", Permissions: []tinybird.Scope{"‸"}}}})`,
			labels: []string{"READ"},
		},
		{
			name:   "materialized view",
			src:    header + `var E = tinybird.DefineMaterializedView("e", tinybird.MaterializedViewOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: ‸}}})`,
			labels: []string{"tinybird.Read"},
		},
		{
			name:   "JWT scope type",
			src:    header + `var J = tinybird.JWTOptions{Scopes: []tinybird.JWTScope{{Type: tinybird.‸, Resource: "top"}}}`,
			labels: []string{"PipesRead", "DatasourcesRead"},
		},
		{
			name:   "JWT scope type, empty",
			src:    header + "var J = tinybird.JWTScope{Type: ‸}",
			labels: []string{"tinybird.PipesRead", "tinybird.DatasourcesRead"},
		},
		{
			name:   "JWT scope type string",
			src:    header + `var J = tinybird.JWTScope{Type: "‸"}`,
			labels: []string{rules.JWTPipesRead, rules.JWTDatasourcesRead},
		},
		{
			name:   "access list in a variable used by a datasource and an endpoint",
			src:    header + "var shared = []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.‸}}\n\nvar D = tinybird.DefineDatasource(\"d\", tinybird.DatasourceOptions{Tokens: shared})\n\nvar E = tinybird.DefineEndpoint(\"e\", tinybird.EndpointOptions{Tokens: append(shared, tinybird.TokenAccess{Name: \"x\"})})\n",
			labels: []string{"Read"},
			syntax: []string{"Read", "Append"},
		},
		{
			name:   "access list in a variable used by datasources only",
			src:    header + "var shared = []tinybird.TokenAccess{{Token: AppRead, Scope: \"‸\"}}\n\nvar D = tinybird.DefineDatasource(\"d\", tinybird.DatasourceOptions{Tokens: shared})\n",
			labels: []string{"READ", "APPEND"},
		},
		{
			name:   "access list in an unused variable",
			src:    header + "var shared = []tinybird.TokenAccess{{Token: AppRead, Scope: \"‸\"}}\n",
			labels: []string{"READ", "APPEND"},
		},
		{
			name:   "one access in a variable, used by a pipe",
			src:    header + "var grant = tinybird.TokenAccess{Token: AppRead, Scope: \"‸\"}\n\nvar P = tinybird.DefinePipe(\"p\", tinybird.PipeOptions{Tokens: []tinybird.TokenAccess{grant}})\n",
			labels: []string{"READ"},
			syntax: []string{"READ", "APPEND"},
		},
		{name: "description string", src: header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Description: "‸"})`},
		{name: "ordinary string", src: header + "var s = \"READ‸\""},
		{name: "line comment", src: header + "// Scope: tinybird.‸\nvar x = 1"},
		{name: "comment inside the literal", src: header + "var E = tinybird.DefineDatasource(\"e\", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: /* ‸ */ tinybird.Read}}})"},
		{name: "token field", src: header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: ‸}}})`},
		{name: "field name", src: header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Sc‸}}})`},
		{name: "after the closing quote", src: header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: "READ"‸}}})`},
		{name: "inside a conversion", src: header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Scope("‸")}}})`},
		{name: "a look-alike type", src: "package schema\n\ntype TokenAccess struct{ Scope string }\n\nvar x = TokenAccess{Scope: \"‸\"}\n"},
		{name: "Go code elsewhere", src: header + "func f() { tinybird.‸ }"},
	}
	for _, tt := range tests {
		for _, typed := range []bool{true, false} {
			mode := "typed"
			want := tt.labels
			if !typed {
				mode = "syntax"
				if tt.syntax != nil {
					want = tt.syntax
				}
			}
			t.Run(tt.name+"/"+mode, func(t *testing.T) {
				p, texts, name, off := checkSnippets(t, snippetFile{"schema.go", tt.src})
				src := texts[name]
				if !typed {
					p = syntaxWindow(name, src, off, p.sdkPackage())
					if p.sdk == nil {
						sdk, _ := sdkTypes()
						p.sdk = sdk
					}
				}
				res, ok := goCompletion(p, name, src, off)
				var labels []string
				for _, it := range res.Items {
					labels = append(labels, it.Label)
					if it.Doc == "" || it.Detail == "" {
						t.Errorf("item %s has no documentation or detail", it.Label)
					}
					if it.Label != it.NewText {
						t.Errorf("item %s inserts %q", it.Label, it.NewText)
					}
				}
				if !slices.Equal(labels, want) || ok != (want != nil) {
					t.Fatalf("goCompletion = %v, %v; want %v", labels, ok, want)
				}
				if !ok {
					return
				}
				if got := string(src[res.Start:res.End]); got != tt.word {
					t.Errorf("items replace %q, want %q", got, tt.word)
				}
				if res.Start > off || off > res.End {
					t.Errorf("range [%d,%d) does not hold the cursor %d", res.Start, res.End, off)
				}
			})
		}
	}
}

// TestGoCompletionAppliedTypeChecks applies each completion and checks that
// the result type-checks: the items are valid Go where they land.
func TestGoCompletionAppliedTypeChecks(t *testing.T) {
	srcs := []string{
		header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.‸}}})`,
		header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: ‸}}})`,
		header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: "‸"}}})`,
		header + `var E = tinybird.DefineDatasource("e", tinybird.DatasourceOptions{Tokens: []tinybird.TokenAccess{{Name: "i", Permissions: []tinybird.Scope{tinybird.Read, ‸}}}})`,
		header + `var J = tinybird.JWTScope{Type: ‸}`,
	}
	for _, s := range srcs {
		p, texts, name, off := checkSnippets(t, snippetFile{"schema.go", s})
		res, ok := goCompletion(p, name, texts[name], off)
		if !ok {
			t.Fatalf("no completion in %s", s)
		}
		for _, it := range res.Items {
			src := texts[name]
			edited := string(src[:res.Start]) + it.NewText + string(src[res.End:])
			q, _, _, _ := checkSnippets(t, snippetFile{"schema.go", edited})
			if err := typeErrors(q); err != "" {
				t.Errorf("after %s:\n%s\n%s", it.Label, edited, err)
			}
		}
	}
}

func TestDatafileCompletion(t *testing.T) {
	tests := []struct {
		name, src string
		labels    []string
	}{
		{"events.datasource", "SCHEMA >\n    `id` Int32\n\nTOKEN app_read ‸\n", []string{"READ", "APPEND"}},
		{"top.pipe", "TOKEN app_read RE‸\n\nNODE n\nSQL >\n    SELECT 1\n", []string{"READ"}},
		{"top.pipe", "NODE n\nSQL >\n    TOKEN app_read ‸\n", nil},
		{"top.pipe", "TOKEN app_‸\n", nil},
	}
	for _, tt := range tests {
		off := strings.Index(tt.src, cursor)
		src := []byte(strings.Replace(tt.src, cursor, "", 1))
		res, ok := datafileCompletion(datafile.ParseFile(tt.name, src), off)
		var labels []string
		for _, it := range res.Items {
			labels = append(labels, it.Label)
			if it.Doc != rules.ScopeDoc(it.Label) {
				t.Errorf("%s: item %s has doc %q", tt.name, it.Label, it.Doc)
			}
		}
		if !slices.Equal(labels, tt.labels) || ok != (tt.labels != nil) {
			t.Errorf("%s %q: completion = %v, want %v", tt.name, tt.src, labels, tt.labels)
		}
	}
}

func TestCompletionServerDatafile(t *testing.T) {
	for _, enc := range []Encoding{UTF16, UTF8} {
		dir := t.TempDir()
		c := featureClient(t, dir, enc, false)
		text := "TOKEN \"tök😀\" RE\n"
		u := uri.File(filepath.Join(dir, "top_events.pipe"))
		c.open(u, "tinybird", 1, text)
		list := c.complete(u, position(t, text, " RE", 3, enc))
		if got := labels(list); !slices.Equal(got, []string{"READ"}) {
			t.Fatalf("%v: completion %v", enc.Kind(), got)
		}
		it := list.Items[0]
		te, ok := it.TextEdit.(*protocol.TextEdit)
		if !ok || te.Range.Start != position(t, text, "RE\n", 0, enc) || te.Range.End != position(t, text, "RE\n", 2, enc) || te.NewText != "READ" {
			t.Errorf("%v: text edit %+v", enc.Kind(), it.TextEdit)
		}
		if doc, ok := it.Documentation.(*protocol.MarkupContent); !ok || doc.Value != rules.ScopeDoc("READ") {
			t.Errorf("documentation %+v", it.Documentation)
		}
		// On the name, and in a datasource's schema: nothing.
		if got := labels(c.complete(u, position(t, text, "tök", 1, enc))); len(got) != 0 {
			t.Errorf("completion on the name: %v", got)
		}
	}
}

func TestDeclWindow(t *testing.T) {
	src := "package p\n\nimport \"x\"\n\nvar a = 1\n\nfunc f() {\n\tb := `é`\n}\n\ntype T int\n"
	off := strings.Index(src, "b :=")
	got := string(declWindow([]byte(src), off))
	want := "package p\n\nimport \"x\"\n\n         \n\nfunc f() {\n\tb := `é`\n}\n\n          \n"
	if got != want || len(got) != len(src) {
		t.Errorf("declWindow:\n%q\nwant\n%q", got, want)
	}
}

package resolve

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/analyzer"
)

// mixedProject loads testdata/mixed: its Go package and its datafiles.
func mixedProject(t *testing.T) (*Project, map[string]string) {
	t.Helper()
	dir, err := filepath.Abs("testdata/mixed")
	if err != nil {
		t.Fatal(err)
	}
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadSyntax, Dir: dir}, ".", "./tokens")
	if err != nil || len(pkgs) != 2 {
		t.Fatalf("loading testdata/mixed: %v %v", err, pkgs)
	}
	var files []*File
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("loading %s: %v", p.PkgPath, p.Errors)
		}
		files = append(files, GoFiles(GoPackage{Fset: p.Fset, Files: p.Syntax, Pkg: p.Types, Info: analyzer.NewTypesInfo(p.TypesInfo)})...)
	}
	paths, err := DatafilePaths(dir)
	if err != nil {
		t.Fatal(err)
	}
	dfs, errs := LoadDatafiles(paths)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	texts := map[string]string{}
	for _, f := range append(files, dfs...) {
		b, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		texts[f.Path] = string(b)
	}
	return NewProject(append(files, dfs...)...), texts
}

// describe returns "base:text@line" for locations.
func describeRefs(refs []Ref, texts map[string]string) []string {
	var out []string
	for _, r := range refs {
		out = append(out, fmt.Sprintf("%s:%d:%s", filepath.Base(r.File), r.Line, texts[r.File][r.Start:r.End]))
	}
	return out
}

func TestGoAndDatafiles(t *testing.T) {
	p, texts := mixedProject(t)
	events := Target{Kind: Resource, Name: "events"}
	ds := p.Decls(events)
	if len(ds) != 1 || !ds[0].Go || texts[ds[0].File][ds[0].Start:ds[0].End] != "events" {
		t.Fatalf("Decls(events) = %+v", ds)
	}
	if got, want := describeRefs(p.Refs(events), texts), []string{"report.pipe:3:events", "schema.go:28:events"}; !slices.Equal(got, want) {
		t.Errorf("Refs(events) = %q, want %q", got, want)
	}
	users := p.Decls(Target{Kind: Resource, Name: "users"})
	if len(users) != 1 || !users[0].FromFileName {
		t.Errorf("Decls(users) = %+v", users)
	}
	// A node reference in a Go raw string, on its second line.
	top := Target{Kind: Node, Name: "base", Pipe: "top_events"}
	if got, want := describeRefs(p.Refs(top), texts), []string{"schema.go:29:base"}; !slices.Equal(got, want) {
		t.Errorf("Refs(base) = %q, want %q", got, want)
	}
	if got := describeRefs(p.Refs(Target{Kind: Resource, Name: "users"}), texts); !slices.Equal(got, []string{"schema.go:30:users"}) {
		t.Errorf("Refs(users) = %q", got)
	}
	// The token: Go's DefineToken, typed grants, datafile grants.
	tok := Target{Kind: Token, Name: "app_read"}
	if got, want := describeRefs(p.Refs(tok), texts), []string{"report.pipe:6:app_read", "users.datasource:4:app_read", "schema.go:17:AppRead", "schema.go:32:AppRead"}; !slices.Equal(got, want) {
		t.Errorf("Refs(app_read) = %q, want %q", got, want)
	}
	var matrix []string
	for _, a := range Matrix(p.Grants()) {
		matrix = append(matrix, fmt.Sprintf("%s %s %v", a.Token, a.Resource, a.Scopes))
	}
	if want := []string{"app_read events [READ]", "app_read report [READ]", "app_read top_events [READ]", "app_read users [READ]", "ingest events [APPEND]", "shared daily_mv [READ]"}; !slices.Equal(matrix, want) {
		t.Errorf("Matrix = %q, want %q", matrix, want)
	}
	// The typed target follows Daily, whose name is a constant.
	if got := describeRefs(p.Refs(Target{Kind: Resource, Name: "daily"}), texts); !slices.Equal(got, []string{"schema.go:37:Daily"}) {
		t.Errorf("Refs(daily) = %q", got)
	}
	// A token of another package, granted through its variable.
	if got := describeRefs(p.Refs(Target{Kind: Token, Name: "shared"}), texts); !slices.Equal(got, []string{"schema.go:38:Shared"}) {
		t.Errorf("Refs(shared) = %q", got)
	}
	// The unknown reference, in a Go string.
	var unknown []string
	for _, u := range p.Unknowns() {
		unknown = append(unknown, filepath.Base(u.Ref.File)+":"+u.Ref.Name+"→"+u.Nearest)
	}
	if want := []string{"schema.go:evnets→events"}; !slices.Equal(unknown, want) {
		t.Errorf("Unknowns = %q, want %q", unknown, want)
	}
}

func TestGoRename(t *testing.T) {
	p, texts := mixedProject(t)
	// From the SQL of a .pipe: the Go literal and the Go SQL follow.
	pipe := filepath.Join(filepath.Dir(p.Decls(Target{Kind: Resource, Name: "events"})[0].File), "datafiles", "report.pipe")
	off := strings.Index(texts[pipe], "events USING")
	tg, _, _, err := p.PrepareRename(pipe, off)
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Rename(tg, "web_events")
	if err != nil {
		t.Fatal(err)
	}
	renamed := apply(t, texts, r)
	for path, text := range renamed {
		if strings.Contains(text, "FROM events") || strings.Contains(text, `"events"`) {
			t.Errorf("%s still names events:\n%s", path, text)
		}
	}
	// The name of Daily is a constant: renaming it is refused, with why.
	if _, err := p.Rename(Target{Kind: Resource, Name: "daily"}, "per_day"); err == nil || !strings.Contains(err.Error(), "computed") {
		t.Errorf("renaming a computed name: %v", err)
	}
	// On a Go variable, rename is gopls's.
	goFile := p.Decls(Target{Kind: Resource, Name: "events"})[0].File
	if _, _, _, err := p.PrepareRename(goFile, strings.Index(texts[goFile], "Token: AppRead")+len("Token: ")); err == nil || !strings.Contains(err.Error(), "gopls") {
		t.Errorf("PrepareRename on AppRead: %v", err)
	}
}

func TestLiteralOffsets(t *testing.T) {
	for _, lit := range []string{"`a\r\nb`", `"a\tb\u00e9c"`, `"plain"`, "``", `""`} {
		v, offs, ok := literalOffsets(lit)
		if !ok || len(offs) != len(v) {
			t.Errorf("literalOffsets(%s) = %q, %v, %v", lit, v, offs, ok)
		}
	}
	if v, offs, _ := literalOffsets(`"a\tb"`); v != "a\tb" || offs[2] != 4 {
		t.Errorf("offsets %v of %q", offs, v)
	}
}

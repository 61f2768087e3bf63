package lsp

import (
	"context"
	"fmt"
	"go/types"
	"path/filepath"
	"reflect"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/resolve"
)

// reuseShared is a file the edited one reads from: a token, a shared list
// and a helper.
const reuseShared = `package features

import tb "github.com/tbls-dev/tbls/tinybird"

var AppRead = tb.DefineToken("app_read")

var shared = []tb.TokenAccess{{Token: AppRead, Scope: tb.Read}}

func readOnly(t tb.Token) tb.TokenAccess { return tb.TokenAccess{Token: t, Scope: tb.Read} }
`

// reuseResources holds resources the edited file refers to.
const reuseResources = `package features

import tb "github.com/tbls-dev/tbls/tinybird"

var Events = tb.DefineDatasource("events", tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("id", tb.String())},
	Tokens: shared,
})

var Top = tb.DefineEndpoint("top", tb.EndpointOptions{
	Nodes:  []tb.Node{{Name: "n", SQL: "SELECT * FROM events"}},
	Output: tb.Schema{tb.Col("id", tb.String())},
	Tokens: []tb.TokenAccess{readOnly(AppRead)},
})
`

// reuseEdited returns version v of the edited file: resources that grant
// through the other files' shared list and helper, a copy pipe writing to
// their datasource, SQL naming a resource of another file, of this one,
// or none. No other file names what it declares, so that the engine
// checks each edit of it alone.
func reuseEdited(v int) string {
	tables := []string{"events", fmt.Sprintf("extra_%d", v), fmt.Sprintf("missing_%d", v)}
	return fmt.Sprintf(`package features

import tb "github.com/tbls-dev/tbls/tinybird"

var ExtraDS%[1]d = tb.DefineDatasource("extra_%[1]d", tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("id", tb.String())},
	Tokens: append(shared, readOnly(AppRead), tb.TokenAccess{Token: AppRead, Scope: tb.Append}),
})

var ExtraEP%[1]d = tb.DefineEndpoint("ep_%[1]d", tb.EndpointOptions{
	Nodes:  []tb.Node{{Name: "n", SQL: "SELECT * FROM %[2]s"}},
	Output: tb.Schema{tb.Col("id", tb.String())},
	Tokens: shared,
})

var ExtraCopy%[1]d = tb.DefineCopyPipe("cp_%[1]d", tb.CopyPipeOptions{
	Nodes:      []tb.Node{{Name: "c", SQL: "SELECT * FROM events"}},
	Datasource: Events,
	Tokens:     []tb.TokenAccess{{Token: AppRead, Scope: tb.Read}, readOnly(AppRead)},
})
`, v, tables[v%len(tables)])
}

// TestSplitEditsIndexMatchesFresh edits one file of a package many times,
// each edit one the engine checks alone against the other files, and
// checks after each that the names index the server holds (read reusing
// the previous snapshot's model and reading) equals GoFiles of the
// snapshot read from scratch, and that the reading reused the other
// files' parts.
func TestSplitEditsIndexMatchesFresh(t *testing.T) {
	dir := featureModule(t, map[string]string{"shared.go": reuseShared, "resources.go": reuseResources, "edited.go": reuseEdited(0)})
	c := initializeIn(t, dir, protocol.ClientCapabilities{})
	edited := filepath.Join(dir, "edited.go")
	u := uri.File(edited)
	c.open(u, "go", 1, reuseEdited(0))
	c.diagnosticsFor(u, 1)
	ctx := context.Background()
	var reusedModel, reusedUses int
	for v := int32(2); v <= 12; v++ {
		c.changeAll(u, v, reuseEdited(int(v)))
		c.diagnosticsFor(u, v)
		c.settle()
		s := lastServer.Load()
		pkg, err := s.goSnapshot(ctx, edited)
		if err != nil || pkg == nil {
			t.Fatalf("version %d: no snapshot: %v", v, err)
		}
		s.resolver().workspace(ctx)
		x := s.resolver()
		x.mu.Lock()
		g := x.goDirs[dir]
		x.mu.Unlock()
		if g == nil || !sameTexts(g.syntax, pkg) {
			t.Fatalf("version %d: the names index does not hold the latest snapshot", v)
		}

		tp := s.typedFromCache(pkg)
		fresh := analyzer.NewModelReusing(pkg.Fset, tp.files, pkg.Types, pkg.TypesInfo, nil, nil)
		want := resolve.GoFiles(resolve.GoPackage{Fset: pkg.Fset, Files: tp.files, Pkg: pkg.Types, Info: pkg.TypesInfo, Path: pkg.PkgPath, Model: fresh})
		if !reflect.DeepEqual(g.files, want) {
			t.Errorf("version %d: the names index differs from a fresh reading:\nindex: %s\nfresh: %s", v, describeFiles(g.files), describeFiles(want))
		}
		// The server's model, which hover and completion read, against the
		// fresh one, through what the index reads of it.
		model := tp.sdkModel()
		if got := resolve.GoFiles(resolve.GoPackage{Fset: pkg.Fset, Files: tp.files, Pkg: pkg.Types, Info: pkg.TypesInfo, Path: pkg.PkgPath, Model: model}); !reflect.DeepEqual(got, want) {
			t.Errorf("version %d: the server's model reads otherwise than a fresh one:\nserver: %s\nfresh: %s", v, describeFiles(got), describeFiles(want))
		}
		// Its objects are the snapshot's, not those of an earlier check.
		vars := map[string]*types.Var{}
		for _, r := range model.Resources {
			vars[r.VarName] = r.Var
		}
		for _, tk := range model.Tokens {
			vars[tk.VarName] = tk.Var
		}
		for _, gr := range model.Grants {
			if gr.Token != nil {
				vars[gr.Token.Name()] = gr.Token
			}
		}
		for _, tg := range model.Targets {
			vars[tg.VarName] = tg.Var
		}
		for name, obj := range vars {
			if want := pkg.Types.Scope().Lookup(name); obj == nil || want != obj {
				t.Errorf("version %d: the model's variable %s is %p, the snapshot's %p", v, name, obj, want)
			}
		}
		first, _ := model.Reused()
		_, files := g.reading.Reused()
		reusedModel, reusedUses = reusedModel+first, reusedUses+files
	}
	t.Logf("reused the models of %d files and the uses of %d files over 11 edits", reusedModel, reusedUses)
	// The first edit checks the package whole, or the file alone after a
	// check of the others; from then on, each reuses the two other files.
	if reusedModel < 2*9 || reusedUses < 2*9 {
		t.Errorf("too little reuse over the edits: %d files' models, %d files' uses", reusedModel, reusedUses)
	}
}

// describeFiles prints files' declarations and references.
func describeFiles(files []*resolve.File) string {
	s := ""
	for _, f := range files {
		s += fmt.Sprintf("\n%s:", filepath.Base(f.Path))
		for _, d := range f.Decls {
			s += fmt.Sprintf("\n  decl %+v", d)
		}
		for _, r := range f.Refs {
			s += fmt.Sprintf("\n  ref %+v", r)
		}
	}
	return s
}

package lsp

import (
	"go/ast"
	"slices"
	"testing"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/tbls-dev/tbls/rules"
)

// TestCompletionKindsAgreeWithModel checks that the kinds completion
// offers scopes for, found from the cursor's enclosing nodes when a
// TokenAccess is written in an options literal's Tokens list, are those
// the SDK model reads, typed and from the syntax.
func TestCompletionKindsAgreeWithModel(t *testing.T) {
	p, _, _, _ := checkSnippets(t, snippetFile{"resources.go", header + `
var shared = []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}}

var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Append}, {Name: "loader", Permissions: []tinybird.Scope{tinybird.Read}}},
})

var Top = tinybird.DefinePipe("top", tinybird.PipeOptions{
	Endpoint: &tinybird.EndpointConfig{},
	Tokens:   []tinybird.TokenAccess{{Token: AppRead, Scope: "READ"}, {Name: "dashboard"}},
})

var Copy = tinybird.DefineCopyPipe("copy", tinybird.CopyPipeOptions{Tokens: append(shared, tinybird.TokenAccess{Token: AppRead, Scope: tinybird.Read})})
`})
	syntax := &typedPackage{fset: p.fset, files: p.files, sdk: p.sdkPackage()}
	n, direct := 0, 0
	for _, file := range p.files {
		ast.Inspect(file, func(node ast.Node) bool {
			lit, ok := node.(*ast.CompositeLit)
			if !ok || litTypeName(p.infoOf(file), file, lit, nil) != "TokenAccess" && lit.Type != nil {
				return true
			}
			path, _ := astutil.PathEnclosingInterval(file, lit.Pos(), lit.End())
			if litTypeName(p.infoOf(file), file, lit, path) != "TokenAccess" {
				return true
			}
			n++
			want := p.sdkModel().KindsOf(lit)
			if got := syntax.sdkModel().KindsOf(lit); !slices.Equal(got, want) {
				t.Errorf("literal at %v: syntax model %v, typed %v", p.fset.Position(lit.Pos()), got, want)
			}
			if kind, ok := directTokensKind(p, file, path); ok {
				direct++
				if !slices.Equal(want, []rules.Kind{kind}) {
					t.Errorf("literal at %v: completion %v, model %v", p.fset.Position(lit.Pos()), kind, want)
				}
			}
			return true
		})
	}
	if n != 6 || direct != 4 {
		t.Errorf("%d TokenAccess literals, %d direct; want 6 and 4", n, direct)
	}
}

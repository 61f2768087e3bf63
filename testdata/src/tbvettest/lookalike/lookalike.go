// Package lookalike uses a package that spells everything like the SDK but
// is not it, next to the real SDK: no analyzer may report anything here.
package lookalike

import (
	"example.com/tbvettest/fake/tinybird"
	real "github.com/tbls-dev/tbls/tinybird"
)

// Real is a valid use of the SDK, so the package does import it.
var Real = real.DefineToken("real_token")

// no diagnostic: the look-alike's DefineToken.
var Bad = tinybird.DefineToken("app-read")

var dup1 = tinybird.DefineToken("dup")
var dup2 = tinybird.DefineToken("dup")

func init() {
	// no diagnostic: the look-alike's options, TokenAccess and scope.
	tinybird.DefineEndpoint("top-events", tinybird.EndpointOptions{
		Tokens: []tinybird.TokenAccess{
			{Token: Bad, Scope: tinybird.Append},
			{Token: Bad, Scope: "read"},
			{Token: Bad, Scope: "read"},
			{Name: "bad-name", Permissions: []tinybird.Scope{tinybird.Append}},
			{},
		},
	})
	_ = tinybird.JWTScope{Type: "DATASOURCES:APPEND"}
	_, _ = dup1, dup2
}

// DefineToken is a local function with the SDK's name: not the SDK.
func DefineToken(name string) string { return name }

// TokenAccess is a local type with the SDK's name: not the SDK.
type TokenAccess struct{ Name string }

var _ = DefineToken("bad-local")
var _ = TokenAccess{Name: "bad-local"}

// Real grants itself, so tokenuse has nothing to say.
var _ = real.DefineDatasource("real_ds", real.DatasourceOptions{
	Schema: real.Schema{real.Col("id", real.String())},
	Tokens: []real.TokenAccess{{Token: Real, Scope: real.Append}},
})

// no diagnostic: the look-alike's schema API, with every schema mistake.
func schemas() {
	tinybird.DefineDatasource("empty", tinybird.DatasourceOptions{})
	tinybird.DefineDatasource("ds", tinybird.DatasourceOptions{
		Schema: tinybird.Schema{tinybird.Col("a", tinybird.Array(tinybird.String()).Nullable()), tinybird.Col("a", tinybird.String())},
		Engine: tinybird.MergeTree(tinybird.MergeTreeOptions{SortingKey: []string{"nope"}}),
	})
	tinybird.DefineDatasource("ds", tinybird.DatasourceOptions{})
	tinybird.DefinePipe("ds", tinybird.PipeOptions{Nodes: []tinybird.Node{{Name: "n"}, {Name: "n"}}})
	tinybird.DefinePipe("p", tinybird.PipeOptions{})
}

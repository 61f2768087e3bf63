// Package index holds the shapes the analyzers' shared index resolves
// without asking types.Info for every node: elided literal types in slices,
// arrays, maps (keys and values) and nested literals, pointers, aliases,
// named and generic list types, calls reached every way. TestIndex-
// MatchesReference checks that the index finds here exactly what a plain
// walk finds; no analyzer test runs on this package.
package index

import (
	. "github.com/tbls-dev/tbls/tinybird"
	tb "github.com/tbls-dev/tbls/tinybird"
)

type (
	Access         = tb.TokenAccess
	Accesses       []tb.TokenAccess
	List[T any]    []T
	ByName         map[string]tb.TokenAccess
	ByNode         map[tb.Node]bool
	Pointers       []*tb.TokenAccess
	Nested         [][]tb.TokenAccess
	Opts           = tb.EndpointOptions
	Wrapper        struct{ Access tb.TokenAccess }
	Generic[T any] struct{ V T }
)

var (
	Reader        = tb.DefineToken("read")
	hidden        = DefineToken("hidden")
	pair1, pair2  = tb.DefineToken("pair_1"), tb.DefineToken("pair_2")
	_             = (tb.DefineToken("parenthesized"))
	first, second = two()
)

func two() (tb.Token, tb.Token) { return Reader, Reader }

var (
	aliased  = Access{Token: Reader, Scope: tb.Read}
	named    = Accesses{{Token: Reader, Scope: tb.Read}, {Name: "inline", Permissions: []tb.Scope{tb.Read}}}
	generic  = List[tb.TokenAccess]{{Token: Reader, Scope: tb.Read}}
	genericP = List[*tb.TokenAccess]{{Token: Reader, Scope: tb.Read}}
	byName   = ByName{"a": {Token: Reader, Scope: tb.Read}}
	byNode   = ByNode{{Name: "key"}: true}
	mapLit   = map[tb.Node]tb.TokenAccess{{Name: "k"}: {Name: "v"}}
	pointers = Pointers{{Token: Reader, Scope: tb.Read}}
	nested   = Nested{{{Token: Reader, Scope: tb.Read}}, {}}
	array    = [...]tb.TokenAccess{2: {Token: Reader, Scope: tb.Read}}
	wrapped  = Wrapper{Access: tb.TokenAccess{Name: "wrapped"}}
	boxed    = Generic[tb.TokenAccess]{V: tb.TokenAccess{Name: "boxed"}}
	anon     = []struct{ A tb.TokenAccess }{{A: tb.TokenAccess{Name: "anon"}}}
	dotted   = []TokenAccess{{Token: Reader, Scope: Scope(Reader.Name())}}
	nodes    = []Node{{Name: "node", SQL: "SELECT 1"}}
	jwt      = tb.JWTOptions{Scopes: []tb.JWTScope{{Type: tb.PipesRead, Resource: "p"}}}
	shared   = []tb.TokenAccess{{Token: hidden, Scope: tb.Read}}
	sharedP  = &[]tb.TokenAccess{{Token: pair1, Scope: tb.Read}}
)

var Endpoint = tb.DefineEndpoint("endpoint", Opts{
	Nodes:  []tb.Node{{Name: "endpoint", SQL: "SELECT 1"}},
	Tokens: shared,
})

var ThePipe = DefinePipe("pipe", PipeOptions{Nodes: nodes, Endpoint: &tb.EndpointConfig{}})

func grant(t tb.Token) tb.TokenAccess { return tb.TokenAccess{Token: t, Scope: tb.Read} }

func assign(p *tb.DatasourceOptions, o tb.PipeOptions) {
	p.Tokens = []tb.TokenAccess{grant(pair2), {Token: first, Scope: tb.Append}}
	o.Tokens, p.Tokens = shared, nil
	(*p).Tokens = *sharedP
	_ = second.Name()
	use(func() tb.TokenAccess { return tb.TokenAccess{Name: "closure"} })
}

func use(any) {}

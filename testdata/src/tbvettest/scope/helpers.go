package scope

import "github.com/tbls-dev/tbls/tinybird"

var Viewer = tinybird.DefineToken("viewer")

func readOnly(t tinybird.Token) tinybird.TokenAccess {
	return tinybird.TokenAccess{Token: t, Scope: tinybird.Read}
}

func appendTo(t tinybird.Token) tinybird.TokenAccess {
	return tinybird.TokenAccess{Token: t, Scope: tinybird.Append}
}

func grant(t tinybird.Token, s tinybird.Scope) tinybird.TokenAccess {
	return tinybird.TokenAccess{Token: t, Scope: s}
}

func inline(name string) tinybird.TokenAccess {
	return tinybird.TokenAccess{Name: name, Permissions: []tinybird.Scope{tinybird.Read}}
}

var Helped = tinybird.DefineEndpoint("helped", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{
		readOnly(AppRead),
		grant(Ingest, tinybird.Append), // want `^TB201 Scope APPEND is not allowed on an endpoint`
		readOnly(Ingest),
		appendTo(Ingest), // want `TB201 Scope APPEND is not allowed on an endpoint`
		grant(Viewer, "READ"),
		readOnly(AppRead),       // want `TB206 Token "app_read" is granted READ twice`
		inline("helped_inline"), // want `TB203 Permissions on an inline token of a pipe are ignored`
	},
})

// no diagnostic: the same helpers where their scopes are allowed, a scope
// that is not constant, and a helper too big to follow.
var HelpedDatasource = tinybird.DefineDatasource("helped_ds", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{appendTo(Ingest), grant(AppRead, tinybird.Append), inline("helped_inline")},
})

func notConstant(s tinybird.Scope) []tinybird.TokenAccess {
	return []tinybird.TokenAccess{grant(AppRead, s)}
}

func big(t tinybird.Token) tinybird.TokenAccess {
	a := tinybird.TokenAccess{Token: t, Scope: tinybird.Append}
	return a
}

var Big = tinybird.DefineEndpoint("big", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{big(Ingest), notConstant(tinybird.Append)[0]},
})

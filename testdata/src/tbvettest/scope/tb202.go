package scope

import (
	"example.com/tbvettest/consts"
	"github.com/tbls-dev/tbls/tinybird"
)

var Lower = tinybird.DefineDatasource("lower", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: "read"},                                          // want `^TB202 Unknown scope "read": scopes are upper case; use READ\.`
		{Token: Ingest, Scope: " APPEND "},                                       // want `TB202 Unknown scope " APPEND ": scopes are upper case; use APPEND\.`
		{Token: Ingest, Scope: "WRITE"},                                          // want `TB202 Unknown scope "WRITE": a datasource accepts READ or APPEND\.`
		{Name: "inline", Permissions: []tinybird.Scope{"append", tinybird.Read}}, // want `TB202 Unknown scope "append": scopes are upper case; use APPEND\.`
	},
})

var LowerPipe = tinybird.DefineEndpoint("lower_pipe", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: consts.LowerRead}, // want `TB202 Unknown scope "read": scopes are upper case; use READ\.`
		// No fix: APPEND would be refused on an endpoint anyway.
		{Token: Ingest, Scope: "append"}, // want `TB202 Unknown scope "append": an endpoint accepts READ\.`
		{Token: Ingest, Scope: ""},       // want `TB202 Unknown scope "": an endpoint accepts READ\.`
	},
})

// no diagnostic: exact scopes, typed constants of another package.
var Exact = tinybird.DefineDatasource("exact", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: "READ"},
		{Token: Ingest, Scope: consts.AppendScope},
		{Name: "inline_exact", Permissions: []tinybird.Scope{consts.ReadScope, "APPEND"}},
	},
})

package scope

import "github.com/tbls-dev/tbls/tinybird"

var Forms = tinybird.DefineEndpoint("forms", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{
		{Name: "dashboard", Permissions: []tinybird.Scope{tinybird.Read}}, // want `^TB203 Permissions on an inline token of a pipe are ignored`
		{Token: AppRead, Name: "both", Scope: tinybird.Read},              // want `^TB205 TokenAccess sets both Token and Name`
		{Scope: tinybird.Read}, // want `^TB205 TokenAccess sets neither Token nor Name`
		{Token: AppRead},       // want `^TB205 TokenAccess grants Token without a Scope`
		{Token: AppRead, Scope: tinybird.Read},
		{Name: "viewer"},
		{Token: Ingest, Scope: tinybird.Read},
		{Token: AppRead, Scope: tinybird.Read}, // want `^TB206 Token "app_read" is granted READ twice on this resource: remove the duplicate\.`
		{Name: "viewer"},                       // want `TB206 Token "viewer" is granted READ twice on this resource`
	},
})

var DatasourceForms = tinybird.DefineDatasource("datasource_forms", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{
		{Name: "ingest_inline"},                                // want `^TB204 Inline datasource token has no Permissions`
		{Name: "empty_perms", Permissions: []tinybird.Scope{}}, // want `TB204 Inline datasource token has no Permissions`
		{Name: "nil_perms", Permissions: nil},                  // want `TB204 Inline datasource token has no Permissions`
		{Name: "both", Permissions: []tinybird.Scope{tinybird.Read, tinybird.Append}},
		{Name: "both", Permissions: []tinybird.Scope{tinybird.Append}}, // want `TB206 Token "both" is granted APPEND twice`
		{Token: Ingest, Scope: tinybird.Append},
		{Token: Ingest, Scope: tinybird.Read},
	},
})

// no diagnostic: a token granted both scopes on a datasource, the same
// grant on two resources, inline pipe tokens without Permissions, computed
// Permissions.
var Fine = tinybird.DefineEndpoint("fine", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Read},
		{Name: "dashboard"},
	},
})

func computed(perms []tinybird.Scope) *tinybird.Datasource {
	return tinybird.DefineDatasource("computed", tinybird.DatasourceOptions{
		Tokens: []tinybird.TokenAccess{{Name: "computed", Permissions: perms}},
	})
}

package scope

import . "github.com/tbls-dev/tbls/tinybird"

var Dotted = DefineEndpoint("dotted", EndpointOptions{
	Tokens: []TokenAccess{{Token: AppRead, Scope: Append}}, // want `TB201 Scope APPEND is not allowed on an endpoint`
})

var DottedDatasource = DefineDatasource("dotted_ds", DatasourceOptions{
	Tokens: []TokenAccess{{Token: AppRead, Scope: "read"}}, // want `TB202 Unknown scope "read"`
})

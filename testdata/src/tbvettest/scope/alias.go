package scope

import tb "github.com/tbls-dev/tbls/tinybird"

// The fix names the scope as this file imports the SDK.
var Aliased = tb.DefineEndpoint("aliased", tb.EndpointOptions{
	Tokens: []tb.TokenAccess{{Token: AppRead, Scope: tb.Append}}, // want `TB201 Scope APPEND is not allowed on an endpoint`
})

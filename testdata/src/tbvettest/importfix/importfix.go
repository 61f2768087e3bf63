// Package importfix holds scopes whose fix removes the last use of an
// import: the fixed file must not keep the import, or it would not compile.
package importfix

import (
	"github.com/tbls-dev/tbls/tinybird"

	"example.com/tbvettest/consts"
)

var AppRead = tinybird.DefineToken("app_read")

var Top = tinybird.DefineEndpoint("top", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: consts.AppendScope}}, // want `TB201`
})

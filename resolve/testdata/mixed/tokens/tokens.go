// Package tokens defines a token another package grants.
package tokens

import "github.com/tbls-dev/tbls/tinybird"

var Shared = tinybird.DefineToken("shared")

package tokenname

import tb "github.com/tbls-dev/tbls/tinybird"

var Aliased = tb.DefineToken("aliased-token") // want `TB101 Invalid token name: "aliased-token"`

var AliasedInline = tb.TokenAccess{Name: "aliased inline"} // want `TB102 Invalid token name: "aliased inline"`

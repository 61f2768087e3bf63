package tokenname

import (
	"fmt"

	"example.com/tbvettest/consts"
	"github.com/tbls-dev/tbls/tinybird"
)

// Literal names get a rename fix.
var AppRead = tinybird.DefineToken("app-read") // want `^TB101 Invalid token name: "app-read"\. Must start with a letter or underscore`
var Digits = tinybird.DefineToken("1st token") // want `TB101 Invalid token name: "1st token"`
var Parened = tinybird.DefineToken(("a.b"))    // want `TB101 Invalid token name: "a.b"`
var Empty = tinybird.DefineToken("")           // want `TB101 Invalid token name: ""`

// Constants of another package, typed or untyped, and constant expressions:
// flagged, but no fix, since the constant may be used elsewhere.
const local = "local"

var FromOther = tinybird.DefineToken(consts.BadName)         // want `TB101 Invalid token name: "app-read"`
var Expr = tinybird.DefineToken(local + "-" + consts.Prefix) // want `TB101 Invalid token name: "local-app"`

// no diagnostic: valid names, and names that are not constant.
var Good = tinybird.DefineToken("app_read")
var GoodExpr = tinybird.DefineToken(consts.GoodName)
var Computed = tinybird.DefineToken(fmt.Sprintf("%s-read", consts.Prefix))

func dynamic(name string) tinybird.Token { return tinybird.DefineToken(name) }

// Inline token names.
var Ingest = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{
		{Name: "ingest-events", Permissions: []tinybird.Scope{tinybird.Append}}, // want `^TB102 Invalid token name: "ingest-events"`
		{Name: consts.BadName, Permissions: []tinybird.Scope{tinybird.Read}},    // want `TB102 Invalid token name: "app-read"`
		{Name: "ingest_ok", Permissions: []tinybird.Scope{tinybird.Append}},
		tinybird.TokenAccess{Name: "explicit type", Permissions: []tinybird.Scope{tinybird.Read}}, // want `TB102 Invalid token name: "explicit type"`
		{Token: Good, Scope: tinybird.Read},
	},
})

// A TokenAccess anywhere is checked, not only in a Tokens list.
var single = tinybird.TokenAccess{Name: "é"} // want `TB102 Invalid token name: "é"`

var _ = single

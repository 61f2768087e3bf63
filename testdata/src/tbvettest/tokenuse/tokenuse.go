package tokenuse

import (
	"example.com/tbvettest/consts"
	"github.com/tbls-dev/tbls/tinybird"
)

// TB301: the same constant name twice, however it is spelled.
var AppRead = tinybird.DefineToken("app_read")

var AppReadAgain = tinybird.DefineToken(consts.GoodName) // want `^TB301 Token "app_read" is also defined at tokenuse\.go:9:36: both define the same Tinybird token`

var Other = tinybird.DefineToken("other")

// TB302: unexported, granted nowhere.
var reporting = tinybird.DefineToken("reporting") // want `^TB302 Token "reporting" is granted on no resource, so a deploy never creates it`

// Only reading its name is not a grant.
var named = tinybird.DefineToken("named") // want `TB302 Token "named" is granted on no resource`

var _ = named.Name()

// Discarded results are granted nowhere either.
var _ = tinybird.DefineToken("discarded") // want `TB302 Token "discarded" is granted on no resource`

func init() {
	tinybird.DefineToken("statement") // want `TB302 Token "statement" is granted on no resource`
	_ = tinybird.DefineToken("blank") // want `TB302 Token "blank" is granted on no resource`
}

// no diagnostic: exported tokens (another package may grant them), granted
// tokens, tokens passed to a helper or kept in a slice or a local variable.
var Exported = tinybird.DefineToken("exported")

var granted = tinybird.DefineToken("granted")

var viaHelper = tinybird.DefineToken("via_helper")

var inSlice = tinybird.DefineToken("in_slice")

var all = []tinybird.Token{inSlice}

func readOnly(t tinybird.Token) tinybird.TokenAccess {
	return tinybird.TokenAccess{Token: t, Scope: tinybird.Read}
}

var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: granted, Scope: tinybird.Read},
		readOnly(viaHelper),
		{Token: AppRead, Scope: tinybird.Read},
	},
})

func local() tinybird.Token {
	t := tinybird.DefineToken("local")
	return t
}

func dynamic(name string) {
	// A name that is not constant is never a duplicate, but is still
	// granted nowhere.
	tinybird.DefineToken(name) // want `TB302 Token "name" is granted on no resource`
	tinybird.DefineToken(name) // want `TB302 Token "name" is granted on no resource`
}

//tbvet:ignore TB302 granted by the deploy script
var scripted = tinybird.DefineToken("scripted")

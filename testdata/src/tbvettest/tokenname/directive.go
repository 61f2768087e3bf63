package tokenname

import "github.com/tbls-dev/tbls/tinybird"

// A directive with a reason silences the code on its line and the next.
//
//tbvet:ignore TB101 kept for compatibility with the legacy dashboard
var Legacy = tinybird.DefineToken("legacy-token")

var Trailing = tinybird.DefineToken("trailing-token") //tbvet:ignore TB101 same, trailing comment

// A directive for another code does not silence TB101, and silences nothing.
func otherCode() {
	// want +1 `TB001 tbvet:ignore directive for TB102 silences nothing here: remove it\.`
	//tbvet:ignore TB102 wrong code
	_ = tinybird.DefineToken("other-token") // want `TB101 Invalid token name: "other-token"`
}

// want +1 `TB001 tbvet:ignore directive for TB102 silences nothing here: remove it\.`
//tbvet:ignore TB102 reported since it silences nothing

// A directive without a reason silences nothing and is reported. (Inside a
// function, so that gofmt leaves the comment lines as they are.)
func noReason() {
	// want +1 `^TB001 tbvet:ignore directive has no reason`
	//tbvet:ignore TB101
	_ = tinybird.DefineToken("no-reason") // want `TB101 Invalid token name: "no-reason"`
}

// Unknown codes, and TB001 itself, are reported by tokenname.
// want +1 `TB001 tbvet:ignore directive names unknown check "TB999"`
//tbvet:ignore TB999 no such check
// want +1 `TB001 tbvet:ignore directive for TB001 silences nothing here`
//tbvet:ignore TB001 directives cannot be silenced

// Two lines below is out of reach.
// want +1 `TB001 tbvet:ignore directive for TB101 silences nothing here`
//tbvet:ignore TB101 too far away

var TooFar = tinybird.DefineToken("too-far") // want `TB101 Invalid token name: "too-far"`

// Codes owned by other analyzers are theirs to report: tokenname says
// nothing about this one.
//tbvet:ignore TB201 not tokenname's business

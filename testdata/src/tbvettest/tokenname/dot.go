package tokenname

import . "github.com/tbls-dev/tbls/tinybird"

var Dotted = DefineToken("dotted-token") // want `TB101 Invalid token name: "dotted-token"`

var DottedInline = TokenAccess{Name: "dotted inline"} // want `TB102 Invalid token name: "dotted inline"`

var DottedOK = DefineToken("dotted_ok")

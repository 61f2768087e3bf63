package tokenname

//tbvet:file-ignore TB101 generated from the legacy catalogue

import "github.com/tbls-dev/tbls/tinybird"

var FileIgnored = tinybird.DefineToken("file-ignored")

var FileIgnoredToo = tinybird.DefineToken("file-ignored-too")

// TB102 is not silenced by the file directive for TB101.
var FileInline = tinybird.TokenAccess{Name: "file inline"} // want `TB102 Invalid token name: "file inline"`

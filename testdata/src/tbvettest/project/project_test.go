package project

import tb "github.com/tbls-dev/tbls/tinybird"

// no diagnostic: a test file may redefine a resource of the package, to
// test it on its own.
var testEvents = tb.DefineDatasource("events", tb.DatasourceOptions{Schema: schema})

var _ = testEvents

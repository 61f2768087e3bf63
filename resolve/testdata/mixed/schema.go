// Package mixed is a project declared in Go and in datafiles, for the
// resolver's tests.
package mixed

import (
	"github.com/tbls-dev/tbls/resolve/testdata/mixed/tokens"
	"github.com/tbls-dev/tbls/tinybird"
)

var AppRead = tinybird.DefineToken("app_read")

const dailyName = "daily"

var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{tinybird.Col("ts", tinybird.DateTime()), tinybird.Col("id", tinybird.String())},
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Read},
		{Name: "ingest", Permissions: []tinybird.Scope{tinybird.Append}},
	},
})

var Daily = tinybird.DefineDatasource(dailyName, tinybird.DatasourceOptions{
	Schema: tinybird.Schema{tinybird.Col("d", tinybird.Date())},
})

var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes: []tinybird.Node{
		{Name: "base", SQL: "SELECT * FROM events"},
		{Name: "top", SQL: `SELECT * FROM base
JOIN users USING id`},
	},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
})

var DailyMV = tinybird.DefineMaterializedView("daily_mv", tinybird.MaterializedViewOptions{
	Nodes:      []tinybird.Node{{Name: "agg", SQL: "SELECT toDate(ts) AS d FROM evnets"}},
	Datasource: Daily,
	Tokens:     []tinybird.TokenAccess{{Token: tokens.Shared, Scope: tinybird.Read}},
})

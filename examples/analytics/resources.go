package main

import (
	"context"
	"fmt"
	"time"

	"github.com/tbls-dev/tbls/tinybird"
)

// AppRead is the token the web app uses to read events and call endpoints.
var AppRead = tinybird.DefineToken("app_read")

// Events is the raw event stream, ingested through the Events API with the
// inline events_ingest token.
var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Description: "Raw product events sent by the web app",
	Schema: tinybird.Schema{
		tinybird.Col("timestamp", tinybird.DateTime()),
		tinybird.Col("event_name", tinybird.String().LowCardinality()),
		tinybird.Col("user_id", tinybird.String()),
		tinybird.Col("country", tinybird.String().LowCardinality().Nullable()),
		tinybird.Col("properties", tinybird.String().Default("{}").JSONPath("$.props")),
	},
	Engine: tinybird.MergeTree(tinybird.MergeTreeOptions{
		SortingKey:   []string{"event_name", "timestamp"},
		PartitionKey: "toYYYYMM(timestamp)",
		TTL:          "timestamp + INTERVAL 180 DAY",
	}),
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Read},
		{Name: "events_ingest", Permissions: []tinybird.Scope{tinybird.Append}},
	},
})

// TopEvents ranks events by count over a date range.
var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Description: "Most frequent events in a date range",
	Params: tinybird.Params{
		"start_date": tinybird.DateTimeParam().Describe("Start of the range"),
		"limit":      tinybird.Int32Param().Default(10).Describe("Number of events"),
	},
	Nodes: []tinybird.Node{{
		Name: "endpoint",
		SQL: `SELECT event_name, count() AS count
FROM events
WHERE timestamp >= {{DateTime(start_date)}}
GROUP BY event_name
ORDER BY count DESC
LIMIT {{Int32(limit)}}`,
	}},
	Output: tinybird.Schema{
		tinybird.Col("event_name", tinybird.String()),
		tinybird.Col("count", tinybird.UInt64()),
	},
	Cache:  &tinybird.CacheConfig{Enabled: true, TTL: time.Minute},
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
})

// DailyEvents holds per-day counts, kept up to date by DailyEventsMV.
var DailyEvents = tinybird.DefineDatasource("daily_events", tinybird.DatasourceOptions{
	Description: "Events per day and name",
	Schema: tinybird.Schema{
		tinybird.Col("day", tinybird.Date()),
		tinybird.Col("event_name", tinybird.String().LowCardinality()),
		tinybird.Col("events", tinybird.SimpleAggregateFunction("sum", tinybird.UInt64())),
		tinybird.Col("users", tinybird.AggregateFunction("uniq", tinybird.String())),
	},
	Engine: tinybird.AggregatingMergeTree(tinybird.MergeTreeOptions{SortingKey: []string{"day", "event_name"}}),
	Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
})

// DailyEventsMV aggregates Events into DailyEvents as rows arrive.
var DailyEventsMV = tinybird.DefineMaterializedView("daily_events_mv", tinybird.MaterializedViewOptions{
	Description: "Aggregates events per day",
	Datasource:  DailyEvents,
	Nodes: []tinybird.Node{{
		Name: "aggregate",
		SQL: `SELECT toDate(timestamp) AS day, event_name, count() AS events, uniqState(user_id) AS users
FROM events
GROUP BY day, event_name`,
	}},
})

// EventsSnapshot is a daily copy of the last day's events, for exports.
var EventsSnapshot = tinybird.DefineDatasource("events_snapshot", tinybird.DatasourceOptions{
	Description: "Yesterday's events, replaced every night",
	Schema: tinybird.Schema{
		tinybird.Col("timestamp", tinybird.DateTime()),
		tinybird.Col("event_name", tinybird.String().LowCardinality()),
		tinybird.Col("user_id", tinybird.String()),
	},
	Engine: tinybird.MergeTree(tinybird.MergeTreeOptions{SortingKey: []string{"timestamp"}}),
})

// SnapshotEvents fills EventsSnapshot every night.
var SnapshotEvents = tinybird.DefineCopyPipe("snapshot_events", tinybird.CopyPipeOptions{
	Description: "Copies yesterday's events",
	Datasource:  EventsSnapshot,
	Mode:        tinybird.CopyReplace,
	Schedule:    "0 2 * * *",
	Nodes: []tinybird.Node{{
		Name: "yesterday",
		SQL:  "SELECT timestamp, event_name, user_id FROM events WHERE toDate(timestamp) = yesterday()",
	}},
})

// Project is every resource of the example.
var Project = tinybird.DefineProject(tinybird.ProjectOptions{
	Datasources: []*tinybird.Datasource{Events, DailyEvents, EventsSnapshot},
	Pipes:       []*tinybird.Pipe{TopEvents, DailyEventsMV, SnapshotEvents},
})

// DashboardJWT creates a short-lived JWT that lets one customer's dashboard
// call TopEvents for its own organization only.
func DashboardJWT(ctx context.Context, c *tinybird.Client, orgID int) (string, error) {
	return c.CreateJWT(ctx, tinybird.JWTOptions{
		Name:      fmt.Sprintf("dashboard_org_%d", orgID),
		ExpiresAt: time.Now().Add(15 * time.Minute),
		Scopes: []tinybird.JWTScope{{
			Type:        tinybird.PipesRead,
			Resource:    TopEvents.Name(),
			FixedParams: map[string]any{"org_id": orgID},
		}},
		Limits: &tinybird.JWTLimits{RPS: 5},
	})
}

// Package main is a deliberately broken Tinybird project: every check of
// tbvet (TB1xx names, TB2xx scopes, TB3xx token use, TB4xx JWTs, and in
// schema.go TB5xx datasources and TB6xx pipes) has at least one mistake
// here, marked with its code. It compiles; `go run
// ./examples/badschema` prints what the SDK's Validate finds at run time,
// and `tbvet ./examples/badschema` reports the same mistakes before the code
// runs (plus TB3xx/TB4xx, which need the source).
package main

import (
	"time"

	"github.com/tbls-dev/tbls/tinybird"
)

// TB101: a hyphen is not allowed in a token name.
var AppRead = tinybird.DefineToken("app-read")

// Reporting is a valid token, granted below.
var Reporting = tinybird.DefineToken("reporting")

// TB301: the same token name defined twice in one package.
var ReportingAgain = tinybird.DefineToken("reporting")

//lint:ignore U1000 TB302 example: an unexported token that no resource grants, unused on purpose
var unused = tinybird.DefineToken("unused_token")

// TB103: a hyphen in a datasource name.
var WebEvents = tinybird.DefineDatasource("web-events", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{
		tinybird.Col("timestamp", tinybird.DateTime()),
		tinybird.Col("event_name", tinybird.String()),
	},
	Engine: tinybird.MergeTree(tinybird.MergeTreeOptions{SortingKey: []string{"timestamp"}}),
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Read},
		{Name: "ingest-events", Permissions: []tinybird.Scope{tinybird.Append}}, // TB102
		{Name: "ingest"},                          // TB204: no Permissions
		{Token: Reporting, Scope: "read"},         // TB202: lower case
		{Token: Reporting},                        // TB205: no Scope
		{Token: Reporting, Name: "reporting_too"}, // TB205: both forms
		{Token: ReportingAgain, Scope: tinybird.Append},
		{Token: ReportingAgain, Scope: tinybird.Append}, // TB206: duplicate grant
	},
})

// TB104: "select" is a reserved name.
var Select = tinybird.DefinePipe("select", tinybird.PipeOptions{
	Nodes: []tinybird.Node{{Name: "bad-node", SQL: "SELECT 1"}}, // TB103: node name
})

// TopEvents is an endpoint with the scope mistakes of pipes.
var TopEvents = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Nodes:  []tinybird.Node{{Name: "endpoint", SQL: "SELECT event_name, count() AS count FROM web_events GROUP BY event_name"}},
	Output: tinybird.Schema{tinybird.Col("event_name", tinybird.String()), tinybird.Col("count", tinybird.UInt64())},
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Append},                          // TB201: APPEND on an endpoint
		{Name: "dashboard", Permissions: []tinybird.Scope{tinybird.Read}}, // TB203: ignored Permissions
		{Token: AppRead, Scope: "WRITE"},                                  // TB202: unknown scope
	},
})

// Project lists the broken resources.
var Project = tinybird.DefineProject(tinybird.ProjectOptions{
	Datasources: append([]*tinybird.Datasource{WebEvents}, schemaDatasources...),
	Pipes:       append([]*tinybird.Pipe{Select, TopEvents}, schemaPipes...),
	Connections: []tinybird.Connection{nil}, // TB701: a nil entry
})

// BadJWT has every JWT mistake.
var BadJWT = tinybird.JWTOptions{
	Name: "dashboard",
	// TB404: ExpiresAt is in the past (built from constants).
	ExpiresAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
	Scopes: []tinybird.JWTScope{
		{Type: "DATASOURCES:APPEND", Resource: "web_events"}, // TB401
		{Type: tinybird.PipesRead},                           // TB402: no Resource
		{Type: tinybird.DatasourcesRead, Resource: "web_events", FixedParams: map[string]any{"a": 1}}, // TB403
	},
}

// NoExpiry leaves ExpiresAt zero (TB404).
var NoExpiry = tinybird.JWTOptions{
	Name:   "no_expiry",
	Scopes: []tinybird.JWTScope{{Type: tinybird.PipesRead, Resource: "top_events", Filter: "a = 1"}}, // TB403: Filter on PIPES:READ
}

// TB001: a suppression directive without a reason silences nothing and is
// itself reported.
//
//tbvet:ignore TB201
var Unsuppressed = tinybird.DefineToken("unsuppressed")

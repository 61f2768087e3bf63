// Package tinybird declares Tinybird resources in Go: tokens, datasources,
// pipes, endpoints, materialized views and copy pipes. It validates them with
// the rules package and writes the same .datasource and .pipe datafiles as
// Tinybird's TypeScript SDK (@tinybirdco/sdk), byte for byte.
//
//	var AppRead = tinybird.DefineToken("app_read")
//
//	var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
//		Schema: tinybird.Schema{
//			tinybird.Col("timestamp", tinybird.DateTime()),
//			tinybird.Col("event_name", tinybird.String()),
//		},
//		Engine: tinybird.MergeTree(tinybird.MergeTreeOptions{SortingKey: []string{"timestamp"}}),
//		Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}},
//	})
//
// Define functions never panic: a problem is recorded with the file and line
// of the call and reported, with every other problem, by (*Project).Validate.
package tinybird

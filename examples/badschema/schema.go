package main

import (
	"time"

	"github.com/tbls-dev/tbls/tinybird"
)

// The schema mistakes (TB5xx datasources, TB6xx pipes, TB70x the
// project), marked with their codes. tbvet reports each at the field at fault; Validate at the Define
// call.

// NoColumns has no Schema (TB501).
var NoColumns = tinybird.DefineDatasource("no_columns", tinybird.DatasourceOptions{})

// Columns has a mistake per column.
var Columns = tinybird.DefineDatasource("columns", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{
		tinybird.Col("id", tinybird.String()),
		tinybird.Col("id", tinybird.UInt64()),                                // TB503: a second "id"
		tinybird.Col("", tinybird.String()),                                  // TB502: no name
		{Name: "untyped"},                                                    // TB504: no type
		tinybird.Col("user-agent", tinybird.String()),                        // TB505: not an identifier
		tinybird.Col("tags", tinybird.Array(tinybird.String()).Nullable()),   // TB506: Nullable(Array(String))
		tinybird.Col("uid", tinybird.String().DefaultExpr(" ")),              // TB507: empty default
		tinybird.Col("payload_id", tinybird.String().JSONPath("payload.id")), // TB508: no $
	},
})

// Engine has a mistake per engine key.
var Engine = tinybird.DefineDatasource("engine", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{
		tinybird.Col("timestamp", tinybird.DateTime()),
		tinybird.Col("org", tinybird.String().Nullable()),
		tinybird.Col("id", tinybird.String()),
		tinybird.Col("ver", tinybird.String()),
	},
	Engine: tinybird.ReplacingMergeTree(tinybird.ReplacingMergeTreeOptions{
		SortingKey: []string{"org", "timestmap"},                     // TB512: org is Nullable; TB510: timestmap
		PrimaryKey: []string{"id"},                                   // TB511: not a prefix of the sorting key
		Ver:        "ver",                                            // TB513: String is not a version type
		Settings:   map[string]any{"index_granularity": []int{8192}}, // TB515
	}),
})

// Collapsing has no Sign (TB514).
var Collapsing = tinybird.DefineDatasource("collapsing", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{tinybird.Col("id", tinybird.String())},
	Engine: tinybird.CollapsingMergeTree(tinybird.CollapsingMergeTreeOptions{SortingKey: []string{"id"}}),
})

// Landing is an S3 connection without credentials (TB540).
var Landing = tinybird.DefineS3Connection("landing", tinybird.S3ConnectionOptions{Region: "us-east-1"})

// Ingestion has an index, ingestion and backfill mistakes.
var Ingestion = tinybird.DefineDatasource("ingestion", tinybird.DatasourceOptions{
	Schema:   tinybird.Schema{tinybird.Col("id", tinybird.String())},
	Indexes:  []tinybird.Index{{Name: "by id", Expr: "id", Type: "bloom_filter", Granularity: 4}}, // TB520
	Kafka:    &tinybird.KafkaConfig{Topic: "events"},                                              // TB531: no Connection
	S3:       &tinybird.S3Config{Connection: Landing, BucketURI: "s3://landing/*.csv"},            // TB530: two ingestions
	Backfill: "none",                                                                              // TB532
})

// Daily is a valid target for the pipes below.
var Daily = tinybird.DefineDatasource("daily", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{tinybird.Col("day", tinybird.Date()), tinybird.Col("n", tinybird.UInt64())},
	Engine: tinybird.MergeTree(tinybird.MergeTreeOptions{SortingKey: []string{"day"}}),
})

var node = []tinybird.Node{{Name: "n", SQL: "SELECT 1"}}

// NoNodes has no nodes (TB601).
var NoNodes = tinybird.DefinePipe("no_nodes", tinybird.PipeOptions{})

// Nodes repeats a node name and leaves SQL out.
var Nodes = tinybird.DefinePipe("nodes", tinybird.PipeOptions{Nodes: []tinybird.Node{
	{Name: "a", SQL: "SELECT 1"},
	{Name: "a", SQL: "SELECT * FROM a"}, // TB602
	{Name: "b"},                         // TB603
}})

// NoOutput is an endpoint without Output (TB604).
var NoOutput = tinybird.DefineEndpoint("no_output", tinybird.EndpointOptions{Nodes: node})

// TwoTypes is an endpoint and a copy pipe (TB605).
var TwoTypes = tinybird.DefinePipe("two_types", tinybird.PipeOptions{
	Nodes:    node,
	Output:   tinybird.Schema{tinybird.Col("n", tinybird.UInt64())},
	Endpoint: &tinybird.EndpointConfig{},
	Copy:     &tinybird.CopyConfig{Datasource: Daily},
})

// Cached caches for a fraction of a second (TB610).
var Cached = tinybird.DefineEndpoint("cached", tinybird.EndpointOptions{
	Nodes:  node,
	Output: tinybird.Schema{tinybird.Col("n", tinybird.UInt64())},
	Cache:  &tinybird.CacheConfig{Enabled: true, TTL: 1500 * time.Millisecond},
})

// NoTarget is a materialized view without a target (TB620, and TB604).
var NoTarget = tinybird.DefineMaterializedView("no_target", tinybird.MaterializedViewOptions{Nodes: node})

// Misfit's output lacks a column of its target (TB621), and its deployment
// method is unknown (TB622).
var Misfit = tinybird.DefinePipe("misfit", tinybird.PipeOptions{
	Nodes:        node,
	Output:       tinybird.Schema{tinybird.Col("day", tinybird.Date())},
	Materialized: &tinybird.MaterializedConfig{Datasource: Daily, DeploymentMethod: "replace"},
})

// CopyNoTarget has no target (TB630); CopyMode an unknown mode (TB631).
var (
	CopyNoTarget = tinybird.DefineCopyPipe("copy_no_target", tinybird.CopyPipeOptions{Nodes: node})
	CopyMode     = tinybird.DefineCopyPipe("copy_mode", tinybird.CopyPipeOptions{Nodes: node, Datasource: Daily, Mode: "overwrite"})
)

// SinkNone exports nowhere (TB640).
var SinkNone = tinybird.DefineSinkPipe("sink_none", tinybird.SinkPipeOptions{Nodes: node})

// SinkKafka has no connection (TB641) and no schedule (TB642).
var SinkKafka = tinybird.DefineSinkPipe("sink_kafka", tinybird.SinkPipeOptions{
	Nodes: node,
	Kafka: &tinybird.KafkaSinkConfig{Topic: "out"},
})

// SinkS3 has an unknown compression (TB643).
var SinkS3 = tinybird.DefineSinkPipe("sink_s3", tinybird.SinkPipeOptions{
	Nodes: node,
	S3: &tinybird.S3SinkConfig{Connection: tinybird.DefineS3Connection("exports", tinybird.S3ConnectionOptions{ARN: tinybird.Secret("S3_ARN")}),
		BucketURI: "s3://exports", FileTemplate: "daily", Format: "csv", Schedule: "@daily", Compression: "zip"},
})

// DailyAgain is a second datasource named "daily" (TB702).
var DailyAgain = tinybird.DefineDatasource("daily", tinybird.DatasourceOptions{
	Schema: tinybird.Schema{tinybird.Col("day", tinybird.Date())},
})

// DailyAPI is a pipe named as the datasource "daily" (TB703).
var DailyAPI = tinybird.DefinePipe("daily", tinybird.PipeOptions{Nodes: node})

// schemaDatasources and schemaPipes are listed in Project.
var (
	schemaDatasources = []*tinybird.Datasource{NoColumns, Columns, Engine, Collapsing, Ingestion, Daily, DailyAgain}
	schemaPipes       = []*tinybird.Pipe{NoNodes, Nodes, NoOutput, TwoTypes, Cached, NoTarget, Misfit, CopyNoTarget, CopyMode, SinkNone, SinkKafka, SinkS3, DailyAPI}
)

// Package pipe holds pipes with mistakes for the pipe analyzer, and the same
// pipes written correctly.
package pipe

import (
	"time"

	tb "github.com/tbls-dev/tbls/tinybird"
)

var nodes = []tb.Node{{Name: "n", SQL: "SELECT 1"}}

var Daily = tb.DefineDatasource("daily", tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("day", tb.Date()), tb.Col("n", tb.SimpleAggregateFunction("sum", tb.UInt64()))},
})

var NoNodes = tb.DefinePipe("no_nodes", tb.PipeOptions{}) // want `^TB601 Pipe "no_nodes" must have at least one node.`

var EmptyNodes = tb.DefinePipe("empty_nodes", tb.PipeOptions{Nodes: []tb.Node{}}) // want `^TB601 Pipe "empty_nodes" must have at least one node.`

var Nodes = tb.DefinePipe("nodes", tb.PipeOptions{Nodes: []tb.Node{
	{Name: "a", SQL: "SELECT 1"},
	{Name: "a", SQL: "SELECT * FROM a"}, // want `^TB602 Pipe "nodes" has two nodes named "a"`
	{Name: "b"},                         // want `^TB603 Node "b" has no SQL.`
	{Name: "c", SQL: " \n"},             // want `^TB603 Node "c" has no SQL.`
}})

// no diagnostic: nodes that are not constant, and a name that is not.
var Dynamic = tb.DefinePipe("dynamic", tb.PipeOptions{Nodes: []tb.Node{{Name: nodeName(), SQL: "SELECT 1"}, {Name: nodeName(), SQL: sql()}}})
var DynamicName = tb.DefinePipe(nodeName(), tb.PipeOptions{})

func nodeName() string { return "n" }
func sql() string      { return "" }

var NoOutput = tb.DefineEndpoint("no_output", tb.EndpointOptions{Nodes: nodes}) // want `^TB604 Pipe "no_output" must have an output schema`

var TwoTypes = tb.DefinePipe("two_types", tb.PipeOptions{ // want `^TB605 Pipe "two_types" can only have one of`
	Nodes:    nodes,
	Output:   tb.Schema{tb.Col("n", tb.UInt64())},
	Endpoint: &tb.EndpointConfig{},
	Copy:     &tb.CopyConfig{Datasource: Daily},
})

var OutputDup = tb.DefineEndpoint("output_dup", tb.EndpointOptions{
	Nodes:  nodes,
	Output: tb.Schema{tb.Col("n", tb.UInt64()), tb.Col("n", tb.UInt64())}, // want `^TB503 Column "n" appears twice in Output`
})

// no diagnostic: output names are SQL aliases, not datafile identifiers.
var OutputAlias = tb.DefineEndpoint("output_alias", tb.EndpointOptions{
	Nodes:  nodes,
	Output: tb.Schema{tb.Col("count()", tb.UInt64())},
	Cache:  &tb.CacheConfig{Enabled: true, TTL: 2 * time.Second},
})

var Cache = tb.DefineEndpoint("cache", tb.EndpointOptions{
	Nodes:  nodes,
	Output: tb.Schema{tb.Col("n", tb.UInt64())},
	Cache:  &tb.CacheConfig{Enabled: true, TTL: 1500 * time.Millisecond}, // want `^TB610 Cache TTL 1.5s is not a whole`
})

var MVNoTarget = tb.DefineMaterializedView("mv_no_target", tb.MaterializedViewOptions{Nodes: nodes}) // want `^TB620 Materialized view "mv_no_target" has no target` `^TB604 Pipe "mv_no_target" must have an output schema`

var MVDeploy = tb.DefineMaterializedView("mv_deploy", tb.MaterializedViewOptions{Nodes: nodes, Datasource: Daily, DeploymentMethod: "replace"}) // want `^TB622 Unknown DeploymentMethod "replace"`

var MVOutput = tb.DefinePipe("mv_output", tb.PipeOptions{
	Nodes:        nodes,
	Output:       tb.Schema{tb.Col("day", tb.Date())}, // want `^TB621 Materialized view "mv_output" output schema is missing columns from target datasource "daily": n`
	Materialized: &tb.MaterializedConfig{Datasource: Daily},
})

// no diagnostic: the output fits its target.
var MVFits = tb.DefinePipe("mv_fits", tb.PipeOptions{
	Nodes:        nodes,
	Output:       tb.Schema{tb.Col("day", tb.Date()), tb.Col("n", tb.UInt64())},
	Materialized: &tb.MaterializedConfig{Datasource: Daily, DeploymentMethod: tb.DeployAlter},
})

var CopyNoTarget = tb.DefineCopyPipe("copy_no_target", tb.CopyPipeOptions{Nodes: nodes}) // want `^TB630 Copy pipe "copy_no_target" has no target`

var CopyMode = tb.DefineCopyPipe("copy_mode", tb.CopyPipeOptions{Nodes: nodes, Datasource: Daily, Mode: "overwrite"}) // want `^TB631 Unknown copy Mode "overwrite"`

var Broker = tb.DefineKafkaConnection("broker", tb.KafkaConnectionOptions{BootstrapServers: "b:9092"})

var SinkNone = tb.DefineSinkPipe("sink_none", tb.SinkPipeOptions{Nodes: nodes}) // want `^TB640 Pipe "sink_none" sink sets neither Kafka nor S3`

var SinkKafka = tb.DefineSinkPipe("sink_kafka", tb.SinkPipeOptions{
	Nodes: nodes,
	Kafka: &tb.KafkaSinkConfig{Topic: "out", Schedule: ""}, // want `^TB641 Pipe "sink_kafka" sink with topic requires a Kafka connection.` `^TB642 Pipe "sink_kafka" sink schedule cannot be empty.`
})

var SinkS3 = tb.DefineSinkPipe("sink_s3", tb.SinkPipeOptions{
	Nodes: nodes,
	S3: &tb.S3SinkConfig{
		Connection:   tb.DefineS3Connection("s3", tb.S3ConnectionOptions{ARN: "arn"}),
		BucketURI:    "s3://b",
		FileTemplate: "f",
		Format:       "csv",
		Schedule:     "@once",
		Compression:  "zip", // want `^TB643 Pipe "sink_s3" sink compression must be`
	},
})

// no diagnostic: a complete Kafka sink.
var SinkFine = tb.DefineSinkPipe("sink_fine", tb.SinkPipeOptions{
	Nodes: nodes,
	Kafka: &tb.KafkaSinkConfig{Connection: Broker, Topic: "out", Schedule: "@on-demand"},
})

// no diagnostic: a known copy mode.
var CopyFine = tb.DefineCopyPipe("copy_fine", tb.CopyPipeOptions{Nodes: nodes, Datasource: Daily, Mode: tb.CopyReplace})

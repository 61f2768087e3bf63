// Command pipes defines pipes with mistakes, all from constants, and
// prints what Validate finds: the run-time side of the analyzers' contract
// test.
package main

import (
	"fmt"
	"time"

	tb "github.com/tbls-dev/tbls/tinybird"
)

var target = tb.DefineDatasource("target", tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("day", tb.Date()), tb.Col("n", tb.AggregateFunction("uniq", tb.String()))},
})

var node = []tb.Node{{Name: "n", SQL: "SELECT 1"}}

var conn = tb.DefineKafkaConnection("kafka", tb.KafkaConnectionOptions{BootstrapServers: "b"})

var (
	NoNodes  = tb.DefineEndpoint("no_nodes", tb.EndpointOptions{Output: tb.Schema{tb.Col("n", tb.UInt64())}})
	Nodes    = tb.DefinePipe("nodes", tb.PipeOptions{Nodes: []tb.Node{{Name: "x", SQL: "SELECT 1"}, {Name: "x"}, {Name: "y", SQL: "\u00a0"}}})
	AllTypes = tb.DefinePipe("all_types", tb.PipeOptions{
		Nodes:        node,
		Endpoint:     &tb.EndpointConfig{Cache: &tb.CacheConfig{Enabled: true, TTL: -2 * time.Second}},
		Materialized: &tb.MaterializedConfig{Datasource: target, DeploymentMethod: "recreate"},
		Copy:         &tb.CopyConfig{Datasource: target, Mode: "merge"},
	})
	Output = tb.DefinePipe("output", tb.PipeOptions{
		Nodes:    node,
		Output:   tb.Schema{tb.Col("a", tb.UInt8()), {Name: "a"}, tb.Col("", tb.String())},
		Endpoint: &tb.EndpointConfig{},
	})
	Extra = tb.DefinePipe("extra", tb.PipeOptions{
		Nodes:        node,
		Output:       tb.Schema{tb.Col("day", tb.Date()), tb.Col("n", tb.String()), tb.Col("x", tb.String())},
		Materialized: &tb.MaterializedConfig{Datasource: target},
	})
	Mismatch = tb.DefinePipe("mismatch", tb.PipeOptions{
		Nodes:        node,
		Output:       tb.Schema{tb.Col("day", tb.DateTime()), tb.Col("n", tb.String())},
		Materialized: &tb.MaterializedConfig{Datasource: target},
	})
	MVNoTarget = tb.DefinePipe("mv_no_target", tb.PipeOptions{Nodes: node, Output: tb.Schema{tb.Col("n", tb.UInt8())}, Materialized: &tb.MaterializedConfig{}})
	MV         = tb.DefineMaterializedView("mv", tb.MaterializedViewOptions{Nodes: node})
	Copy       = tb.DefineCopyPipe("copy", tb.CopyPipeOptions{Nodes: node, Mode: "all"})
	SinkBoth   = tb.DefineSinkPipe("sink_both", tb.SinkPipeOptions{Nodes: node, Kafka: &tb.KafkaSinkConfig{Connection: conn, Topic: "t", Schedule: "@once"}, S3: &tb.S3SinkConfig{}})
	SinkS3     = tb.DefineSinkPipe("sink_s3", tb.SinkPipeOptions{Nodes: node, S3: &tb.S3SinkConfig{BucketURI: " ", Strategy: "append", Compression: "gzip"}})
	SinkKafka  = tb.DefineSinkPipe("sink_kafka", tb.SinkPipeOptions{Nodes: node, Kafka: &tb.KafkaSinkConfig{Connection: conn, Topic: ""}})
	// Valid.
	Fine = tb.DefinePipe("fine", tb.PipeOptions{
		Nodes:        node,
		Output:       tb.Schema{tb.Col("day", tb.Date()), tb.Col("n", tb.String())},
		Materialized: &tb.MaterializedConfig{Datasource: target, DeploymentMethod: tb.DeployAlter},
	})
)

func main() {
	err := tb.DefineProject(tb.ProjectOptions{
		Pipes: []*tb.Pipe{NoNodes, Nodes, AllTypes, Output, Extra, Mismatch, MVNoTarget, MV, Copy, SinkBoth, SinkS3, SinkKafka, Fine},
	}).Validate()
	if err != nil {
		fmt.Println(err)
	}
}

// Command project defines resources whose names clash, with nil entries in
// its project, and prints what Validate finds: the run-time side of the
// analyzers' contract test.
package main

import (
	"fmt"

	tb "github.com/tbls-dev/tbls/tinybird"
)

var schema = tb.Schema{tb.Col("id", tb.String())}
var node = []tb.Node{{Name: "n", SQL: "SELECT 1"}}

var (
	Events  = tb.DefineDatasource("events", tb.DatasourceOptions{Schema: schema})
	Events2 = tb.DefineDatasource("events", tb.DatasourceOptions{Schema: schema})
	Pipe    = tb.DefinePipe("events", tb.PipeOptions{Nodes: node})
	Top     = tb.DefineEndpoint("top", tb.EndpointOptions{Nodes: node, Output: schema})
	Top2    = tb.DefinePipe("top", tb.PipeOptions{Nodes: node})
	Conn    = tb.DefineKafkaConnection("conn", tb.KafkaConnectionOptions{BootstrapServers: "b"})
	Conn2   = tb.DefineKafkaConnection("conn", tb.KafkaConnectionOptions{BootstrapServers: "c"})
	Bad     = tb.DefineDatasource("bad-name", tb.DatasourceOptions{Schema: schema, Tokens: []tb.TokenAccess{{Name: "x y", Permissions: []tb.Scope{"read"}}}})
)

func main() {
	err := tb.DefineProject(tb.ProjectOptions{
		Datasources: []*tb.Datasource{Events2, nil, Events, Bad},
		Pipes:       []*tb.Pipe{Top2, Pipe, nil, Top},
		Connections: []tb.Connection{Conn, Conn2, nil},
	}).Validate()
	if err != nil {
		fmt.Println(err)
	}
}

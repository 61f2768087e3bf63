// Package project defines resources whose names clash, for the project
// analyzer.
package project

import (
	"example.com/tbvettest/consts"
	tb "github.com/tbls-dev/tbls/tinybird"
)

var schema = tb.Schema{tb.Col("id", tb.String())}
var nodes = []tb.Node{{Name: "n", SQL: "SELECT 1"}}

var Events = tb.DefineDatasource("events", tb.DatasourceOptions{Schema: schema})      // want `^TB702 Datasource name "events" is also defined at project.go:14`
var EventsAgain = tb.DefineDatasource("events", tb.DatasourceOptions{Schema: schema}) // want `^TB702 Datasource name "events" is also defined at project.go:13`

var EventsAPI = tb.DefinePipe("events", tb.PipeOptions{Nodes: nodes}) // want `^TB703 Name conflict: "events" is defined as both datasource and pipe`

var P1 = tb.DefinePipe(consts.PipeName, tb.PipeOptions{Nodes: nodes})    // want `^TB702 Pipe name "dup_pipe"`
var P2 = tb.DefineEndpoint("dup_pipe", tb.EndpointOptions{Nodes: nodes}) // want `^TB702 Pipe name "dup_pipe"`

// no diagnostic: a connection may share a datasource's name, and names
// that are not constant are not compared.
var Conn = tb.DefineKafkaConnection("events", tb.KafkaConnectionOptions{})
var D1 = tb.DefineDatasource(name(), tb.DatasourceOptions{Schema: schema})
var D2 = tb.DefineDatasource(name(), tb.DatasourceOptions{Schema: schema})

func name() string { return "same" }

var Project = tb.DefineProject(tb.ProjectOptions{
	Datasources: []*tb.Datasource{Events, nil}, // want `^TB701 ProjectOptions.Datasources\[1\] is nil`
	Pipes:       []*tb.Pipe{EventsAPI},
})

// no diagnostic: resources built in a function may belong to another
// project.
func variant() *tb.Datasource {
	return tb.DefineDatasource("events", tb.DatasourceOptions{Schema: schema})
}

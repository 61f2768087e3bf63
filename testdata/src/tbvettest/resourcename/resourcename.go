package resourcename

import (
	"example.com/tbvettest/consts"
	tb "github.com/tbls-dev/tbls/tinybird"
)

var Events = tb.DefineDatasource("web-events", tb.DatasourceOptions{}) // want `^TB103 Invalid datasource name: "web-events"\.`

var Select = tb.DefinePipe("select", tb.PipeOptions{}) // want `^TB104 Reserved pipe name: "select"\.`

var Upper = tb.DefineDatasource("FROM", tb.DatasourceOptions{}) // want `TB104 Reserved datasource name: "FROM"`

var Top = tb.DefineEndpoint(consts.EndpointBad, tb.EndpointOptions{ // want `TB103 Invalid pipe name: "top-events"`
	Nodes: []tb.Node{
		{Name: "first node", SQL: "SELECT 1"}, // want `TB103 Invalid node name: "first node"`
		{Name: "select", SQL: "SELECT 1"},     // want `TB104 Reserved node name: "select"`
		tb.Node{Name: "2nd", SQL: "SELECT 2"}, // want `TB103 Invalid node name: "2nd"`
	},
})

var MV = tb.DefineMaterializedView("mv.daily", tb.MaterializedViewOptions{}) // want `TB103 Invalid pipe name: "mv.daily"`

var Copy = tb.DefineCopyPipe("copy-"+consts.Prefix, tb.CopyPipeOptions{}) // want `TB103 Invalid pipe name: "copy-app"`

// no diagnostic: valid names, allowed keywords, and names not constant.
var Good = tb.DefineDatasource("web_events", tb.DatasourceOptions{})

var Numbers = tb.DefinePipe("numbers", tb.PipeOptions{})

var Materialized = tb.DefineEndpoint("Materialized", tb.EndpointOptions{})

func named(name string) *tb.Pipe {
	return tb.DefinePipe(name, tb.PipeOptions{Nodes: []tb.Node{{Name: name + "_node"}}})
}

//tbvet:ignore TB104 the legacy name stays until v2
var Table = tb.DefineDatasource("table", tb.DatasourceOptions{})

package scope

import (
	"example.com/tbvettest/consts"
	"github.com/tbls-dev/tbls/tinybird"
)

var AppRead = tinybird.DefineToken("app_read")

var Ingest = tinybird.DefineToken("ingest")

var Top = tinybird.DefineEndpoint("top_events", tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Read},
		{Token: Ingest, Scope: tinybird.Append}, // want `^TB201 Scope APPEND is not allowed on an endpoint: pipes accept READ only`
	},
})

// A typed constant of another package, alone on one line.
var Copy = tinybird.DefineCopyPipe("copy_events", tinybird.CopyPipeOptions{
	Tokens: []tinybird.TokenAccess{{Token: Ingest, Scope: consts.AppendScope}}, // want `TB201 Scope APPEND is not allowed on a copy pipe`
})

// An untyped literal, first of two on one line.
var MV = tinybird.DefineMaterializedView("daily_mv", tinybird.MaterializedViewOptions{
	Tokens: []tinybird.TokenAccess{{Token: Ingest, Scope: "APPEND"}, {Token: AppRead, Scope: tinybird.Read}}, // want `TB201 Scope APPEND is not allowed on a materialized view`
})

// PipeOptions: a plain pipe, or the kind its Endpoint field makes it.
var Plain = tinybird.DefinePipe("plain", tinybird.PipeOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: AppRead, Scope: tinybird.Read},
		{Token: Ingest, Scope: tinybird.Append}, // want `TB201 Scope APPEND is not allowed on a pipe:`
	},
})

var Published = tinybird.DefinePipe("published", tinybird.PipeOptions{
	Endpoint: &tinybird.EndpointConfig{},
	Tokens: []tinybird.TokenAccess{
		{Token: Ingest, Scope: tinybird.Append}, // want `TB201 Scope APPEND is not allowed on an endpoint`
	},
})

// Options built in a variable and passed later are checked where they are
// built.
var laterOpts = tinybird.EndpointOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: Ingest, Scope: tinybird.Append}, // want `TB201 Scope APPEND is not allowed on an endpoint`
		{Token: AppRead, Scope: tinybird.Read},
	},
}

var Later = tinybird.DefineEndpoint("later", laterOpts)

// So are Tokens assigned to a field of options.
func assigned() *tinybird.Pipe {
	opts := &tinybird.CopyPipeOptions{}
	opts.Tokens = []tinybird.TokenAccess{{Token: AppRead, Scope: tinybird.Read}, {Token: Ingest, Scope: tinybird.Append}} // want `TB201 Scope APPEND is not allowed on a copy pipe`
	return tinybird.DefineCopyPipe("assigned", *opts)
}

// no diagnostic: APPEND on a datasource, READ on pipes, scopes not constant.
var Events = tinybird.DefineDatasource("events", tinybird.DatasourceOptions{
	Tokens: []tinybird.TokenAccess{
		{Token: Ingest, Scope: tinybird.Append},
		{Token: AppRead, Scope: tinybird.Read},
	},
})

func dynamic(s tinybird.Scope) *tinybird.Pipe {
	return tinybird.DefineEndpoint("dynamic", tinybird.EndpointOptions{
		Tokens: []tinybird.TokenAccess{{Token: AppRead, Scope: s}},
	})
}

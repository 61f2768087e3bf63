// Package model holds every form of grant the SDK model reads, for
// TestModel: typed and syntax-only models must read the same grants.
package model

import tb "github.com/tbls-dev/tbls/tinybird"

var AppRead = tb.DefineToken("app_read")

var ingest = tb.DefineToken("ingest")

const prefix = "ev"

// common is a shared list.
var common = []tb.TokenAccess{{Token: AppRead, Scope: tb.Read}}

// more is built with append, of a list and of single accesses.
var more = append(common, tb.TokenAccess{Token: ingest, Scope: tb.Append}, readOnly(AppRead))

func readOnly(t tb.Token) tb.TokenAccess { return tb.TokenAccess{Token: t, Scope: tb.Read} }

func grant(t tb.Token, s tb.Scope) *tb.TokenAccess { return &tb.TokenAccess{Token: t, Scope: s} }

var Events = tb.DefineDatasource("events", tb.DatasourceOptions{
	Tokens: []tb.TokenAccess{
		{Token: ingest, Scope: tb.Append},
		readOnly(AppRead),
		*grant(AppRead, tb.Read),
		{Name: "inline_ds", Permissions: []tb.Scope{tb.Read, tb.Append}},
	},
})

var Shared = tb.DefineDatasource("shared", tb.DatasourceOptions{Tokens: more})

var Top = tb.DefineEndpoint(prefix+"_top", tb.EndpointOptions{
	Tokens: append([]tb.TokenAccess{{Name: "inline_ep"}}, common...),
})

var Copy = tb.DefineCopyPipe("copy", tb.CopyPipeOptions{
	Datasource: Events,
	Tokens:     common,
})

var single = tb.TokenAccess{Token: ingest, Scope: tb.Read}

var ByVar = tb.DefineEndpoint("by_var", tb.EndpointOptions{Tokens: []tb.TokenAccess{single}})

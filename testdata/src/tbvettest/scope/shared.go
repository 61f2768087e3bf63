package scope

import "github.com/tbls-dev/tbls/tinybird"

// ingestAndRead is right on a datasource and wrong on an endpoint: it is
// checked for each resource that uses it, and reported at the use.
var ingestAndRead = []tinybird.TokenAccess{
	{Token: Ingest, Scope: tinybird.Append},
	{Token: AppRead, Scope: tinybird.Read},
}

var SharedDatasource = tinybird.DefineDatasource("shared_ds", tinybird.DatasourceOptions{
	Tokens: ingestAndRead,
})

var SharedEndpoint = tinybird.DefineEndpoint("shared_ep", tinybird.EndpointOptions{
	Tokens: ingestAndRead, // want `^TB201 Scope APPEND is not allowed on an endpoint: .* \(element 0 of ingestAndRead\)`
})

func sharedAssigned() tinybird.PipeOptions {
	var opts tinybird.PipeOptions
	opts.Tokens = (ingestAndRead) // want `TB201 Scope APPEND is not allowed on a pipe: .* \(element 0 of ingestAndRead\)`
	return opts
}

// Problems that do not depend on the kind are reported at every use too.
var sloppy = []tinybird.TokenAccess{
	{Token: AppRead, Scope: tinybird.Read},
	{Token: AppRead, Scope: tinybird.Read},
	{Token: AppRead},
}

var SloppyEndpoint = tinybird.DefineEndpoint("sloppy", tinybird.EndpointOptions{
	Tokens: sloppy, // want `TB206 Token "app_read" is granted READ twice .*\(element 1 of sloppy\)` `TB205 TokenAccess grants Token without a Scope.*\(element 2 of sloppy\)`
})

// A list built with append is followed like a list literal (the SDK
// model reads both).
var readers = append([]tinybird.TokenAccess{}, tinybird.TokenAccess{Token: Ingest, Scope: tinybird.Append})

var Appended = tinybird.DefineEndpoint("appended", tinybird.EndpointOptions{Tokens: readers}) // want `TB201 Scope APPEND is not allowed on an endpoint.*\(appended in readers\)`

// no diagnostic: an appended list that grants READ only.
var readOnlyList = append([]tinybird.TokenAccess{{Token: Ingest, Scope: tinybird.Read}}, tinybird.TokenAccess{Token: AppRead, Scope: tinybird.Read})

var AppendedRead = tinybird.DefineEndpoint("appended_read", tinybird.EndpointOptions{Tokens: readOnlyList})

func local() *tinybird.Pipe {
	tokens := []tinybird.TokenAccess{{Token: Ingest, Scope: tinybird.Append}}
	return tinybird.DefineEndpoint("local", tinybird.EndpointOptions{Tokens: tokens})
}

// An element naming a variable that holds a TokenAccess is read where the
// variable is written (the SDK model reads it like a helper's).
var appendGrant = tinybird.TokenAccess{Token: Ingest, Scope: tinybird.Append}

var ByVariable = tinybird.DefineEndpoint("by_variable", tinybird.EndpointOptions{Tokens: []tinybird.TokenAccess{appendGrant}}) // want `TB201 Scope APPEND is not allowed on an endpoint`

// Package rules is the single source of truth for what is valid in a Tinybird
// project declared with the tinybird SDK: resource and token names, reserved
// names, the scopes each resource kind accepts, JWT scopes, the schema
// (columns, ClickHouse type strings, JSON paths, engine keys, nodes, pipes,
// the project's names) on a neutral model that Go code and datafiles both
// feed, and the table of checks (code, analyzer, severity, title,
// documentation, example).
//
// Every front end asks this package: the SDK's Validate at run time, the
// go/analysis analyzers of tbvet, and the datafile checker of tbls. None of
// them holds a scope list, a name pattern or a message of its own.
//
// The package imports only the standard library, so that importing the SDK
// never pulls in analysis or protocol code.
package rules

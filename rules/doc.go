// Package rules is the single source of truth for what is valid in a Tinybird
// project declared with the tinybird SDK: resource and token names, reserved
// names, the scopes each resource kind accepts, JWT scopes, and the table of
// checks (code, analyzer, severity, title, documentation, example).
//
// Every front end asks this package: the SDK's Validate at run time, the
// go/analysis analyzers of tbvet, and the datafile checker of tbls. None of
// them holds a scope list, a name pattern or a message of its own.
//
// The package imports only the standard library, so that importing the SDK
// never pulls in analysis or protocol code.
package rules

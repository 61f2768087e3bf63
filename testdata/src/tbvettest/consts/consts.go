// Package consts declares names and scopes in another package, to check
// that the analyzers evaluate constants wherever they are declared.
package consts

import "github.com/tbls-dev/tbls/tinybird"

// Untyped constants.
const (
	Prefix      = "app"
	BadName     = "app-read"
	GoodName    = Prefix + "_read"
	LowerRead   = "read"
	EndpointBad = "top-events"
)

// Typed constants.
const (
	AppendScope tinybird.Scope = tinybird.Append
	ReadScope   tinybird.Scope = "READ"
)

// Schema names, for the schema analyzers.
const (
	SortColumn = "timestmap"
	PipeName   = "dup_" + "pipe"
)

package analyzer

import (
	"go/types"

	"github.com/tbls-dev/tbls/rules"
)

// This file exports what the analyzers know of the SDK's types, for the
// language server's completion and hover, so that which options type
// configures which kind of resource is written once.

// SDKPath is the import path of the SDK package whose uses the analyzers
// check. The SDK is recognised by this path, never by a package's name.
const SDKPath = sdkPath

// SDKTypeName returns the name of the SDK named type t is, through aliases,
// or "" when t is not one of the SDK's named types.
func SDKTypeName(t types.Type) string { return sdkType(t) }

// OptionsKind returns the kind of resource configured by the SDK options
// type named name (DatasourceOptions, EndpointOptions, …), which holds a
// Tokens field. ok is false for any other name. A PipeOptions value may
// configure a more specific pipe: see RefinePipeKind.
func OptionsKind(name string) (kind rules.Kind, ok bool) {
	kind, ok = optionsKinds[name]
	return kind, ok
}

// pipeKindFields are the PipeOptions fields that, set, make the pipe an
// endpoint, a materialized view or a copy pipe, as in the TypeScript SDK's
// definePipe.
var pipeKindFields = []struct {
	field string
	kind  rules.Kind
}{{"Endpoint", rules.KindEndpoint}, {"Materialized", rules.KindMaterializedView}, {"Copy", rules.KindCopyPipe}}

// RefinePipeKind returns the kind of a PipeOptions value given which of its
// fields are set to something other than nil: the first of Endpoint,
// Materialized and Copy that is, else rules.KindPipe.
func RefinePipeKind(isSet func(field string) bool) rules.Kind {
	for _, f := range pipeKindFields {
		if isSet(f.field) {
			return f.kind
		}
	}
	return rules.KindPipe
}

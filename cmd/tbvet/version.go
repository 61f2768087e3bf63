package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// printVersion prints tbvet's module version, as `go install …@version`
// recorded it ("(devel)" for a build from a checkout), and the Go version.
// It is not -V=full, which go vet uses to key its cache and which x/tools
// answers with a hash of the executable.
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "%s %s %s\n", progname(), moduleVersion(), runtime.Version())
}

// moduleVersion returns the main module's version from the build info.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(unknown)"
}

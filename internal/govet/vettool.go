package govet

import (
	"os"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

// ServeVetTool answers go vet when args (os.Args[1:]) are go vet calling a
// vet tool (see IsVetProtocol), and returns otherwise. A command that is
// also a vet tool calls it first in main: it answers `-V=full` with
// PrintToolID and anything else with x/tools' unitchecker.Main over
// analyzers, and exits; the command runs only when it returns.
func ServeVetTool(args []string, analyzers ...*analysis.Analyzer) {
	if !IsVetProtocol(args) {
		return
	}
	if len(args) == 1 && args[0] == "-V=full" && PrintToolID(os.Stdout) {
		os.Exit(0)
	}
	unitchecker.Main(analyzers...) // exits
}

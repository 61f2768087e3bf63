// Command tbvet checks Go code that declares Tinybird resources with the
// github.com/tbls-dev/tbls/tinybird SDK: token names, scopes, token use and
// JWTs, as the checks of the rules package define them.
//
// One binary works two ways:
//
//	go vet -vettool=/path/to/tbvet ./...   # go vet's unitchecker protocol
//	tbvet ./...                           # standalone
//
// Standalone, tbvet runs `go vet -vettool=<its own executable>` (-json, or
// -fix/-diff) and prints go vet's findings through the report package, so
// the standalone tool, go vet and CI share one engine and go vet's build
// cache. On top of go vet it adds -format=text|json|sarif|github, -checks
// and -fail (package checkconfig, with tbls.conf files), a summary of what
// was checked, and the exit statuses the README documents: 0 no failing
// finding, 1 the tool failed, 2 bad flags or configuration, 3 failing
// findings. Its -json prints go vet's JSON tree and exits 0 with findings,
// as go vet does.
//
// Invoked by go vet (-V=full, -flags, a lone *.cfg), it is x/tools'
// unitchecker.
package main

import (
	"log"
	"os"
	"path/filepath"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/internal/govet"
	"github.com/tbls-dev/tbls/report"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix(progname() + ": ")
	args := os.Args[1:]
	govet.ServeVetTool(args, analyzer.Suite...)
	if len(args) > 0 {
		switch args[0] {
		case "help":
			os.Exit(help(os.Stdout, os.Stderr, analyzer.Suite, args[1:]))
		case "version", "-V", "--V", "-V=true", "--V=true":
			printVersion(os.Stdout)
			os.Exit(report.ExitOK)
		}
	}
	os.Exit(standalone(args, os.Stdout, os.Stderr))
}

func progname() string { return filepath.Base(os.Args[0]) }

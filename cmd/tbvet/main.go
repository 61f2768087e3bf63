// Command tbvet checks Go code that declares Tinybird resources with the
// github.com/tbls-dev/tbls/tinybird SDK: token names, scopes, token use and
// JWTs, as the checks of the rules package define them.
//
// One binary works two ways:
//
//	go vet -vettool=$(command -v tbvet) ./...   # go vet's unitchecker protocol
//	tbvet ./...                                 # standalone
//
// Standalone, it takes x/tools' checker flags (-json, -fix, -diff, -c N,
// -test, -NAME to run only some analyzers, -NAME=false to skip one) and
// adds -format=text|json|sarif|github, which prints through the report
// package (SARIF for code scanning, GitHub Actions annotations).
//
// Exit codes are x/tools': 0 no findings; 1 the tool failed (packages did
// not load or type-check, an analyzer failed, fixes did not apply); 3
// findings reported (standalone, text output); 2 bad flags. Under go vet,
// go vet itself exits 1 when tbvet reports. With -json, -format=json and
// -format=sarif, findings are data and the exit code is 0, as with x/tools'
// -json; -format=text and -format=github exit 3 on findings.
package main

import (
	"log"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/tbls-dev/tbls/analyzer"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix(progname() + ": ")
	args := os.Args[1:]
	if len(args) > 0 {
		switch args[0] {
		case "help":
			os.Exit(help(os.Stdout, os.Stderr, analyzer.Suite, args[1:]))
		case "version", "-V", "--V", "-V=true", "--V=true":
			printVersion(os.Stdout)
			os.Exit(0)
		}
	}
	if hasFormatFlag(args) {
		os.Exit(runFormat(args, os.Stdout, os.Stderr, analyzer.Suite))
	}
	// Everything else is x/tools' multichecker, so that the vet protocol
	// (-V=full, -flags, a lone *.cfg), -json, -fix and -diff behave exactly
	// as users of go vet and the x/tools checkers expect.
	multichecker.Main(analyzer.Suite...)
}

// valueFlags are the non-boolean flags of both paths, whose value may come
// as the next argument.
var valueFlags = map[string]bool{"c": true, "tags": true, "debug": true, "cpuprofile": true, "memprofile": true, "trace": true, "basedir": true}

func progname() string { return filepath.Base(os.Args[0]) }

// hasFormatFlag reports whether args, before the first package pattern,
// set -format. The -format path is standalone only: go vet never passes it,
// because -flags (x/tools' list) does not declare it, so go vet refuses
// `go vet -vettool=tbvet -format=…` with "flag provided but not defined".
func hasFormatFlag(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" || !strings.HasPrefix(a, "-") {
			return false
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name == "format" {
			return true
		}
		if valueFlags[name] && !hasValue {
			i++ // skip the flag's value
		}
	}
	return false
}

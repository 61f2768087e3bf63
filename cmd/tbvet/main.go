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
// Two drivers serve the standalone mode. A plain check (`tbvet [-test]
// [-tags] [-fix [-diff]] [-NAME…] packages`) and -format run in process
// (standalone.go, fix.go):
// the packages are listed without being compiled, their findings come
// from a result cache (cache.go) or else they are type-checked in
// process, as go vet's unitchecker sees them. That keeps tbvet as cheap as
// go vet: x/tools' checker loads with `go list -export`, which compiles
// the checked packages, 36 s after an edit of a 27,000-line package whose
// go vet takes under 2 s; -fix applies the fixes the way x/tools' checker
// does. The vet protocol (-V=full, -flags, a *.cfg), -json, -c and x/tools'
// debugging flags keep x/tools' multichecker and its exact behaviour.
//
// Exit codes are x/tools': 0 no findings; 1 the tool failed (packages did
// not load or type-check, an analyzer failed, fixes did not apply); 3
// findings reported (standalone, text output); 2 bad flags. Under go vet,
// go vet itself exits 1 when tbvet reports. With -json, -format=json and
// -format=sarif, findings are data and the exit code is 0, as with x/tools'
// -json; -format=text and -format=github exit 3 on findings.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
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
	switch {
	case hasFormatFlag(args):
		os.Exit(runStandalone(args, false, os.Stdout, os.Stderr, analyzer.Suite))
	case plainArgs(args, analyzer.Suite):
		os.Exit(runStandalone(args, true, os.Stdout, os.Stderr, analyzer.Suite))
	}
	// Everything else is x/tools' multichecker, so that the vet protocol
	// (-V=full, -flags, a lone *.cfg), -json and -c behave
	// exactly as users of go vet and the x/tools checkers expect.
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

// plainArgs reports whether args are a plain check, `tbvet [flags]
// packages`, that the in-process driver runs (see runStandalone) rather
// than x/tools' checker, whose loader compiles the checked packages: at
// least one package pattern, not a lone *.cfg (go vet's protocol) nor
// "help", and before it only the flags whose meaning both drivers share:
// -test, -tags, -fix, -diff, -NAME and -NAME.FLAG of the analyzers (fix.go
// applies fixes as x/tools does). Any other flag (-json, -c, -V, -flags,
// -debug, the profiles…) goes to x/tools.
func plainArgs(args []string, suite []*analysis.Analyzer) bool {
	allowed := map[string]bool{"test": true, "tags": true, "fix": true, "diff": true}
	for _, a := range suite {
		allowed[a.Name] = true
		a.Flags.VisitAll(func(f *flag.Flag) { allowed[a.Name+"."+f.Name] = true })
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return patternArgs(args[i+1:])
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return patternArgs(args[i:])
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !allowed[name] {
			return false
		}
		if valueFlags[name] && !hasValue {
			i++ // skip the flag's value
		}
	}
	return false // no packages: x/tools prints its usage
}

// patternArgs reports whether the arguments after the flags are package
// patterns for the in-process driver.
func patternArgs(rest []string) bool {
	if len(rest) == 0 || rest[0] == "help" {
		return false
	}
	return !(len(rest) == 1 && strings.HasSuffix(rest[0], ".cfg"))
}

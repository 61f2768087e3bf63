// Command schemagen writes a generated Tinybird schema module for benchmarks:
//
//	go run ./internal/schemagen/cmd/schemagen -out /tmp/tbschema
//
// builds against the tbls checkout it is run from (or -replace DIR).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

func main() {
	var cfg schemagen.Config
	out := flag.String("out", "", "directory to write the module to (required)")
	flag.IntVar(&cfg.Datasources, "datasources", schemagen.DefaultDatasources, "number of datasources")
	flag.IntVar(&cfg.Endpoints, "endpoints", schemagen.DefaultEndpoints, "number of endpoints")
	flag.IntVar(&cfg.AccessesPerResource, "accesses", schemagen.DefaultAccessesPerResource, "token accesses per resource")
	flag.IntVar(&cfg.Files, "files", schemagen.DefaultFiles, "files to spread the resources over (plus tokens.go)")
	flag.StringVar(&cfg.ModulePath, "module", schemagen.DefaultModulePath, "module path of the generated module")
	flag.StringVar(&cfg.ReplaceDir, "replace", "", "tbls checkout to build against (default: the one containing the working directory)")
	flag.BoolVar(&cfg.Mistakes, "mistakes", false, "add a few real findings")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: schemagen -out DIR [-datasources N] [-endpoints N] [-accesses N] [-files N] [-mistakes] [-replace DIR]")
		os.Exit(2)
	}
	if cfg.ReplaceDir == "" {
		root, err := schemagen.FindModuleRoot(".")
		if err != nil {
			fmt.Fprintln(os.Stderr, err, "(or pass -replace)")
			os.Exit(1)
		}
		cfg.ReplaceDir = root
	}
	if err := schemagen.Write(*out, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Command docgen rewrites the generated checks section of the README.
//
//	go run ./internal/docgen/cmd/docgen -w README.md
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/tbls-dev/tbls/internal/docgen"
)

func main() {
	write := flag.String("w", "", "rewrite the checks section of this README in place")
	flag.Parse()
	if *write == "" {
		fmt.Print(docgen.Checks())
		return
	}
	readme, err := os.ReadFile(*write)
	if err == nil {
		readme, err = docgen.Replace(readme, docgen.Checks())
	}
	if err == nil {
		err = os.WriteFile(*write, readme, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

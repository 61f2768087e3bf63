// Command analytics declares a small Tinybird project in Go and writes its
// datafiles:
//
//	go run ./examples/analytics -out ./out/analytics
//
// The default, out/analytics under the working directory, keeps the files
// out of the SDK's own tinybird/ package when run from this repository
// (out/ is ignored by git).
//
// With -jwt ORG_ID it instead creates a dashboard JWT for that organization
// with the Tokens API, reading TB_HOST and TB_TOKEN from the environment.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tbls-dev/tbls/tinybird"
)

func main() {
	out := flag.String("out", filepath.Join("out", "analytics"), "directory to write the datafiles into")
	org := flag.String("jwt", "", "create a dashboard JWT for this organization id instead of writing datafiles")
	flag.Parse()
	if err := run(*out, *org); err != nil {
		fmt.Fprintln(os.Stderr, "analytics:", err)
		os.Exit(1)
	}
}

func run(out, org string) error {
	if org != "" {
		id, err := strconv.Atoi(org)
		if err != nil {
			return fmt.Errorf("-jwt wants a numeric organization id, not %q", org)
		}
		host := os.Getenv("TB_HOST")
		if host == "" {
			host = tinybird.DefaultBaseURL
		}
		token := os.Getenv("TB_TOKEN")
		if token == "" {
			return fmt.Errorf("set TB_TOKEN to a token with the TOKENS or ADMIN scope")
		}
		jwt, err := DashboardJWT(context.Background(), tinybird.NewClient(host, token), id)
		if err != nil {
			return err
		}
		fmt.Println(jwt)
		return nil
	}
	files, err := Project.Datafiles()
	if err != nil {
		return err
	}
	if err := Project.WriteDatafiles(out); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Println("wrote", out+string(os.PathSeparator)+f.Name)
	}
	return nil
}

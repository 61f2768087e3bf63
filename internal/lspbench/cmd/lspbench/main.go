// Command lspbench measures tbls, and gopls when given, on generated schema
// modules over stdio and prints a table. scripts/bench-lsp.sh runs it.
//
//	lspbench -tbls PATH [-gopls PATH] [-sizes 2000,8000] [-edits 50]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tbls-dev/tbls/internal/lspbench"
	"github.com/tbls-dev/tbls/internal/schemagen"
)

func main() {
	tbls := flag.String("tbls", "", "the tbls binary (required)")
	gopls := flag.String("gopls", "", "the gopls binary (optional)")
	sizes := flag.String("sizes", "2000,8000", "comma-separated resource counts (half datasources, half endpoints)")
	edits := flag.Int("edits", 50, "measured edits per run")
	flag.Parse()
	if *tbls == "" {
		fmt.Fprintln(os.Stderr, "lspbench: -tbls is required")
		os.Exit(2)
	}
	wd, err := os.Getwd()
	if err != nil {
		fatal(err)
	}
	root, err := schemagen.FindModuleRoot(wd)
	if err != nil {
		fatal(err)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "resources\tlines\tserver\tedit\tdiag p50\tdiag p99\tcompl p50\tcompl p99\tpeak RSS\tfirst diag\t")
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || n < 2 {
			fatal(fmt.Errorf("bad size %q", field))
		}
		dir, err := os.MkdirTemp("", "lspbench")
		if err != nil {
			fatal(err)
		}
		if err := schemagen.Write(dir, schemagen.Config{Datasources: n / 2, Endpoints: n - n/2, Files: schemagen.DefaultFiles, ReplaceDir: root}); err != nil {
			fatal(err)
		}
		lines := countLines(dir)
		file := lastEndpointFile(dir)
		type run struct {
			name string
			cmd  []string
			kind string
		}
		runs := []run{{"tbls", []string{*tbls}, lspbench.EditScope}, {"tbls", []string{*tbls}, lspbench.EditTypeError}}
		if *gopls != "" {
			runs = append(runs, run{"gopls", []string{*gopls}, lspbench.EditTypeError})
		}
		for _, r := range runs {
			res, err := lspbench.Run(context.Background(), lspbench.Config{
				Command: r.cmd, Dir: dir, File: file, Env: []string{"GOFLAGS=-mod=mod"},
				Edits: *edits, Kind: r.kind, Completion: true,
			})
			if err != nil {
				fatal(fmt.Errorf("%s, %d resources: %w", r.name, n, err))
			}
			fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d MB\t%s\t\n", n, lines, r.name, r.kind,
				ms(lspbench.Percentile(res.Diagnostics, 50)), ms(lspbench.Percentile(res.Diagnostics, 99)),
				ms(lspbench.Percentile(res.Completion, 50)), ms(lspbench.Percentile(res.Completion, 99)),
				res.PeakRSS>>20, ms(res.Load))
			tw.Flush()
		}
		os.RemoveAll(dir)
	}
	tw.Flush()
}

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
}

func countLines(dir string) int {
	n := 0
	entries, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, e := range entries {
		b, _ := os.ReadFile(e)
		n += strings.Count(string(b), "\n")
	}
	return n
}

// lastEndpointFile returns the last generated file with an endpoint, the
// one the benchmark edits.
func lastEndpointFile(dir string) string {
	entries, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	last := ""
	for _, e := range entries {
		b, _ := os.ReadFile(e)
		if strings.Contains(string(b), "DefineEndpoint") {
			last = filepath.Base(e)
		}
	}
	return last
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "lspbench:", err)
	os.Exit(1)
}

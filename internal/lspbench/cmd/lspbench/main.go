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
	// Rows are printed as each run ends, so the columns have fixed widths
	// rather than a tabwriter's, which align only what one flush holds.
	printRow("resources", "lines", "server", "edit", "diag p50", "diag p99", "compl p50", "compl p99", "peak RSS", "first diag")
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
			printRow(strconv.Itoa(n), strconv.Itoa(lines), r.name, r.kind,
				ms(lspbench.Percentile(res.Diagnostics, 50)), ms(lspbench.Percentile(res.Diagnostics, 99)),
				ms(lspbench.Percentile(res.Completion, 50)), ms(lspbench.Percentile(res.Completion, 99)),
				fmt.Sprintf("%d MB", res.PeakRSS>>20), ms(res.Load))
		}
		os.RemoveAll(dir)
	}
}

// columnWidths are the widths of the table's columns, right-aligned.
var columnWidths = []int{9, 7, 6, 9, 9, 9, 9, 9, 8, 10}

func printRow(cols ...string) {
	var b strings.Builder
	for i, c := range cols {
		fmt.Fprintf(&b, "%*s  ", columnWidths[i], c)
	}
	fmt.Println(strings.TrimRight(b.String(), " "))
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

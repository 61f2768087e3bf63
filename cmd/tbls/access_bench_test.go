package main

import (
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// BenchmarkAccess runs the built `tbls access` on the generated 27,000-line
// schema module (internal/schemagen) plus 2,000 generated datafiles: go
// list, parsing and type-checking the package, reading the datafiles, and
// printing the matrix. The goal is under 1 s; it reports p50 and max.
func BenchmarkAccess(b *testing.B) {
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{ReplaceDir: root}); err != nil {
		b.Fatal(err)
	}
	if err := schemagen.WriteDatafiles(filepath.Join(dir, "datafiles"), 1000); err != nil {
		b.Fatal(err)
	}
	bin := tbls(b)
	run := func() string {
		cmd := exec.Command(bin, "access", "-format=csv")
		cmd.Dir = dir
		cmd.Env = append(cmd.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("tbls access: %v\n%s", err, out)
		}
		return string(out)
	}
	// 8,000 grants in Go and 3,000 in datafiles, one row each.
	if n := strings.Count(run(), "\n"); n != 1+8000+3000 {
		b.Fatalf("%d lines of CSV, want %d", n, 1+8000+3000)
	}
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		run()
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "p50-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
}

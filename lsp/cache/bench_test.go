package cache

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// benchModule generates the schemagen module with n datasources and n
// endpoints, loads it, and returns the session, the file the benchmark
// edits and its text.
func benchModule(b *testing.B, n int) (*Session, string, []byte) {
	b.Helper()
	root, err := schemagen.FindModuleRoot(".")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	if err := schemagen.Write(dir, schemagen.Config{Datasources: n, Endpoints: n, ReplaceDir: root}); err != nil {
		b.Fatal(err)
	}
	s := newSession(b, dir)
	file := filepath.Join(dir, "endpoints_01.go")
	text, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Diagnose(context.Background(), file); err != nil {
		b.Fatal(err)
	}
	return s, file, text
}

func lines(b *testing.B, s *Session, file string) int {
	p, err := s.Snapshot(context.Background(), file)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, f := range p.Files {
		n += bytes.Count(f.Content, []byte("\n"))
	}
	return n
}

// BenchmarkDiagnoseEdit measures one keystroke: an edit never seen before
// (tb.Read becomes tb.Readx<counter>, a type error) in one file of the
// generated package, then the diagnostics of the whole package.
func BenchmarkDiagnoseEdit(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("resources=%d", 2*n), func(b *testing.B) {
			s, file, text := benchModule(b, n)
			b.ReportMetric(float64(lines(b, s, file)), "lines")
			full0, incr0 := s.Stats(file)
			i := 0
			b.ResetTimer()
			for b.Loop() {
				i++
				edited := bytes.Replace(text, []byte("Scope: tb.Read}"), []byte("Scope: tb.Readx"+strconv.Itoa(i)+"}"), 1)
				s.SetOverlay(file, edited)
				r, err := s.Diagnose(context.Background(), file)
				if err != nil {
					b.Fatal(err)
				}
				if len(r.TypeErrors) != 1 {
					b.Fatalf("want 1 type error, got %v", r.TypeErrors)
				}
			}
			b.StopTimer()
			full, incr := s.Stats(file)
			b.ReportMetric(float64(full-full0)/float64(i), "full/op")
			b.ReportMetric(float64(incr-incr0)/float64(i), "incremental/op")
			if rss := peakRSS(); rss > 0 {
				b.ReportMetric(rss, "peak-RSS-MB")
			}
		})
	}
}

// BenchmarkDiagnoseSharedEdit measures an edit of the file every other
// file uses (tokens.go: a token's name), which a split check refuses: the
// package is checked and analyzed whole.
func BenchmarkDiagnoseSharedEdit(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("resources=%d", 2*n), func(b *testing.B) {
			s, file, _ := benchModule(b, n)
			tokens := filepath.Join(filepath.Dir(file), "tokens.go")
			text, err := os.ReadFile(tokens)
			if err != nil {
				b.Fatal(err)
			}
			_, split0 := s.Stats(tokens)
			i := 0
			for b.Loop() {
				i++
				edited := bytes.Replace(text, []byte(`"app_read"`), []byte(`"app_read_`+strconv.Itoa(i)+`"`), 1)
				s.SetOverlay(tokens, edited)
				if _, err := s.Diagnose(context.Background(), tokens); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if _, split := s.Stats(tokens); split != split0 {
				b.Fatalf("%d edits of tokens.go were split: the benchmark no longer measures whole checks", split-split0)
			}
		})
	}
}

// BenchmarkFullCheck is the floor an incremental design must beat: parse
// and type-check the whole generated package in process, with imports
// from the cache.
func BenchmarkFullCheck(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("resources=%d", 2*n), func(b *testing.B) {
			s, file, _ := benchModule(b, n)
			v := s.folders[filepath.Dir(file)][0]
			st := v.state.byFile[file][0]
			ctx := context.Background()
			b.ResetTimer()
			s.forceFull = true // a key of its own: no check to reuse
			for b.Loop() {
				st.state.parses = &parseCache{fset: st.state.fset} // no parse to reuse
				if _, err := st.check(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkAnalyzeOnly runs the analyzers on an already checked package:
// the part of every edit that is proportional to the package.
func BenchmarkAnalyzeOnly(b *testing.B) {
	s, file, _ := benchModule(b, 1000)
	st := s.folders[filepath.Dir(file)][0].state.byFile[file][0]
	cs, err := st.check(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	pkg := cs.snapshot()
	b.ResetTimer()
	for b.Loop() {
		if _, err := st.analyze(context.Background(), cs, pkg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad measures what opening a workspace costs: go list, parsing
// and checking the package, and the first analysis. Run one size per
// process (-bench Load/resources=8000) for a meaningful peak RSS; the
// live heap after a collection is what a server holding the package keeps.
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 4000} {
		b.Run(fmt.Sprintf("resources=%d", 2*n), func(b *testing.B) {
			root, err := schemagen.FindModuleRoot(".")
			if err != nil {
				b.Fatal(err)
			}
			dir := b.TempDir()
			if err := schemagen.Write(dir, schemagen.Config{Datasources: n, Endpoints: n, ReplaceDir: root}); err != nil {
				b.Fatal(err)
			}
			file := filepath.Join(dir, "endpoints_01.go")
			var s *Session
			for b.Loop() {
				s = newSession(b, dir)
				if _, err := s.Diagnose(context.Background(), file); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "live-heap-MB")
			if rss := peakRSS(); rss > 0 {
				b.ReportMetric(rss, "peak-RSS-MB")
			}
			runtime.KeepAlive(s)
		})
	}
}

// peakRSS returns the process's peak resident set in MB (Linux), 0 when
// unknown.
func peakRSS() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

package datafile

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// largePipe returns a pipe of n nodes of ten SQL lines each, followed by n/4
// TOKEN lines, a fifth of them with a problem: about 12 lines per node.
func largePipe(n int) []byte {
	var b strings.Builder
	b.WriteString("DESCRIPTION >\n    A large generated pipe\n\n")
	for i := range n {
		fmt.Fprintf(&b, "NODE node_%d\nDESCRIPTION >\n    Node %d\nSQL >\n    %%\n    SELECT user_id, event, count() AS n\n", i, i)
		b.WriteString("    FROM events\n    WHERE timestamp >= {{DateTime(start_date)}}\n    -- TOKEN x APPEND in a comment\n")
		b.WriteString("    GROUP BY user_id, event\n    ORDER BY n DESC\n    LIMIT {{Int32(limit, 10)}}\n\n")
	}
	b.WriteString("TYPE endpoint\n")
	for i := range n / 4 {
		switch i % 5 {
		case 0:
			fmt.Fprintf(&b, "TOKEN token-%d READ\n", i)
		case 1:
			fmt.Fprintf(&b, "TOKEN token_%d APPEND\n", i)
		default:
			fmt.Fprintf(&b, "TOKEN \"token %d\" READ # reader\n", i)
		}
	}
	return []byte(b.String())
}

// BenchmarkCheck checks a 2,000-node pipe (about 25,000 lines): the work
// the language server does on every edit of such a file.
func BenchmarkCheck(b *testing.B) {
	src := largePipe(2000)
	b.SetBytes(int64(len(src)))
	b.ReportMetric(float64(strings.Count(string(src), "\n")), "lines")
	for b.Loop() {
		Check("top_events.pipe", src)
	}
}

// BenchmarkParse parses the same file, without the checks.
func BenchmarkParse(b *testing.B) {
	src := largePipe(2000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Parse(src)
	}
}

// BenchmarkCompletionContext answers a completion request at the last TOKEN
// line of the same file, parse included.
func BenchmarkCompletionContext(b *testing.B) {
	src := append(largePipe(2000), "TOKEN app "...)
	for b.Loop() {
		if _, ok := CompletionContext("top_events.pipe", src, len(src)); !ok {
			b.Fatal("no completion context")
		}
	}
}

// BenchmarkCheckTypical checks an SDK-generated datasource of 30 lines, the
// size of most datafiles.
func BenchmarkCheckTypical(b *testing.B) {
	src, err := os.ReadFile("testdata/events.datasource")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		Check("events.datasource", src)
	}
}

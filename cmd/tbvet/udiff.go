package main

import (
	"fmt"
	"strings"
)

// unifiedContext is the number of unchanged lines around each hunk, as in
// diff -u and x/tools' -diff.
const unifiedContext = 3

// lineEdit replaces the lines [start, end) of the old text with lines.
type lineEdit struct {
	start, end int
	lines      []string
}

// unifiedDiff returns the unified diff from old to new under the labels
// oldLabel and newLabel, in the layout of x/tools' internal/diff.Unified
// (which tbvet cannot import): the file headers, hunks of 3 context lines
// that merge when at most 6 lines apart, "@@ -l,n +l,n @@" headers with
// the count left out when it is 1, and "\ No newline at end of file" after
// a last line without one. Equal texts give "".
func unifiedDiff(oldLabel, newLabel, old, new string) string {
	a, b := splitLines(old), splitLines(new)
	edits := diffLines(a, b)
	if len(edits) == 0 {
		return ""
	}
	type hunk struct {
		fromLine, toLine int
		lines            []string // each with its +, - or space prefix
		from, to         int      // line counts
	}
	var hunks []*hunk
	var h *hunk
	equal := func(h *hunk, start, end int) int {
		n := 0
		for i := max(start, 0); i < end && i < len(a); i++ {
			h.lines = append(h.lines, " "+a[i])
			h.from++
			h.to++
			n++
		}
		return n
	}
	last, toLine := 0, 0
	for _, e := range edits {
		switch {
		case h != nil && e.start == last:
		case h != nil && e.start <= last+2*unifiedContext:
			equal(h, last, e.start)
		default:
			if h != nil {
				equal(h, last, last+unifiedContext)
				hunks = append(hunks, h)
			}
			toLine += e.start - last
			h = &hunk{fromLine: e.start + 1, toLine: toLine + 1}
			n := equal(h, e.start-unifiedContext, e.start)
			h.fromLine -= n
			h.toLine -= n
		}
		last = e.start
		for i := e.start; i < e.end; i++ {
			h.lines = append(h.lines, "-"+a[i])
			h.from++
			last++
		}
		for _, l := range e.lines {
			h.lines = append(h.lines, "+"+l)
			h.to++
			toLine++
		}
	}
	equal(h, last, last+unifiedContext)
	hunks = append(hunks, h)

	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", oldLabel, newLabel)
	rangeOf := func(sign string, line, count int) string {
		switch {
		case count > 1:
			return fmt.Sprintf(" %s%d,%d", sign, line, count)
		case line == 1 && count == 0:
			return " " + sign + "0,0" // as GNU diff -u shows an empty side
		default:
			return fmt.Sprintf(" %s%d", sign, line)
		}
	}
	for _, h := range hunks {
		sb.WriteString("@@" + rangeOf("-", h.fromLine, h.from) + rangeOf("+", h.toLine, h.to) + " @@\n")
		for _, l := range h.lines {
			sb.WriteString(l)
			if !strings.HasSuffix(l, "\n") {
				sb.WriteString("\n\\ No newline at end of file\n")
			}
		}
	}
	return sb.String()
}

// splitLines splits text after each newline; a last line without one is
// kept as it is.
func splitLines(text string) []string {
	var lines []string
	for text != "" {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i+1])
		text = text[i+1:]
	}
	return lines
}

// diffLines returns a shortest edit script from a to b as ordered line
// edits, each a maximal run of changed lines (Myers' O((N+M)D) algorithm,
// after trimming the common prefix and suffix: a fix changes few lines of
// a possibly large file).
func diffLines(a, b []string) []lineEdit {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	x0, y0 := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(x0), len(y0)

	// trace[d] holds V (the furthest x on each diagonal k) before round d,
	// for k in [-d-1, d+1], at index k+d+1.
	v := make([]int, 2*(n+m)+3)
	off := n + m + 1
	var trace [][]int
	found := n == 0 && m == 0
	for d := 0; !found && d <= n+m; d++ {
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && x0[x] == y0[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = true
				break
			}
		}
	}

	// Walk back from (n, m), marking which lines of a are deleted and
	// which lines of b inserted.
	deleted, inserted := make([]bool, n), make([]bool, m)
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		snap := trace[d]
		at := func(k int) int { return snap[k+d+1] }
		k := x - y
		var prevK int
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY && x > 0 && y > 0 {
			x--
			y--
		}
		if d > 0 {
			if x == prevX {
				inserted[prevY] = true
			} else {
				deleted[prevX] = true
			}
			x, y = prevX, prevY
		}
	}

	// Group the changes into runs between equal lines.
	var edits []lineEdit
	i, j := 0, 0
	for i < n || j < m {
		if (i < n && deleted[i]) || (j < m && inserted[j]) {
			e := lineEdit{start: pre + i}
			for (i < n && deleted[i]) || (j < m && inserted[j]) {
				for i < n && deleted[i] {
					i++
				}
				for j < m && inserted[j] {
					e.lines = append(e.lines, y0[j])
					j++
				}
			}
			e.end = pre + i
			edits = append(edits, e)
			continue
		}
		i++
		j++
	}
	return edits
}

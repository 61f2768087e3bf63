package report

import (
	"go/token"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// Converter turns analysis diagnostics into Diagnostics. It reads each file
// once, to count UTF-16 columns, and is not safe for concurrent use.
type Converter struct {
	fset     *token.FileSet
	readFile func(string) ([]byte, error)
	files    map[string][]byte
}

// NewConverter returns a Converter for positions of fset. readFile reads a
// file's current content (nil means os.ReadFile); a file it cannot read gets
// byte columns, which equal UTF-16 columns on ASCII lines.
func NewConverter(fset *token.FileSet, readFile func(string) ([]byte, error)) *Converter {
	if readFile == nil {
		readFile = os.ReadFile
	}
	return &Converter{fset: fset, readFile: readFile, files: make(map[string][]byte)}
}

// Convert converts d, reported by the named analyzer. The code is
// d.Category, or else the "TBnnn" the message starts with.
func (c *Converter) Convert(analyzer string, d analysis.Diagnostic) Diagnostic {
	end := d.End
	if !end.IsValid() {
		end = d.Pos
	}
	start := c.Position(d.Pos)
	out := Diagnostic{
		File:     c.fset.Position(d.Pos).Filename,
		Start:    start,
		End:      c.Position(end),
		Code:     codeOf(d),
		Analyzer: analyzer,
		Message:  d.Message,
		URL:      d.URL,
	}
	for _, f := range d.SuggestedFixes {
		fix := Fix{Message: f.Message}
		for _, e := range f.TextEdits {
			eEnd := e.End
			if !eEnd.IsValid() {
				eEnd = e.Pos
			}
			fix.Edits = append(fix.Edits, Edit{
				File:    c.fset.Position(e.Pos).Filename,
				Start:   c.Position(e.Pos),
				End:     c.Position(eEnd),
				NewText: string(e.NewText),
			})
		}
		out.Fixes = append(out.Fixes, fix)
	}
	return out
}

// codeOf returns the check code of d.
func codeOf(d analysis.Diagnostic) rules.Code {
	if d.Category != "" {
		return rules.Code(d.Category)
	}
	if word, _, _ := strings.Cut(d.Message, " "); len(word) == 5 && strings.HasPrefix(word, "TB") {
		return rules.Code(word)
	}
	return ""
}

// Position converts pos to a Position with a UTF-16 column.
func (c *Converter) Position(pos token.Pos) Position {
	p := c.fset.Position(pos)
	if !p.IsValid() {
		return Position{Offset: -1}
	}
	out := Position{Line: p.Line, Column: p.Column, Offset: p.Offset}
	src, ok := c.files[p.Filename]
	if !ok {
		src, _ = c.readFile(p.Filename) // nil on error: keep the byte column
		c.files[p.Filename] = src
	}
	lineStart := p.Offset - (p.Column - 1)
	if src != nil && lineStart >= 0 && p.Offset <= len(src) {
		out.Column = UTF16Column(src[lineStart:p.Offset]) + 1
	}
	return out
}

// UTF16Column returns how many UTF-16 code units prefix (the start of a
// line up to a position) takes: the 0-based UTF-16 column of the position.
// Invalid UTF-8 bytes count one unit each, as U+FFFD would.
func UTF16Column(prefix []byte) int {
	n := 0
	for len(prefix) > 0 {
		r, size := utf8.DecodeRune(prefix)
		prefix = prefix[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

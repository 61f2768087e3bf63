package lsp

import (
	"fmt"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// Encoding is the unit in which a Position's Character counts, negotiated at
// initialize (LSP positionEncoding).
type Encoding int

// The encodings tbls speaks. UTF16 is the LSP default every client supports;
// UTF8 (byte offsets) is chosen when the client offers it, since it is what
// Go and the datafile checker count in.
const (
	UTF16 Encoding = iota
	UTF8
)

// Kind returns the encoding's name in the protocol.
func (e Encoding) Kind() protocol.PositionEncodingKind {
	if e == UTF8 {
		return protocol.PositionEncodingKindUTF8
	}
	return protocol.PositionEncodingKindUTF16
}

// Mapper converts between byte offsets in one version of a document and LSP
// positions in the negotiated encoding. Every range tbls sends or receives
// passes through a Mapper, so that the conversion lives in one place.
//
// A line ends at "\n", "\r\n" or a lone "\r", as the LSP specification says.
// A Mapper is immutable and safe for concurrent use once built.
type Mapper struct {
	content []byte
	enc     Encoding
	lines   []int // byte offset of the start of each line
}

// NewMapper returns a Mapper over content, which it does not copy and the
// caller must not modify.
func NewMapper(content []byte, enc Encoding) *Mapper {
	lines := make([]int, 1, len(content)/32+1)
	for i := 0; i < len(content); i++ {
		switch content[i] {
		case '\n':
			lines = append(lines, i+1)
		case '\r':
			if i+1 < len(content) && content[i+1] == '\n' {
				i++
			}
			lines = append(lines, i+1)
		}
	}
	return &Mapper{content: content, enc: enc, lines: lines}
}

// Content returns the text the Mapper maps.
func (m *Mapper) Content() []byte { return m.content }

// Encoding returns the encoding of the Mapper's positions.
func (m *Mapper) Encoding() Encoding { return m.enc }

// lineEnd returns the offset of the end of line i's text, before its line
// terminator.
func (m *Mapper) lineEnd(i int) int {
	if i+1 < len(m.lines) {
		end := m.lines[i+1]
		if end > 0 && m.content[end-1] == '\n' {
			end--
		}
		if end > m.lines[i] && m.content[end-1] == '\r' {
			end--
		}
		return end
	}
	return len(m.content)
}

// OffsetPosition returns the position of the byte offset off. An offset in
// the middle of a UTF-8 sequence maps to the start of that character.
func (m *Mapper) OffsetPosition(off int) (protocol.Position, error) {
	if off < 0 || off > len(m.content) {
		return protocol.Position{}, fmt.Errorf("offset %d is outside the document (0–%d)", off, len(m.content))
	}
	// The last line starting at or before off.
	lo, hi := 0, len(m.lines)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if m.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid
		}
	}
	line := lo
	start := m.lines[line]
	if end := m.lineEnd(line); off > end {
		off = end // inside a "\r\n": the position of the line's end
	}
	var char int
	switch m.enc {
	case UTF8:
		for off > start && off < len(m.content) && !utf8.RuneStart(m.content[off]) {
			off--
		}
		char = off - start
	default:
		for i := start; i < off; {
			r, size := utf8.DecodeRune(m.content[i:])
			if i+size > off {
				break // off splits this character
			}
			if r >= 0x10000 {
				char += 2
			} else {
				char++
			}
			i += size
		}
	}
	return protocol.Position{Line: uint32(line), Character: uint32(char)}, nil
}

// PositionOffset returns the byte offset of pos. As the specification asks,
// a Character past the end of its line means the end of the line; a position
// inside a character (between the two halves of a UTF-16 surrogate pair, or
// inside a UTF-8 sequence) means the start of that character. A Line past
// the last line is an error, except the line just after a document's final
// line terminator, which clients use to address the end of the document.
func (m *Mapper) PositionOffset(pos protocol.Position) (int, error) {
	line := int(pos.Line)
	if line >= len(m.lines) {
		return 0, fmt.Errorf("line %d is past the end of the document (%d lines)", line, len(m.lines))
	}
	start, end := m.lines[line], m.lineEnd(line)
	want := int(pos.Character)
	switch m.enc {
	case UTF8:
		off := start + want
		if off >= end {
			return end, nil
		}
		for off > start && !utf8.RuneStart(m.content[off]) {
			off--
		}
		return off, nil
	default:
		units := 0
		i := start
		for i < end {
			r, size := utf8.DecodeRune(m.content[i:end])
			n := 1
			if r >= 0x10000 {
				n = 2
			}
			if units+n > want {
				break
			}
			units += n
			i += size
		}
		return i, nil
	}
}

// OffsetRange returns the range between byte offsets start and end.
func (m *Mapper) OffsetRange(start, end int) (protocol.Range, error) {
	if start > end {
		return protocol.Range{}, fmt.Errorf("range start %d is after its end %d", start, end)
	}
	s, err := m.OffsetPosition(start)
	if err != nil {
		return protocol.Range{}, err
	}
	e, err := m.OffsetPosition(end)
	if err != nil {
		return protocol.Range{}, err
	}
	return protocol.Range{Start: s, End: e}, nil
}

// RangeOffsets returns the byte offsets of r's start and end.
func (m *Mapper) RangeOffsets(r protocol.Range) (start, end int, err error) {
	if start, err = m.PositionOffset(r.Start); err != nil {
		return 0, 0, fmt.Errorf("range start: %w", err)
	}
	if end, err = m.PositionOffset(r.End); err != nil {
		return 0, 0, fmt.Errorf("range end: %w", err)
	}
	if start > end {
		return 0, 0, fmt.Errorf("range start %d:%d is after its end %d:%d", r.Start.Line, r.Start.Character, r.End.Line, r.End.Character)
	}
	return start, end, nil
}

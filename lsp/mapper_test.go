package lsp

import (
	"strings"
	"testing"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

func TestMapperNonASCII(t *testing.T) {
	// Each line puts multi-byte text before the word "TOKEN": é (2 bytes,
	// 1 UTF-16 unit), 😀 (4 bytes, 2 units: a surrogate pair), 中文 (3
	// bytes, 1 unit each).
	text := "# café\n# 😀 TOKEN\r\n中文TOKEN\rx"
	for _, tc := range []struct {
		enc       Encoding
		at        string // the text whose start is looked up, after skip
		skip      int
		line, chr uint32
	}{
		{UTF16, "TOKEN", 0, 1, 5}, // "# " + 😀(2) + " "
		{UTF8, "TOKEN", 0, 1, 7},  // "# " + 😀(4) + " "
		{UTF16, "TOKEN", 1, 2, 2}, // 中文
		{UTF8, "TOKEN", 1, 2, 6},  // 中文 in bytes
		{UTF16, "\n# 😀", 0, 0, 6}, // end of "# café"
		{UTF8, "\n# 😀", 0, 0, 7},
		{UTF16, "x", 0, 3, 0}, // after a lone \r
	} {
		off := nthIndex(text, tc.at, tc.skip)
		m := NewMapper([]byte(text), tc.enc)
		pos, err := m.OffsetPosition(off)
		if err != nil {
			t.Fatal(err)
		}
		want := protocol.Position{Line: tc.line, Character: tc.chr}
		if pos != want {
			t.Errorf("enc %v: position of %q #%d = %+v, want %+v", tc.enc.Kind(), tc.at, tc.skip, pos, want)
		}
		back, err := m.PositionOffset(pos)
		if err != nil || back != off {
			t.Errorf("enc %v: offset of %+v = %d, %v; want %d", tc.enc.Kind(), pos, back, err, off)
		}
	}
}

func nthIndex(s, sub string, n int) int {
	off := 0
	for ; n > 0; n-- {
		off += strings.Index(s[off:], sub) + len(sub)
	}
	return off + strings.Index(s[off:], sub)
}

func TestMapperClamping(t *testing.T) {
	text := "a😀b\nlast"
	m16 := NewMapper([]byte(text), UTF16)
	// Inside the surrogate pair: the start of the emoji.
	if off, err := m16.PositionOffset(protocol.Position{Line: 0, Character: 2}); err != nil || off != 1 {
		t.Errorf("inside a surrogate pair: %d, %v; want 1", off, err)
	}
	// Past the end of the line: the end of the line, not the next one.
	if off, err := m16.PositionOffset(protocol.Position{Line: 0, Character: 99}); err != nil || off != len("a😀b") {
		t.Errorf("past the end of the line: %d, %v", off, err)
	}
	m8 := NewMapper([]byte(text), UTF8)
	if off, err := m8.PositionOffset(protocol.Position{Line: 0, Character: 3}); err != nil || off != 1 {
		t.Errorf("inside a UTF-8 sequence: %d, %v; want 1", off, err)
	}
	if _, err := m16.PositionOffset(protocol.Position{Line: 5}); err == nil {
		t.Error("a line past the end is not an error")
	}
	if _, err := m16.OffsetPosition(len(text) + 1); err == nil {
		t.Error("an offset past the end is not an error")
	}
	// The position just after a final newline addresses the end.
	m := NewMapper([]byte("x\n"), UTF16)
	if off, err := m.PositionOffset(protocol.Position{Line: 1}); err != nil || off != 2 {
		t.Errorf("line after the final newline: %d, %v", off, err)
	}
}

// TestMapperRoundTrip maps every character boundary of a mixed text to a
// position and back, in both encodings.
func TestMapperRoundTrip(t *testing.T) {
	text := "é😀中\r\n\n\rx\tÿ𝄞end"
	for _, enc := range []Encoding{UTF16, UTF8} {
		m := NewMapper([]byte(text), enc)
		for off := 0; off <= len(text); off++ {
			if off < len(text) && !utf8.RuneStart(text[off]) {
				continue
			}
			pos, err := m.OffsetPosition(off)
			if err != nil {
				t.Fatal(err)
			}
			back, err := m.PositionOffset(pos)
			if err != nil {
				t.Fatal(err)
			}
			// The offset between \r and \n is the end of its line.
			if back != off && !(off > 0 && text[off-1] == '\r' && text[off] == '\n' && back == off-1) {
				t.Errorf("%v: offset %d → %+v → %d", enc.Kind(), off, pos, back)
			}
		}
	}
}

func FuzzMapper(f *testing.F) {
	f.Add("é😀中\r\n\n\rx", 3, uint32(0), uint32(2))
	f.Fuzz(func(t *testing.T, text string, off int, line, char uint32) {
		for _, enc := range []Encoding{UTF16, UTF8} {
			m := NewMapper([]byte(text), enc)
			if off >= 0 && off <= len(text) {
				pos, err := m.OffsetPosition(off)
				if err != nil {
					t.Fatalf("OffsetPosition(%d): %v", off, err)
				}
				back, err := m.PositionOffset(pos)
				if err != nil || back > off {
					t.Fatalf("%v: %d → %+v → %d, %v", enc.Kind(), off, pos, back, err)
				}
			}
			if o, err := m.PositionOffset(protocol.Position{Line: line, Character: char}); err == nil && (o < 0 || o > len(text)) {
				t.Fatalf("PositionOffset gave %d outside [0,%d]", o, len(text))
			}
		}
	})
}

package report

import "unicode/utf8"

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

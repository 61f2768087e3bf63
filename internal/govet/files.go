package govet

import (
	"path/filepath"
	"slices"

	"github.com/tbls-dev/tbls/internal/safeio"
	"github.com/tbls-dev/tbls/report"
)

// fileCache reads each file a diagnostic names once, to turn go vet's byte
// columns and offsets into report's positions (1-based lines, UTF-16
// columns, byte offsets).
type fileCache struct {
	dir   string // relative names are relative to it
	files map[string]*lineIndex
}

// lineIndex is a file's content and the offsets its lines start at; nil
// content when the file could not be read.
type lineIndex struct {
	src    []byte
	starts []int
}

func newFileCache(dir string) *fileCache {
	return &fileCache{dir: dir, files: make(map[string]*lineIndex)}
}

func (c *fileCache) get(name string) *lineIndex {
	if li, ok := c.files[name]; ok {
		return li
	}
	path := name
	if !filepath.IsAbs(path) && c.dir != "" {
		path = filepath.Join(c.dir, path)
	}
	li := &lineIndex{}
	if src, err := safeio.ReadFile(path); err == nil { // regular and bounded, as every file tbls and tbvet read
		li.src = src
		li.starts = []int{0}
		for i, b := range src {
			if b == '\n' {
				li.starts = append(li.starts, i+1)
			}
		}
	}
	c.files[name] = li
	return li
}

// fromLineCol converts a 1-based line and byte column. A file that cannot
// be read keeps the byte column, with an unknown offset (-1).
func (c *fileCache) fromLineCol(name string, line, col int) report.Position {
	li := c.get(name)
	if li.src == nil || line < 1 || line > len(li.starts) {
		return report.Position{Line: line, Column: col, Offset: -1}
	}
	off := min(li.starts[line-1]+max(col, 1)-1, len(li.src))
	return li.position(off)
}

// fromOffset converts a 0-based byte offset. An offset outside the file, or
// in a file that cannot be read, gives the zero Position with Offset -1.
func (c *fileCache) fromOffset(name string, off int) report.Position {
	li := c.get(name)
	if li.src == nil || off < 0 || off > len(li.src) {
		return report.Position{Offset: -1} // unknown: no line or column either
	}
	return li.position(off)
}

func (li *lineIndex) position(off int) report.Position {
	// The last line starting at or before off.
	i, found := slices.BinarySearch(li.starts, off)
	if !found {
		i--
	}
	start := li.starts[i]
	return report.Position{Line: i + 1, Column: report.UTF16Column(li.src[start:off]) + 1, Offset: off}
}

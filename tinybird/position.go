package tinybird

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// position is where a Define function was called.
type position struct {
	file string
	line int
}

// String returns "file:line", with file relative to the working directory
// when it lies below it.
func (p position) String() string {
	if p.file == "" {
		return "<unknown>"
	}
	return p.display() + ":" + strconv.Itoa(p.line)
}

// display returns the file as messages show it: relative to the working
// directory when it lies below it, so that editors and terminals can open
// it, absolute otherwise.
func (p position) display() string {
	file := p.file
	if file == "" {
		return ""
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && filepath.IsLocal(rel) {
			file = rel
		}
	}
	return file
}

// callerPosition returns the position of the call to the exported function
// that calls callerPosition.
func callerPosition() position {
	_, file, line, ok := runtime.Caller(2)
	if !ok {
		return position{}
	}
	return position{file: file, line: line}
}

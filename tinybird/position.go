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
	file := p.file
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && filepath.IsLocal(rel) {
			file = rel
		}
	}
	return file + ":" + strconv.Itoa(p.line)
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

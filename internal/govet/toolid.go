package govet

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"strings"
)

// PrintToolID answers go vet's `-V=full`, which go vet runs once per
// invocation, before it consults its cache, to key the cached results by
// the tool's identity. x/tools answers it by hashing the whole executable
// (about 10 ms for tbvet); the Go build ID the linker wrote into an ELF
// binary's .note.go.buildid is that identity already (its second half
// hashes the binary's content) and costs a read of the headers. It reports
// false, leaving the answer to x/tools, for a binary without one.
//
// go vet reads the line as the go command's own tools print it: the last
// field, buildID=…, after "version devel".
func PrintToolID(w io.Writer) bool {
	exe, err := os.Executable()
	if err != nil {
		return false
	}
	id := elfGoBuildID(exe)
	if id == "" {
		return false
	}
	fmt.Fprintf(w, "%s version devel comments-go-here buildID=%s\n", exe, id)
	return true
}

// elfGoBuildID returns the Go build ID of an ELF executable, or "".
func elfGoBuildID(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	note, err := sec.Data()
	// An ELF note: name size, description size, type (4 bytes each), the
	// name "Go\x00\x00", then the ID.
	const header = 16
	if err != nil || len(note) <= header || !bytes.Equal(note[12:16], []byte("Go\x00\x00")) {
		return ""
	}
	descSize := int(f.ByteOrder.Uint32(note[4:8]))
	if header+descSize > len(note) {
		return ""
	}
	return string(note[header : header+descSize])
}

// IsVetProtocol reports whether a vet tool's arguments are go vet calling
// it: `-V=full` (the tool's identity, for go vet's cache key), `-flags`
// (the flags it accepts, as JSON) or a package's *.cfg file, last, after
// the flags go vet passes through. A binary that is both a vet tool and a
// command hands these to unitchecker.Main.
func IsVetProtocol(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-V=full", "--V=full", "-flags", "--flags":
		return true
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return false
	}
	for _, a := range args[:len(args)-1] {
		if !strings.HasPrefix(a, "-") {
			return false // a package pattern ending in .cfg, with others
		}
	}
	return true
}

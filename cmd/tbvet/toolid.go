package main

import (
	"bytes"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// toolID returns a string that changes whenever the tbvet executable does,
// for the result cache's keys: the Go build ID the linker wrote into the
// binary (its second half hashes the binary's content), or, for a binary
// without one, a SHA-256 of the whole file. x/tools answers go vet's -V=full
// with such a hash, which go vet puts in its own cache keys.
func toolID() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("finding the tbvet executable: %v", err)
	}
	if id := elfBuildID(exe); id != "" {
		return "buildid " + id, nil
	}
	if id := markerBuildID(exe); id != "" {
		return "buildid " + id, nil
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("reading the tbvet executable: %v", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading the tbvet executable: %v", err)
	}
	return "sha256 " + hex.EncodeToString(h.Sum(nil)), nil
}

// elfBuildID returns the Go build ID from the .note.go.buildid section of an
// ELF executable, or "" when there is none. Only the headers and the note
// are read, not the whole binary.
func elfBuildID(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	sec := f.Section(".note.go.buildid")
	if sec == nil {
		return ""
	}
	data, err := sec.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	// An ELF note: name size, descriptor size, type (4 for Go's build ID),
	// the name "Go\x00" padded to 4 bytes, then the descriptor.
	order := f.ByteOrder
	nameSize, descSize, typ := order.Uint32(data[0:]), order.Uint32(data[4:]), order.Uint32(data[8:])
	if nameSize != 4 || typ != 4 || string(data[12:16]) != "Go\x00\x00" || uint64(len(data)) < 16+uint64(descSize) {
		return ""
	}
	return string(data[16 : 16+descSize])
}

// markerBuildID returns the build ID the linker places at the start of the
// text segment of non-ELF executables (`\xff Go build ID: "…"\n \xff`),
// looked for in the first 64 KiB, or "" when it is not there.
func markerBuildID(exe string) string {
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	const prefix, suffix = "\xff Go build ID: \"", "\"\n \xff"
	i := bytes.Index(buf, []byte(prefix))
	if i < 0 {
		return ""
	}
	rest := buf[i+len(prefix):]
	j := bytes.Index(rest, []byte(suffix))
	if j <= 0 {
		return ""
	}
	return string(rest[:j])
}

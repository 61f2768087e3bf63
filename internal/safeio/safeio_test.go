//go:build unix

package safeio

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "a.datasource")
	if err := os.WriteFile(regular, []byte("SCHEMA >\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.datasource")
	if err := os.Symlink(regular, link); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{regular, link} {
		data, err := ReadFile(name)
		if err != nil || string(data) != "SCHEMA >\n" {
			t.Errorf("ReadFile(%s) = %q, %v", filepath.Base(name), data, err)
		}
	}

	zero := filepath.Join(dir, "evil.go")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{zero, fifo, dir} {
		// A FIFO without a writer would block os.ReadFile forever: the
		// test would hang, not fail, if ReadFile opened it.
		if _, err := ReadFile(name); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadFile(%s) error = %v, want ErrNotRegular", filepath.Base(name), err)
		}
	}
	if IsRegular(fifo) || IsRegular(zero) || !IsRegular(link) {
		t.Error("IsRegular is wrong")
	}

	big := filepath.Join(dir, "big.pipe")
	if err := os.WriteFile(big, make([]byte, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readFile(big, 99); !errors.Is(err, ErrTooLarge) {
		t.Errorf("a 100-byte file with a limit of 99: %v, want ErrTooLarge", err)
	}
	if data, err := readFile(big, 100); err != nil || len(data) != 100 {
		t.Errorf("a 100-byte file with a limit of 100: %d bytes, %v", len(data), err)
	}
}

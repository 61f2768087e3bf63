// Package safeio reads files of a workspace that anyone may have committed
// to a repository: regular files only, and only up to a bound.
//
// A symlink named like a source file can point at /dev/zero, and a FIFO
// blocks whoever opens it for reading until a writer comes. Reading such
// a file with os.ReadFile never ends or never starts. ReadFile refuses
// anything but a regular file (after following symlinks), without blocking
// on a FIFO, and refuses a file larger than MaxSize instead of reading it:
// callers skip the file and say so.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxSize is the largest file ReadFile reads: 32 MiB, far above any
// hand-written or generated source file or datafile.
const MaxSize = 32 << 20

// ErrNotRegular is wrapped by the error ReadFile returns for a device, a
// FIFO, a socket or a directory.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is wrapped by the error ReadFile returns for a file larger
// than MaxSize.
var ErrTooLarge = fmt.Errorf("larger than %d MiB", MaxSize>>20)

// ReadFile returns the contents of the regular file name, following
// symlinks. It fails, without reading, when name is not a regular file or
// is larger than MaxSize; the error names the file and wraps ErrNotRegular
// or ErrTooLarge.
func ReadFile(name string) ([]byte, error) {
	return readFile(name, MaxSize)
}

func readFile(name string, limit int64) ([]byte, error) {
	// Refuse before opening: opening a FIFO blocks where O_NONBLOCK is
	// not available, and opening a device may have effects.
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := check(name, fi, limit); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(name, openFlags, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have been replaced between Stat and Open.
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := check(name, fi, limit); err != nil {
		return nil, err
	}
	// Read one byte past the limit, to tell a file that grew past it.
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: tooLarge(limit)}
	}
	return data, nil
}

// IsRegular reports whether name is, after following symlinks, a regular
// file.
func IsRegular(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

func check(name string, fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(fi.Mode()))}
	}
	if fi.Size() > limit {
		return &fs.PathError{Op: "read", Path: name, Err: tooLarge(limit)}
	}
	return nil
}

func tooLarge(limit int64) error {
	if limit == MaxSize {
		return ErrTooLarge
	}
	return fmt.Errorf("%w (limit %d bytes)", ErrTooLarge, limit)
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

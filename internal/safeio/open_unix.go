//go:build unix

package safeio

import (
	"os"
	"syscall"
)

// openFlags open without blocking should the file have become a FIFO since
// it was checked; reads of a regular file ignore O_NONBLOCK.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK

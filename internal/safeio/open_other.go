//go:build !unix

package safeio

import "os"

const openFlags = os.O_RDONLY

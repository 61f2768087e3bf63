package main

import (
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/internal/safeio"
)

// skippedGo is what go list is given instead of a Go file that is not a
// regular file (a symlink to a device, a FIFO): reading it would never
// end, or never start. It is not Go, so go list reports the file invalid.
var skippedGo = []byte("tbls: not a regular file, skipped\n")

// specialGoOverlay returns a go/packages overlay replacing, below dir, every
// Go file that is not a regular file with skippedGo; nil when there is none.
func specialGoOverlay(dir string) map[string][]byte {
	var overlay map[string][]byte
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "vendor" || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") && !d.Type().IsRegular() && !safeio.IsRegular(path) {
			if abs, err := filepath.Abs(path); err == nil {
				if overlay == nil {
					overlay = make(map[string][]byte)
				}
				overlay[abs] = skippedGo
			}
		}
		return nil
	})
	return overlay
}

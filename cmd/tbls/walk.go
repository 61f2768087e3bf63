package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/datafile"
)

// datafileExts are the extensions tbls check reads as datafiles: those the
// Tinybird CLI deploys, and the files they include or reference. Files the
// checker has no rules for yet are still read, so a broken one is reported.
var datafileExts = []string{datafile.ExtDatasource, datafile.ExtPipe, ".incl", ".connection"}

// maxDatafileSize bounds what tbls check reads of one file. Real datafiles
// are a few kilobytes; a larger file is not a datafile someone wrote.
const maxDatafileSize = 8 << 20

func isDatafile(path string) bool {
	ext := filepath.Ext(path)
	for _, e := range datafileExts {
		if ext == e {
			return true
		}
	}
	return false
}

// skippedDirs says, for a usage message or an error, which directories a
// walk leaves out.
const skippedDirs = "vendor, node_modules, testdata and hidden directories such as .git and .diff_tmp are skipped"

// skipDir reports whether a walk leaves out the directory name. It skips
// what the Tinybird CLI skips (vendor, .diff_tmp), dependencies
// (node_modules), hidden directories, and testdata, where Go projects keep
// test fixtures that are often deliberately wrong. Directories starting
// with _ are walked: Tinybird projects keep datafiles in _migration/.
func skipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "vendor" || name == "node_modules" || name == "testdata"
}

// walkResult is what a walk found under one directory.
type walkResult struct {
	datafiles []string
	// hasGo reports a Go file the go command would see: in the directory
	// itself, or (for a dir/... target) below it outside the directories
	// the go command ignores (those starting with _ or named testdata).
	hasGo bool
	// skipped lists datafile names that are not regular files.
	skipped []string
}

// walk finds the datafiles in dir and every directory below it, except
// those skipDir leaves out; dir itself is walked whatever its name. goTree
// says whether Go files below dir count (a dir/... target) or only those
// in dir (a dir target, one Go package). Symbolic links to directories are
// not followed; a datafile that is a link to something other than a regular
// file is skipped.
func walk(dir string, goTree bool) (walkResult, error) {
	var r walkResult
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && skipDir(d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case isDatafile(path):
			if !d.Type().IsRegular() {
				if info, err := os.Stat(path); err != nil || !info.Mode().IsRegular() {
					r.skipped = append(r.skipped, path)
					return nil
				}
			}
			r.datafiles = append(r.datafiles, path)
		case strings.HasSuffix(path, ".go") && d.Type().IsRegular():
			rel, _ := filepath.Rel(dir, filepath.Dir(path))
			if rel == "." || goTree && goVisible(rel) {
				r.hasGo = true
			}
		}
		return nil
	})
	return r, err
}

// goVisible reports whether the go command's ./... sees packages in the
// relative directory rel: it ignores directories starting with _ or . and
// those named testdata.
func goVisible(rel string) bool {
	for _, elem := range strings.Split(filepath.ToSlash(rel), "/") {
		if strings.HasPrefix(elem, "_") || strings.HasPrefix(elem, ".") || elem == "testdata" {
			return false
		}
	}
	return true
}

// readDatafile reads a datafile, refusing what is not a regular file
// (a named pipe would block the run, a device would never end) and files
// over maxDatafileSize.
func readDatafile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s); tbls check reads only regular files", path, info.Mode().Type())
	}
	if info.Size() > maxDatafileSize {
		return nil, fmt.Errorf("%s: %d bytes, over the %d MiB tbls check reads of a datafile", path, info.Size(), maxDatafileSize>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file may have grown since the Stat.
	src, err := io.ReadAll(io.LimitReader(f, maxDatafileSize+1))
	if err != nil {
		return nil, err
	}
	if len(src) > maxDatafileSize {
		return nil, fmt.Errorf("%s: over the %d MiB tbls check reads of a datafile", path, maxDatafileSize>>20)
	}
	return src, nil
}

// errNothing is wrapped by the error of a target that holds nothing to
// check.
var errNothing = errors.New("nothing to check")

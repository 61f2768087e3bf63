package main

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/internal/safeio"
)

// datafileExts are the extensions tbls check reads as datafiles: those the
// Tinybird CLI deploys, and the files they include or reference. Files the
// checker has no rules for yet are still read, so a broken one is reported.
var datafileExts = []string{datafile.ExtDatasource, datafile.ExtPipe, datafile.ExtInclude, datafile.ExtConnection}

func isDatafile(path string) bool {
	ext := filepath.Ext(path)
	for _, e := range datafileExts {
		if ext == e {
			return true
		}
	}
	return false
}

// skippedDirs and skipDir are the datafile walk's, shared with tbls access
// and the language server.
const skippedDirs = datafile.SkippedDirs

var skipDir = datafile.SkipDir

// walkResult is what a walk found under one directory.
type walkResult struct {
	datafiles []string
	// hasGo reports a Go file the go command would see: in the directory
	// itself, or (for a dir/... target) below it outside the directories
	// the go command ignores (those starting with _ or named testdata).
	hasGo bool
	// specialGo lists the Go files that are not regular files (a FIFO, a
	// link to a device), which go list must not read.
	specialGo []string
}

// walk finds the datafiles in dir and every directory below it, except
// those skipDir leaves out; dir itself is walked whatever its name. goTree
// says whether Go files below dir count (a dir/... target) or only those
// in dir (a dir target, one Go package). Symbolic links to directories are
// not followed; a datafile that is not a regular file is listed all the
// same, for the read (safeio.ReadFile) to refuse and report.
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
			r.datafiles = append(r.datafiles, path)
		case strings.HasSuffix(path, ".go"):
			rel, _ := filepath.Rel(dir, filepath.Dir(path))
			if rel == "." || goTree && goVisible(rel) {
				r.hasGo = true
				if !d.Type().IsRegular() && !safeio.IsRegular(path) {
					r.specialGo = append(r.specialGo, path)
				}
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

// errNothing is wrapped by the error of a target that holds nothing to
// check.
var errNothing = errors.New("nothing to check")

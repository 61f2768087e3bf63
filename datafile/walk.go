package datafile

import "strings"

// SkippedDirs says, for a usage message or an error, which directories a
// walk for datafiles leaves out (SkipDir).
const SkippedDirs = "vendor, node_modules, testdata and hidden directories such as .git and .diff_tmp are skipped"

// SkipDir reports whether a walk for a project's datafiles leaves out the
// directory named name. It skips what the Tinybird CLI skips (vendor,
// .diff_tmp), dependencies (node_modules), hidden directories, and
// testdata, where Go projects keep test fixtures that are often
// deliberately wrong. Directories starting with _ are walked: Tinybird
// projects keep datafiles in _migration/. tbls check, tbls access and the
// language server's names index all walk by it.
func SkipDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "vendor" || name == "node_modules" || name == "testdata"
}

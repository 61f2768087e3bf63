// Package tokenname exports tbvet's tokenname analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package tokenname

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.TokenName.
var Analyzer = analyzer.TokenName

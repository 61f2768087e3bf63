// Package pipe exports tbvet's pipe analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package pipe

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.Pipe.
var Analyzer = analyzer.Pipe

// Package datasource exports tbvet's datasource analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package datasource

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.Datasource.
var Analyzer = analyzer.Datasource

// Package resourcename exports tbvet's resourcename analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package resourcename

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.ResourceName.
var Analyzer = analyzer.ResourceName

// Package tokenuse exports tbvet's tokenuse analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package tokenuse

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.TokenUse.
var Analyzer = analyzer.TokenUse

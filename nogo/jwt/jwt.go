// Package jwt exports tbvet's jwt analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package jwt

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.JWT.
var Analyzer = analyzer.JWT

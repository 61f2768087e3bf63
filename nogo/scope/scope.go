// Package scope exports tbvet's scope analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package scope

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.Scope.
var Analyzer = analyzer.Scope

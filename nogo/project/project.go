// Package project exports tbvet's project analyzer as Bazel's nogo wants it: a
// package of its own with a variable named Analyzer. See the README's
// "Bazel (nogo)" section.
package project

import "github.com/tbls-dev/tbls/analyzer"

// Analyzer is analyzer.Project.
var Analyzer = analyzer.Project

package analyzer

import (
	_ "embed"
	"fmt"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// Suite lists every analyzer of tbvet, in the order of their check codes.
var Suite = []*analysis.Analyzer{
	TokenName,
	ResourceName,
	Scope,
	TokenUse,
	JWT,
	Datasource,
	Pipe,
	Project,
}

//go:embed doc.go
var docGo string

// newAnalyzer builds an analyzer whose Doc comes from its section of doc.go
// followed by the list of its checks from rules.
func newAnalyzer(name string, run func(*analysis.Pass) (any, error)) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name:     name,
		Doc:      analyzerDoc(docGo, name),
		URL:      rules.DocBaseURL + "#analyzer-" + name,
		Requires: []*analysis.Analyzer{indexAnalyzer},
		Run:      run,
	}
}

// analyzerDoc returns the documentation of the named analyzer: its
// "# Analyzer NAME" section of the package comment in src, without the
// "NAME: " prefix of its title line, then one line per check of rules. It
// panics when the section is missing, which the tests catch: it is a
// programming error, not a user input.
func analyzerDoc(src, name string) string {
	var b strings.Builder
	in := false
	for line := range strings.Lines(src) {
		line = strings.TrimSuffix(line, "\n")
		if !strings.HasPrefix(line, "//") {
			break // end of the package comment
		}
		text := strings.TrimPrefix(strings.TrimPrefix(line, "//"), " ")
		if strings.HasPrefix(text, "# ") {
			if in {
				break
			}
			in = text == "# Analyzer "+name
			continue
		}
		if in {
			b.WriteString(text)
			b.WriteByte('\n')
		}
	}
	doc := strings.TrimSpace(b.String())
	title, ok := strings.CutPrefix(doc, name+": ")
	if !ok {
		panic(fmt.Sprintf("doc.go has no \"# Analyzer %s\" section starting with %q", name, name+": "))
	}
	b.Reset()
	b.WriteString(title)
	b.WriteString("\n\nChecks:\n")
	for _, c := range rules.ChecksOf(name) {
		fmt.Fprintf(&b, "  %s  %s (%s)\n", c.Code, c.Title, c.Severity)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

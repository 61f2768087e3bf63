// Package plugin registers tbvet's analyzers as a golangci-lint module
// plugin named "tbvet".
//
// It lives apart from the tinybird package so that programs using the SDK
// never link golangci-lint's registry. Build a custom golangci-lint with
// this module in .custom-gcl.yml, then enable the linter in .golangci.yml:
//
//	linters:
//	  enable: [tbvet]
//	  settings:
//	    custom:
//	      tbvet:
//	        type: module
//	        settings:
//	          disable: [TB302]   # check codes or analyzer names
package plugin

import (
	"fmt"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/rules"
)

func init() {
	register.Plugin("tbvet", New)
}

// Settings are the plugin's settings in .golangci.yml. Each entry is an
// analyzer name (scope, tokenname, …) or a check code (TB201, …).
type Settings struct {
	// Enable, when not empty, keeps only these analyzers and checks.
	Enable []string `json:"enable"`
	// Disable drops these analyzers and checks.
	Disable []string `json:"disable"`
}

// Plugin is the golangci-lint plugin: the Suite filtered by Settings.
type Plugin struct {
	settings Settings
}

// New decodes the settings golangci-lint passes and checks every name in
// them, so that a typo fails the run instead of silently checking nothing.
func New(conf any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[Settings](conf)
	if err != nil {
		return nil, fmt.Errorf("tbvet plugin settings: %w", err)
	}
	for _, name := range slices.Concat(s.Enable, s.Disable) {
		if !knownName(name) {
			return nil, fmt.Errorf("tbvet plugin settings: unknown analyzer or check %q; analyzers are %s and checks are TB001…TB404 (tbvet help lists them)", name, strings.Join(analyzerNames(), ", "))
		}
	}
	return &Plugin{settings: s}, nil
}

// GetLoadMode tells golangci-lint that the analyzers need type information.
func (*Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// BuildAnalyzers returns the analyzers the settings keep. An analyzer some
// of whose checks are off is wrapped so that it drops their diagnostics.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var out []*analysis.Analyzer
	for _, a := range analyzer.Suite {
		var off []string
		for _, c := range checksOf(a.Name) {
			if !p.enabled(a.Name, string(c)) {
				off = append(off, string(c))
			}
		}
		switch {
		case len(off) == len(checksOf(a.Name)):
			// Every check of this analyzer is off: do not run it at all.
		case len(off) == 0:
			out = append(out, a)
		default:
			out = append(out, withoutCodes(a, off))
		}
	}
	return out, nil
}

// enabled reports whether the check code of the named analyzer is on.
func (p *Plugin) enabled(analyzerName, code string) bool {
	in := func(list []string) bool {
		return slices.ContainsFunc(list, func(s string) bool {
			return s == analyzerName || strings.EqualFold(s, code)
		})
	}
	if len(p.settings.Enable) > 0 && !in(p.settings.Enable) {
		return false
	}
	return !in(p.settings.Disable)
}

// checksOf returns the codes an analyzer reports, TB001 included: every
// analyzer reports TB001 for directives naming its codes.
func checksOf(analyzerName string) []rules.Code {
	codes := []rules.Code{rules.TB001}
	for _, c := range rules.ChecksOf(analyzerName) {
		codes = append(codes, c.Code)
	}
	return codes
}

// withoutCodes returns a copy of a whose diagnostics with the given
// categories are dropped.
func withoutCodes(a *analysis.Analyzer, codes []string) *analysis.Analyzer {
	filtered := *a
	filtered.Run = func(pass *analysis.Pass) (any, error) {
		inner := *pass
		inner.Report = func(d analysis.Diagnostic) {
			if !slices.Contains(codes, d.Category) {
				pass.Report(d)
			}
		}
		return a.Run(&inner)
	}
	return &filtered
}

func analyzerNames() []string {
	var names []string
	for _, a := range analyzer.Suite {
		names = append(names, a.Name)
	}
	return names
}

func knownName(name string) bool {
	if slices.Contains(analyzerNames(), name) {
		return true
	}
	_, ok := rules.Lookup(rules.Code(strings.ToUpper(name)))
	return ok
}

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
//	          checks: "inherit,-TB302"   # tbvet's -checks syntax
//
// As tbvet does, the plugin honours the tbls.conf files found walking up
// from each package's directory, with checks applied over them (settings
// config-files: false ignores the files). enable and disable, lists of
// analyzer names and check codes, apply first.
package plugin

import (
	"fmt"
	"slices"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/analyzer"
	"github.com/tbls-dev/tbls/checkconfig"
	"github.com/tbls-dev/tbls/rules"
)

func init() {
	register.Plugin("tbvet", New)
}

// Settings are the plugin's settings in .golangci.yml.
type Settings struct {
	// Enable, when not empty, keeps only these analyzers and checks (each
	// an analyzer name such as scope, or a check code such as TB201).
	Enable []string `json:"enable"`
	// Disable drops these analyzers and checks.
	Disable []string `json:"disable"`
	// Checks selects checks in tbvet's -checks syntax ("all,-TB302",
	// "inherit,-TB2*"), applied over the tbls.conf files: a string, or a
	// list of patterns.
	Checks any `json:"checks"`
	// ConfigFiles says whether tbls.conf files are read (default true).
	ConfigFiles *bool `json:"config-files"`
}

// Plugin is the golangci-lint plugin: the Suite filtered by Settings.
type Plugin struct {
	settings Settings
	checks   string              // Settings.Checks as one -checks list
	loader   *checkconfig.Loader // nil when tbls.conf files are not read
	static   checkconfig.Set     // the checks when loader is nil
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
			return nil, fmt.Errorf("tbvet plugin settings: unknown analyzer or check %q; analyzers are %s (tbvet help lists the checks)", name, strings.Join(analyzerNames(), ", "))
		}
	}
	p := &Plugin{settings: s}
	switch c := s.Checks.(type) {
	case nil:
	case string:
		p.checks = c
	case []any:
		var items []string
		for _, item := range c {
			str, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("tbvet plugin settings: checks: %v is not a string", item)
			}
			items = append(items, str)
		}
		p.checks = strings.Join(items, ",")
	default:
		return nil, fmt.Errorf("tbvet plugin settings: checks: want a string (\"all,-TB302\") or a list of patterns, got %v", c)
	}
	list := checkconfig.Inherit
	if p.checks != "" {
		var err error
		if list, err = checkconfig.ParseList(p.checks); err != nil {
			return nil, fmt.Errorf("tbvet plugin settings: checks: %v", err)
		}
	}
	p.static = list.Apply(checkconfig.AllChecks())
	if s.ConfigFiles == nil || *s.ConfigFiles {
		l, err := checkconfig.NewLoader(p.checks, "")
		if err != nil {
			return nil, fmt.Errorf("tbvet plugin settings: %v", err)
		}
		p.loader = l
	}
	return p, nil
}

// GetLoadMode tells golangci-lint that the analyzers need type information.
func (*Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

// BuildAnalyzers returns the analyzers the settings keep. An analyzer some
// of whose checks are off is wrapped so that it drops their diagnostics;
// with tbls.conf files, every analyzer is wrapped to ask the configuration
// of each diagnostic's directory.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	var out []*analysis.Analyzer
	for _, a := range analyzer.Suite {
		var off []string
		for _, c := range checksOf(a.Name) {
			if !p.enabled(a.Name, string(c)) || p.loader == nil && !p.static.Has(c) {
				off = append(off, string(c))
			}
		}
		switch {
		case len(off) == len(checksOf(a.Name)):
			// Every check of this analyzer is off: do not run it at all.
		case p.loader != nil:
			out = append(out, p.withConfigFiles(withoutCodes(a, off)))
		case len(off) == 0:
			out = append(out, a)
		default:
			out = append(out, withoutCodes(a, off))
		}
	}
	return out, nil
}

// withConfigFiles returns a copy of a that drops the diagnostics the
// tbls.conf files of their directories (and Settings.Checks over them)
// turn off. A broken tbls.conf fails the analysis with its error, naming
// the file.
func (p *Plugin) withConfigFiles(a *analysis.Analyzer) *analysis.Analyzer {
	filtered := *a
	filtered.Run = func(pass *analysis.Pass) (any, error) {
		var confErr error
		inner := *pass
		inner.Report = func(d analysis.Diagnostic) {
			if f := pass.Fset.File(d.Pos); f != nil {
				report, _, err := p.loader.Decide(f.Name(), rules.Code(d.Category))
				if err != nil {
					confErr = err
					return
				}
				if !report {
					return
				}
			}
			pass.Report(d)
		}
		res, err := a.Run(&inner)
		if err == nil && confErr != nil {
			err = confErr
		}
		return res, err
	}
	return &filtered
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

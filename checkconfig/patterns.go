// Package checkconfig decides which checks run and which findings fail a
// run, the same way for tbvet, tbls check and the language server.
//
// # Patterns
//
// A list of patterns, in staticcheck's syntax, says which checks are in a
// set. Patterns apply in order, each adding to or removing from the set
// built so far, which starts empty:
//
//	all, *      every check
//	none        no check (empties the set so far)
//	inherit     the checks of the enclosing configuration (see below)
//	TB201       one check, by code (any case)
//	TB2*        the checks whose code starts with TB2
//	scope       the checks of an analyzer, by name
//	-PATTERN    removes what PATTERN adds (-TB302, -TB2*, -scope, -all)
//
// On the command line a list is one comma-separated string
// (-checks="all,-TB302"); in a configuration file it is an array of
// strings. A code, glob or analyzer name that names no check is an error
// that says which. A list of removals alone ("-TB302") removes from the
// enclosing set: it reads as "inherit,-TB302", which is what a user who
// types it means (removing from the empty set would select nothing).
//
// # Configuration files
//
// A file named tbls.conf (FileName), in TOML, may sit in any directory:
//
//	checks = ["inherit", "-TB302"]   # which checks run
//	fail = ["all", "-TB206"]         # which of them fail the run
//
// The configuration of a Go package or a datafile is found by walking up
// from its directory to the root of the file system: the outermost file
// applies first, and each file below it overrides it. A key a file leaves
// out is inherited whole; a list holding "inherit" starts from (or adds)
// the enclosing one's. Above every file, both lists are "all". The
// command-line flags -checks and -fail apply last, over the files, and
// default to "inherit".
//
// A finding whose code is not a check of package rules is always kept and
// always fails: nothing can name it.
package checkconfig

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// Set is a set of checks. The zero Set is empty.
type Set struct {
	codes map[rules.Code]bool
}

// AllChecks returns the set of every check of package rules.
func AllChecks() Set {
	s := Set{codes: make(map[rules.Code]bool)}
	for _, c := range rules.Checks() {
		s.codes[c.Code] = true
	}
	return s
}

// Has reports whether code is in s. A code that package rules does not
// know is in every set.
func (s Set) Has(code rules.Code) bool {
	if _, known := rules.Lookup(code); !known {
		return true
	}
	return s.codes[code]
}

// Codes returns the codes in s, sorted.
func (s Set) Codes() []rules.Code {
	var out []rules.Code
	for c := range s.codes {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// List is a parsed list of patterns. The zero List is "inherit": applied
// to a set, it returns that set.
type List struct {
	patterns []pattern
}

// pattern is one validated pattern: the codes it adds or removes, or a
// keyword.
type pattern struct {
	text    string       // as written, for String
	remove  bool         // a -PATTERN
	inherit bool         // the enclosing set
	codes   []rules.Code // the checks it names; all of them for all, none for none
	clear   bool         // none (or -all): empty the set first
}

// Inherit is the List that keeps the enclosing set.
var Inherit = List{patterns: []pattern{{text: "inherit", inherit: true}}}

// ParseList parses a comma-separated list of patterns, as given to
// -checks or -fail.
func ParseList(s string) (List, error) {
	return ParseSlice(strings.Split(s, ","))
}

// ParseSlice parses a list of patterns, one a string, as a configuration
// file holds them.
func ParseSlice(items []string) (List, error) {
	var l List
	positive := false
	for _, item := range items {
		text := strings.TrimSpace(item)
		p, err := parsePattern(text)
		if err != nil {
			return List{}, err
		}
		if !p.remove {
			positive = true
		}
		l.patterns = append(l.patterns, p)
	}
	if len(l.patterns) == 0 {
		return List{}, fmt.Errorf("empty list of checks: use all, none or inherit")
	}
	if !positive {
		l.patterns = append([]pattern{{text: "inherit", inherit: true}}, l.patterns...)
	}
	return l, nil
}

func parsePattern(text string) (pattern, error) {
	p := pattern{text: text}
	name := text
	if rest, ok := strings.CutPrefix(text, "-"); ok {
		p.remove, name = true, rest
	}
	switch {
	case name == "":
		if text == "" {
			return pattern{}, fmt.Errorf("empty pattern in a list of checks (a doubled or trailing comma?)")
		}
		return pattern{}, fmt.Errorf("pattern %q names nothing after the -", text)
	case name == "all" || name == "*":
		p.codes = AllChecks().Codes()
		p.clear = p.remove
	case name == "none" || name == "inherit":
		if p.remove {
			return pattern{}, fmt.Errorf("pattern %q: %s cannot be removed", text, name)
		}
		p.clear = name == "none"
		p.inherit = name == "inherit"
	case strings.Contains(name, "*"):
		prefix, ok := strings.CutSuffix(strings.ToUpper(name), "*")
		if !ok || strings.Contains(prefix, "*") {
			return pattern{}, fmt.Errorf("pattern %q: a glob is a code prefix followed by one * (TB2*)", text)
		}
		for _, c := range rules.Checks() {
			if strings.HasPrefix(string(c.Code), prefix) {
				p.codes = append(p.codes, c.Code)
			}
		}
		if len(p.codes) == 0 {
			return pattern{}, fmt.Errorf("pattern %q matches no check: run `tbvet help` for the list", text)
		}
	default:
		if c, ok := rules.Lookup(rules.Code(strings.ToUpper(name))); ok {
			p.codes = []rules.Code{c.Code}
			break
		}
		for _, c := range rules.Checks() {
			if c.Analyzer == name {
				p.codes = append(p.codes, c.Code)
			}
		}
		if len(p.codes) == 0 {
			return pattern{}, fmt.Errorf("unknown check or analyzer %q: run `tbvet help` for the list", name)
		}
	}
	return p, nil
}

// Apply returns the set l selects, where inherit stands for parent.
func (l List) Apply(parent Set) Set {
	if len(l.patterns) == 0 {
		return parent
	}
	out := Set{codes: make(map[rules.Code]bool)}
	for _, p := range l.patterns {
		if p.clear {
			clear(out.codes)
		}
		if p.inherit {
			for c := range parent.codes {
				out.codes[c] = true
			}
		}
		for _, c := range p.codes {
			if p.remove {
				delete(out.codes, c)
			} else {
				out.codes[c] = true
			}
		}
	}
	return out
}

// String returns the list as -checks takes it.
func (l List) String() string {
	if len(l.patterns) == 0 {
		return "inherit"
	}
	texts := make([]string, len(l.patterns))
	for i, p := range l.patterns {
		texts[i] = p.text
	}
	return strings.Join(texts, ",")
}

package tinybird

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// Problem is one thing wrong with a definition, found by Validate or
// CreateJWT.
type Problem struct {
	// File and Line locate the Define call that made the resource (or the
	// DefineToken call, for a token's name). File is empty for problems
	// with no call site, such as those of JWTOptions.
	File string
	Line int
	// Code is the rules check code, e.g. rules.TB201. Every problem
	// Validate reports has one.
	Code rules.Code
	// Severity is the check's severity.
	Severity rules.Severity
	// Resource names what the problem is about, e.g. `endpoint "top_events"`.
	Resource string
	// Field is the option at fault, e.g. "Tokens[1]", when known.
	Field   string
	Message string
}

// Error returns "file:line: CODE message" (parts that are unknown are left
// out).
func (p Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteString(": ")
	}
	if p.Code != "" {
		b.WriteString(string(p.Code))
		b.WriteByte(' ')
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError holds every problem of a project (or of JWTOptions). Its
// Error is the problems' Error, one per line, as errors.Join writes them;
// Unwrap exposes each Problem to errors.As.
type ValidationError struct {
	Problems []Problem
}

// Error returns one line per problem.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems as errors.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Codes returns the codes of the problems that have one, in order.
func (e *ValidationError) Codes() []rules.Code {
	var codes []rules.Code
	for _, p := range e.Problems {
		if p.Code != "" {
			codes = append(codes, p.Code)
		}
	}
	return codes
}

// problemList collects problems while validating.
type problemList struct {
	ps   []Problem
	seen map[string]bool
}

func (l *problemList) add(pos position, resource, field string, code rules.Code, msg string) {
	sev := rules.Error
	if c, ok := rules.Lookup(code); ok {
		sev = c.Severity
	}
	p := Problem{File: pos.display(), Line: pos.line, Code: code, Severity: sev, Resource: resource, Field: field, Message: msg}
	// A token granted on several resources has its name checked once.
	key := p.Error()
	if l.seen == nil {
		l.seen = map[string]bool{}
	}
	if l.seen[key] && code == rules.TB101 {
		return
	}
	l.seen[key] = true
	l.ps = append(l.ps, p)
}

func (l *problemList) addRule(pos position, resource, field string, p *rules.Problem) {
	if p != nil {
		l.add(pos, resource, field, p.Code, p.Message)
	}
}

// err returns the problems sorted by file and line (keeping the order of
// discovery within a line), or nil.
func (l *problemList) err() error {
	if len(l.ps) == 0 {
		return nil
	}
	ps := slices.Clone(l.ps)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		return cmp.Compare(a.Line, b.Line)
	})
	return &ValidationError{Problems: ps}
}

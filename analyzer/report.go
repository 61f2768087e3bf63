package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// reporter wraps a pass's Report for one analyzer: it fills in Category and
// URL, prefixes the message with the code, applies the suppression
// directives and, when the analyzer is done, reports the directives that
// are wrong (TB001). Suppression lives here, inside each analyzer's run, so
// that it works the same in go vet, tbvet and the language server.
type reporter struct {
	pass       *analysis.Pass
	analyzer   string
	directives []*directive
	// reported holds what was reported, so that a problem found again
	// (a schema held in a variable that several datasources use) is
	// reported once.
	reported map[reportKey]bool
}

// reportKey identifies a diagnostic.
type reportKey struct {
	pos, end token.Pos
	problem  rules.Problem
}

func newReporter(pass *analysis.Pass, analyzer string) *reporter {
	r := &reporter{pass: pass, analyzer: analyzer}
	for _, f := range pass.Files {
		r.directives = append(r.directives, parseDirectives(pass.Fset, f)...)
	}
	return r
}

// report reports a problem found in the range of node, unless a directive
// silences it.
func (r *reporter) report(node analysis.Range, p *rules.Problem, fixes ...analysis.SuggestedFix) {
	r.reportAt(node.Pos(), node.End(), p, fixes...)
}

// reportAt reports a problem found in [pos, end), unless a directive silences
// it.
func (r *reporter) reportAt(pos, end token.Pos, p *rules.Problem, fixes ...analysis.SuggestedFix) {
	key := reportKey{pos, end, *p}
	if r.reported[key] {
		return
	}
	if r.reported == nil {
		r.reported = make(map[reportKey]bool)
	}
	r.reported[key] = true
	position := r.pass.Fset.Position(pos)
	silenced := false
	for _, d := range r.directives {
		// Every matching directive is marked used, so none of them is
		// reported as silencing nothing.
		if d.silences(p.Code, position.Filename, position.Line) {
			silenced = true
		}
	}
	if silenced {
		return
	}
	r.emit(pos, end, p, fixes)
}

func (r *reporter) emit(pos, end token.Pos, p *rules.Problem, fixes []analysis.SuggestedFix) {
	r.pass.Report(analysis.Diagnostic{
		Pos:            pos,
		End:            end,
		Category:       string(p.Code),
		URL:            rules.DocURL(p.Code),
		Message:        p.String(),
		SuggestedFixes: fixes,
	})
}

// finish reports, as TB001, the directives this analyzer answers for: those
// without a reason, naming an unknown code, or silencing nothing. Call it
// once, after every other report.
func (r *reporter) finish() {
	for _, d := range r.directives {
		if d.reason == "" {
			// Reported once, by the reporter of the directive's first code.
			if reporterOf(d.codes[0]) == r.analyzer {
				r.emit(d.comment.Pos(), d.comment.End(), &rules.Problem{Code: rules.TB001, Message: rules.MsgDirectiveNoReason}, nil)
			}
			continue
		}
		for _, dc := range d.codes {
			if reporterOf(dc) != r.analyzer || dc.used {
				continue
			}
			msg := fmt.Sprintf(rules.MsgDirectiveSilentNone, dc.code)
			if _, known := rules.Lookup(dc.code); !known {
				msg = fmt.Sprintf(rules.MsgDirectiveUnknown, string(dc.code))
			}
			r.emit(dc.pos, dc.end, &rules.Problem{Code: rules.TB001, Message: msg}, nil)
		}
	}
}

// nodeRange is an analysis.Range for two nodes: from the start of the first
// to the end of the last.
type nodeRange struct{ from, to ast.Node }

func (n nodeRange) Pos() token.Pos { return n.from.Pos() }
func (n nodeRange) End() token.Pos { return n.to.End() }

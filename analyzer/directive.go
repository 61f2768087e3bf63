package analyzer

import (
	"go/ast"
	"go/token"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// The suppression directives. Like Go's own //go: directives they have no
// space after the slashes:
//
//	//tbvet:ignore TB201 read by the billing job
//	//tbvet:ignore TB201,TB206 reason
//	//tbvet:file-ignore TB302 tokens granted by the deploy script
const (
	ignorePrefix     = "//tbvet:ignore"
	fileIgnorePrefix = "//tbvet:file-ignore"
)

// directive is one //tbvet:ignore or //tbvet:file-ignore comment.
type directive struct {
	comment   *ast.Comment
	filename  string
	line      int  // the comment's line; it silences this line and the next
	wholeFile bool // //tbvet:file-ignore
	codes     []*directiveCode
	reason    string
}

// directiveCode is one code a directive names, with its place in the comment
// so that a TB001 about it points at the code.
type directiveCode struct {
	code     rules.Code
	pos, end token.Pos
	used     bool
}

// parseDirectives returns the directives in file's comments.
func parseDirectives(fset *token.FileSet, file *ast.File) []*directive {
	var ds []*directive
	for _, group := range file.Comments {
		for _, c := range group.List {
			if d := parseDirective(fset, c); d != nil {
				ds = append(ds, d)
			}
		}
	}
	return ds
}

// HasDirectives reports whether file holds a //tbvet: directive. A
// directive's TB001 ("silences nothing") depends on every diagnostic of its
// file, wherever the node reported from, so a driver that runs the
// analyzers on parts of a package (see Local) must run them whole then.
func HasDirectives(file *ast.File) bool {
	for _, group := range file.Comments {
		for _, c := range group.List {
			if strings.HasPrefix(c.Text, ignorePrefix) || strings.HasPrefix(c.Text, fileIgnorePrefix) {
				return true
			}
		}
	}
	return false
}

// parseDirective parses c, returning nil when it is not a directive.
func parseDirective(fset *token.FileSet, c *ast.Comment) *directive {
	var rest string
	wholeFile := false
	if r, ok := strings.CutPrefix(c.Text, fileIgnorePrefix); ok {
		rest, wholeFile = r, true
	} else if r, ok := strings.CutPrefix(c.Text, ignorePrefix); ok {
		rest = r
	} else {
		return nil
	}
	// "//tbvet:ignored" is not our directive: the name must end here.
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return nil
	}
	pos := fset.Position(c.Pos())
	d := &directive{comment: c, filename: pos.Filename, line: pos.Line, wholeFile: wholeFile}

	// offset of rest within the comment text
	off := len(c.Text) - len(rest)
	trimmed := strings.TrimLeft(rest, " \t")
	off += len(rest) - len(trimmed)
	codesText, reason, _ := strings.Cut(trimmed, " ")
	if i := strings.IndexByte(codesText, '\t'); i >= 0 {
		codesText, reason = codesText[:i], codesText[i+1:]+" "+reason
	}
	d.reason = strings.TrimSpace(reason)
	if codesText == "" {
		// No code at all: record an empty one so that it is reported as unknown.
		d.codes = append(d.codes, &directiveCode{pos: c.Pos() + token.Pos(off), end: c.End()})
		return d
	}
	for part := range strings.SplitSeq(codesText, ",") {
		start := c.Pos() + token.Pos(off)
		d.codes = append(d.codes, &directiveCode{
			code: rules.Code(strings.ToUpper(part)),
			pos:  start,
			end:  start + token.Pos(len(part)),
		})
		off += len(part) + 1
	}
	return d
}

// silences reports whether d silences code at line of filename, and marks it
// used if so. A directive without a reason silences nothing: suppression
// must say why.
func (d *directive) silences(code rules.Code, filename string, line int) bool {
	if d.reason == "" || d.filename != filename {
		return false
	}
	if !d.wholeFile && line != d.line && line != d.line+1 {
		return false
	}
	for _, dc := range d.codes {
		if dc.code == code {
			dc.used = true
			return true
		}
	}
	return false
}

// reporterOf returns the analyzer that reports TB001 for dc: the owner of
// the code, or tokenname for a code no analyzer owns (unknown codes, and
// TB001 itself, which cannot be silenced).
func reporterOf(dc *directiveCode) string {
	if owner, ok := rules.Owner(dc.code); ok {
		return owner
	}
	return rules.AnalyzerTokenName
}

package datafile

import "github.com/tbls-dev/tbls/rules"

// Completion says that a cursor is where a TOKEN line expects its scope, and
// what is there already.
type Completion struct {
	// Kind is the file's kind: offer rules.Scopes(Kind).
	Kind rules.Kind
	// Token is the name of the token being granted, without quotes.
	Token string
	// Start and End delimit the scope word under the cursor, to be replaced
	// by the chosen item; Start == End == the cursor when there is none yet.
	Start, End int
	// Prefix is the part of the word before the cursor, for filtering.
	Prefix string
	// Directive is the TOKEN line.
	Directive *Directive
}

// CompletionContext parses src as the datafile filename and reports whether
// offset is at the scope position of a TOKEN line: after "TOKEN <name> "
// (the name complete and followed by a space), on the second argument or at
// an empty one. It is false on the name, inside quotes, past the scope,
// inside a block body (an SQL body's "TOKEN x " is text), in a comment, and
// in files that are neither .datasource nor .pipe.
func CompletionContext(filename string, src []byte, offset int) (Completion, bool) {
	return ParseFile(filename, src).CompletionAt(offset)
}

// CompletionAt is CompletionContext on a parsed file.
func (f *File) CompletionAt(offset int) (Completion, bool) {
	if f.Kind == 0 || offset < 0 || offset > len(f.Src) {
		return Completion{}, false
	}
	d := f.DirectiveAt(offset)
	// Only the directive's own line: offsets in a body or past the line do
	// not count.
	if d == nil || offset < d.LineStart || offset > d.LineEnd || !d.Is("TOKEN") || d.Block != nil {
		return Completion{}, false
	}
	if d.Comment != nil && offset > d.Comment.Start {
		return Completion{}, false
	}
	if len(d.Args) == 0 {
		return Completion{}, false
	}
	name := d.Args[0]
	if name.Unterminated || offset <= name.End {
		return Completion{}, false
	}
	c := Completion{Kind: f.Kind, Token: name.Value(), Start: offset, End: offset, Directive: d}
	if len(d.Args) == 1 {
		return c, true
	}
	scope := d.Args[1]
	if offset < scope.Start || offset > scope.End || scope.Quote != 0 {
		return Completion{}, false
	}
	c.Start, c.End = scope.Start, scope.End
	c.Prefix = string(f.Src[scope.Start:offset])
	return c, true
}

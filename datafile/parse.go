package datafile

import (
	"bytes"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// File is a parsed datafile. Every offset in it is a byte offset into Src.
type File struct {
	// Src is the text that was parsed.
	Src []byte
	// Name is the resource name, the file name without its extension; ""
	// when the file was parsed without a file name.
	Name string
	// Kind is the kind of resource the file declares (see ResourceKind); 0
	// when the file name is not a .datasource or .pipe file or unknown.
	Kind rules.Kind
	// Directives are every directive of the file in source order, NODE
	// directives and the directives inside NODE sections included.
	Directives []*Directive
	// Nodes are the NODE sections of a pipe, in source order.
	Nodes []*Node
	// Comments are the comments (# to the end of the line) outside block
	// bodies. A comment line inside a body is skipped as Tinybird skips it,
	// and recorded here too.
	Comments []Span
	// Errors are what the Tinybird CLI could not split: unterminated quotes on
	// directive lines.
	Errors []SyntaxError
	// BOM reports that Src starts with a UTF-8 byte-order mark. The parser
	// skips it, so that the first line's directive is read; Check reports it.
	BOM bool
	// FileKind is the kind of datafile the file name says (0 when unknown):
	// .datasource, .pipe, .connection or .incl.
	FileKind rules.FileKind

	lineStarts []int
	text       string // Src as a string, so that words share its memory
}

// Span is a range of bytes [Start, End).
type Span struct {
	Start, End int
}

// SyntaxError is a problem splitting a line, at a byte range.
type SyntaxError struct {
	Message    string
	Start, End int
}

// Error returns the message.
func (e SyntaxError) Error() string { return e.Message }

// Token is one shell-style word of a directive line.
type Token struct {
	// Text is the word as written, quotes included.
	Text       string
	Start, End int
	// Quote is the quote character (' or ") that opened a quoted word, 0 for
	// a bare word.
	Quote byte
	// Unterminated reports a quoted word whose closing quote is missing; it
	// then runs to the end of the line.
	Unterminated bool
}

// Value returns the word without its surrounding quotes, as the Tinybird
// CLI reads an argument.
func (t Token) Value() string {
	if t.Quote != 0 && !t.Unterminated && len(t.Text) >= 2 {
		return t.Text[1 : len(t.Text)-1]
	}
	return t.Text
}

// Directive is one directive: a keyword line, with its block body when the
// line is "KEYWORD >".
type Directive struct {
	// Keyword is the first word of the line. Compare it with Is, which
	// ignores case as Tinybird does.
	Keyword Token
	// Args are the words after the keyword. For a block directive they are
	// the words after ">", which Tinybird ignores.
	Args []Token
	// Block is the body of a "KEYWORD >" directive, nil otherwise.
	Block *Block
	// Known reports whether Keyword is a directive Tinybird knows. Only a
	// known keyword in column 0 ends a block.
	Known bool
	// LineStart and LineEnd delimit the directive's line, without its line
	// terminator.
	LineStart, LineEnd int
	// Start is the keyword's start; HeaderEnd the end of the last word of
	// the line; End the end of the block body when there is one, HeaderEnd
	// otherwise.
	Start, HeaderEnd, End int
	// Comment is the comment that ends the line, nil when there is none.
	Comment *Span
	// Node is the NODE section the directive belongs to (for a NODE
	// directive, its own section); nil before the first NODE.
	Node *Node
}

// Is reports whether the directive's keyword is kw, ignoring case.
func (d *Directive) Is(kw string) bool { return strings.EqualFold(d.Keyword.Text, kw) }

// Block is the body of a "KEYWORD >" directive.
type Block struct {
	// Marker is the ">" word.
	Marker Token
	// Lines are the body lines, each without its line terminator. Blank and
	// comment lines are not part of the body, as Tinybird drops them.
	Lines []Span
}

// Text returns the body as Tinybird collects it: the body lines, each
// followed by a newline unless it ends the file without one.
func (b *Block) Text(src []byte) string {
	var sb strings.Builder
	for _, l := range b.Lines {
		sb.Write(src[l.Start:l.End])
		if l.End < len(src) {
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// Node is a NODE section of a pipe.
type Node struct {
	// Directive is the NODE directive itself.
	Directive *Directive
	// Directives are the directives after NODE, up to the next NODE.
	Directives []*Directive
	// Start and End delimit the section, from NODE to the end of its last
	// directive.
	Start, End int
}

// Name returns the node's name (unquoted), "" when NODE has no argument.
func (n *Node) Name() string {
	if len(n.Directive.Args) == 0 {
		return ""
	}
	return n.Directive.Args[0].Value()
}

// Parse parses a datafile. It never fails: what it cannot make sense of ends
// up in File.Errors. The returned File has no Name and no Kind; use
// ParseFile when the file name is known.
func Parse(src []byte) *File {
	f := &File{Src: src}
	f.parse()
	return f
}

// ParseFile parses a datafile and sets its Name and Kind from filename.
func ParseFile(filename string, src []byte) *File {
	f := Parse(src)
	f.Name = ResourceName(filename)
	f.Kind = ResourceKind(filename, f)
	f.FileKind = FileKindOf(filename)
	return f
}

// ResourceName returns the name of the resource a datafile declares: its
// base name without the extension, as the Tinybird CLI derives it.
func ResourceName(filename string) string {
	base := filename
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Datafile extensions.
const (
	ExtDatasource = ".datasource"
	ExtPipe       = ".pipe"
	ExtConnection = ".connection"
	ExtInclude    = ".incl"
)

// FileKindOf returns the kind of datafile filename's extension names, 0 for
// any other file. The test is case-sensitive, as the CLI's is.
func FileKindOf(filename string) rules.FileKind {
	switch filepath.Ext(filename) {
	case ExtDatasource:
		return rules.FileDatasource
	case ExtPipe:
		return rules.FilePipe
	case ExtConnection:
		return rules.FileConnection
	case ExtInclude:
		return rules.FileInclude
	}
	return 0
}

// ResourceKind returns the kind of resource a datafile declares: a
// .datasource file is rules.KindDatasource; a .pipe file is rules.KindPipe,
// refined by its TYPE directive (endpoint, materialized, copy, sink) when f
// is not nil. Any other file is 0.
func ResourceKind(filename string, f *File) rules.Kind {
	switch filepath.Ext(filename) { // case-sensitive, as the CLI's test is
	case ExtDatasource:
		return rules.KindDatasource
	case ExtPipe:
	default:
		return 0
	}
	if f == nil {
		return rules.KindPipe
	}
	for _, d := range f.Directives {
		if !d.Is("TYPE") || d.Block != nil || len(d.Args) == 0 {
			continue
		}
		switch strings.ToLower(d.Args[0].Value()) {
		case "endpoint":
			return rules.KindEndpoint
		case "materialized":
			return rules.KindMaterializedView
		case "copy":
			return rules.KindCopyPipe
		case "sink":
			return rules.KindSinkPipe
		}
	}
	return rules.KindPipe
}

// Position returns the 0-based line and byte column of offset. Offsets out
// of range are clamped to the text.
func (f *File) Position(offset int) (line, col int) {
	offset = max(0, min(offset, len(f.Src)))
	line = sort.Search(len(f.lineStarts), func(i int) bool { return f.lineStarts[i] > offset }) - 1
	if line < 0 {
		return 0, offset
	}
	return line, offset - f.lineStarts[line]
}

// Offset returns the byte offset of a 0-based line and byte column, clamped
// to the line's extent (without its terminator) and to the text.
func (f *File) Offset(line, col int) int {
	if line < 0 {
		return 0
	}
	if line >= len(f.lineStarts) {
		return len(f.Src)
	}
	start := f.lineStarts[line]
	end := f.lineEnd(start)
	return max(start, min(start+max(col, 0), end))
}

// lineEnd returns the end of the line starting at start, before its
// terminator.
func (f *File) lineEnd(start int) int {
	rest := f.Src[start:]
	n := bytes.IndexByte(rest, '\n')
	if n < 0 {
		n = len(rest)
	}
	if cr := bytes.IndexByte(rest[:n], '\r'); cr >= 0 {
		n = cr
	}
	return start + n
}

// DirectiveAt returns the directive whose line or block body contains
// offset (an offset at the end of a line counts as on it), nil when offset is
// on a blank or comment line between directives.
func (f *File) DirectiveAt(offset int) *Directive {
	i := sort.Search(len(f.Directives), func(i int) bool { return f.Directives[i].LineStart > offset }) - 1
	if i < 0 {
		return nil
	}
	d := f.Directives[i]
	end := max(d.End, d.LineEnd)
	if offset > end {
		return nil
	}
	return d
}

// KnownKeyword reports whether kw, in any case, is a directive of a Tinybird
// CLI (rules.EndsBlock): only such a word in column 0 ends a block.
func KnownKeyword(kw string) bool {
	// Lower-case into a buffer on the stack: this runs on every line that
	// starts in column 0, and strings.ToLower would allocate.
	var buf [64]byte
	if len(kw) > len(buf) {
		return false // longer than any directive
	}
	lower := buf[:len(kw)]
	for i := 0; i < len(kw); i++ {
		c := kw[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return rules.EndsBlock(lower)
}

// parser holds the state of parsing between lines.
type parser struct {
	f    *File
	open *Directive // the block directive whose body is being read
	node *Node      // the current NODE section
	toks []Token    // scratch space for lex

	// The parser allocates in slabs: the language server parses a file on
	// every edit, and one allocation per directive, argument list and body
	// line made parsing large files GC-bound.
	directives []Directive
	blocks     []Block
	args       []Token
	lines      []Span // the body lines of every block, in order
}

// slab returns the size of a new slab: n, or less for a small file, which
// has at most one directive, block or body line per line.
func (p *parser) slab(n int) int {
	return max(4, min(n, cap(p.f.lineStarts)))
}

// newDirective returns a zeroed Directive from the slab.
func (p *parser) newDirective() *Directive {
	if len(p.directives) == cap(p.directives) {
		p.directives = make([]Directive, 0, p.slab(64))
	}
	p.directives = p.directives[:len(p.directives)+1]
	return &p.directives[len(p.directives)-1]
}

// newBlock returns a zeroed Block from the slab.
func (p *parser) newBlock() *Block {
	if len(p.blocks) == cap(p.blocks) {
		p.blocks = make([]Block, 0, p.slab(32))
	}
	p.blocks = p.blocks[:len(p.blocks)+1]
	return &p.blocks[len(p.blocks)-1]
}

// closeBlock ends the body of the open block: its lines are the ones added
// since it opened, kept in p.lines.
func (p *parser) closeBlock() {
	if p.open == nil {
		return
	}
	b := p.open.Block
	b.Lines = b.Lines[:len(b.Lines):len(b.Lines)] // appending elsewhere must not write into p.lines
	p.open = nil
}

// closeNode ends the current NODE section: its directives are the ones
// after NODE in f.Directives.
func (p *parser) closeNode() {
	if p.node == nil {
		return
	}
	ds := p.f.Directives
	i := len(ds) - 1
	for ds[i] != p.node.Directive {
		i--
	}
	if i+1 < len(ds) {
		p.node.Directives = ds[i+1 : len(ds) : len(ds)]
	}
}

// bom is the UTF-8 byte-order mark.
var bom = []byte{0xEF, 0xBB, 0xBF}

// parse fills f from f.Src.
func (f *File) parse() {
	p := parser{f: f}
	src := f.Src
	f.text = string(src)
	f.lineStarts = make([]int, 0, bytes.Count(src, []byte{'\n'})+1)
	first := 0
	if bytes.HasPrefix(src, bom) {
		f.BOM = true
		first = len(bom)
	}
	for start := 0; ; {
		end := f.lineEnd(start)
		f.lineStarts = append(f.lineStarts, start)
		p.line(max(start, first), end)
		if end == len(src) {
			p.closeBlock()
			p.closeNode()
			return
		}
		start = end + 1
		if src[end] == '\r' && start < len(src) && src[start] == '\n' {
			start++
		}
	}
}

// line reads the line src[start:end].
func (p *parser) line(start, end int) {
	f := p.f
	if p.open != nil && p.bodyLine(start, end) {
		return
	}
	var comment *Span
	var unterminated *Token
	p.toks, comment, unterminated = lex(f.text, start, end, p.toks[:0])
	if len(p.toks) == 0 {
		if comment != nil {
			f.Comments = append(f.Comments, *comment)
		}
		return
	}
	if p.open != nil && (unterminated != nil || !KnownKeyword(p.toks[0].Text)) {
		// The CLI re-splits a line it cannot split as one quoted word,
		// which is never a keyword: such a line, and one that does not
		// start with a keyword, stays in the body, # and all.
		p.addBodyLine(start, end)
		return
	}
	if comment != nil {
		f.Comments = append(f.Comments, *comment)
	}
	toks := p.toks
	p.closeBlock()
	d := p.newDirective()
	*d = Directive{
		Keyword:   toks[0],
		Known:     KnownKeyword(toks[0].Text),
		LineStart: start,
		LineEnd:   end,
		Start:     toks[0].Start,
		HeaderEnd: toks[len(toks)-1].End,
		Comment:   comment,
	}
	d.End = d.HeaderEnd
	args := toks[1:]
	if len(args) > 0 && args[0].Text == ">" {
		d.Block = p.newBlock()
		d.Block.Marker = args[0]
		d.Block.Lines = p.lines[len(p.lines):]
		args = args[1:]
		p.open = d
	}
	if len(args) > 0 {
		if cap(p.args)-len(p.args) < len(args) {
			p.args = make([]Token, 0, max(p.slab(256), len(args)))
		}
		n := len(p.args)
		p.args = append(p.args, args...)
		d.Args = p.args[n:len(p.args):len(p.args)]
	}
	if unterminated != nil {
		f.Errors = append(f.Errors, SyntaxError{
			Message: "unterminated " + string(unterminated.Quote) + " quote: close it on the same line",
			Start:   unterminated.Start,
			End:     unterminated.End,
		})
	}
	if d.Is("NODE") && d.Block == nil {
		p.closeNode()
		p.node = &Node{Directive: d, Start: d.Start}
		f.Nodes = append(f.Nodes, p.node)
	}
	d.Node = p.node
	if p.node != nil {
		p.node.End = d.End
	}
	f.Directives = append(f.Directives, d)
}

// bodyLine handles a line read while the body of open is being read, when
// it can do so without splitting the line: a blank line is skipped, a comment
// line recorded and skipped, an indented line added to the body. It reports
// whether it handled the line; a line in column 0 must be split to know
// whether it starts a directive.
func (p *parser) bodyLine(start, end int) bool {
	src := p.f.Src
	i := start
	for i < end && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	switch {
	case i == end:
		return true
	case src[i] == '#':
		p.f.Comments = append(p.f.Comments, Span{i, end})
		return true
	case i > start:
		p.addBodyLine(start, end)
		return true
	}
	return false
}

// addBodyLine appends src[start:end] to the body of the open block.
func (p *parser) addBodyLine(start, end int) {
	open := p.open
	n := len(open.Block.Lines)
	if len(p.lines) == cap(p.lines) {
		// A new chunk, starting with the open block's lines: closed blocks
		// keep the old chunk, so nothing else is copied or kept twice.
		chunk := make([]Span, 0, max(p.slab(512), 2*(n+1)))
		p.lines = append(chunk, open.Block.Lines...)
	}
	p.lines = append(p.lines, Span{start, end})
	open.Block.Lines = p.lines[len(p.lines)-n-1:]
	open.End = end
	if open.Node != nil {
		open.Node.End = end
	}
}

// lex splits src[start:end], one line, into words as Python's shlex does in
// non-POSIX mode with whitespace_split. It returns the words appended to
// toks, the trailing comment if any, and the unterminated quoted word if any
// (always the last word).
func lex(src string, start, end int, toks []Token) ([]Token, *Span, *Token) {
	i := start
	for i < end {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case c == '#':
			return toks, &Span{i, end}, nil
		case c == '"' || c == '\'':
			j := i + 1
			for j < end && src[j] != c {
				j++
			}
			if j == end {
				toks = append(toks, Token{Text: src[i:end], Start: i, End: end, Quote: c, Unterminated: true})
				return toks, nil, &toks[len(toks)-1]
			}
			toks = append(toks, Token{Text: src[i : j+1], Start: i, End: j + 1, Quote: c})
			i = j + 1
		default:
			j := i
			for j < end && src[j] != ' ' && src[j] != '\t' && src[j] != '#' {
				j++
			}
			toks = append(toks, Token{Text: src[i:j], Start: i, End: j})
			i = j
		}
	}
	return toks, nil, nil
}

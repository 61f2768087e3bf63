package resolve

import (
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/datafile"
)

// Datafile extensions besides datafile's .datasource and .pipe.
const (
	ExtConnection = ".connection"
	ExtInclude    = ".incl"
)

// IsDatafile reports whether path names a file the resolver reads as a
// datafile: .datasource, .pipe, .connection or .incl.
func IsDatafile(path string) bool {
	switch filepath.Ext(path) {
	case datafile.ExtDatasource, datafile.ExtPipe, ExtConnection, ExtInclude:
		return true
	}
	return false
}

// Directives whose argument names another resource.
var (
	targetDirectives     = []string{"TARGET_DATASOURCE", "DATASOURCE"}
	connectionDirectives = []string{"KAFKA_CONNECTION_NAME", "IMPORT_CONNECTION_NAME", "EXPORT_CONNECTION_NAME"}
)

// Datafile returns what the datafile f, parsed with datafile.ParseFile from
// path, declares and uses.
func Datafile(path string, f *datafile.File) *File {
	out := &File{Path: path}
	ext := filepath.Ext(path)
	pipe := ""
	switch ext {
	case datafile.ExtDatasource:
		out.Decls = append(out.Decls, Decl{Kind: Datasource, Name: f.Name, ResourceKind: f.Kind, File: path, FromFileName: true})
	case datafile.ExtPipe:
		pipe = f.Name
		out.Decls = append(out.Decls, Decl{Kind: Pipe, Name: f.Name, ResourceKind: f.Kind, File: path, FromFileName: true})
	case ExtConnection:
		out.Decls = append(out.Decls, Decl{Kind: Connection, Name: f.Name, File: path, FromFileName: true})
	case ExtInclude:
		out.Partial = true
		pipe = includePipe(path)
	}

	for _, d := range f.Directives {
		if d.Is("VERSION") && d.Block == nil && len(d.Args) == 1 && d.Node == nil && isDigits(d.Args[0].Value()) {
			for i := range out.Decls {
				out.Decls[i].Version = d.Args[0].Value()
			}
		}
	}

	nodes := map[string]bool{}
	for _, n := range f.Nodes {
		if len(n.Directive.Args) == 0 {
			continue
		}
		a := n.Directive.Args[0]
		if a.Unterminated || a.Value() == "" {
			continue
		}
		nodes[a.Value()] = true
		start, end := valueSpan(a)
		out.Decls = append(out.Decls, Decl{Kind: Node, Name: a.Value(), Pipe: pipe, File: path, Start: start, End: end})
	}

	for _, g := range f.TokenGrants() {
		start, end := g.NameStart, g.NameEnd
		if q := quoteOf(f, start); q != 0 && end-start >= 2 && f.Src[end-1] == q {
			start, end = start+1, end-1
		}
		out.Refs = append(out.Refs, Ref{
			Kind: Token, Name: g.Token, Use: UseGrant, File: path, Start: start, End: end,
			Scope: g.Scope, Resource: g.Resource, ResourceKind: g.Kind,
		})
	}

	for _, d := range f.Directives {
		switch {
		case d.Is("INCLUDE") && d.Block == nil && len(d.Args) > 0 && !d.Args[0].Unterminated:
			out.Includes = append(out.Includes, d.Args[0].Value())
		case d.Block == nil && len(d.Args) > 0 && isAny(d, targetDirectives) && pipe != "" && d.Node != nil:
			a := d.Args[0]
			start, end := valueSpan(a)
			name, fixed := a.Value(), templated(a.Value())
			if len(d.Args) > 1 || a.Unterminated {
				// {{ t }} splits into words: not one constant name.
				end = d.Args[len(d.Args)-1].End
				name = string(f.Src[start:end])
				fixed = "the target " + name + " is not one constant name"
			}
			out.Refs = append(out.Refs, Ref{Kind: Datasource, Name: name, Use: UseTarget, Pipe: pipe, File: path, Start: start, End: end,
				Dotted: strings.Contains(name, "."), Fixed: fixed, Creates: d.Is("DATASOURCE")})
		case d.Block == nil && len(d.Args) == 1 && !d.Args[0].Unterminated && isAny(d, connectionDirectives):
			a := d.Args[0]
			start, end := valueSpan(a)
			out.Refs = append(out.Refs, Ref{Kind: Connection, Name: a.Value(), Use: UseConnection, File: path, Start: start, End: end,
				Fixed: templated(a.Value())})
		case d.Block != nil && d.Is("SQL") && d.Node != nil:
			out.Refs = appendSQLRefs(out.Refs, path, pipe, nodes, blockText(f, d.Block))
		}
	}
	for i := range out.Decls {
		out.Decls[i].Line = lineOf(f, out.Decls[i].Start)
	}
	for i := range out.Refs {
		out.Refs[i].Line = lineOf(f, out.Refs[i].Start)
	}
	return out
}

func lineOf(f *datafile.File, off int) int {
	line, _ := f.Position(off)
	return line + 1
}

// includePipe is the pseudo pipe of the nodes of an .incl file: they join
// the pipes that include the file.
func includePipe(path string) string { return "include:" + filepath.Base(path) }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAny(d *datafile.Directive, kws []string) bool {
	for _, kw := range kws {
		if d.Is(kw) {
			return true
		}
	}
	return false
}

// templated returns why a name holding a template or a variable is not
// constant, "" when it is.
func templated(name string) string {
	if strings.ContainsAny(name, "{}$%") {
		return "the name " + name + " is computed by a template"
	}
	return ""
}

// valueSpan returns the span of a word's value, quotes excluded.
func valueSpan(t datafile.Token) (int, int) {
	if t.Quote != 0 && !t.Unterminated && len(t.Text) >= 2 {
		return t.Start + 1, t.End - 1
	}
	return t.Start, t.End
}

func quoteOf(f *datafile.File, off int) byte {
	if off < len(f.Src) && (f.Src[off] == '"' || f.Src[off] == '\'') {
		return f.Src[off]
	}
	return 0
}

// mappedText is a text assembled from pieces of a source, with the source
// offset of each piece.
type mappedText struct {
	text   string
	starts []int // offset in text where each piece starts
	srcAt  []int // the piece's offset in the source
}

// source returns the source offset of text offset off.
func (m *mappedText) source(off int) int {
	i := len(m.starts) - 1
	for i > 0 && m.starts[i] > off {
		i--
	}
	if i < 0 {
		return off
	}
	return m.srcAt[i] + off - m.starts[i]
}

// blockText returns a block's body as Tinybird reads it, mapped to f.Src.
func blockText(f *datafile.File, b *datafile.Block) *mappedText {
	m := &mappedText{}
	var sb strings.Builder
	for _, l := range b.Lines {
		m.starts = append(m.starts, sb.Len())
		m.srcAt = append(m.srcAt, l.Start)
		sb.Write(f.Src[l.Start:l.End])
		sb.WriteByte('\n')
	}
	m.text = sb.String()
	return m
}

// appendSQLRefs appends the table references of an SQL text of pipe whose
// nodes are nodes: a name of a node is a Node reference.
func appendSQLRefs(refs []Ref, path, pipe string, nodes map[string]bool, m *mappedText) []Ref {
	for _, t := range TableRefs(m.text) {
		if strings.Contains(t.Name, "$") {
			continue // an INCLUDE variable: not a constant name
		}
		r := Ref{Kind: Resource, Name: t.Name, Use: UseTable, Pipe: pipe, File: path,
			Start: m.source(t.Start), End: m.source(t.End), Dotted: t.Dotted}
		if nodes[t.Name] {
			r.Kind = Node
		}
		refs = append(refs, r)
	}
	return refs
}

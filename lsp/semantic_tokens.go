package lsp

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/resolve"
)

// Semantic tokens for datafiles, so that editors without a Tinybird grammar
// (Helix, Zed, Neovim) highlight them: directives, node names, token names
// and scopes, SCHEMA columns and their types, comments, and in SQL bodies
// keywords, strings, numbers, template blocks and the tables and nodes a
// query reads. Go files are gopls's.

// The legend: token types and modifiers, by index.
var (
	semanticTypes     = []string{"keyword", "function", "variable", "enumMember", "type", "class", "property", "string", "number", "comment", "macro"}
	semanticModifiers = []string{"declaration"}
)

// Indexes into semanticTypes.
const (
	stKeyword = iota
	stFunction
	stVariable
	stEnumMember
	stType
	stClass
	stProperty
	stString
	stNumber
	stComment
	stMacro
)

const smDeclaration = 1 << 0

func init() {
	handleRequest(protocol.MethodTextDocumentSemanticTokensFull, (*Server).semanticTokensFull)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		c.SemanticTokensProvider = &protocol.SemanticTokensOptions{
			Legend: protocol.SemanticTokensLegend{TokenTypes: semanticTypes, TokenModifiers: semanticModifiers},
			Full:   protocol.Boolean(true),
		}
	})
}

func (s *Server) semanticTokensFull(ctx context.Context, p *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	d, ok := s.document(p.TextDocument.URI)
	if !ok || d.kind != kindDatafile {
		return nil, nil
	}
	f := datafile.ParseFile(d.checkName(), d.text)
	return &protocol.SemanticTokens{Data: encodeSemanticTokens(datafileTokens(f), d.mapper)}, nil
}

// semToken is a token to highlight: a byte range with its type and
// modifiers.
type semToken struct {
	start, end int
	typ, mods  uint32
}

// datafileTokens returns the tokens of f, ordered and without overlaps.
func datafileTokens(f *datafile.File) []semToken {
	var toks []semToken
	add := func(start, end int, typ, mods uint32) {
		if end > start {
			toks = append(toks, semToken{start, end, typ, mods})
		}
	}
	for _, c := range f.Comments {
		add(c.Start, c.End, stComment, 0)
	}
	nodes := map[string]bool{}
	for _, n := range f.Nodes {
		nodes[n.Name()] = true
	}
	for _, d := range f.Directives {
		if d.Known {
			add(d.Keyword.Start, d.Keyword.End, stKeyword, 0)
		}
		if d.Comment != nil {
			add(d.Comment.Start, d.Comment.End, stComment, 0)
		}
		switch {
		case d.Block != nil && (d.Is("SQL") || d.Is("FORWARD_QUERY")):
			sqlTokens(f, d.Block, nodes, add)
		case d.Block != nil && d.Is("SCHEMA"):
			for _, l := range d.Block.Lines {
				start, end, ok := columnName(f.Src, l)
				if !ok {
					continue
				}
				add(start, end, stProperty, smDeclaration)
				i := end
				for i < l.End && (f.Src[i] == ' ' || f.Src[i] == '\t') {
					i++
				}
				j := i
				for j < l.End && f.Src[j] != ' ' && f.Src[j] != '\t' && f.Src[j] != ',' && f.Src[j] != '`' {
					if f.Src[j] == '(' { // a parameterised type: up to its closing parenthesis
						depth := 0
						for j < l.End {
							if f.Src[j] == '(' {
								depth++
							} else if f.Src[j] == ')' {
								depth--
								if depth == 0 {
									j++
									break
								}
							}
							j++
						}
						break
					}
					j++
				}
				add(i, j, stType, 0)
			}
		case d.Block != nil:
		case d.Is("NODE") && len(d.Args) > 0:
			add(d.Args[0].Start, d.Args[0].End, stFunction, smDeclaration)
		case d.Is("TOKEN") && len(d.Args) == 2:
			add(d.Args[0].Start, d.Args[0].End, stVariable, 0)
			add(d.Args[1].Start, d.Args[1].End, stEnumMember, 0)
		case d.Is("TYPE") && len(d.Args) > 0:
			add(d.Args[0].Start, d.Args[0].End, stType, 0)
		case (d.Is("DATASOURCE") || d.Is("TARGET_DATASOURCE")) && len(d.Args) == 1:
			add(d.Args[0].Start, d.Args[0].End, stClass, 0)
		default:
			for _, a := range d.Args {
				if a.Quote != 0 {
					add(a.Start, a.End, stString, 0)
				}
			}
		}
	}
	slices.SortStableFunc(toks, func(a, b semToken) int { return a.start - b.start })
	out := toks[:0]
	last := -1
	for _, t := range toks {
		if t.start >= last {
			out = append(out, t)
			last = t.end
		}
	}
	return out
}

// sqlTokens adds the tokens of an SQL body: table references (class) and
// node references (function) over plain names.
func sqlTokens(f *datafile.File, b *datafile.Block, nodes map[string]bool, add func(start, end int, typ, mods uint32)) {
	var text []byte
	var starts, srcAt []int
	for _, l := range b.Lines {
		starts = append(starts, len(text))
		srcAt = append(srcAt, l.Start)
		text = append(text, f.Src[l.Start:l.End]...)
		text = append(text, '\n')
	}
	src := func(off int) int {
		i, _ := slices.BinarySearch(starts, off+1)
		i--
		return srcAt[i] + off - starts[i]
	}
	refs := map[int]resolve.TableRef{}
	for _, r := range resolve.TableRefs(string(text)) {
		refs[r.Start] = r
	}
	for _, t := range resolve.SQLTokens(string(text)) {
		if r, ok := refs[t.Start]; ok && !r.Dotted {
			typ := uint32(stClass)
			if nodes[r.Name] {
				typ = stFunction
			}
			add(src(r.Start), src(r.End-1)+1, typ, 0)
			continue
		}
		var typ uint32
		switch t.Kind {
		case resolve.SQLKeyword:
			typ = stKeyword
		case resolve.SQLString:
			typ = stString
		case resolve.SQLNumber:
			typ = stNumber
		case resolve.SQLTemplate:
			typ = stMacro
		case resolve.SQLComment:
			typ = stComment
		default:
			continue
		}
		// A token may run over several body lines (a template, a
		// comment): one token per line.
		for start := t.Start; start < t.End; {
			end := start
			for end < t.End && text[end] != '\n' {
				end++
			}
			add(src(start), src(start)+end-start, typ, 0)
			start = end + 1
		}
	}
}

// encodeSemanticTokens encodes tokens (ordered, not overlapping, each on
// one line) as LSP's relative integers, in the mapper's encoding.
func encodeSemanticTokens(toks []semToken, m *Mapper) []uint32 {
	data := make([]uint32, 0, 5*len(toks))
	var prevLine, prevChar uint32
	for _, t := range toks {
		start, err := m.OffsetPosition(t.start)
		if err != nil {
			continue
		}
		end, err := m.OffsetPosition(t.end)
		if err != nil || end.Line != start.Line || end.Character <= start.Character {
			continue
		}
		dl := start.Line - prevLine
		dc := start.Character
		if dl == 0 {
			dc -= prevChar
		}
		data = append(data, dl, dc, end.Character-start.Character, t.typ, t.mods)
		prevLine, prevChar = start.Line, start.Character
	}
	return data
}

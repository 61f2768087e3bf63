package lsp

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/datafile"
	"github.com/tbls-dev/tbls/resolve"
)

// Document symbols of a datafile (its nodes, the columns of its SCHEMA, its
// TOKEN grants, the resources it targets) and workspace symbols (every
// datasource, pipe, node, connection and token of the workspace, Go and
// datafiles).

func init() {
	handleRequest(protocol.MethodTextDocumentDocumentSymbol, (*Server).documentSymbol)
	handleRequest(protocol.MethodWorkspaceSymbol, (*Server).workspaceSymbol)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		c.DocumentSymbolProvider = protocol.Boolean(true)
		c.WorkspaceSymbolProvider = protocol.Boolean(true)
	})
}

func (s *Server) documentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	d, ok := s.document(p.TextDocument.URI)
	if !ok || d.kind != kindDatafile {
		return nil, nil
	}
	return protocol.DocumentSymbolSlice(datafileSymbols(datafile.ParseFile(d.checkName(), d.text), d.mapper)), nil
}

// datafileSymbols returns the symbols of f: NODE sections (holding their
// directives' symbols), SCHEMA columns, TOKEN grants, and target lines.
func datafileSymbols(f *datafile.File, m *Mapper) []protocol.DocumentSymbol {
	sym := func(name, detail string, kind protocol.SymbolKind, start, end, selStart, selEnd int) (protocol.DocumentSymbol, bool) {
		rng, err := m.OffsetRange(start, end)
		if err != nil {
			return protocol.DocumentSymbol{}, false
		}
		sel, err := m.OffsetRange(selStart, selEnd)
		if err != nil {
			return protocol.DocumentSymbol{}, false
		}
		ds := protocol.DocumentSymbol{Name: name, Kind: kind, Range: rng, SelectionRange: sel}
		if detail != "" {
			ds.Detail = &detail
		}
		return ds, true
	}
	// directiveSymbols returns the symbols of one directive.
	directiveSymbols := func(d *datafile.Directive) []protocol.DocumentSymbol {
		var out []protocol.DocumentSymbol
		switch {
		case d.Is("SCHEMA") && d.Block != nil:
			for _, l := range d.Block.Lines {
				start, end, ok := columnName(f.Src, l)
				if !ok {
					continue
				}
				name := strings.Trim(string(f.Src[start:end]), "`\"")
				detail := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(f.Src[end:l.End])), ","))
				if s, ok := sym(name, detail, protocol.SymbolKindField, l.Start, l.End, start, end); ok {
					out = append(out, s)
				}
			}
		case d.Is("TOKEN") && d.Block == nil && len(d.Args) == 2:
			if s, ok := sym(d.Args[0].Value(), d.Args[1].Value(), protocol.SymbolKindKey, d.Start, d.HeaderEnd, d.Args[0].Start, d.Args[0].End); ok {
				out = append(out, s)
			}
		case (d.Is("DATASOURCE") || d.Is("TARGET_DATASOURCE")) && d.Block == nil && len(d.Args) == 1:
			if s, ok := sym(d.Args[0].Value(), strings.ToUpper(d.Keyword.Text), protocol.SymbolKindClass, d.Start, d.HeaderEnd, d.Args[0].Start, d.Args[0].End); ok {
				out = append(out, s)
			}
		}
		return out
	}
	var out []protocol.DocumentSymbol
	for _, d := range f.Directives {
		if d.Node == nil {
			out = append(out, directiveSymbols(d)...)
		}
	}
	for _, n := range f.Nodes {
		d := n.Directive
		if len(d.Args) == 0 {
			continue
		}
		detail := ""
		var children []protocol.DocumentSymbol
		for _, nd := range n.Directives {
			children = append(children, directiveSymbols(nd)...)
			if nd.Is("TYPE") && nd.Block == nil && len(nd.Args) > 0 {
				detail = strings.ToLower(nd.Args[0].Value())
			}
		}
		s, ok := sym(n.Name(), detail, protocol.SymbolKindFunction, n.Start, max(n.End, d.HeaderEnd), d.Args[0].Start, d.Args[0].End)
		if !ok {
			continue
		}
		s.Children = children
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b protocol.DocumentSymbol) int {
		if a.Range.Start.Line != b.Range.Start.Line {
			return int(a.Range.Start.Line) - int(b.Range.Start.Line)
		}
		return int(a.Range.Start.Character) - int(b.Range.Start.Character)
	})
	return out
}

// columnName returns the extent of the column name of a SCHEMA body line:
// its first word, backquoted or not.
func columnName(src []byte, l datafile.Span) (int, int, bool) {
	i := l.Start
	for i < l.End && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i == l.End {
		return 0, 0, false
	}
	if src[i] == '`' || src[i] == '"' {
		q := src[i]
		for j := i + 1; j < l.End; j++ {
			if src[j] == q {
				return i, j + 1, j > i+1
			}
		}
		return 0, 0, false
	}
	j := i
	for j < l.End && src[j] != ' ' && src[j] != '\t' && src[j] != ',' {
		j++
	}
	return i, j, j > i
}

// symbolKinds are the LSP kinds of the resolver's kinds.
var symbolKinds = map[resolve.Kind]protocol.SymbolKind{
	resolve.Token:      protocol.SymbolKindKey,
	resolve.Datasource: protocol.SymbolKindClass,
	resolve.Pipe:       protocol.SymbolKindInterface,
	resolve.Node:       protocol.SymbolKindFunction,
	resolve.Connection: protocol.SymbolKindModule,
}

func (s *Server) workspaceSymbol(ctx context.Context, p *protocol.WorkspaceSymbolParams) (protocol.WorkspaceSymbolResult, error) {
	w := s.resolver().workspace(ctx)
	query := strings.ToLower(p.Query)
	var out protocol.SymbolInformationSlice
	add := func(name, container string, kind resolve.Kind, loc protocol.Location) {
		si := protocol.SymbolInformation{}
		si.Name, si.Kind, si.Location = name, symbolKinds[kind], loc
		if container != "" {
			si.ContainerName = &container
		}
		out = append(out, si)
	}
	tokens := map[string]bool{}
	for _, f := range w.project.Files() {
		for _, d := range f.Decls {
			if !fuzzyMatch(query, d.Name) {
				continue
			}
			if d.Kind == resolve.Token {
				tokens[d.Name] = true
			}
			container := strings.TrimPrefix(d.Pipe, "include:")
			if d.FromFileName {
				add(d.Name, filepath.Base(filepath.Dir(d.File)), d.Kind, protocol.Location{URI: uri.File(d.File)})
				continue
			}
			if loc, ok := w.location(d.File, d.Start, d.End); ok {
				add(d.Name, container, d.Kind, loc)
			}
		}
	}
	// Tokens granted only in datafiles: their first grant stands for them.
	for _, f := range w.project.Files() {
		for _, r := range f.Refs {
			if r.Kind != resolve.Token || r.Use != resolve.UseGrant || r.Typed || tokens[r.Name] || !fuzzyMatch(query, r.Name) {
				continue
			}
			tokens[r.Name] = true
			if loc, ok := w.location(r.File, r.Start, r.End); ok {
				add(r.Name, "token", resolve.Token, loc)
			}
		}
	}
	return out, nil
}

// fuzzyMatch reports whether the letters of query (lower case) appear in
// name in order, as editors' symbol pickers match.
func fuzzyMatch(query, name string) bool {
	name = strings.ToLower(name)
	i := 0
	for j := 0; i < len(query) && j < len(name); j++ {
		if query[i] == name[j] {
			i++
		}
	}
	return i == len(query)
}

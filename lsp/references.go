package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// Find references of a token, datasource, pipe, node or connection across
// Go and datafiles: grants (TOKEN lines, TokenAccess), typed uses of the Go
// variables holding it, DATASOURCE/TARGET_DATASOURCE lines, connection
// settings and table references in node SQL; with the declarations when the
// client asks for them (a resource declared by its file name is listed at
// the start of its file).

func init() {
	handleRequest(protocol.MethodTextDocumentReferences, (*Server).references)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		c.ReferencesProvider = protocol.Boolean(true)
	})
}

func (s *Server) references(ctx context.Context, p *protocol.ReferenceParams) ([]protocol.Location, error) {
	w, _, _, t, ok := s.nameAt(ctx, p.TextDocument.URI, p.Position)
	if !ok {
		return nil, nil
	}
	refs := w.project.Refs(t)
	locs := make([]protocol.Location, 0, len(refs)+1)
	if p.Context.IncludeDeclaration {
		locs = append(locs, w.declLocations(t)...)
	}
	// A shared Tokens list grants once per resource, at one place: list
	// each place once.
	type at struct {
		file  string
		start int
	}
	seen := make(map[at]bool, len(refs))
	for _, r := range refs {
		if seen[at{r.File, r.Start}] {
			continue
		}
		seen[at{r.File, r.Start}] = true
		if loc, ok := w.location(r.File, r.Start, r.End); ok {
			locs = append(locs, loc)
		}
	}
	return locs, nil
}

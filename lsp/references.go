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
	var locs []protocol.Location
	if p.Context.IncludeDeclaration {
		locs = w.declLocations(t)
	}
	seen := map[protocol.Location]bool{}
	for _, l := range locs {
		seen[l] = true
	}
	for _, r := range w.project.Refs(t) {
		loc, ok := w.location(r.File, r.Start, r.End)
		if ok && !seen[loc] { // a shared Tokens list grants once per resource, at one place
			seen[loc] = true
			locs = append(locs, loc)
		}
	}
	return locs, nil
}

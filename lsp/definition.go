package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/resolve"
)

// Go to definition from any use of a project name to where it is
// declared: a FROM events in node SQL (a .pipe or a Go string) jumps to
// DefineDatasource("events", …) or to events.datasource; a TARGET_DATASOURCE
// line, a grant, a typed target (Datasource: Events) likewise; a node name
// to its NODE line or Node{Name: …}. A token granted only in datafiles has
// no declaration: its grants are its definitions, as Tinybird creates it
// from them.

func init() {
	handleRequest(protocol.MethodTextDocumentDefinition, (*Server).definition)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		c.DefinitionProvider = protocol.Boolean(true)
	})
}

// nameAt returns the workspace and the name at a position of an open
// document.
func (s *Server) nameAt(ctx context.Context, u uri.URI, pos protocol.Position) (*workspace, *document, int, resolve.Target, bool) {
	d, ok := s.document(u)
	if !ok || d.path == "" {
		return nil, nil, 0, resolve.Target{}, false
	}
	w := s.resolver().workspace(ctx)
	off, ok := w.offset(d, pos)
	if !ok {
		return nil, nil, 0, resolve.Target{}, false
	}
	t, ok := w.project.At(d.path, off)
	return w, d, off, t, ok
}

func (s *Server) definition(ctx context.Context, p *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	w, _, _, t, ok := s.nameAt(ctx, p.TextDocument.URI, p.Position)
	if !ok {
		return nil, nil
	}
	locs := w.declLocations(t)
	if len(locs) == 0 && t.Kind == resolve.Token {
		for _, r := range w.project.Refs(t) {
			if r.Use == resolve.UseGrant && !r.Typed {
				if loc, ok := w.location(r.File, r.Start, r.End); ok {
					locs = append(locs, loc)
				}
			}
		}
	}
	if len(locs) == 0 {
		return nil, nil
	}
	return protocol.LocationSlice(locs), nil
}

// declLocations returns where t is declared; a resource declared by its
// file name is at the start of its file.
func (w *workspace) declLocations(t resolve.Target) []protocol.Location {
	var locs []protocol.Location
	for _, d := range w.project.Decls(t) {
		if d.FromFileName {
			locs = append(locs, protocol.Location{URI: uri.File(d.File)})
			continue
		}
		if loc, ok := w.location(d.File, d.Start, d.End); ok {
			locs = append(locs, loc)
		}
	}
	return locs
}

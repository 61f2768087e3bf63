package lsp

import (
	"context"

	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/rules"
)

// The unknown-reference check (TB710) on open documents: SQL table
// references and targets, in datafiles and in constant Go SQL, that
// resolve to nothing in the workspace, with the nearest defined name as a
// fix. Its findings join the datafile checker's and the analyzers'.

// SourceReferences is the source of TB710 diagnostics.
const SourceReferences = "references"

// referenceFindings returns the TB710 findings of the file path, whose
// text is text; none when the workspace holds another text of it.
func (s *Server) referenceFindings(ctx context.Context, path string, text []byte) []finding {
	if path == "" {
		return nil
	}
	w := s.resolver().workspace(ctx)
	if s.resolver().namesChanged(w) {
		s.rediagnoseDatafiles(path)
	}
	if !w.complete {
		return nil
	}
	if t, ok := w.text(path); !ok || string(t) != string(text) {
		return nil
	}
	var fs []finding
	for _, u := range w.project.Unknowns() {
		if u.Ref.File != path {
			continue
		}
		f := finding{start: u.Ref.Start, end: u.Ref.End, code: rules.TB710, source: SourceReferences, message: u.Message()}
		if u.Nearest != "" {
			f.fixes = append(f.fixes, findingFix{message: rules.UnknownReferenceFix(u.Nearest),
				edits: []fileEdit{{start: u.Ref.Start, end: u.Ref.End, newText: u.Nearest}}})
		}
		fs = append(fs, f)
	}
	return fs
}

// rediagnoseDatafiles schedules a run for every open datafile but except:
// a datasource or pipe appeared or went away, which may make their
// references known or unknown.
func (s *Server) rediagnoseDatafiles(except string) {
	var us []uri.URI
	s.mu.Lock()
	for _, d := range s.docs {
		if d.kind == kindDatafile && d.path != except {
			us = append(us, d.uri)
		}
	}
	s.mu.Unlock()
	for _, u := range us {
		s.diags.schedule("datafile:"+string(u), func(ctx context.Context) { s.diagnoseDatafile(ctx, u) })
	}
}

package lsp

import (
	"context"

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

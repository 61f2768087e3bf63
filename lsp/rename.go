package lsp

import (
	"context"
	"errors"
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/resolve"
)

// Rename a token, datasource, pipe, node or connection across Go string
// literals, datafile lines, SQL references and file names: a datasource or
// pipe declared by its datafile is renamed with a RenameFile, after the
// text edits. prepareRename refuses, with the reason, where the name is not
// constant (a template, a computed Go value), belongs to another workspace,
// or is a Go variable (gopls renames those); rename refuses an invalid or
// taken name, and a rename that needs a file rename the client cannot do.

func init() {
	handleRequest(protocol.MethodTextDocumentPrepareRename, (*Server).prepareRename)
	handleRequest(protocol.MethodTextDocumentRename, (*Server).rename)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		prepare := true
		c.RenameProvider = &protocol.RenameOptions{PrepareProvider: &prepare}
	})
}

// renameRefused is the error answering a rename that cannot be done: the
// client shows its message.
func renameRefused(err error) error {
	var re *resolve.RenameError
	if errors.As(err, &re) {
		return jsonrpc2.NewError(jsonrpc2.Code(protocol.LSPErrorCodesRequestFailed), re.Reason)
	}
	return err
}

func (s *Server) prepareRename(ctx context.Context, p *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	d, ok := s.document(p.TextDocument.URI)
	if !ok || d.path == "" {
		return nil, nil
	}
	w := s.resolver().workspace(ctx)
	off, ok := w.offset(d, p.Position)
	if !ok {
		return nil, nil
	}
	if _, ok := w.project.At(d.path, off); !ok {
		return nil, nil // nothing of ours: another server may rename it
	}
	_, start, end, err := w.project.PrepareRename(d.path, off)
	if err != nil {
		return nil, renameRefused(err)
	}
	rng, err := d.mapper.OffsetRange(start, end)
	if err != nil {
		return nil, nil
	}
	return &rng, nil
}

func (s *Server) rename(ctx context.Context, p *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	d, ok := s.document(p.TextDocument.URI)
	if !ok || d.path == "" {
		return nil, nil
	}
	w := s.resolver().workspace(ctx)
	off, ok := w.offset(d, p.Position)
	if !ok {
		return nil, nil
	}
	t, _, _, err := w.project.PrepareRename(d.path, off)
	if err != nil {
		if _, found := w.project.At(d.path, off); !found {
			return nil, nil
		}
		return nil, renameRefused(err)
	}
	r, err := w.project.Rename(t, p.NewName)
	if err != nil {
		return nil, renameRefused(err)
	}
	return s.renameEdit(w, r)
}

// renameEdit converts a renaming: text edits per file (versioned for
// open documents), then file renames.
func (s *Server) renameEdit(w *workspace, r *resolve.Renaming) (*protocol.WorkspaceEdit, error) {
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	docChanges, renames := false, false
	if ws := caps.Workspace; ws != nil && ws.WorkspaceEdit != nil {
		docChanges = ws.WorkspaceEdit.DocumentChanges != nil && *ws.WorkspaceEdit.DocumentChanges
		renames = slices.Contains(ws.WorkspaceEdit.ResourceOperations, protocol.ResourceOperationKindRename)
	}
	if len(r.Renames) > 0 && !(docChanges && renames) {
		return nil, renameRefused(&resolve.RenameError{Reason: "this rename renames " + r.Renames[0].Old + ", and the editor cannot rename files through the language server (workspaceEdit.resourceOperations lacks rename)"})
	}

	byFile := map[string][]protocol.TextEdit{}
	var order []string
	for _, e := range r.Edits {
		if d, ok := s.documentByPath(e.File); ok {
			if t, ok := w.text(e.File); !ok || string(t) != string(d.text) {
				// The edit was computed on another text than the editor's.
				return nil, renameRefused(&resolve.RenameError{Reason: e.File + " is being re-read after an edit; rename again"})
			}
		}
		m, ok := w.mapper(e.File)
		if !ok {
			return nil, renameRefused(&resolve.RenameError{Reason: "cannot read " + e.File})
		}
		rng, err := m.OffsetRange(e.Start, e.End)
		if err != nil {
			return nil, renameRefused(&resolve.RenameError{Reason: "a position in " + e.File + " is out of its text: " + err.Error()})
		}
		if _, ok := byFile[e.File]; !ok {
			order = append(order, e.File)
		}
		byFile[e.File] = append(byFile[e.File], protocol.TextEdit{Range: rng, NewText: e.NewText})
	}
	edit := &protocol.WorkspaceEdit{}
	if !docChanges {
		edit.Changes = map[uri.URI][]protocol.TextEdit{}
		for _, f := range order {
			edit.Changes[uri.File(f)] = byFile[f]
		}
		return edit, nil
	}
	for _, f := range order {
		tde := &protocol.TextDocumentEdit{}
		tde.TextDocument.URI = uri.File(f)
		if d, ok := s.documentByPath(f); ok {
			v := d.version
			tde.TextDocument.Version = &v
		}
		for i := range byFile[f] {
			tde.Edits = append(tde.Edits, &byFile[f][i])
		}
		edit.DocumentChanges = append(edit.DocumentChanges, tde)
	}
	for _, fr := range r.Renames {
		edit.DocumentChanges = append(edit.DocumentChanges, &protocol.RenameFile{Kind: "rename", OldURI: uri.File(fr.Old), NewURI: uri.File(fr.New)})
	}
	if len(r.Renames) > 0 {
		s.resolver().expectDiskChanges()
	}
	return edit, nil
}

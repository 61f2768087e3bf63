package lsp

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/tbls-dev/tbls/rules"
)

// Code actions. Every fix the analyzers (or the datafile checker) suggest
// for a diagnostic becomes a quickfix attached to that diagnostic, preferred
// when it is the diagnostic's only fix. Go diagnostics also get "Suppress
// TBxxx here", which inserts a //tbvet:ignore directive above the
// diagnostic's line. Datafiles have no suppression syntax (Tinybird's CLI
// would read a directive as a comment, but nothing in tbls honours one), so
// they get fixes only.
//
// The actions are built from the diagnostics last published for the
// document, whose fixes the publisher already mapped to positions, and only
// when those were published for the document's current version: fixes
// computed for an older text would edit the wrong bytes. Nothing here writes
// a file; the client applies the WorkspaceEdit.

func init() {
	handleRequest(protocol.MethodTextDocumentCodeAction, (*Server).codeAction)
	addCapabilities(func(s *Server, c *protocol.ServerCapabilities) {
		c.CodeActionProvider = &protocol.CodeActionOptions{
			CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix},
		}
	})
}

// reasonPlaceholder is the reason a suppression is inserted with, for the
// user to replace: a directive must say why (TB001).
const reasonPlaceholder = "<reason>"

func (s *Server) codeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	if !kindAllowed(protocol.CodeActionKindQuickFix, p.Context.Only) {
		return nil, nil
	}
	d, ok := s.document(p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	version, published := s.publishedDiagnostics(d.uri)
	if version != d.version {
		return nil, nil
	}
	var out []protocol.CommandOrCodeAction
	for _, pd := range published {
		if !requested(pd, p) {
			continue
		}
		for _, fx := range pd.Fixes {
			kind := protocol.CodeActionKindQuickFix
			preferred := len(pd.Fixes) == 1
			out = append(out, &protocol.CodeAction{
				Title:       fx.Message,
				Kind:        &kind,
				Diagnostics: []protocol.Diagnostic{pd.Diagnostic},
				IsPreferred: &preferred,
				Edit:        s.workspaceEdit(fx.Edits),
			})
		}
		if d.kind == kindGo {
			if a := s.suppressAction(d, pd); a != nil {
				out = append(out, a)
			}
		}
	}
	return out, nil
}

// kindAllowed reports whether an action of kind passes the request's only
// filter: no filter, or kind is one of its kinds or a sub-kind of one
// ("quickfix" passes "quickfix"; "quickfix.x" would pass it too).
func kindAllowed(kind protocol.CodeActionKind, only []protocol.CodeActionKind) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if kind == o || strings.HasPrefix(string(kind), string(o)+".") {
			return true
		}
	}
	return false
}

// requested reports whether the request asks for actions on pd: pd is one
// of the diagnostics of its context (as the client echoes them back), or,
// when the client sends none, overlaps its range.
func requested(pd publishedDiagnostic, p *protocol.CodeActionParams) bool {
	if len(p.Context.Diagnostics) == 0 {
		return overlaps(pd.Range, p.Range)
	}
	for _, cd := range p.Context.Diagnostics {
		if cd.Range == pd.Range && codeString(cd.Code) == string(pd.Code) && messageString(cd.Message) == messageString(pd.Message) {
			return true
		}
	}
	return false
}

// overlaps reports whether two ranges share a position; an empty range (a
// cursor) overlaps the ranges that contain it, ends included.
func overlaps(a, b protocol.Range) bool {
	return !before(a.End, b.Start) && !before(b.End, a.Start)
}

func before(x, y protocol.Position) bool {
	return x.Line < y.Line || x.Line == y.Line && x.Character < y.Character
}

func codeString(c protocol.ProgressToken) string {
	if s, ok := c.(protocol.String); ok {
		return string(s)
	}
	return ""
}

func messageString(m protocol.InlayHintTooltip) string {
	switch m := m.(type) {
	case protocol.String:
		return string(m)
	case *protocol.MarkupContent:
		return m.Value
	}
	return ""
}

// suppressAction returns "Suppress TBxxx here" for a Go diagnostic, or nil
// for one that cannot be suppressed (TB001 is about directives themselves).
// The directive goes on a line of its own above the diagnostic's first line,
// with that line's indentation; when the line above already is a
// //tbvet:ignore directive, the code joins its list instead, since a second
// directive between them would leave the first silencing nothing.
func (s *Server) suppressAction(d *document, pd publishedDiagnostic) protocol.CommandOrCodeAction {
	if _, known := rules.Lookup(pd.Code); !known || pd.Code == rules.TB001 {
		return nil
	}
	edit, ok := suppressEdit(d.text, d.mapper, pd.Range.Start.Line, pd.Code)
	if !ok {
		return nil
	}
	kind := protocol.CodeActionKindQuickFix
	return &protocol.CodeAction{
		Title:       "Suppress " + string(pd.Code) + " here",
		Kind:        &kind,
		Diagnostics: []protocol.Diagnostic{pd.Diagnostic},
		Edit:        s.workspaceEdit(map[uri.URI][]protocol.TextEdit{d.uri: {edit}}),
	}
}

// suppressEdit returns the edit that suppresses code on line of text.
func suppressEdit(text []byte, m *Mapper, line uint32, code rules.Code) (protocol.TextEdit, bool) {
	start, err := m.PositionOffset(protocol.Position{Line: line})
	if err != nil {
		return protocol.TextEdit{}, false
	}
	indentEnd := start
	for indentEnd < len(text) && (text[indentEnd] == ' ' || text[indentEnd] == '\t') {
		indentEnd++
	}
	if line > 0 {
		prevStart, err := m.PositionOffset(protocol.Position{Line: line - 1})
		if err == nil {
			prev := text[prevStart:start]
			trimmed := bytes.TrimLeft(prev, " \t")
			if rest, ok := bytes.CutPrefix(trimmed, []byte("//tbvet:ignore")); ok && len(rest) > 0 && (rest[0] == ' ' || rest[0] == '\t') {
				codesStart := prevStart + (len(prev) - len(trimmed)) + len("//tbvet:ignore")
				for codesStart < start && (text[codesStart] == ' ' || text[codesStart] == '\t') {
					codesStart++
				}
				codesEnd := codesStart
				for codesEnd < start && !isBlankByte(text[codesEnd]) {
					codesEnd++
				}
				codes := strings.Split(string(text[codesStart:codesEnd]), ",")
				if codesEnd > codesStart && !slices.Contains(codes, string(code)) {
					pos, err := m.OffsetPosition(codesEnd)
					if err != nil {
						return protocol.TextEdit{}, false
					}
					return protocol.TextEdit{Range: protocol.Range{Start: pos, End: pos}, NewText: "," + string(code)}, true
				}
			}
		}
	}
	pos, err := m.OffsetPosition(start)
	if err != nil {
		return protocol.TextEdit{}, false
	}
	indent := string(text[start:indentEnd])
	return protocol.TextEdit{
		Range:   protocol.Range{Start: pos, End: pos},
		NewText: indent + "//tbvet:ignore " + string(code) + " " + reasonPlaceholder + "\n",
	}, true
}

// workspaceEdit builds the edit of a fix: versioned documentChanges when the
// client supports them, so that it refuses to apply the edit to a document
// that changed since, else changes.
func (s *Server) workspaceEdit(edits map[uri.URI][]protocol.TextEdit) *protocol.WorkspaceEdit {
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	if caps.Workspace == nil || caps.Workspace.WorkspaceEdit == nil || caps.Workspace.WorkspaceEdit.DocumentChanges == nil || !*caps.Workspace.WorkspaceEdit.DocumentChanges {
		return &protocol.WorkspaceEdit{Changes: edits}
	}
	uris := make([]uri.URI, 0, len(edits))
	for u := range edits {
		uris = append(uris, u)
	}
	slices.Sort(uris)
	we := &protocol.WorkspaceEdit{}
	for _, u := range uris {
		tde := &protocol.TextDocumentEdit{}
		tde.TextDocument.URI = u
		if d, ok := s.document(u); ok {
			v := d.version
			tde.TextDocument.Version = &v
		} // else null: the file as it is on disk
		for _, e := range edits[u] {
			tde.Edits = append(tde.Edits, &protocol.TextEdit{Range: e.Range, NewText: e.NewText})
		}
		we.DocumentChanges = append(we.DocumentChanges, tde)
	}
	return we
}

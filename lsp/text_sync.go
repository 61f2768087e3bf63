package lsp

import (
	"context"
	"fmt"
	"github.com/tbls-dev/tbls/datafile"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func init() {
	handleNotification(protocol.MethodTextDocumentDidOpen, (*Server).didOpen)
	handleNotification(protocol.MethodTextDocumentDidChange, (*Server).didChange)
	handleNotification(protocol.MethodTextDocumentDidClose, (*Server).didClose)
	handleNotification(protocol.MethodTextDocumentDidSave, (*Server).didSave)
}

// docKind is what tbls does with a document.
type docKind int

const (
	kindOther    docKind = iota // kept for features, not diagnosed
	kindGo                      // a Go file: the analyzers run on its package
	kindDatafile                // a .datasource or .pipe file: the datafile checker runs on it
)

// document is one version of an open document. It is immutable: an edit
// replaces the map entry with a new document, so a handler holding one sees
// a consistent text, version and mapper.
type document struct {
	uri     uri.URI
	path    string // absolute file name; "" when the URI is not a file
	lang    string
	kind    docKind
	version int32
	text    []byte
	mapper  *Mapper
	// opened numbers the didOpen that opened the document, server-wide:
	// versions compare only within one opening.
	opened uint64
	// outOfSync is set when an edit could not be applied: text is no
	// longer the client's, so nothing is published for the document
	// until a whole-document change or a reopening replaces it.
	outOfSync bool
}

// checkName is the file name the datafile checker is given: it decides the
// resource kind and name. An untitled datafile takes its kind from the
// language id.
func (d *document) checkName() string {
	if d.path != "" && datafileExt(d.path) {
		return d.path
	}
	base := "untitled"
	if d.path != "" {
		base = strings.TrimSuffix(filepath.Base(d.path), filepath.Ext(d.path))
	}
	if strings.Contains(d.lang, "pipe") {
		return base + ".pipe"
	}
	return base + ".datasource"
}

// datafileExt reports whether path is a datafile by its extension
// (.datasource, .pipe, .incl, .connection).
func datafileExt(path string) bool {
	return datafile.FileKindOf(path) != 0
}

// datafileLanguages are the language ids editors give Tinybird datafiles.
var datafileLanguages = map[string]bool{
	"tinybird": true, "tinybird-datasource": true, "tinybird-pipe": true,
	"datasource": true, "pipe": true,
}

func kindOf(path, lang string) docKind {
	switch {
	case strings.HasSuffix(path, ".go") || (path == "" && lang == "go"):
		return kindGo
	case datafileExt(path) || datafileLanguages[lang]:
		return kindDatafile
	}
	return kindOther
}

// document returns the current version of the open document u.
func (s *Server) document(u uri.URI) (*document, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.docs[u]
	return d, ok
}

// documentByPath returns the open document whose file is path.
func (s *Server) documentByPath(path string) (*document, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.docs {
		if d.path == path {
			return d, true
		}
	}
	return nil, false
}

func (s *Server) didOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	item := p.TextDocument
	path, _ := folderPath(item.URI)
	if path != "" {
		path = filepath.Clean(path)
	}
	text := []byte(item.Text)
	d := &document{
		uri:     item.URI,
		path:    path,
		lang:    string(item.LanguageID),
		kind:    kindOf(path, string(item.LanguageID)),
		version: item.Version,
		text:    text,
		mapper:  NewMapper(text, s.encoding()),
	}
	s.mu.Lock()
	s.opens++
	d.opened = s.opens
	s.docs[item.URI] = d
	s.mu.Unlock()
	s.documentChanged(d, false)
	return nil
}

func (s *Server) didChange(ctx context.Context, p *protocol.DidChangeTextDocumentParams) error {
	u := p.TextDocument.URI
	old, ok := s.document(u)
	if !ok {
		return fmt.Errorf("didChange of %s, which is not open: the client must send didOpen first", u)
	}
	if p.TextDocument.Version <= old.version {
		s.log.Warn("didChange does not increase the version; applying it anyway", "uri", u, "version", p.TextDocument.Version, "current", old.version)
	}
	text, mapper := old.text, old.mapper
	outOfSync := old.outOfSync
	for i, ch := range p.ContentChanges {
		switch c := ch.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			text = []byte(c.Text)
			outOfSync = false
		case *protocol.TextDocumentContentChangePartial:
			if outOfSync {
				continue // an edit of a text we do not have
			}
			start, end, err := mapper.RangeOffsets(c.Range)
			if err != nil {
				s.desynchronized(old, p.TextDocument.Version, fmt.Errorf("change %d: %w", i, err))
				return nil
			}
			next := make([]byte, 0, len(text)-(end-start)+len(c.Text))
			next = append(next, text[:start]...)
			next = append(next, c.Text...)
			next = append(next, text[end:]...)
			text = next
		default:
			return fmt.Errorf("didChange of %s: change %d has no text", u, i)
		}
		if i < len(p.ContentChanges)-1 {
			mapper = NewMapper(text, mapper.Encoding())
		}
	}
	d := *old
	d.version = p.TextDocument.Version
	d.text = text
	d.mapper = NewMapper(text, old.mapper.Encoding())
	d.outOfSync = outOfSync
	s.mu.Lock()
	s.docs[u] = &d
	s.mu.Unlock()
	if !outOfSync {
		s.documentChanged(&d, false)
	}
	return nil
}

// desynchronized records that an edit of old could not be applied: the
// server no longer knows the client's text. The document is marked out of
// sync, so that no diagnostics of a stale text are published for it, its
// diagnostics are cleared, and the user is told how to recover.
func (s *Server) desynchronized(old *document, version int32, err error) {
	d := *old
	d.version = version
	d.outOfSync = true
	s.mu.Lock()
	if s.docs[d.uri] != old {
		s.mu.Unlock()
		return
	}
	s.docs[d.uri] = &d
	s.mu.Unlock()
	name := d.path
	if name == "" {
		name = string(d.uri)
	}
	msg := fmt.Sprintf("tbls: an edit of %s (version %d) could not be applied (%v); its diagnostics are off until the file is closed and reopened", name, version, err)
	s.log.Warn("document out of sync", "uri", d.uri, "version", version, "err", err)
	s.clearLater(&d)
	s.diags.wg.Add(1)
	go func() {
		defer s.diags.wg.Done()
		if err := s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: msg}); err != nil {
			s.log.Debug("showing a message", "err", err)
		}
	}()
}

func (s *Server) didClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	u := p.TextDocument.URI
	s.mu.Lock()
	d, ok := s.docs[u]
	delete(s.docs, u)
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("didClose of %s, which is not open", u)
	}
	s.documentChanged(d, true)
	return nil
}

func (s *Server) didSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	// The open buffer is authoritative while it is open; saving only
	// matters to files that depend on this one on disk, which the watched
	// files notification reports.
	return nil
}

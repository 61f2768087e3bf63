package lsp

import (
	"context"
	"fmt"
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

func datafileExt(path string) bool {
	ext := filepath.Ext(path)
	return ext == ".datasource" || ext == ".pipe"
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
	for i, ch := range p.ContentChanges {
		switch c := ch.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			text = []byte(c.Text)
		case *protocol.TextDocumentContentChangePartial:
			start, end, err := mapper.RangeOffsets(c.Range)
			if err != nil {
				return fmt.Errorf("didChange of %s version %d, change %d: %w; the document is now out of sync, reopen it", u, p.TextDocument.Version, i, err)
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
	s.mu.Lock()
	s.docs[u] = &d
	s.mu.Unlock()
	s.documentChanged(&d, false)
	return nil
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

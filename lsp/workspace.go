package lsp

import (
	"context"
	"path/filepath"

	"go.lsp.dev/protocol"

	"github.com/tbls-dev/tbls/checkconfig"
)

func init() {
	handleNotification(protocol.MethodWorkspaceDidChangeWorkspaceFolders, (*Server).didChangeWorkspaceFolders)
	handleNotification(protocol.MethodWorkspaceDidChangeWatchedFiles, (*Server).didChangeWatchedFiles)
}

// watchedGlobs are the files whose changes on disk matter: module and
// workspace definitions (they change what packages exist), Go files of
// packages that are not open, datafiles (for the access map), and the
// tbls.conf files that say which checks are shown.
var watchedGlobs = []string{"**/go.mod", "**/go.work", "**/*.go", "**/*.datasource", "**/*.pipe", "**/" + checkconfig.FileName}

// watcherRegistrationID is the id of tbls' file watcher registration.
const watcherRegistrationID = "tbls-watched-files"

func (s *Server) addFolder(dir string) {
	dir = filepath.Clean(dir)
	s.mu.Lock()
	known := s.folders[dir]
	s.folders[dir] = true
	s.mu.Unlock()
	if !known {
		s.engine.addFolder(dir)
	}
}

func (s *Server) removeFolder(dir string) {
	dir = filepath.Clean(dir)
	s.mu.Lock()
	known := s.folders[dir]
	delete(s.folders, dir)
	s.mu.Unlock()
	if known {
		s.engine.removeFolder(dir)
	}
}

func (s *Server) didChangeWorkspaceFolders(ctx context.Context, p *protocol.DidChangeWorkspaceFoldersParams) error {
	for _, f := range p.Event.Removed {
		if dir, ok := folderPath(f.URI); ok {
			s.removeFolder(dir)
		}
	}
	for _, f := range p.Event.Added {
		if dir, ok := folderPath(f.URI); ok {
			s.addFolder(dir)
		}
	}
	s.rediagnoseOpenGo()
	return nil
}

func (s *Server) didChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	changed, configChanged := false, false
	for _, c := range p.Changes {
		path, ok := folderPath(c.URI)
		if !ok {
			continue
		}
		if filepath.Base(path) == checkconfig.FileName {
			configChanged = true
			continue
		}
		s.engine.fileChanged(filepath.Clean(path))
		changed = true
	}
	if configChanged {
		s.reloadConfigFiles() // rediagnoses every open document
		return nil
	}
	if changed {
		s.names.diskChanged()
		// A file on disk can change the types of any open package that
		// imports it, directly or not: rediagnose them all. Open files keep
		// their buffers, so their own text is unaffected.
		s.rediagnoseOpenGo()
	}
	return nil
}

// rediagnoseOpenGo schedules a run for every package with an open Go file.
func (s *Server) rediagnoseOpenGo() {
	dirs := map[string]bool{}
	s.mu.Lock()
	for _, d := range s.docs {
		if d.kind == kindGo && d.path != "" {
			dirs[filepath.Dir(d.path)] = true
		}
	}
	s.mu.Unlock()
	for dir := range dirs {
		s.diags.schedule("go:"+dir, func(ctx context.Context) { s.diagnoseGo(ctx, dir, "") })
	}
}

// registerWatchers asks the client to watch watchedGlobs, when it supports
// registering watchers dynamically. It runs on its own goroutine: the
// client's answer arrives on the read loop.
func (s *Server) registerWatchers() {
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	if caps.Workspace == nil || caps.Workspace.DidChangeWatchedFiles == nil ||
		caps.Workspace.DidChangeWatchedFiles.DynamicRegistration == nil || !*caps.Workspace.DidChangeWatchedFiles.DynamicRegistration {
		s.log.Info("the client cannot register file watchers: changes made outside the editor are seen when a file is next opened")
		return
	}
	opts := protocol.DidChangeWatchedFilesRegistrationOptions{}
	for _, g := range watchedGlobs {
		opts.Watchers = append(opts.Watchers, protocol.FileSystemWatcher{GlobPattern: protocol.Pattern(g)})
	}
	raw, err := protocol.Marshal(&opts)
	if err != nil {
		s.log.Error("encoding the file watcher registration", "err", err)
		return
	}
	err = s.client.RegisterCapability(s.ctx, &protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID:              watcherRegistrationID,
		Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: raw,
	}}})
	if err != nil {
		s.log.Warn("registering file watchers", "err", err)
		return
	}
	s.names.watching()
}

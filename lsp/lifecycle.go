package lsp

import (
	"context"
	"slices"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func init() {
	handleInlineRequest(protocol.MethodInitialize, (*Server).initialize)
	handleNotification(protocol.MethodInitialized, (*Server).initialized)
	handleInlineRequest(protocol.MethodShutdown, (*Server).shutdown)
}

// ServerName is the name tbls reports in serverInfo.
const ServerName = "tbls"

func (s *Server) initialize(ctx context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	enc := UTF16
	if p.Capabilities.General != nil && slices.Contains(p.Capabilities.General.PositionEncodings, protocol.PositionEncodingKindUTF8) {
		enc = UTF8
	}

	var folders []string
	wfs, _ := p.WorkspaceFolders.Get()
	for _, f := range wfs {
		if dir, ok := folderPath(f.URI); ok {
			folders = append(folders, dir)
		}
	}
	// Clients that predate workspace folders send rootUri, or rootPath.
	//lint:ignore SA1019 the fallback of clients without workspaceFolders
	if len(folders) == 0 && p.RootURI != nil {
		//lint:ignore SA1019 as above
		if dir, ok := folderPath(*p.RootURI); ok {
			folders = append(folders, dir)
		}
	}
	if len(folders) == 0 {
		//lint:ignore SA1019 as above
		if root, ok := p.RootPath.Get(); ok && root != "" {
			folders = append(folders, root)
		}
	}

	s.mu.Lock()
	s.enc = enc
	s.caps = p.Capabilities
	s.state = stateInitialized
	s.mu.Unlock()
	s.log.Info("initialize", "client", p.ClientInfo.Name, "encoding", enc.Kind(), "folders", folders)
	s.applySettings(p.InitializationOptions)
	for _, dir := range folders {
		s.addFolder(dir)
	}

	yes := true
	change := protocol.TextDocumentSyncKindIncremental
	caps := protocol.ServerCapabilities{
		PositionEncoding: enc.Kind(),
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: &yes,
			Change:    &change,
			Save:      protocol.Boolean(true),
		},
		Workspace: &protocol.WorkspaceOptions{
			WorkspaceFolders: &protocol.WorkspaceFoldersServerCapabilities{
				Supported:           &yes,
				ChangeNotifications: protocol.Boolean(true),
			},
		},
	}
	for _, add := range capabilityAdders {
		add(s, &caps)
	}
	res := &protocol.InitializeResult{Capabilities: caps, ServerInfo: protocol.ServerInfo{Name: ServerName}}
	if s.opts.Version != "" {
		res.ServerInfo.Version = protocol.NewOptional(s.opts.Version)
	}
	return res, nil
}

// folderPath returns the directory of a file: URI.
func folderPath(u uri.URI) (string, bool) {
	if u == "" || !u.IsFile() {
		return "", false
	}
	return u.FsPath(), true
}

func (s *Server) initialized(ctx context.Context, _ *protocol.InitializedParams) error {
	// Registering asks the client and waits for its answer: never on the
	// read loop, which must stay free to read that answer.
	go s.registerWatchers()
	go s.pullSettings() // settings.go
	return nil
}

func (s *Server) shutdown(ctx context.Context, _ *struct{}) (any, error) {
	s.mu.Lock()
	s.state = stateShutdown
	s.mu.Unlock()
	s.diags.cancelAll()
	return nil, nil
}

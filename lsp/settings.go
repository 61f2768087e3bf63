package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/tbls-dev/tbls/checkconfig"
	"github.com/tbls-dev/tbls/rules"
)

func init() {
	handleNotification(protocol.MethodWorkspaceDidChangeConfiguration, (*Server).didChangeConfiguration)
}

// Settings are the server's settings, from initializationOptions and
// workspace/didChangeConfiguration. Both take them as an object, alone or
// under a "tbls" key (the section VS Code and most clients send):
//
//	{"tbls": {"checks": "all,-TB302", "configFiles": true}}
type Settings struct {
	// Checks says which checks' diagnostics are shown, in -checks syntax
	// (all, none, inherit, -TB302, TB2*, analyzer names), applied over the
	// tbls.conf files as tbvet's -checks flag is. A comma-separated string
	// or an array of patterns; empty: the files decide.
	Checks string
	// ConfigFiles says whether tbls.conf files are read (default true).
	ConfigFiles bool
}

// DefaultSettings are the settings of a client that sends none.
func DefaultSettings() Settings { return Settings{ConfigFiles: true} }

// ParseSettings reads settings from the JSON a client sent. Null or an
// empty object gives DefaultSettings. Unknown keys are ignored, as clients
// send settings of other servers in the same object; a known key with a
// bad value is an error that says which.
func ParseSettings(raw []byte) (Settings, error) {
	s, _, err := parseSettings(raw)
	return s, err
}

// parseSettings is ParseSettings, and reports whether raw holds tbls's
// settings at all: a "tbls" key, or checks or configFiles at the top.
func parseSettings(raw []byte) (Settings, bool, error) {
	s := DefaultSettings()
	if len(strings.TrimSpace(string(raw))) == 0 || string(raw) == "null" {
		return s, false, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return s, false, fmt.Errorf("tbls settings: not a JSON object: %v", err)
	}
	if inner, ok := obj["tbls"]; ok {
		if string(inner) == "null" {
			return s, false, nil
		}
		var sub map[string]json.RawMessage
		if err := json.Unmarshal(inner, &sub); err != nil || sub == nil {
			return s, true, fmt.Errorf("tbls settings: \"tbls\" is not an object")
		}
		obj = sub
	} else if _, ok := obj["checks"]; !ok {
		if _, ok := obj["configFiles"]; !ok {
			return s, false, nil
		}
	}
	if v, ok := obj["checks"]; ok {
		var str string
		var list []string
		switch {
		case json.Unmarshal(v, &str) == nil:
			s.Checks = str
		case json.Unmarshal(v, &list) == nil:
			s.Checks = strings.Join(list, ",")
		default:
			return s, true, fmt.Errorf("tbls settings: checks: want a string (\"all,-TB302\") or an array of patterns, got %s", v)
		}
		if s.Checks != "" {
			if _, err := checkconfig.ParseList(s.Checks); err != nil {
				return s, true, fmt.Errorf("tbls settings: checks: %v", err)
			}
		}
	}
	if v, ok := obj["configFiles"]; ok && string(v) != "null" {
		if err := json.Unmarshal(v, &s.ConfigFiles); err != nil {
			return s, true, fmt.Errorf("tbls settings: configFiles: want true or false, got %s", v)
		}
	}
	return s, true, nil
}

// checkFilter decides which findings the server publishes, from the
// settings and the tbls.conf files. A new one replaces it when either
// changes; the Loader inside reads each file once.
type checkFilter struct {
	settings Settings
	loader   *checkconfig.Loader // nil when the files are not read
	checks   checkconfig.Set     // the setting alone, over every check

	mu       sync.Mutex
	reported map[string]bool // configuration errors already shown
}

func newCheckFilter(st Settings) (*checkFilter, error) {
	f := &checkFilter{settings: st, reported: map[string]bool{}}
	if st.ConfigFiles {
		l, err := checkconfig.NewLoader(st.Checks, "")
		if err != nil {
			return nil, err
		}
		f.loader = l
	}
	list := checkconfig.Inherit
	if st.Checks != "" {
		var err error
		if list, err = checkconfig.ParseList(st.Checks); err != nil {
			return nil, err
		}
	}
	f.checks = list.Apply(checkconfig.AllChecks())
	return f, nil
}

// enabled returns the checks of the file at path, and the error of a
// broken tbls.conf, with which every check is enabled: a broken file must
// not hide findings. A document with no file (path "") gets the setting
// alone.
func (f *checkFilter) enabled(path string) (checkconfig.Set, error) {
	if f.loader == nil || path == "" {
		return f.checks, nil
	}
	cfg, err := f.loader.Dir(filepath.Dir(path))
	if err != nil {
		return checkconfig.AllChecks(), err
	}
	return cfg.Checks, nil
}

// firstReport reports whether the error message msg is new to this filter.
func (f *checkFilter) firstReport(msg string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.reported[msg] {
		return false
	}
	f.reported[msg] = true
	return true
}

// settingsState is the server's current filter.
type settingsState struct {
	mu     sync.Mutex
	filter *checkFilter
}

func (s *Server) checkFilter() *checkFilter {
	s.settings.mu.Lock()
	defer s.settings.mu.Unlock()
	if s.settings.filter == nil {
		s.settings.filter, _ = newCheckFilter(DefaultSettings())
	}
	return s.settings.filter
}

// applySettings parses raw settings and makes them current, and reports
// whether they changed anything. A bad setting
// is shown to the user and leaves the current settings in place, and so
// does an object that holds no tbls settings at all: clients send their
// whole configuration, or an empty one right after initialize (Neovim),
// which must not undo initializationOptions.
func (s *Server) applySettings(raw []byte) bool {
	st, found, err := parseSettings(raw)
	if err == nil && !found {
		s.log.Debug("no tbls settings in the client's configuration: settings kept")
		return false
	}
	var f *checkFilter
	if err == nil {
		f, err = newCheckFilter(st)
	}
	if err != nil {
		s.log.Warn("settings refused", "err", err)
		s.tellUser(protocol.MessageTypeError, err.Error())
		return false
	}
	s.settings.mu.Lock()
	unchanged := s.settings.filter != nil && s.settings.filter.settings == st
	if !unchanged {
		s.settings.filter = f
	}
	s.settings.mu.Unlock()
	if unchanged {
		return false
	}
	s.log.Info("settings", "checks", st.Checks, "configFiles", st.ConfigFiles)
	return true
}

// reloadConfigFiles forgets what the tbls.conf files said, after one of
// them changed on disk, and rediagnoses the open documents.
func (s *Server) reloadConfigFiles() {
	s.settings.mu.Lock()
	if s.settings.filter != nil {
		if f, err := newCheckFilter(s.settings.filter.settings); err == nil {
			s.settings.filter = f
		}
	}
	s.settings.mu.Unlock()
	s.rediagnoseAll()
}

func (s *Server) didChangeConfiguration(ctx context.Context, p *protocol.DidChangeConfigurationParams) error {
	if _, found, _ := parseSettings(p.Settings); !found {
		// Clients that answer workspace/configuration often announce a
		// change with no settings in it (null): ask, as gopls does.
		go s.pullSettings()
		return nil
	}
	if s.applySettings(p.Settings) {
		s.rediagnoseAll()
	}
	return nil
}

// configSection is the section tbls asks for with workspace/configuration.
const configSection = "tbls"

// pullSettings asks a client that answers workspace/configuration for the
// tbls section and applies it. It runs on its own goroutine: the answer
// arrives on the read loop.
func (s *Server) pullSettings() {
	s.mu.Lock()
	caps := s.caps
	s.mu.Unlock()
	if caps.Workspace == nil || caps.Workspace.Configuration == nil || !*caps.Workspace.Configuration {
		return
	}
	section := configSection
	res, err := s.client.Configuration(s.ctx, &protocol.ConfigurationParams{Items: []protocol.ConfigurationItem{{Section: &section}}})
	if err != nil || len(res) != 1 {
		s.log.Debug("workspace/configuration", "err", err, "items", len(res))
		return
	}
	if s.applySettings(res[0]) {
		s.rediagnoseAll()
	}
}

// filterFindings keeps the findings of the checks enabled for the file at
// path. A broken tbls.conf is shown to the user once, and filters nothing.
func (s *Server) filterFindings(path string, fs []finding) []finding {
	f := s.checkFilter()
	set, err := f.enabled(path)
	if err != nil {
		msg := "tbls: " + err.Error() + " (every check is shown until it is fixed)"
		if f.firstReport(msg) {
			s.log.Warn("configuration", "err", err)
			s.tellUser(protocol.MessageTypeError, msg)
		}
		return fs
	}
	kept := fs[:0:0]
	for _, x := range fs {
		if x.code == "" || !isKnown(x.code) || set.Has(x.code) {
			kept = append(kept, x)
		}
	}
	return kept
}

// isKnown reports whether code is a check of package rules; others are
// never filtered, since no pattern can name them.
func isKnown(code rules.Code) bool {
	_, ok := rules.Lookup(code)
	return ok
}

// tellUser shows a message in the editor without blocking the caller.
func (s *Server) tellUser(typ protocol.MessageType, msg string) {
	go func() {
		if err := s.client.ShowMessage(s.ctx, &protocol.ShowMessageParams{Type: typ, Message: msg}); err != nil {
			s.log.Debug("showing a message", "err", err)
		}
	}()
}

// rediagnoseAll schedules a run for every open document, after the
// settings or a tbls.conf changed what is shown.
func (s *Server) rediagnoseAll() {
	s.rediagnoseOpenGo()
	s.mu.Lock()
	var datafiles []*document
	for _, d := range s.docs {
		if d.kind == kindDatafile {
			datafiles = append(datafiles, d)
		}
	}
	s.mu.Unlock()
	for _, d := range datafiles {
		u := d.uri
		s.diags.schedule("datafile:"+string(u), func(ctx context.Context) { s.diagnoseDatafile(ctx, u) })
	}
}

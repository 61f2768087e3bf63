package lsp

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func TestParseSettings(t *testing.T) {
	for _, tc := range []struct {
		raw     string
		want    Settings
		wantErr string
	}{
		{"", DefaultSettings(), ""},
		{"null", DefaultSettings(), ""},
		{`{}`, DefaultSettings(), ""},
		{`{"checks": "all,-TB302"}`, Settings{Checks: "all,-TB302", ConfigFiles: true}, ""},
		{`{"tbls": {"checks": ["inherit", "-TB2*"], "configFiles": false}}`, Settings{Checks: "inherit,-TB2*"}, ""},
		{`{"tbls": {"checks": null}, "gopls": {"x": 1}}`, DefaultSettings(), ""},
		{`{"tbls": {"checks": "TB9*"}}`, DefaultSettings(), "checks"},
		{`{"tbls": {"configFiles": "yes"}}`, DefaultSettings(), "configFiles"},
		{`{"tbls": 3}`, DefaultSettings(), `"tbls" is not an object`},
		{`[1]`, DefaultSettings(), "not a JSON object"},
		{`{"other": {"checks": 1}}`, DefaultSettings(), ""},                    // another server's settings
		{`{"tbls": {"configFiles": false}, "checks": "TB9*"}`, Settings{}, ""}, // only the tbls section counts
		{`{"tbls": null}`, DefaultSettings(), ""},
	} {
		got, err := ParseSettings([]byte(tc.raw))
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want one about %s", tc.raw, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.raw, err)
		case got != tc.want:
			t.Errorf("%s: %+v, want %+v", tc.raw, got, tc.want)
		}
	}
}

// TestSettingsChecks drives the server as an editor does: checks turned
// off in initializationOptions, back on with didChangeConfiguration, a
// tbls.conf written and reported through didChangeWatchedFiles, the files
// ignored, and a broken file shown to the user without hiding anything.
func TestSettingsChecks(t *testing.T) {
	dir := t.TempDir()
	c, _ := initialize(t, Options{}, &protocol.InitializeParams{
		InitializationOptions: protocol.LSPAny(`{"tbls": {"checks": "inherit,-TB201"}}`),
	})
	pipe := uri.File(filepath.Join(dir, "top_events.pipe"))
	c.open(pipe, "", 1, "NODE n\nSQL >\n    SELECT 1\n\nTOKEN app-read APPEND\n")
	if got := codes(c.diagnosticsFor(pipe, 1)); !slices.Equal(got, []string{"TB101"}) {
		t.Fatalf("with TB201 off: %v, want TB101 alone", got)
	}

	// waitCodes waits for a publication of exactly want.
	waitCodes := func(what string, want ...string) {
		t.Helper()
		c.waitFor(what, func() bool {
			ps := c.diags[pipe]
			return len(ps) > 0 && slices.Equal(codes(ps[len(ps)-1].Diagnostics), want)
		})
	}
	configure := func(settings string) {
		t.Helper()
		if err := c.server.DidChangeConfiguration(context.Background(), &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(settings)}); err != nil {
			t.Fatal(err)
		}
	}
	configure(`{"tbls": {"checks": "all"}}`)
	waitCodes("TB201 back after didChangeConfiguration", "TB101", "TB201")

	conf := filepath.Join(dir, "tbls.conf")
	writeConf := func(text string) {
		t.Helper()
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		err := c.server.DidChangeWatchedFiles(context.Background(), &protocol.DidChangeWatchedFilesParams{
			Changes: []protocol.FileEvent{{URI: uri.File(conf), Type: protocol.FileChangeTypeChanged}},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The setting "all" applies over the file: the file cannot turn TB101 off.
	configure(`{"tbls": {}}`)
	writeConf("checks = [\"inherit\", \"-TB101\"]\n")
	waitCodes("TB101 off by tbls.conf", "TB201")

	writeConf("checks = [\"inherit\", \"-TB101\", \"-TB201\"]\n")
	waitCodes("tbls.conf reloaded when it changes")

	configure(`{"tbls": {"configFiles": false}}`)
	waitCodes("tbls.conf ignored with configFiles false", "TB101", "TB201")

	configure(`{"tbls": {"checks": "inherit,TB201"}}`)
	waitCodes("the setting over the file", "TB201")

	// A broken file is shown once, and hides nothing.
	writeConf("checks = \"all\"\n")
	waitCodes("a broken tbls.conf hides nothing", "TB101", "TB201")
	c.waitFor("a message about the broken tbls.conf", func() bool {
		for _, m := range c.messages {
			if strings.Contains(m.Message, conf) && m.Type == protocol.MessageTypeError {
				return true
			}
		}
		return false
	})

	// A configuration without tbls settings (another server's, or the
	// empty one Neovim sends after initialize) keeps the current settings.
	before := len(c.publications(pipe))
	configure(`{}`)
	configure(`{"gopls": {"checks": 1}}`)
	configure(`null`)
	if len(c.publications(pipe)) != before {
		t.Errorf("a configuration without tbls settings rediagnosed the document")
	}

	// A bad setting is refused with a message, and the settings stay.
	configure(`{"tbls": {"checks": "TB9*"}}`)
	c.waitFor("a message about the bad setting", func() bool {
		for _, m := range c.messages {
			if strings.Contains(m.Message, "checks") && strings.Contains(m.Message, "TB9*") {
				return true
			}
		}
		return false
	})
	if len(c.publications(pipe)) != before {
		t.Errorf("a refused setting rediagnosed the document")
	}
}

func TestWatchersIncludeConfigFiles(t *testing.T) {
	if !slices.Contains(watchedGlobs, "**/tbls.conf") {
		t.Errorf("watchedGlobs %v lack **/tbls.conf", watchedGlobs)
	}
}

// pulledConfig is what the test client answers to workspace/configuration.
var pulledConfig struct {
	sync.Mutex
	section string // JSON of the tbls section
	asked   []string
}

// Configuration implements protocol.Client: it answers the tbls section
// from pulledConfig and records the sections asked for.
func (c *testClient) Configuration(_ context.Context, p *protocol.ConfigurationParams) ([]protocol.LSPAny, error) {
	pulledConfig.Lock()
	defer pulledConfig.Unlock()
	var out []protocol.LSPAny
	for _, it := range p.Items {
		sec := ""
		if it.Section != nil {
			sec = *it.Section
		}
		pulledConfig.asked = append(pulledConfig.asked, sec)
		if sec == "tbls" {
			out = append(out, protocol.LSPAny(pulledConfig.section))
		} else {
			out = append(out, protocol.LSPAny("null"))
		}
	}
	return out, nil
}

// TestSettingsPulled: a client that answers workspace/configuration is
// asked for the tbls section after initialized, and again when it
// announces a change without settings, as gopls does.
func TestSettingsPulled(t *testing.T) {
	setPulled := func(section string) {
		pulledConfig.Lock()
		pulledConfig.section = section
		pulledConfig.Unlock()
	}
	setPulled(`{"checks": "inherit,-TB201"}`)
	t.Cleanup(func() {
		pulledConfig.Lock()
		pulledConfig.section, pulledConfig.asked = "", nil
		pulledConfig.Unlock()
	})
	yes := true
	c, _ := initialize(t, Options{}, &protocol.InitializeParams{
		Capabilities: protocol.ClientCapabilities{Workspace: &protocol.WorkspaceClientCapabilities{Configuration: &yes}},
	})
	pipe := uri.File(filepath.Join(t.TempDir(), "top_events.pipe"))
	c.open(pipe, "", 1, "NODE n\nSQL >\n    SELECT 1\n\nTOKEN app-read APPEND\n")
	last := func(want ...string) func() bool {
		return func() bool {
			ps := c.diags[pipe]
			return len(ps) > 0 && slices.Equal(codes(ps[len(ps)-1].Diagnostics), want)
		}
	}
	c.waitFor("TB201 hidden by the pulled settings", last("TB101"))

	setPulled(`{"checks": "all"}`)
	if err := c.server.DidChangeConfiguration(context.Background(), &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny("null")}); err != nil {
		t.Fatal(err)
	}
	c.waitFor("TB201 back after a change announced without settings", last("TB101", "TB201"))
	pulledConfig.Lock()
	asked := slices.Clone(pulledConfig.asked)
	pulledConfig.Unlock()
	if len(asked) < 2 || asked[0] != "tbls" {
		t.Errorf("sections asked for: %q, want tbls twice", asked)
	}
}

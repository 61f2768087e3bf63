// Package zed_test checks that the files of the Zed extension in
// editors/zed agree with each other and with what Zed reads from them
// (crates/extension/src/extension_manifest.rs, crates/language's
// LanguageConfig). Neither Zed nor the Rust crate can be built here:
// crates.io is out of reach.
package zed_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

type manifest struct {
	ID              string   `toml:"id"`
	Name            string   `toml:"name"`
	Version         string   `toml:"version"`
	SchemaVersion   int      `toml:"schema_version"`
	Authors         []string `toml:"authors"`
	Description     string   `toml:"description"`
	Repository      string   `toml:"repository"`
	LanguageServers map[string]struct {
		Name        string            `toml:"name"`
		Languages   []string          `toml:"languages"`
		LanguageIDs map[string]string `toml:"language_ids"`
	} `toml:"language_servers"`
}

type languageConfig struct {
	Name         string   `toml:"name"`
	Grammar      string   `toml:"grammar"`
	PathSuffixes []string `toml:"path_suffixes"`
	LineComments []string `toml:"line_comments"`
	TabSize      int      `toml:"tab_size"`
}

type cargo struct {
	Package struct {
		Name        string `toml:"name"`
		Version     string `toml:"version"`
		Edition     string `toml:"edition"`
		Publish     bool   `toml:"publish"`
		Description string `toml:"description"`
	} `toml:"package"`
	Lib struct {
		Path      string   `toml:"path"`
		CrateType []string `toml:"crate-type"`
	} `toml:"lib"`
	Dependencies map[string]any `toml:"dependencies"`
}

// decode decodes path into v and fails on any key v does not know, so a
// misspelt key cannot pass unnoticed.
func decode(t *testing.T, path string, v any) {
	t.Helper()
	md, err := toml.DecodeFile(path, v)
	if err != nil {
		t.Fatalf("%s does not parse: %v", path, err)
	}
	for _, k := range md.Undecoded() {
		t.Errorf("%s: unexpected key %q", path, k.String())
	}
}

func TestManifest(t *testing.T) {
	var m manifest
	decode(t, "extension.toml", &m)
	if m.ID != "tbls" || m.Name == "" || m.Description == "" || m.Repository == "" || len(m.Authors) == 0 {
		t.Errorf("extension.toml lacks a field Zed requires: %+v", m)
	}
	if m.SchemaVersion != 1 {
		t.Errorf("schema_version = %d, want 1", m.SchemaVersion)
	}
	if m.Version != cargoVersion(t) {
		t.Errorf("extension.toml version %q differs from Cargo.toml's %q", m.Version, cargoVersion(t))
	}
	s, ok := m.LanguageServers["tbls"]
	if !ok {
		t.Fatal("extension.toml declares no [language_servers.tbls]: src/lib.rs answers for that id")
	}
	// "Go" is the name of Zed's built-in Go language; "Tinybird" is ours.
	if !slices.Equal(s.Languages, []string{"Go", "Tinybird"}) {
		t.Errorf("tbls languages = %q, want [Go Tinybird]", s.Languages)
	}
	var lang languageConfig
	decode(t, "languages/tinybird/config.toml", &lang)
	if !slices.Contains(s.Languages, lang.Name) {
		t.Errorf("the language %q of languages/tinybird is not among tbls's languages %q", lang.Name, s.Languages)
	}
	// tbls accepts these language ids (lsp/text_sync.go).
	want := map[string]string{"Go": "go", "Tinybird": "tinybird"}
	for name, id := range s.LanguageIDs {
		if want[name] != id {
			t.Errorf("language_ids[%q] = %q, want %q", name, id, want[name])
		}
	}
}

func TestTinybirdLanguage(t *testing.T) {
	var lang languageConfig
	decode(t, "languages/tinybird/config.toml", &lang)
	if lang.Name != "Tinybird" {
		t.Errorf("name = %q, want Tinybird", lang.Name)
	}
	if !slices.Equal(lang.PathSuffixes, []string{"datasource", "pipe"}) {
		t.Errorf("path_suffixes = %q, want [datasource pipe] (no dots: Zed compares suffixes)", lang.PathSuffixes)
	}
	if !slices.Equal(lang.LineComments, []string{"# "}) {
		t.Errorf("line_comments = %q, want [\"# \"]", lang.LineComments)
	}
	// A grammar name must be registered by a [grammars.NAME] entry of the
	// manifest, which would need a tree-sitter grammar that does not exist.
	if lang.Grammar != "" {
		t.Errorf("grammar = %q, but the extension provides no grammar", lang.Grammar)
	}
}

func cargoVersion(t *testing.T) string {
	t.Helper()
	var c cargo
	decode(t, "Cargo.toml", &c)
	return c.Package.Version
}

func TestCargo(t *testing.T) {
	var c cargo
	decode(t, "Cargo.toml", &c)
	if !slices.Equal(c.Lib.CrateType, []string{"cdylib"}) {
		t.Errorf("crate-type = %q, want [cdylib]: Zed loads the extension as a WebAssembly component", c.Lib.CrateType)
	}
	if _, err := os.Stat(c.Lib.Path); err != nil {
		t.Errorf("lib.path: %v", err)
	}
	if v, _ := c.Dependencies["zed_extension_api"].(string); !regexp.MustCompile(`^0\.\d+\.\d+$`).MatchString(v) {
		t.Errorf("zed_extension_api = %v, want a pinned 0.x.y release", c.Dependencies["zed_extension_api"])
	}
	if len(c.Dependencies) != 1 {
		t.Errorf("dependencies = %v, want zed_extension_api alone", c.Dependencies)
	}
}

// TestLibRegistersServer checks the few facts of src/lib.rs that the other
// files depend on, since the crate cannot be compiled here.
func TestLibRegistersServer(t *testing.T) {
	src, err := os.ReadFile("src/lib.rs")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"impl zed::Extension for Tbls",
		"fn language_server_command(",
		`worktree.which("tbls")`,
		"go install github.com/tbls-dev/tbls/cmd/tbls@latest",
		"zed::register_extension!(Tbls);",
	} {
		if !strings.Contains(string(src), want) {
			t.Errorf("src/lib.rs lacks %q", want)
		}
	}
}

// TestReadmeSettings checks that the settings the README shows are JSON
// with the shape Zed reads: lsp.tbls.binary.{path,arguments} and
// languages.Go.language_servers naming tbls.
func TestReadmeSettings(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no json block")
	}
	var settings struct {
		LSP map[string]struct {
			Binary struct {
				Path      string   `json:"path"`
				Arguments []string `json:"arguments"`
			} `json:"binary"`
		} `json:"lsp"`
		Languages map[string]struct {
			LanguageServers []string `json:"language_servers"`
		} `json:"languages"`
	}
	dec := json.NewDecoder(strings.NewReader(string(m[1])))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&settings); err != nil {
		t.Fatalf("README settings: %v", err)
	}
	if settings.LSP["tbls"].Binary.Path == "" {
		t.Error("README settings: no lsp.tbls.binary.path")
	}
	if args := settings.LSP["tbls"].Binary.Arguments; len(args) == 0 || args[len(args)-1] != "serve" {
		t.Errorf("README settings: arguments %q must end with serve", args)
	}
	if ls := settings.Languages["Go"].LanguageServers; !slices.Contains(ls, "tbls") || !slices.Contains(ls, "gopls") {
		t.Errorf("README settings: Go language_servers = %q, want gopls and tbls", ls)
	}
}

// Package helix_test checks editors/helix/languages.toml against the schema
// Helix reads it with (helix-core/src/syntax/config.rs), so that the file the
// README tells users to copy loads in Helix as written. Helix itself is not
// packaged for Debian 12, so it cannot be run here.
package helix_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// language mirrors Helix's LanguageConfiguration. Helix deserializes it with
// deny_unknown_fields, so a key missing here is a key Helix refuses: the test
// reports every key it did not decode. name, scope and file-types have no
// default in Helix and are required for a language Helix does not already
// define; the others are optional.
type language struct {
	Name                 string         `toml:"name"`
	LanguageID           string         `toml:"language-id"`
	Scope                string         `toml:"scope"`
	FileTypes            []any          `toml:"file-types"` // a string (extension) or {glob = "…"}
	Shebangs             []string       `toml:"shebangs"`
	Roots                []string       `toml:"roots"`
	CommentToken         any            `toml:"comment-token"` // alias of comment-tokens: a string or a list
	CommentTokens        any            `toml:"comment-tokens"`
	BlockCommentTokens   any            `toml:"block-comment-tokens"`
	TextWidth            int            `toml:"text-width"`
	SoftWrap             map[string]any `toml:"soft-wrap"`
	AutoFormat           bool           `toml:"auto-format"`
	Formatter            map[string]any `toml:"formatter"`
	PathCompletion       bool           `toml:"path-completion"`
	WordCompletion       map[string]any `toml:"word-completion"`
	DiagnosticSeverity   string         `toml:"diagnostic-severity"`
	Grammar              string         `toml:"grammar"`
	InjectionRegex       string         `toml:"injection-regex"`
	LanguageServers      []any          `toml:"language-servers"` // a name or {name = "…", only-features/except-features = […]}
	Indent               *indent        `toml:"indent"`
	Debugger             map[string]any `toml:"debugger"`
	AutoPairs            any            `toml:"auto-pairs"`
	Rulers               []int          `toml:"rulers"`
	WorkspaceLSPRoots    []string       `toml:"workspace-lsp-roots"`
	PersistentDiagSource []string       `toml:"persistent-diagnostic-sources"`
	RainbowBrackets      bool           `toml:"rainbow-brackets"`
}

// indent mirrors IndentationConfiguration: both keys are required.
type indent struct {
	TabWidth *int    `toml:"tab-width"`
	Unit     *string `toml:"unit"`
}

// server mirrors LanguageServerConfiguration; command is required.
type server struct {
	Command              string            `toml:"command"`
	Args                 []string          `toml:"args"`
	Environment          map[string]string `toml:"environment"`
	Config               map[string]any    `toml:"config"`
	Timeout              int               `toml:"timeout"`
	RequiredRootPatterns []string          `toml:"required-root-patterns"`
}

type config struct {
	UseGrammars    map[string][]string `toml:"use-grammars"`
	Language       []language          `toml:"language"`
	LanguageServer map[string]server   `toml:"language-server"`
}

// builtinServers are the servers Helix's own languages.toml defines that
// this file refers to without defining them.
var builtinServers = []string{"gopls"}

func load(t *testing.T) config {
	t.Helper()
	var c config
	if _, err := toml.DecodeFile("languages.toml", &c); err != nil {
		t.Fatalf("languages.toml does not parse: %v", err)
	}
	return c
}

// TestKnownKeys reports the keys Helix would refuse.
func TestKnownKeys(t *testing.T) {
	var c config
	md, err := toml.DecodeFile("languages.toml", &c)
	if err != nil {
		t.Fatalf("languages.toml does not parse: %v", err)
	}
	for _, k := range md.Undecoded() {
		// A language server's config is free-form JSON for the server.
		if len(k) > 2 && k[0] == "language-server" && k[2] == "config" {
			continue
		}
		t.Errorf("languages.toml: Helix does not know the key %q", k.String())
	}
}

func find(t *testing.T, c config, name string) language {
	t.Helper()
	for _, l := range c.Language {
		if l.Name == name {
			return l
		}
	}
	t.Fatalf("languages.toml has no [[language]] named %q", name)
	return language{}
}

// serverNames returns the names in a language-servers list, in order.
func serverNames(t *testing.T, l language) []string {
	t.Helper()
	var names []string
	for _, s := range l.LanguageServers {
		switch s := s.(type) {
		case string:
			names = append(names, s)
		case map[string]any:
			name, ok := s["name"].(string)
			if !ok {
				t.Errorf("language %q: language-servers entry %v has no name", l.Name, s)
			}
			names = append(names, name)
		default:
			t.Errorf("language %q: language-servers entry %v is neither a name nor a table", l.Name, s)
		}
	}
	return names
}

func TestServer(t *testing.T) {
	c := load(t)
	s, ok := c.LanguageServer["tbls"]
	if !ok {
		t.Fatal("languages.toml defines no [language-server.tbls]")
	}
	if s.Command != "tbls" {
		t.Errorf("tbls command = %q, want \"tbls\" (the binary go install puts on PATH)", s.Command)
	}
	// tbls takes no argument but its flags and the serve command.
	if len(s.Args) > 0 && s.Args[len(s.Args)-1] != "serve" {
		t.Errorf("tbls args = %q: the last one must be the serve command", s.Args)
	}
}

func TestGoRunsTblsNextToGopls(t *testing.T) {
	c := load(t)
	g := find(t, c, "go")
	names := serverNames(t, g)
	if !slices.Equal(names, []string{"gopls", "tbls"}) {
		t.Errorf("go language-servers = %q, want [gopls tbls]: tbls runs next to gopls, gopls first", names)
	}
	// Helix merges this entry into its built-in Go language by name; any
	// other key would override Helix's own Go settings for no reason.
	if g.Scope != "" || len(g.FileTypes) > 0 || len(g.Roots) > 0 || g.Grammar != "" {
		t.Errorf("the go entry changes more than its language servers: %+v", g)
	}
}

func TestTinybirdLanguage(t *testing.T) {
	c := load(t)
	l := find(t, c, "tinybird")
	if l.Scope == "" {
		t.Error("tinybird: scope is required for a language Helix does not define")
	}
	var exts []string
	for _, ft := range l.FileTypes {
		s, ok := ft.(string)
		if !ok {
			t.Errorf("tinybird: file-types entry %v is not a plain extension", ft)
		}
		exts = append(exts, s)
	}
	if !slices.Equal(exts, []string{"datasource", "pipe"}) {
		t.Errorf("tinybird file-types = %q, want [datasource pipe]", exts)
	}
	for _, root := range []string{"go.mod", "go.work"} {
		if !slices.Contains(l.Roots, root) {
			t.Errorf("tinybird roots = %q, missing %s", l.Roots, root)
		}
	}
	if l.CommentToken != "#" {
		t.Errorf("tinybird comment-token = %v, want \"#\"", l.CommentToken)
	}
	if l.Indent != nil && (l.Indent.TabWidth == nil || l.Indent.Unit == nil) {
		t.Error("tinybird: indent needs both tab-width and unit")
	}
	if names := serverNames(t, l); !slices.Equal(names, []string{"tbls"}) {
		t.Errorf("tinybird language-servers = %q, want [tbls]", names)
	}
	// Without a grammar key Helix looks for a grammar named after the
	// language; none exists, so the file is plain text. A grammar key
	// naming something Helix does not build would only add a warning.
	if l.Grammar != "" {
		t.Errorf("tinybird: grammar %q is set but no tree-sitter grammar for datafiles exists", l.Grammar)
	}
}

func TestServersAreDefined(t *testing.T) {
	c := load(t)
	for _, l := range c.Language {
		for _, name := range serverNames(t, l) {
			if _, ok := c.LanguageServer[name]; !ok && !slices.Contains(builtinServers, name) {
				t.Errorf("language %q uses the server %q, which neither this file nor Helix defines", l.Name, name)
			}
		}
	}
}

// TestReadmeShowsTheFile keeps the README's copy of the configuration equal
// to the file the tests check.
func TestReadmeShowsTheFile(t *testing.T) {
	file, err := os.ReadFile("languages.toml")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "```toml\n"+string(file)+"```\n") {
		t.Error("README.md does not show languages.toml as it is: paste the file into its toml block")
	}
}

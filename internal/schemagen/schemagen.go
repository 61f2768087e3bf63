// Package schemagen writes a generated Go module that declares many Tinybird
// resources with the tinybird SDK. It is the workload of tbvet's and tbls'
// benchmarks: by default 1,000 datasources and 1,000 endpoints, each granting
// 4 tokens, in one package of 21 files and about 27,000 lines.
//
// The output is never committed: benchmarks and tests generate it into a
// temporary directory. The module points at a tbls checkout with a replace
// directive, so it builds against the SDK of that checkout.
package schemagen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// SDKModule is the module path of tbls, whose tinybird package the generated
// code imports.
const SDKModule = "github.com/tbls-dev/tbls"

// PackageName is the name of the generated package, which lives at the root
// of the generated module.
const PackageName = "schema"

// Config says what to generate. The zero value of every field but ReplaceDir
// means its default; ReplaceDir is required.
type Config struct {
	// Datasources and Endpoints are how many of each to define (default
	// 1,000 each).
	Datasources int
	Endpoints   int
	// AccessesPerResource is how many TokenAccess entries each resource has
	// (default 4, at most the number of tokens, TokenCount).
	AccessesPerResource int
	// Files is how many files the resources are spread over (default 20);
	// the tokens live in one more file, tokens.go.
	Files int
	// ModulePath is the generated module's path (default
	// "example.com/tbschema").
	ModulePath string
	// ReplaceDir is the directory of a tbls checkout, written as
	// `replace github.com/tbls-dev/tbls => ReplaceDir`. Its go.sum is copied
	// so that the module builds offline from the module cache.
	ReplaceDir string
	// Mistakes adds a few real findings (see MistakeCodes) among the valid
	// resources, so that checkers have something to report.
	Mistakes bool
}

// The defaults of Config's zero fields.
const (
	DefaultDatasources         = 1000
	DefaultEndpoints           = 1000
	DefaultAccessesPerResource = 4
	DefaultFiles               = 20
	DefaultModulePath          = "example.com/tbschema"
)

// tokens are the DefineToken tokens every resource grants: the Go variable
// and the token name. Datasources grant the last one APPEND, the others READ;
// endpoints grant all READ.
var tokens = [...]struct{ ident, name string }{
	{"AppRead", "app_read"},
	{"Analytics", "analytics"},
	{"Dashboard", "dashboard"},
	{"Ingest", "ingest"},
}

// TokenCount is how many tokens the generated package defines (without
// mistakes), and so the largest AccessesPerResource.
const TokenCount = len(tokens)

// MistakeCodes returns the codes of the findings Config.Mistakes adds, one
// finding each: an invalid token name in tokens.go, an unknown scope and an
// invalid name on the first two datasources, APPEND on the second endpoint.
func MistakeCodes() []rules.Code {
	return []rules.Code{rules.TB101, rules.TB202, rules.TB103, rules.TB201}
}

func (c Config) withDefaults() (Config, error) {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Datasources, DefaultDatasources)
	def(&c.Endpoints, DefaultEndpoints)
	def(&c.AccessesPerResource, DefaultAccessesPerResource)
	def(&c.Files, DefaultFiles)
	if c.ModulePath == "" {
		c.ModulePath = DefaultModulePath
	}
	switch {
	case c.Datasources < 0 || c.Endpoints < 0 || c.Files < 0 || c.AccessesPerResource < 0:
		return c, errors.New("schemagen: counts must not be negative")
	case c.AccessesPerResource > TokenCount:
		return c, fmt.Errorf("schemagen: AccessesPerResource is %d but only %d tokens exist: a token granted the same scope twice is a finding (TB206); use at most %d", c.AccessesPerResource, TokenCount, TokenCount)
	case c.ReplaceDir == "":
		return c, errors.New("schemagen: ReplaceDir is empty: set it to the tbls checkout the generated module should build against (see FindModuleRoot)")
	case c.Mistakes && (c.Datasources < 2 || c.Endpoints < 2 || c.AccessesPerResource < 1):
		return c, errors.New("schemagen: Mistakes needs at least 2 datasources, 2 endpoints and 1 access per resource to place them")
	}
	return c, nil
}

// Write generates the module into dir, creating dir if needed. It writes
// go.mod, go.sum (copied from ReplaceDir) and the package's files; it
// overwrites files of the same names and leaves others alone.
func Write(dir string, cfg Config) error {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return err
	}
	if err := WriteModule(dir, cfg.ModulePath, cfg.ReplaceDir); err != nil {
		return err
	}
	files := make(map[string][]byte)
	for name, src := range generate(cfg) {
		formatted, err := format.Source(src)
		if err != nil {
			// A bug in this generator, not in the caller's input.
			return fmt.Errorf("schemagen: generated %s does not parse: %v", name, err)
		}
		files[name] = formatted
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("schemagen: %v", err)
		}
	}
	return nil
}

// WriteModule writes go.mod and go.sum for a module at dir named
// modulePath that requires tbls, replaced by the checkout at replaceDir,
// creating dir if needed. The go directive is the checkout's, and go.sum is
// the checkout's, which covers the go.mod files of its requirements that
// module loading reads, so that `GOFLAGS=-mod=mod go build` works offline
// from a module cache filled by `go mod download` in the checkout. Tests of
// tools write their own packages next to it.
func WriteModule(dir, modulePath, replaceDir string) error {
	if replaceDir == "" {
		return errors.New("schemagen: ReplaceDir is empty: set it to the tbls checkout the generated module should build against (see FindModuleRoot)")
	}
	replace, err := filepath.Abs(replaceDir)
	if err != nil {
		return fmt.Errorf("schemagen: ReplaceDir %q: %v", replaceDir, err)
	}
	goVersion, err := goDirective(filepath.Join(replace, "go.mod"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("schemagen: %v", err)
	}
	gomod := fmt.Appendf(nil, "module %s\n\ngo %s\n\nrequire %s v0.0.0\n\nreplace %s => %s\n",
		modulePath, goVersion, SDKModule, SDKModule, replace)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), gomod, 0o644); err != nil {
		return fmt.Errorf("schemagen: %v", err)
	}
	sum, err := os.ReadFile(filepath.Join(replace, "go.sum"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
	}
	if err != nil {
		return fmt.Errorf("schemagen: %v", err)
	}
	return nil
}

// goDirective returns the version in the go directive of the go.mod file at
// path, so that the generated module asks for the same Go as the SDK.
func goDirective(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("schemagen: ReplaceDir must be a tbls checkout: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "go "); ok {
			return strings.TrimSpace(v), nil
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("schemagen: reading %s: %v", path, err)
	}
	return "", fmt.Errorf("schemagen: %s has no go directive", path)
}

// FindModuleRoot returns the directory of the tbls module containing start
// (a directory), by walking up to the go.mod that declares SDKModule.
func FindModuleRoot(start string) (string, error) {
	dir, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(data, []byte("module "+SDKModule+"\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("schemagen: no go.mod of %s above %s: run from inside a tbls checkout or pass its directory", SDKModule, start)
		}
		dir = parent
	}
}

// generate returns the package's files by name, unformatted.
func generate(cfg Config) map[string][]byte {
	files := make(map[string][]byte)
	files["tokens.go"] = tokensFile(cfg)

	// Datasources fill the first half of the files and endpoints the
	// second, so that each file holds one kind, like a hand-written schema.
	dsFiles, epFiles := split(cfg.Files, cfg.Datasources, cfg.Endpoints)
	for i, r := range chunks(cfg.Datasources, dsFiles) {
		var b bytes.Buffer
		header(&b)
		for n := r[0]; n < r[1]; n++ {
			datasource(&b, cfg, n)
		}
		files[fmt.Sprintf("datasources_%02d.go", i+1)] = b.Bytes()
	}
	for i, r := range chunks(cfg.Endpoints, epFiles) {
		var b bytes.Buffer
		header(&b)
		for n := r[0]; n < r[1]; n++ {
			endpoint(&b, cfg, n)
		}
		files[fmt.Sprintf("endpoints_%02d.go", i+1)] = b.Bytes()
	}
	return files
}

// split divides files between datasources and endpoints in proportion,
// giving each kind that has resources at least one file.
func split(files, ds, ep int) (int, int) {
	if ds+ep == 0 {
		return 0, 0
	}
	dsFiles := files * ds / (ds + ep)
	if ds > 0 && dsFiles == 0 {
		dsFiles = 1
	}
	epFiles := files - dsFiles
	if ep > 0 && epFiles <= 0 {
		epFiles = 1
	}
	if ep == 0 {
		epFiles = 0
	}
	return dsFiles, epFiles
}

// chunks splits [0, n) into k nearly equal consecutive ranges, none empty.
func chunks(n, k int) [][2]int {
	if k > n {
		k = n
	}
	var out [][2]int
	for i := range k {
		out = append(out, [2]int{i * n / k, (i + 1) * n / k})
	}
	return out
}

func header(b *bytes.Buffer) {
	fmt.Fprintf(b, "// Code generated by schemagen. DO NOT EDIT.\n\npackage %s\n\nimport tb %q\n\n", PackageName, SDKModule+"/tinybird")
}

func tokensFile(cfg Config) []byte {
	var b bytes.Buffer
	header(&b)
	b.WriteString("// The tokens every resource grants.\nvar (\n")
	for _, t := range tokens {
		fmt.Fprintf(&b, "\t%s = tb.DefineToken(%q)\n", t.ident, t.name)
	}
	b.WriteString(")\n")
	if cfg.Mistakes {
		// TB101: not a valid token name. Exported so that only TB101 fires.
		b.WriteString("\n// BadName is a generated mistake (TB101).\nvar BadName = tb.DefineToken(\"bad-name\")\n")
	}
	return b.Bytes()
}

// datasource writes datasource n: 15 lines with the blank one. With
// endpoints' 12, 1,000 of each make the issue's ~27,000 lines.
func datasource(b *bytes.Buffer, cfg Config, n int) {
	name := fmt.Sprintf("events_%04d", n)
	if cfg.Mistakes && n == 1 {
		name = "web-events_0001" // TB103: not a valid datasource name
	}
	fmt.Fprintf(b, "var Events%04d = tb.DefineDatasource(%q, tb.DatasourceOptions{\n", n, name)
	fmt.Fprintf(b, "\tDescription: \"Generated datasource %d.\",\n", n)
	b.WriteString("\tSchema: tb.Schema{\n\t\ttb.Col(\"timestamp\", tb.DateTime()),\n\t\ttb.Col(\"event_name\", tb.String()),\n\t},\n")
	b.WriteString("\tEngine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{\"timestamp\"}}),\n")
	b.WriteString("\tTokens: []tb.TokenAccess{\n")
	for i := range cfg.AccessesPerResource {
		scope := "tb.Read"
		if i == TokenCount-1 {
			scope = "tb.Append"
		}
		if cfg.Mistakes && n == 0 && i == 0 {
			scope = `"read"` // TB202: a scope is exactly READ or APPEND
		}
		fmt.Fprintf(b, "\t\t{Token: %s, Scope: %s},\n", tokens[i].ident, scope)
	}
	b.WriteString("\t},\n})\n\n")
}

// endpoint writes endpoint n: 12 lines with the blank one. Every access
// reads `Scope: tb.Read`, which the LSP benchmark edits.
func endpoint(b *bytes.Buffer, cfg Config, n int) {
	fmt.Fprintf(b, "var TopEvents%04d = tb.DefineEndpoint(\"top_events_%04d\", tb.EndpointOptions{\n", n, n)
	fmt.Fprintf(b, "\tDescription: \"Generated endpoint %d.\",\n", n)
	fmt.Fprintf(b, "\tNodes: []tb.Node{{Name: \"top_events_%04d\", SQL: \"SELECT event_name, count() AS hits FROM events_%04d GROUP BY event_name\"}},\n", n, n%max(cfg.Datasources, 1))
	b.WriteString("\tOutput: tb.Schema{tb.Col(\"event_name\", tb.String()), tb.Col(\"hits\", tb.UInt64())},\n")
	b.WriteString("\tTokens: []tb.TokenAccess{\n")
	for i := range cfg.AccessesPerResource {
		scope := "tb.Read"
		if cfg.Mistakes && n == 1 && i == 0 {
			scope = "tb.Append" // TB201: an endpoint accepts READ only
		}
		fmt.Fprintf(b, "\t\t{Token: %s, Scope: %s},\n", tokens[i].ident, scope)
	}
	b.WriteString("\t},\n})\n\n")
}

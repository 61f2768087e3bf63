// Package sdkedits generates random edit sequences of a Go package of
// several files that uses the SDK, for differential tests of what is
// cached per file (analyzer.NewModelReusing, resolve.ReadGo): each step
// is type-checked the way the language server's engine checks an edit (a
// split check of the edited file against a kept check of the others, or a
// whole check), and gives per-file epochs that keep the promise of
// cache.Package.FileEpoch: a file keeps its epoch exactly while its syntax
// tree, its type information and the objects its identifiers denote are
// the ones of the previous step.
//
// Unlike the engine's split check, the edited file may declare names the
// other files use (go/types reports them as redeclared): the other files'
// types and objects stay the kept check's, so their epochs stand, while
// look-ups by name across files may now find the edited file's
// declarations. A cache must notice that.
package sdkedits

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"

	"github.com/tbls-dev/tbls/internal/schemagen"
)

// sdkPath is the SDK's import path.
const sdkPath = "github.com/tbls-dev/tbls/tinybird"

// pkgPath is the path of the generated package.
const pkgPath = "example.com/edits"

// Step is the package after one edit, as the engine's snapshot gives it.
type Step struct {
	Fset  *token.FileSet
	Files []*ast.File
	Pkg   *types.Package
	Info  *types.Info
	// Epochs are the files' epochs (cache.Package.FileEpoch), in Files'
	// order.
	Epochs []any
	// Edited is the file edited and checked alone against the others'
	// kept check, -1 when the package was checked whole.
	Edited int
	// Sources are the files' texts, for failure messages.
	Sources []string
}

// Sequence generates the steps of one random edit sequence.
type Sequence struct {
	rng   *rand.Rand
	fset  *token.FileSet
	imp   types.Importer
	srcs  []string
	trees []*ast.File
	// hot is the file the kept check leaves out (-1: none), rest that
	// check, restEpoch its files' epoch.
	hot       int
	rest      *types.Package
	restInfo  *types.Info
	restEpoch any
}

// New returns a sequence of a package of files files, generated from seed.
// It loads the SDK's export data with the go command.
func New(seed uint64, files int) (*Sequence, error) {
	s, err := newSequence(seed)
	if err != nil {
		return nil, err
	}
	for range files {
		s.srcs = append(s.srcs, s.file())
	}
	s.trees = make([]*ast.File, files)
	for i := range files {
		s.parse(i)
	}
	return s, nil
}

// FromSources returns a sequence of the package whose files hold srcs,
// for benchmarks, which edit it with Edit.
func FromSources(srcs []string) (*Sequence, error) {
	s, err := newSequence(0)
	if err != nil {
		return nil, err
	}
	s.srcs = slices.Clone(srcs)
	s.trees = make([]*ast.File, len(srcs))
	for i := range srcs {
		s.parse(i)
	}
	return s, nil
}

// Edit gives file i the source src and checks it against the others'
// kept check (made first when the kept check leaves out another file).
func (s *Sequence) Edit(i int, src string) Step {
	if s.hot != i {
		s.hot = i
		s.checkRest()
	}
	s.srcs[i] = src
	s.parse(i)
	return s.split()
}

// newSequence returns a sequence without files.
func newSequence(seed uint64) (*Sequence, error) {
	exports, err := exportFiles()
	if err != nil {
		return nil, err
	}
	s := &Sequence{rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), fset: token.NewFileSet(), hot: -1}
	lookup := func(path string) (io.ReadCloser, error) {
		if name, ok := exports[path]; ok {
			return os.Open(name)
		}
		return nil, fmt.Errorf("package %q is not available to the edits", path)
	}
	// One importer for every check, so that every check sees the same SDK
	// package and its types are identical across checks.
	s.imp = importer.ForCompiler(s.fset, "gc", lookup)
	return s, nil
}

// exportFiles returns the export data files of the SDK and its
// dependencies, by package path.
func exportFiles() (map[string]string, error) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedExportFile | packages.NeedImports | packages.NeedDeps}
	pkgs, err := packages.Load(cfg, sdkPath)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string)
	var errs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			errs = append(errs, e.Error())
		}
		if p.ExportFile != "" {
			m[p.PkgPath] = p.ExportFile
		}
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("loading the SDK: %s", strings.Join(errs, "; "))
	}
	return m, nil
}

// parse parses file i's source into the sequence's file set.
func (s *Sequence) parse(i int) {
	name := fmt.Sprintf("f%d.go", i)
	f, err := parser.ParseFile(s.fset, name, s.srcs[i], parser.ParseComments|parser.SkipObjectResolution)
	if err != nil || f == nil {
		panic(fmt.Sprintf("sdkedits generated a file that does not parse: %v\n%s", err, s.srcs[i]))
	}
	s.trees[i] = f
}

// First returns the package checked whole, before any edit.
func (s *Sequence) First() Step {
	return s.whole()
}

// Next edits the package and returns it: most often the file edited last
// again, checked against the others' kept check; sometimes another file,
// checked the same way after a new check of the others; sometimes any
// file, with the package checked whole.
func (s *Sequence) Next() Step {
	switch r := s.rng.IntN(100); {
	case r < 60 && s.hot >= 0:
		s.edit(s.hot)
		return s.split()
	case r < 85:
		s.hot = s.rng.IntN(len(s.srcs))
		s.checkRest()
		s.edit(s.hot)
		return s.split()
	default:
		s.hot = -1
		s.edit(s.rng.IntN(len(s.srcs)))
		return s.whole()
	}
}

// edit gives file i new contents: all new, or the old with one
// declaration more or less.
func (s *Sequence) edit(i int) {
	src := s.srcs[i]
	decls := strings.Split(src, "\n\n")
	const header = 3 // package clause, import, a use of the import
	switch r := s.rng.IntN(3); {
	case r == 0 && len(decls) > header:
		j := header + s.rng.IntN(len(decls)-header)
		decls = append(decls[:j], decls[j+1:]...)
	case r == 1:
		decls = append(decls, s.decl())
	default:
		s.srcs[i] = s.file()
		s.parse(i)
		return
	}
	s.srcs[i] = strings.Join(decls, "\n\n")
	s.parse(i)
}

func newInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

func (s *Sequence) config() *types.Config {
	return &types.Config{Importer: s.imp, Error: func(error) {}}
}

// whole checks every file together: every file gets the check's epoch.
func (s *Sequence) whole() Step {
	pkg := types.NewPackage(pkgPath, s.trees[0].Name.Name)
	info := newInfo()
	_ = types.NewChecker(s.config(), s.fset, pkg, info).Files(s.trees)
	epoch := new(byte)
	epochs := make([]any, len(s.trees))
	for i := range epochs {
		epochs[i] = epoch
	}
	return Step{Fset: s.fset, Files: append([]*ast.File(nil), s.trees...), Pkg: pkg, Info: info, Epochs: epochs, Edited: -1, Sources: append([]string(nil), s.srcs...)}
}

// checkRest checks every file but the hot one, for split checks of it.
func (s *Sequence) checkRest() {
	var files []*ast.File
	for i, f := range s.trees {
		if i != s.hot {
			files = append(files, f)
		}
	}
	s.rest = types.NewPackage(pkgPath, s.trees[0].Name.Name)
	s.restInfo = newInfo()
	_ = types.NewChecker(s.config(), s.fset, s.rest, s.restInfo).Files(files)
	s.restEpoch = new(byte)
}

// split checks the hot file against the kept check of the others, whose
// objects a new package of the same path holds, and returns the rest's
// type information with the hot file's added.
func (s *Sequence) split() Step {
	pkg := types.NewPackage(pkgPath, s.trees[0].Name.Name)
	for _, name := range s.rest.Scope().Names() {
		pkg.Scope().Insert(s.rest.Scope().Lookup(name))
	}
	own := newInfo()
	_ = types.NewChecker(s.config(), s.fset, pkg, own).Files([]*ast.File{s.trees[s.hot]})
	info := newInfo()
	for _, pair := range []struct{ into, from *types.Info }{{info, s.restInfo}, {info, own}} {
		maps.Copy(pair.into.Types, pair.from.Types)
		maps.Copy(pair.into.Defs, pair.from.Defs)
		maps.Copy(pair.into.Uses, pair.from.Uses)
		maps.Copy(pair.into.Implicits, pair.from.Implicits)
		maps.Copy(pair.into.Instances, pair.from.Instances)
		maps.Copy(pair.into.Scopes, pair.from.Scopes)
		maps.Copy(pair.into.Selections, pair.from.Selections)
		maps.Copy(pair.into.FileVersions, pair.from.FileVersions)
	}
	epochs := make([]any, len(s.trees))
	for i := range epochs {
		epochs[i] = s.restEpoch
	}
	epochs[s.hot] = new(byte)
	return Step{Fset: s.fset, Files: append([]*ast.File(nil), s.trees...), Pkg: pkg, Info: info, Epochs: epochs, Edited: s.hot, Sources: append([]string(nil), s.srcs...)}
}

// file returns a new file: the package clause and import, then a few
// declarations.
func (s *Sequence) file() string {
	decls := []string{"package edits\n\nimport tb \"" + sdkPath + "\"\n\nvar _ tb.Token"}
	for range 2 + s.rng.IntN(6) {
		decls = append(decls, s.decl())
	}
	return strings.Join(decls, "\n\n")
}

// n returns a small index: names are drawn from small sets, so that files
// refer to one another's declarations, and sometimes declare the same
// name twice or use one nobody declares.
func (s *Sequence) n() int { return s.rng.IntN(3) }

// decl returns one declaration, of one of the forms the SDK model reads.
func (s *Sequence) decl() string {
	switch s.rng.IntN(14) {
	case 0:
		return fmt.Sprintf("var tok%d = tb.DefineToken(%q)", s.n(), fmt.Sprintf("t%d", s.rng.IntN(5)))
	case 1:
		return fmt.Sprintf("const name%d = %q\n\nvar tok%d = tb.DefineToken(name%d)", s.n(), fmt.Sprintf("c%d", s.rng.IntN(5)), s.n(), s.n())
	case 2:
		return fmt.Sprintf("var list%d = %s", s.n(), s.list())
	case 3:
		return fmt.Sprintf("var list%d = append(list%d, tb.TokenAccess{Token: tok%d, Scope: tb.Append}, help%d(tok%d))", s.n(), s.n(), s.n(), s.n(), s.n())
	case 4:
		return fmt.Sprintf("func help%d(t tb.Token) tb.TokenAccess { return tb.TokenAccess{Token: t, Scope: tb.Read} }", s.n())
	case 5:
		return fmt.Sprintf("func phelp%d(t tb.Token, s tb.Scope) *tb.TokenAccess { return &tb.TokenAccess{Token: t, Scope: s} }", s.n())
	case 6:
		return fmt.Sprintf("var acc%d = tb.TokenAccess{Token: tok%d, Scope: tb.Read}", s.n(), s.n())
	case 7:
		return fmt.Sprintf("var ds%d = tb.DefineDatasource(%q, tb.DatasourceOptions{Tokens: %s, Kafka: &tb.KafkaConfig{Connection: conn%d}})",
			s.n(), fmt.Sprintf("ds_%d", s.rng.IntN(5)), s.tokens(), s.n())
	case 8:
		return fmt.Sprintf("var ep%d = tb.DefineEndpoint(%q, tb.EndpointOptions{Tokens: %s, Nodes: []tb.Node{{Name: \"n%d\", SQL: \"SELECT * FROM ds_%d JOIN n%d USING x\"}}})",
			s.n(), fmt.Sprintf("ep_%d", s.rng.IntN(5)), s.tokens(), s.n(), s.n(), s.n())
	case 9:
		return fmt.Sprintf("var cp%d = tb.DefineCopyPipe(%q, tb.CopyPipeOptions{Datasource: ds%d, Tokens: %s})", s.n(), fmt.Sprintf("cp_%d", s.rng.IntN(5)), s.n(), s.tokens())
	case 10:
		return fmt.Sprintf("var conn%d = tb.DefineKafkaConnection(%q, tb.KafkaConnectionOptions{BootstrapServers: \"b\"})", s.n(), fmt.Sprintf("conn_%d", s.rng.IntN(5)))
	case 11:
		return fmt.Sprintf("var mv%d = tb.DefinePipe(%q, tb.PipeOptions{Materialized: &tb.MaterializedConfig{Datasource: ds%d}, Tokens: %s})", s.n(), fmt.Sprintf("mv_%d", s.rng.IntN(5)), s.n(), s.tokens())
	case 12:
		return fmt.Sprintf("func use%d() { _ = ds%d; _ = tok%d; _ = tb.DefineToken(\"local\") }", s.rng.IntN(100), s.n(), s.n())
	default:
		return fmt.Sprintf("var opts%d = tb.EndpointOptions{Tokens: %s}\n\nvar epo%d = tb.DefineEndpoint(\"epo_%d\", opts%d)", s.n(), s.tokens(), s.n(), s.n(), s.n())
	}
}

// tokens returns a Tokens value: a shared list, a list, or append.
func (s *Sequence) tokens() string {
	switch s.rng.IntN(4) {
	case 0:
		return fmt.Sprintf("list%d", s.n())
	case 1:
		return fmt.Sprintf("append(list%d, acc%d)", s.n(), s.n())
	case 2:
		return fmt.Sprintf("append([]tb.TokenAccess{{Name: \"x\"}}, list%d...)", s.n())
	default:
		return s.list()
	}
}

// list returns a []tb.TokenAccess literal of a few elements.
func (s *Sequence) list() string {
	var elts []string
	for range 1 + s.rng.IntN(3) {
		switch s.rng.IntN(6) {
		case 0:
			elts = append(elts, fmt.Sprintf("{Token: tok%d, Scope: tb.Append}", s.n()))
		case 1:
			elts = append(elts, fmt.Sprintf("help%d(tok%d)", s.n(), s.n()))
		case 2:
			elts = append(elts, fmt.Sprintf("*phelp%d(tok%d, tb.Read)", s.n(), s.n()))
		case 3:
			elts = append(elts, fmt.Sprintf("acc%d", s.n()))
		case 4:
			elts = append(elts, "{Name: \"inline\", Permissions: []tb.Scope{tb.Read, tb.Append}}")
		default:
			elts = append(elts, fmt.Sprintf("tb.TokenAccess{Token: tok%d, Scope: \"READ\"}", s.n()))
		}
	}
	return "[]tb.TokenAccess{" + strings.Join(elts, ", ") + "}"
}

// SchemaSources returns the Go files of the package schemagen generates
// with resources resources (half datasources, half endpoints), in the
// order of their names, for benchmarks of a large package.
func SchemaSources(resources int) ([]string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	root, err := schemagen.FindModuleRoot(wd)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sdkedits")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cfg := schemagen.Config{Datasources: resources / 2, Endpoints: resources - resources/2, ReplaceDir: root}
	if err := schemagen.Write(dir, cfg); err != nil {
		return nil, err
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var srcs []string
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, string(b))
	}
	return srcs, nil
}

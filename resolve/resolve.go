// Package resolve resolves the names of a Tinybird project across Go and
// datafiles: tokens, datasources, pipes, nodes and connections, where they
// are declared (DefineToken("app_read"), events.datasource, NODE top) and
// where they are used (grants, typed targets, DATASOURCE and
// TARGET_DATASOURCE lines, table references in node SQL).
//
// Each source file contributes a File of declarations and references,
// built by Datafile for datafiles and by the Go side (see GoFile) for Go
// packages. A Project joins the files of a project and answers what a name
// at a position is, where it is declared, where it is used, what renaming it
// edits, and which references resolve to nothing. The language server's
// definition, references, rename, symbols and code lenses, the TB710 check
// and `tbls access` all read a Project, so they agree on every name.
package resolve

import (
	"cmp"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/tbls-dev/tbls/rules"
)

// Kind is the kind of a name.
type Kind int

// The kinds of names. Datasources and pipes share one namespace in
// Tinybird (a query reads either by name), so a Resource reference
// resolves to a Datasource or a Pipe declaration.
const (
	Token Kind = iota + 1
	Datasource
	Pipe
	Resource // a datasource or a pipe: what SQL reads
	Node
	Connection
)

// String returns the kind's name in lower case, as messages use it.
func (k Kind) String() string {
	switch k {
	case Token:
		return "token"
	case Datasource:
		return "datasource"
	case Pipe:
		return "pipe"
	case Resource:
		return "datasource or pipe"
	case Node:
		return "node"
	case Connection:
		return "connection"
	}
	return "name"
}

// namespace returns the namespace of names of kind k.
func (k Kind) namespace() Kind {
	if k == Datasource || k == Pipe {
		return Resource
	}
	return k
}

// Use says how a reference uses a name.
type Use int

// The uses of a name.
const (
	UseGrant  Use = iota + 1 // a TOKEN line, a TokenAccess
	UseTarget                // DATASOURCE/TARGET_DATASOURCE, a materialized view's or copy pipe's Datasource
	UseTable                 // a table reference in node SQL
	UseConnection
)

// Decl is where a name is declared.
type Decl struct {
	Kind Kind
	Name string
	// Pipe is the pipe a Node belongs to.
	Pipe string
	// ResourceKind is the precise kind of a datasource or pipe
	// (rules.KindEndpoint, …).
	ResourceKind rules.Kind
	// File is the file's path; Start and End delimit the name in it. For a
	// resource named by its file name (FromFileName), they are 0.
	File         string
	Start, End   int
	Line         int // 1-based
	FromFileName bool
	// Go reports a declaration in Go code.
	Go bool
	// GoVar is the "pkgpath.Name" of the Go variable holding a declaration
	// made in Go, "" when there is none.
	GoVar string
	// Version is the VERSION of a classic datafile's resource, "" when it
	// has none: Tinybird deploys it as <name>__v<version> too, and queries
	// may read it by that name.
	Version string
	// Fixed, when not "", says why the name cannot be rewritten where it is
	// declared (it is computed, not written as a string literal).
	Fixed string
}

// Ref is a use of a name.
type Ref struct {
	Kind Kind
	Name string
	Use  Use
	// Pipe is the pipe whose node SQL holds the reference (for node
	// references and the exclusion of a pipe's own nodes).
	Pipe string
	// File is the file's path; Start and End delimit the name in it (a Go
	// identifier for a typed reference); Line is the 1-based line of Start.
	File       string
	Start, End int
	Line       int
	// Typed reports a Go reference through a variable (Token: AppRead,
	// Datasource: Events): it follows the declaration by itself, so rename
	// leaves it alone.
	Typed bool
	// Dotted reports a qualified SQL name (system.x, tinybird.x, ws.x).
	Dotted bool
	// Inline reports a grant of an inline token (TokenAccess.Name).
	Inline bool
	// Grant fields: the scope granted and the resource it is granted on.
	Scope        string
	Resource     string
	ResourceKind rules.Kind
	// GrantFile and GrantLine, for a grant in Go, are where it shows for
	// its resource: the TokenAccess element, or the Tokens field through
	// which the resource takes an access list held in a variable, which
	// may be in another file than the token's name; "" and 0 for a
	// datafile's TOKEN line, which is where it shows.
	GrantFile string
	GrantLine int
	// Fixed, when not "", says why the name cannot be rewritten here.
	Fixed string
	// Creates reports a materialized node's DATASOURCE target, which the
	// classic CLI creates when the project does not define it.
	Creates bool
	// GoVar is the "pkgpath.Name" of the Go variable a typed reference
	// goes through; when the variable is another package's, Name is ""
	// until the Project links it to that package's declaration.
	GoVar string
}

// File is what one source file contributes to a project.
type File struct {
	Path  string
	Decls []Decl
	Refs  []Ref
	// Includes are the paths of the files it INCLUDEs, as written.
	Includes []string
	// Partial reports a file whose references cannot be judged alone: an
	// .incl file, whose SQL runs inside the pipes that include it.
	Partial bool
}

// Target is a name a position is on: its namespace, its name and, for a
// node, its pipe.
type Target struct {
	Kind Kind // Token, Resource, Node or Connection
	Name string
	Pipe string
}

// Project is the files of one project. It is immutable once built.
type Project struct {
	files  []*File // by path
	byPath map[string]*File

	// The declarations and references of each name, built on first use.
	indexOnce sync.Once
	decls     map[Target][]int // indexes into allDecls
	refs      map[Target][]int // indexes into allRefs
	allDecls  []*Decl
	allRefs   []*Ref
}

// index builds the maps of names to their declarations and references.
func (p *Project) index() {
	p.indexOnce.Do(func() {
		p.decls, p.refs = map[Target][]int{}, map[Target][]int{}
		for _, f := range p.files {
			for i := range f.Decls {
				d := &f.Decls[i]
				t := Target{Kind: d.Kind.namespace(), Name: d.Name, Pipe: d.Pipe}
				if t.Kind != Node {
					t.Pipe = ""
				}
				p.decls[t] = append(p.decls[t], len(p.allDecls))
				if d.Version != "" && t.Kind == Resource {
					// Queries may read a classic versioned resource as
					// <name>__v<version>.
					v := Target{Kind: Resource, Name: d.Name + "__v" + d.Version}
					p.decls[v] = append(p.decls[v], len(p.allDecls))
				}
				p.allDecls = append(p.allDecls, d)
			}
			for i := range f.Refs {
				r := &f.Refs[i]
				t := p.targetOf(r)
				p.refs[t] = append(p.refs[t], len(p.allRefs))
				p.allRefs = append(p.allRefs, r)
			}
		}
	})
}

// NewProject returns the project of files; a later file of the same path
// replaces an earlier one.
func NewProject(files ...*File) *Project {
	p := &Project{byPath: make(map[string]*File, len(files))}
	for _, f := range files {
		if f != nil {
			p.byPath[f.Path] = f
		}
	}
	for _, f := range p.byPath {
		p.files = append(p.files, f)
	}
	p.linkIncludes()
	p.linkGoVars()
	slices.SortFunc(p.files, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
	return p
}

// linkIncludes resolves the references of files that INCLUDE .incl files
// to the nodes those files declare: their nodes become the including
// pipe's. A file whose references change is replaced by a copy; the files
// given to NewProject are never modified.
func (p *Project) linkIncludes() {
	inclNodes := map[string]map[string]bool{} // .incl base name → its nodes
	for _, f := range p.byPath {
		if !f.Partial {
			continue
		}
		for _, d := range f.Decls {
			if d.Kind == Node {
				base := filepath.Base(f.Path)
				if inclNodes[base] == nil {
					inclNodes[base] = map[string]bool{}
				}
				inclNodes[base][d.Name] = true
			}
		}
	}
	if len(inclNodes) == 0 {
		return
	}
	for i, f := range p.files {
		if len(f.Includes) == 0 {
			continue
		}
		var refs []Ref
		for j, r := range f.Refs {
			if r.Kind != Resource || r.Use != UseTable {
				continue
			}
			for _, inc := range f.Includes {
				base := filepath.Base(inc)
				if inclNodes[base][r.Name] {
					if refs == nil {
						refs = slices.Clone(f.Refs)
					}
					refs[j].Kind, refs[j].Pipe = Node, includePipe(base)
					break
				}
			}
		}
		if refs != nil {
			cp := *f
			cp.Refs = refs
			p.files[i] = &cp
			p.byPath[f.Path] = &cp
		}
	}
}

// linkGoVars names the typed references made through another package's
// variables (Token: tokens.AppRead) after that package's declarations.
// References no declaration names are dropped.
func (p *Project) linkGoVars() {
	vars := map[string]string{}
	for _, f := range p.files {
		for _, d := range f.Decls {
			if d.GoVar != "" {
				vars[d.GoVar] = d.Name
			}
		}
	}
	for i, f := range p.files {
		if !slices.ContainsFunc(f.Refs, func(r Ref) bool { return r.Name == "" }) {
			continue
		}
		refs := make([]Ref, 0, len(f.Refs))
		for _, r := range f.Refs {
			if r.Name == "" {
				name, ok := vars[r.GoVar]
				if !ok || r.GoVar == "" {
					continue
				}
				r.Name = name
			}
			refs = append(refs, r)
		}
		cp := *f
		cp.Refs = refs
		p.files[i] = &cp
		p.byPath[f.Path] = &cp
	}
}

// Files returns the project's files, ordered by path.
func (p *Project) Files() []*File { return p.files }

// File returns the file of path, or nil.
func (p *Project) File(path string) *File { return p.byPath[path] }

// At returns the name at byte offset off of the file path: a declaration's
// or a reference's name (an offset at its end counts). A node reference
// resolves to its node; a resource reference to a node of its own pipe when
// the pipe has one of that name.
func (p *Project) At(path string, off int) (Target, bool) {
	f := p.byPath[path]
	if f == nil {
		return Target{}, false
	}
	for i := range f.Decls {
		d := &f.Decls[i]
		if !d.FromFileName && d.Start <= off && off <= d.End {
			return Target{Kind: d.Kind.namespace(), Name: d.Name, Pipe: d.Pipe}, true
		}
	}
	for i := range f.Refs {
		r := &f.Refs[i]
		if r.Start <= off && off <= r.End {
			return p.targetOf(r), true
		}
	}
	return Target{}, false
}

// targetOf returns what r names.
func (p *Project) targetOf(r *Ref) Target {
	return Target{Kind: r.Kind.namespace(), Name: r.Name, Pipe: nodePipe(r)}
}

func nodePipe(r *Ref) string {
	if r.Kind == Node {
		return r.Pipe
	}
	return ""
}

// FileTarget returns the resource a datafile declares by its file name.
func (p *Project) FileTarget(path string) (Target, bool) {
	f := p.byPath[path]
	if f == nil {
		return Target{}, false
	}
	for _, d := range f.Decls {
		if d.FromFileName {
			return Target{Kind: d.Kind.namespace(), Name: d.Name}, true
		}
	}
	return Target{}, false
}

// Decls returns the declarations of t, Go first, then by file and offset.
func (p *Project) Decls(t Target) []Decl {
	p.index()
	if t.Kind != Node {
		t.Pipe = ""
	}
	var out []Decl
	for _, i := range p.decls[t] {
		out = append(out, *p.allDecls[i])
	}
	slices.SortStableFunc(out, func(a, b Decl) int {
		if a.Go != b.Go {
			if a.Go {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.File, b.File), a.Start-b.Start)
	})
	return out
}

// Refs returns the references to t, by file and offset.
func (p *Project) Refs(t Target) []Ref {
	p.index()
	if t.Kind != Node {
		t.Pipe = ""
	}
	var out []Ref
	for _, i := range p.refs[t] {
		out = append(out, *p.allRefs[i])
	}
	return out
}

// Names returns every declared name of the namespace kind, sorted, without
// duplicates.
func (p *Project) Names(kind Kind) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range p.files {
		for _, d := range f.Decls {
			if d.Kind.namespace() == kind && !seen[d.Name] {
				seen[d.Name] = true
				out = append(out, d.Name)
			}
		}
	}
	slices.Sort(out)
	return out
}

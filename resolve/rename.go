package resolve

import (
	"fmt"
	"path/filepath"

	"github.com/tbls-dev/tbls/rules"
)

// Edit replaces the bytes [Start, End) of File with NewText.
type Edit struct {
	File       string
	Start, End int
	NewText    string
}

// FileRename renames a file.
type FileRename struct {
	Old, New string
}

// Renaming is what renaming a name edits: text edits, by file and offset,
// and file renames, to apply after the edits.
type Renaming struct {
	Edits   []Edit
	Renames []FileRename
}

// RenameError says why a name cannot be renamed.
type RenameError struct{ Reason string }

// Error returns the reason.
func (e *RenameError) Error() string { return e.Reason }

func refuse(format string, args ...any) error {
	return &RenameError{Reason: fmt.Sprintf(format, args...)}
}

// PrepareRename returns the name at byte offset off of path and the extent
// of its text there, or an error saying why it cannot be renamed from
// there. A Go variable holding a resource (Token: AppRead) is Go's to
// rename: its Tinybird name is renamed where it is written.
func (p *Project) PrepareRename(path string, off int) (Target, int, int, error) {
	f := p.byPath[path]
	if f == nil {
		return Target{}, 0, 0, refuse("no name here")
	}
	for i := range f.Decls {
		d := &f.Decls[i]
		if !d.FromFileName && d.Start <= off && off <= d.End {
			t := Target{Kind: d.Kind.namespace(), Name: d.Name, Pipe: d.Pipe}
			if d.Fixed != "" {
				return t, 0, 0, refuse("%s", d.Fixed)
			}
			return t, d.Start, d.End, nil
		}
	}
	for i := range f.Refs {
		r := &f.Refs[i]
		if r.Start <= off && off <= r.End {
			t := p.targetOf(r)
			switch {
			case r.Typed:
				return t, 0, 0, refuse("this is a Go variable holding the %s %q: rename the variable with gopls, or the %s where its name is written", t.Kind, r.Name, t.Kind)
			case r.Fixed != "":
				return t, 0, 0, refuse("%s", r.Fixed)
			case r.Dotted:
				return t, 0, 0, refuse("%q is a datasource of another workspace or of Tinybird: its name is not this project's to change", r.Name)
			}
			return t, r.Start, r.End, nil
		}
	}
	return Target{}, 0, 0, refuse("no datasource, pipe, node, token or connection name here")
}

// Rename returns the edits that rename t to newName everywhere in the
// project: Go string literals, datafile lines, SQL references, and the
// file of a datafile resource. It refuses an invalid or taken name, and a
// name that is computed somewhere (not a literal) rather than edit part of
// its uses.
func (p *Project) Rename(t Target, newName string) (*Renaming, error) {
	if newName == t.Name {
		return &Renaming{}, nil
	}
	if err := checkNewName(t.Kind, newName); err != nil {
		return nil, err
	}
	decls, refs := p.Decls(t), p.Refs(t)
	if len(decls) == 0 && len(refs) == 0 {
		return nil, refuse("the project has no %s named %q", t.Kind, t.Name)
	}
	taken := Target{Kind: t.Kind, Name: newName, Pipe: t.Pipe}
	if ds := p.Decls(taken); len(ds) > 0 {
		return nil, refuse("the project already has a %s named %q (%s)", ds[0].Kind, newName, ds[0].File)
	}
	if rs := p.Refs(taken); t.Kind == Token && len(rs) > 0 {
		return nil, refuse("the project already grants a token named %q (%s): renaming would merge two tokens", newName, rs[0].File)
	}
	r := &Renaming{}
	for _, d := range decls {
		switch {
		case d.Name != t.Name:
			return nil, refuse("%q is the versioned name of %q (VERSION %s): rename %q itself", t.Name, d.Name, d.Version, d.Name)
		case d.Fixed != "":
			return nil, refuse("cannot rename %q: %s (%s)", t.Name, d.Fixed, d.File)
		case d.FromFileName:
			newPath := filepath.Join(filepath.Dir(d.File), newName+filepath.Ext(d.File))
			if p.byPath[newPath] != nil {
				return nil, refuse("cannot rename %q: %s already exists", t.Name, newPath)
			}
			r.Renames = append(r.Renames, FileRename{Old: d.File, New: newPath})
		default:
			r.Edits = append(r.Edits, Edit{File: d.File, Start: d.Start, End: d.End, NewText: newName})
		}
	}
	// A classic datafile's VERSION N makes its resource readable as
	// <name>__vN too: those references follow the new name.
	for _, d := range decls {
		if d.Version != "" && t.Kind == Resource {
			suffix := "__v" + d.Version
			for _, ref := range p.Refs(Target{Kind: Resource, Name: t.Name + suffix}) {
				if ref.Fixed == "" && !ref.Typed && !ref.Dotted {
					r.Edits = append(r.Edits, Edit{File: ref.File, Start: ref.Start, End: ref.End, NewText: newName + suffix})
				}
			}
		}
	}
	for _, ref := range refs {
		switch {
		case ref.Typed:
			continue // follows the declaration
		case ref.Fixed != "":
			return nil, refuse("cannot rename %q: %s (%s)", t.Name, ref.Fixed, ref.File)
		case ref.Dotted:
			continue // db.name is another name
		}
		r.Edits = append(r.Edits, Edit{File: ref.File, Start: ref.Start, End: ref.End, NewText: newName})
	}
	return r, nil
}

// checkNewName checks a new name with the rules of its kind.
func checkNewName(kind Kind, name string) error {
	var p *rules.Problem
	switch kind {
	case Token:
		if !rules.ValidName(name) {
			return refuse("%s", rules.InvalidNameMessage(rules.SubjectToken, name))
		}
	case Resource:
		p = rules.CheckName(rules.SubjectDatasource, name)
	case Node:
		p = rules.CheckName(rules.SubjectNode, name)
	case Connection:
		p = rules.CheckName(rules.SubjectConnection, name)
	}
	if p != nil {
		return refuse("%s", p.Message)
	}
	return nil
}

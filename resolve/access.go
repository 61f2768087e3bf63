package resolve

import (
	"cmp"
	"slices"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// Grant is one grant of a token on a resource: a TOKEN line, or a
// TokenAccess in Go (a defined token with its scope, or an inline token).
type Grant struct {
	Token        string
	Resource     string
	ResourceKind rules.Kind
	Scope        string
	Inline       bool
	File         string
	Line         int
}

// Grants returns every grant of the project whose token and resource are
// known, ordered by token, resource, scope, file and line.
func (p *Project) Grants() []Grant {
	return p.grants(func(r *Ref) bool { return r.Resource != "" && r.Scope != "" })
}

// PartialGrants returns the grants of a known token whose resource or
// scope is not a constant (Resource or Scope is then ""), which Grants
// leaves out because their cell of the matrix is unknown; ordered as
// Grants orders them.
func (p *Project) PartialGrants() []Grant {
	return p.grants(func(r *Ref) bool { return r.Name != "" && (r.Resource == "" || r.Scope == "") })
}

func (p *Project) grants(keep func(*Ref) bool) []Grant {
	var out []Grant
	for _, f := range p.files {
		for i := range f.Refs {
			r := &f.Refs[i]
			if r.Kind != Token || r.Use != UseGrant || !keep(r) {
				continue
			}
			g := Grant{Token: r.Name, Resource: r.Resource, ResourceKind: r.ResourceKind,
				Scope: r.Scope, Inline: r.Inline, File: r.File, Line: r.Line}
			if r.GrantFile != "" {
				g.File, g.Line = r.GrantFile, r.GrantLine
			}
			out = append(out, g)
		}
	}
	slices.SortFunc(out, compareGrants)
	return out
}

// TokenOfGoVar returns the name of the token the Go variable key
// ("pkgpath.Name") holds, when the project declares it.
func (p *Project) TokenOfGoVar(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	for _, f := range p.files {
		for _, d := range f.Decls {
			if d.Kind == Token && d.GoVar == key {
				return d.Name, true
			}
		}
	}
	return "", false
}

func compareGrants(a, b Grant) int {
	return cmp.Or(strings.Compare(a.Token, b.Token), strings.Compare(a.Resource, b.Resource),
		scopeRank(a.Scope)-scopeRank(b.Scope), strings.Compare(a.Scope, b.Scope),
		strings.Compare(a.File, b.File), a.Line-b.Line)
}

// scopeRank orders scopes from the narrowest: READ, then APPEND, then
// anything else.
func scopeRank(s string) int {
	switch s {
	case rules.ScopeRead:
		return 0
	case rules.ScopeAppend:
		return 1
	}
	return 2
}

// Access is one cell of the access matrix: the scopes a token holds on a
// resource, with the grants that give them.
type Access struct {
	Token        string
	Resource     string
	ResourceKind rules.Kind
	Scopes       []string // ordered from the narrowest, without duplicates
	Grants       []Grant
}

// Matrix returns the access matrix of grants (as Grants orders them): one
// Access per token and resource, ordered by token, then resource.
func Matrix(grants []Grant) []Access {
	var out []Access
	for _, g := range grants {
		if n := len(out); n > 0 && out[n-1].Token == g.Token && out[n-1].Resource == g.Resource {
			a := &out[n-1]
			if !slices.Contains(a.Scopes, g.Scope) {
				a.Scopes = append(a.Scopes, g.Scope)
			}
			a.Grants = append(a.Grants, g)
			continue
		}
		out = append(out, Access{Token: g.Token, Resource: g.Resource, ResourceKind: g.ResourceKind,
			Scopes: []string{g.Scope}, Grants: []Grant{g}})
	}
	return out
}

// ChangeKind says how a token's access to a resource changed.
type ChangeKind string

// The kinds of change.
const (
	Added    ChangeKind = "added"    // the token had no access to the resource
	Removed  ChangeKind = "removed"  // the token has no access any more
	Widened  ChangeKind = "widened"  // a scope added, or READ became APPEND
	Narrowed ChangeKind = "narrowed" // a scope removed, or APPEND became READ
)

// Change is a change of one token's access to one resource.
type Change struct {
	Kind         ChangeKind
	Token        string
	Resource     string
	ResourceKind rules.Kind
	Old, New     []string // scopes before and after
	// Grants are the grants after the change (before it, for Removed).
	Grants []Grant
}

// Diff returns how access changed from the matrix old to the matrix new,
// ordered by token, then resource.
func Diff(old, new []Access) []Change {
	type key struct{ token, resource string }
	before := map[key]Access{}
	for _, a := range old {
		before[key{a.Token, a.Resource}] = a
	}
	var out []Change
	seen := map[key]bool{}
	for _, a := range new {
		k := key{a.Token, a.Resource}
		seen[k] = true
		b, ok := before[k]
		c := Change{Token: a.Token, Resource: a.Resource, ResourceKind: a.ResourceKind, New: a.Scopes, Grants: a.Grants}
		switch {
		case !ok:
			c.Kind = Added
		case slices.Equal(b.Scopes, a.Scopes):
			continue
		default:
			c.Old = b.Scopes
			c.Kind = direction(b.Scopes, a.Scopes)
		}
		out = append(out, c)
	}
	for _, b := range old {
		if k := (key{b.Token, b.Resource}); !seen[k] {
			out = append(out, Change{Kind: Removed, Token: b.Token, Resource: b.Resource, ResourceKind: b.ResourceKind, Old: b.Scopes, Grants: b.Grants})
		}
	}
	slices.SortStableFunc(out, func(a, b Change) int {
		return cmp.Or(strings.Compare(a.Token, b.Token), strings.Compare(a.Resource, b.Resource))
	})
	return out
}

// direction tells a change of scopes from old to new apart: widened when a
// scope was only added, or the widest scope grew; narrowed otherwise.
func direction(old, new []string) ChangeKind {
	added, removed := false, false
	for _, s := range new {
		added = added || !slices.Contains(old, s)
	}
	for _, s := range old {
		removed = removed || !slices.Contains(new, s)
	}
	switch {
	case added && !removed:
		return Widened
	case removed && !added:
		return Narrowed
	}
	if widest(new) > widest(old) {
		return Widened
	}
	return Narrowed
}

func widest(scopes []string) int {
	w := -1
	for _, s := range scopes {
		w = max(w, scopeRank(s))
	}
	return w
}

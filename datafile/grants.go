package datafile

import (
	"sort"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// Grant is one TOKEN line: a token granted a scope on the file's resource.
type Grant struct {
	// Token is the token's name, without quotes.
	Token string
	// Scope is the permission as Tinybird applies it: upper-cased, as the
	// CLI does. ScopeText is the permission as written.
	Scope, ScopeText string
	// Resource is the file's resource name and Kind its kind (0 when the
	// file was parsed without a name).
	Resource string
	Kind     rules.Kind
	// Directive is the TOKEN line.
	Directive *Directive
	// NameStart, NameEnd delimit the name (quotes included); ScopeStart,
	// ScopeEnd the permission.
	NameStart, NameEnd   int
	ScopeStart, ScopeEnd int
}

// TokenGrants returns the file's grants, in source order: every TOKEN line
// that the Tinybird CLI can split into a name and a permission, whether or
// not the permission is valid (Check says that), so that hover and the
// access map show what the file asks for.
func (f *File) TokenGrants() []Grant {
	var gs []Grant
	for _, d := range f.Directives {
		if !d.Is("TOKEN") || d.Block != nil || len(d.Args) != 2 || d.Args[1].Unterminated {
			continue
		}
		name, scope := d.Args[0], d.Args[1]
		gs = append(gs, Grant{
			Token:      name.Value(),
			Scope:      strings.ToUpper(scope.Value()),
			ScopeText:  scope.Text,
			Resource:   f.Name,
			Kind:       f.Kind,
			Directive:  d,
			NameStart:  name.Start,
			NameEnd:    name.End,
			ScopeStart: scope.Start,
			ScopeEnd:   scope.End,
		})
	}
	return gs
}

// GrantAt returns the grant whose TOKEN line contains offset.
func (f *File) GrantAt(offset int) (Grant, bool) {
	d := f.DirectiveAt(offset)
	if d == nil || !d.Is("TOKEN") {
		return Grant{}, false
	}
	gs := f.TokenGrants()
	i := sort.Search(len(gs), func(i int) bool { return gs[i].Directive.Start >= d.Start })
	if i < len(gs) && gs[i].Directive == d {
		return gs[i], true
	}
	return Grant{}, false
}

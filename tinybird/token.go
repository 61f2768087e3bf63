package tinybird

// Token is a static token defined with DefineToken. Grant it on resources
// with TokenAccess{Token: t, Scope: …}.
type Token struct {
	name string
	pos  position
}

// DefineToken defines a static token. The name must match
// rules.NamePattern; an invalid name is reported by Validate (TB101).
//
//go:noinline
func DefineToken(name string) Token {
	return Token{name: name, pos: callerPosition()}
}

// Name returns the token's name.
func (t Token) Name() string { return t.name }

// IsZero reports whether t is the zero Token, i.e. not made by DefineToken.
func (t Token) IsZero() bool { return t == Token{} }

// Package tinybird is a look-alike of the SDK: same package name, same
// function and type names, another import path. The analyzers must never
// flag anything built with it.
package tinybird

// Scope looks like the SDK's Scope.
type Scope string

// Append looks like the SDK's Append.
const Append Scope = "APPEND"

// Token looks like the SDK's Token.
type Token struct{ name string }

// DefineToken looks like the SDK's DefineToken.
func DefineToken(name string) Token { return Token{name} }

// TokenAccess looks like the SDK's TokenAccess.
type TokenAccess struct {
	Token       Token
	Scope       Scope
	Name        string
	Permissions []Scope
}

// EndpointOptions looks like the SDK's EndpointOptions.
type EndpointOptions struct {
	Tokens []TokenAccess
}

// DefineEndpoint looks like the SDK's DefineEndpoint.
func DefineEndpoint(name string, opts EndpointOptions) {}

// JWTScope looks like the SDK's JWTScope.
type JWTScope struct {
	Type     string
	Resource string
}

package tinybird

import "github.com/tbls-dev/tbls/rules"

// Scope is what a token may do on a resource.
type Scope string

// The scopes. Datasources accept both; every pipe kind accepts Read only.
const (
	Read   Scope = rules.ScopeRead
	Append Scope = rules.ScopeAppend
)

// TokenAccess grants a token on one resource. Reference form: Token + Scope.
// Inline form: Name + Permissions (datasources); Name alone on pipes means
// READ.
type TokenAccess struct {
	Token       Token
	Scope       Scope
	Name        string
	Permissions []Scope
}

package tinybird

import (
	"time"

	"github.com/tbls-dev/tbls/rules"
)

// JWTScopeType is the type of a JWT scope.
type JWTScopeType string

// The JWT scope types Tinybird accepts.
const (
	PipesRead       JWTScopeType = rules.JWTPipesRead
	DatasourcesRead JWTScopeType = rules.JWTDatasourcesRead
)

// JWTScope grants a JWT access to one resource.
type JWTScope struct {
	Type JWTScopeType
	// Resource is the name of the pipe or datasource.
	Resource string
	// FixedParams pins query parameters of a PIPES:READ scope; the caller
	// cannot override them.
	FixedParams map[string]any
	// Filter is an SQL condition restricting the rows a DATASOURCES:READ
	// scope sees.
	Filter string
}

// JWTLimits limits a JWT's use.
type JWTLimits struct {
	// RPS is the maximum number of requests per second; zero means no
	// limit.
	RPS int
}

// JWTOptions describes a JWT to create.
type JWTOptions struct {
	Name string
	// ExpiresAt must be in the future; it is sent as Unix seconds.
	ExpiresAt time.Time
	Scopes    []JWTScope
	// Limits is optional.
	Limits *JWTLimits
}

// Validate checks the options with the rules' JWT checks (TB401–TB404)
// against now, plus a name and at least one scope, and returns every
// problem as a *ValidationError, or nil.
func (o JWTOptions) Validate(now time.Time) error {
	var l problemList
	add := func(field string, code rules.Code, msg string) {
		l.add(position{}, "JWT", field, code, msg)
	}
	if o.Name == "" {
		add("Name", "", "JWT has no name: set Name; Tinybird shows it in the token list.")
	}
	if len(o.Scopes) == 0 {
		add("Scopes", "", "JWT has no scopes, so it can read nothing: add a PIPES:READ or DATASOURCES:READ scope.")
	}
	for i, s := range o.Scopes {
		for _, p := range rules.CheckJWTScope(rules.JWTScope{
			Type:           string(s.Type),
			Resource:       s.Resource,
			HasFixedParams: len(s.FixedParams) > 0,
			HasFilter:      s.Filter != "",
		}) {
			add("Scopes["+itoa(i)+"]", p.Code, p.Message)
		}
	}
	if p := rules.CheckJWTExpiry(o.ExpiresAt, now); p != nil {
		add("ExpiresAt", p.Code, p.Message)
	}
	if o.Limits != nil && o.Limits.RPS < 0 {
		add("Limits.RPS", "", "JWT rate limit is negative: set Limits.RPS to a positive number of requests per second, or leave Limits nil.")
	}
	return l.err()
}

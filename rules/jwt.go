package rules

import (
	"fmt"
	"time"
)

// The JWT scope types. Tinybird's CLI and server accept PIPES:READ and
// DATASOURCES:READ; DATASOURCES:APPEND appears in the TypeScript SDK's type
// but is refused by the CLI.
const (
	JWTPipesRead         = "PIPES:READ"
	JWTDatasourcesRead   = "DATASOURCES:READ"
	JWTDatasourcesAppend = "DATASOURCES:APPEND"
)

var jwtScopeTypes = []string{JWTPipesRead, JWTDatasourcesRead}

// JWTScopeTypes returns the JWT scope types Tinybird accepts, in the order
// completion offers them. The caller must not modify the result.
func JWTScopeTypes() []string { return jwtScopeTypes }

// JWTScopeDoc documents a JWT scope type, for completion and hover.
func JWTScopeDoc(typ string) string {
	switch typ {
	case JWTPipesRead:
		return "PIPES:READ lets the JWT call the pipe named by Resource. FixedParams pins query parameters the caller cannot override."
	case JWTDatasourcesRead:
		return "DATASOURCES:READ lets the JWT read the datasource named by Resource. Filter restricts the rows it sees with an SQL condition."
	}
	return ""
}

// JWTScope is what CheckJWTScope needs to know of one scope of a JWT.
type JWTScope struct {
	Type           string
	Resource       string
	HasFixedParams bool
	HasFilter      bool
}

// CheckJWTScope checks one scope of a JWT: the type must be allowed (TB401),
// the resource set (TB402), FixedParams only on PIPES:READ and Filter only on
// DATASOURCES:READ (TB403).
func CheckJWTScope(s JWTScope) []Problem {
	var ps []Problem
	switch s.Type {
	case JWTPipesRead, JWTDatasourcesRead:
	case JWTDatasourcesAppend:
		ps = append(ps, Problem{Code: TB401, Message: "JWT scope type DATASOURCES:APPEND is not allowed: the TypeScript SDK's type lists it, but Tinybird's CLI and server refuse it. Use PIPES:READ or DATASOURCES:READ, and a static token with APPEND to ingest."})
	default:
		ps = append(ps, Problem{Code: TB401, Message: fmt.Sprintf("JWT scope type %q is not allowed: use %s.", s.Type, orList(jwtScopeTypes))})
	}
	if s.Resource == "" {
		ps = append(ps, Problem{Code: TB402, Message: "JWT scope has no resource: set Resource to the name of the pipe or datasource it grants."})
	}
	if s.HasFixedParams && s.Type != JWTPipesRead {
		ps = append(ps, Problem{Code: TB403, Message: fmt.Sprintf("FixedParams apply only to PIPES:READ scopes, not %s: Tinybird ignores them here. Remove FixedParams, or use Filter to restrict a datasource.", s.Type)})
	}
	if s.HasFilter && s.Type != JWTDatasourcesRead {
		ps = append(ps, Problem{Code: TB403, Message: fmt.Sprintf("Filter applies only to DATASOURCES:READ scopes, not %s: Tinybird ignores it here. Remove Filter, or use FixedParams to pin a pipe's parameters.", s.Type)})
	}
	return ps
}

// CheckJWTExpiry checks a JWT's expiration time against now: Tinybird
// requires one in the future (TB404).
func CheckJWTExpiry(expiresAt, now time.Time) *Problem {
	if expiresAt.IsZero() {
		return &Problem{Code: TB404, Message: "JWT has no expiration time: Tinybird requires one in the future. Set ExpiresAt, e.g. time.Now().Add(time.Hour)."}
	}
	if !expiresAt.After(now) {
		return &Problem{Code: TB404, Message: fmt.Sprintf("JWT expiration %s is already in the past: Tinybird requires one in the future. Compute ExpiresAt from time.Now().", expiresAt.UTC().Format(time.RFC3339))}
	}
	return nil
}

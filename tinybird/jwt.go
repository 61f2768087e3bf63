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
	Type        JWTScopeType
	Resource    string
	FixedParams map[string]any
	Filter      string
}

// JWTLimits limits a JWT's use.
type JWTLimits struct {
	RPS int
}

// JWTOptions describes a JWT to create.
type JWTOptions struct {
	Name      string
	ExpiresAt time.Time
	Scopes    []JWTScope
	Limits    *JWTLimits
}

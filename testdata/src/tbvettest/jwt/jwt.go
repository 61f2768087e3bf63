package jwt

import (
	"time"

	"github.com/tbls-dev/tbls/tinybird"
)

const appendType = "DATASOURCES:APPEND"

var later = time.Now().Add(time.Hour)

var Scopes = []tinybird.JWTScope{
	{Type: appendType, Resource: "events"},         // want `^TB401 JWT scope type DATASOURCES:APPEND is not allowed`
	{Type: "PIPES:WRITE", Resource: "top"},         // want `^TB401 JWT scope type "PIPES:WRITE" is not allowed: use PIPES:READ or DATASOURCES:READ\.`
	{Type: tinybird.PipesRead},                     // want `^TB402 JWT scope has no resource`
	{Type: tinybird.DatasourcesRead, Resource: ""}, // want `TB402 JWT scope has no resource`
	{Resource: "events"},                           // want `TB401 JWT scope type "" is not allowed`
	{Type: tinybird.DatasourcesRead, Resource: "events", FixedParams: map[string]any{"org": 1}}, // want `^TB403 FixedParams apply only to PIPES:READ scopes, not DATASOURCES:READ`
	{Type: tinybird.PipesRead, Resource: "top", Filter: "org_id = 1"},                           // want `^TB403 Filter applies only to DATASOURCES:READ scopes, not PIPES:READ`
	// no diagnostic: the right fields on the right types, values not constant.
	{Type: tinybird.PipesRead, Resource: "top", FixedParams: map[string]any{"org": 1}},
	{Type: tinybird.DatasourcesRead, Resource: "events", Filter: "org_id = 1", FixedParams: nil},
	{Type: tinybird.JWTScopeType(resourceName()), Resource: resourceName()},
	{Type: tinybird.PipesRead, Resource: "top", Filter: ""},
}

func resourceName() string { return "top" }

var Options = []tinybird.JWTOptions{
	{Name: "no_expiry", Scopes: Scopes},                                    // want `^TB404 JWT has no expiration time`
	{Name: "zero", ExpiresAt: time.Time{}},                                 // want `TB404 JWT has no expiration time`
	{Name: "past", ExpiresAt: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}, // want `^TB404 JWT expiration 2020-01-01T00:00:00Z is already in the past`
	{Name: "epoch", ExpiresAt: time.Unix(0, 0)},                            // want `TB404 JWT expiration 1970-01-01T00:00:00Z is already in the past`
	{Name: "milli", ExpiresAt: time.UnixMilli(1_000)},                      // want `TB404 JWT expiration 1970-01-01T00:00:01Z is already in the past`
	// no diagnostic: computed or future expirations.
	{Name: "later", ExpiresAt: later},
	{Name: "now", ExpiresAt: time.Now().Add(time.Hour)},
	{Name: "future", ExpiresAt: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)},
	{Name: "computed", ExpiresAt: time.Date(2020, 1, 1, 0, 0, 0, 0, location())},
}

func location() *time.Location { return time.UTC }

var Single = tinybird.JWTOptions{Name: "single"} // want `TB404 JWT has no expiration time`

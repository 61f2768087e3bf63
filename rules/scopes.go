package rules

import (
	"fmt"
	"strings"
)

// The scopes a token can be granted on a resource, spelled as Tinybird
// spells them in datafiles.
const (
	ScopeRead   = "READ"
	ScopeAppend = "APPEND"
)

// Kind is the kind of resource a token is granted on. It decides which
// scopes are allowed.
type Kind int

// The resource kinds. Every kind but KindDatasource is a pipe.
const (
	KindDatasource Kind = iota + 1
	KindPipe
	KindEndpoint
	KindMaterializedView
	KindCopyPipe
	KindSinkPipe
)

var kindNames = map[Kind]string{
	KindDatasource:       "datasource",
	KindPipe:             "pipe",
	KindEndpoint:         "endpoint",
	KindMaterializedView: "materialized view",
	KindCopyPipe:         "copy pipe",
	KindSinkPipe:         "sink pipe",
}

// String returns the kind as used in messages ("endpoint", "copy pipe").
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// withArticle returns the kind after "a" or "an": "an endpoint", "a pipe".
func (k Kind) withArticle() string {
	if k == KindEndpoint {
		return "an " + k.String()
	}
	return "a " + k.String()
}

// IsPipe reports whether k is one of the pipe kinds, which accept READ only.
func (k Kind) IsPipe() bool {
	return k >= KindPipe && k <= KindSinkPipe
}

var (
	datasourceScopes = []string{ScopeRead, ScopeAppend}
	pipeScopes       = []string{ScopeRead}
)

// Scopes returns the scopes kind accepts, in the order completion offers
// them. The caller must not modify the result.
func Scopes(kind Kind) []string {
	if kind == KindDatasource {
		return datasourceScopes
	}
	if kind.IsPipe() {
		return pipeScopes
	}
	return nil
}

// KnownScope reports whether scope is exactly one of READ and APPEND.
func KnownScope(scope string) bool {
	return scope == ScopeRead || scope == ScopeAppend
}

// ScopeAllowed reports whether kind accepts scope.
func ScopeAllowed(kind Kind, scope string) bool {
	for _, s := range Scopes(kind) {
		if s == scope {
			return true
		}
	}
	return false
}

// NormalizeScope maps a value that is a known scope but for case and
// surrounding space ("read", " APPEND ") to the scope. It returns false when
// scope is already exact or is not a known scope in any spelling.
func NormalizeScope(scope string) (string, bool) {
	n := strings.ToUpper(strings.TrimSpace(scope))
	if n == scope || !KnownScope(n) {
		return "", false
	}
	return n, true
}

// ScopeDoc documents a scope, for completion items and hover.
func ScopeDoc(scope string) string {
	switch scope {
	case ScopeRead:
		return "READ lets the token query the resource: read a datasource's rows, or call a pipe's endpoint. It is the only scope a pipe accepts."
	case ScopeAppend:
		return "APPEND lets the token ingest rows into a datasource (Events API, append from file or URL). Datasources only: pipes accept READ alone."
	}
	return ""
}

// CheckScope checks a scope granted on a resource of the given kind by a
// token reference ({Token, Scope}) or an inline permission. It returns nil
// when the scope is fine, a TB202 problem when the value is not exactly a
// known scope, and a TB201 problem when the kind does not accept it.
func CheckScope(kind Kind, scope string) *Problem {
	if !KnownScope(scope) {
		msg := fmt.Sprintf("Unknown scope %q: %s accepts %s.", scope, kind.withArticle(), orList(Scopes(kind)))
		if n, ok := NormalizeScope(scope); ok && ScopeAllowed(kind, n) {
			msg = fmt.Sprintf("Unknown scope %q: scopes are upper case; use %s.", scope, n)
		}
		return &Problem{Code: TB202, Message: msg}
	}
	if !ScopeAllowed(kind, scope) {
		return &Problem{Code: TB201, Message: fmt.Sprintf("Scope %s is not allowed on %s: pipes accept READ only. Use READ, or grant %s on the datasource it reads.", scope, kind.withArticle(), scope)}
	}
	return nil
}

// orList joins items as "READ", "READ or APPEND", "A, B or C".
func orList(items []string) string {
	switch len(items) {
	case 0:
		return "no scope"
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

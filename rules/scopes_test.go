package rules

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestScopes(t *testing.T) {
	if got := Scopes(KindDatasource); !slices.Equal(got, []string{"READ", "APPEND"}) {
		t.Errorf("Scopes(datasource) = %v", got)
	}
	for _, k := range []Kind{KindPipe, KindEndpoint, KindMaterializedView, KindCopyPipe, KindSinkPipe} {
		if !k.IsPipe() {
			t.Errorf("%s.IsPipe() = false", k)
		}
		if got := Scopes(k); !slices.Equal(got, []string{"READ"}) {
			t.Errorf("Scopes(%s) = %v, want [READ]", k, got)
		}
	}
	if KindDatasource.IsPipe() {
		t.Error("datasource.IsPipe() = true")
	}
	if Scopes(Kind(0)) != nil {
		t.Error("Scopes of an invalid kind is not nil")
	}
}

func TestCheckScope(t *testing.T) {
	for _, tc := range []struct {
		kind  Kind
		scope string
		want  Code
	}{
		{KindDatasource, "READ", ""},
		{KindDatasource, "APPEND", ""},
		{KindEndpoint, "READ", ""},
		{KindEndpoint, "APPEND", TB201},
		{KindMaterializedView, "APPEND", TB201},
		{KindCopyPipe, "APPEND", TB201},
		{KindPipe, "APPEND", TB201},
		{KindDatasource, "WRITE", TB202},
		{KindDatasource, "read", TB202},
		{KindEndpoint, "read", TB202},
		{KindEndpoint, " READ", TB202},
		{KindDatasource, "", TB202},
	} {
		p := CheckScope(tc.kind, tc.scope)
		var got Code
		if p != nil {
			got = p.Code
		}
		if got != tc.want {
			t.Errorf("CheckScope(%s, %q) = %v, want %q", tc.kind, tc.scope, p, tc.want)
		}
	}
	if p := CheckScope(KindEndpoint, "APPEND"); !strings.Contains(p.Message, "endpoint") {
		t.Errorf("TB201 message does not name the kind: %s", p.Message)
	}
	if p := CheckScope(KindDatasource, "read"); !strings.Contains(p.Message, "use READ") {
		t.Errorf("TB202 message for a lowercase scope does not say what to use: %s", p.Message)
	}
}

func TestNormalizeScope(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"read", "READ", true},
		{" APPEND ", "APPEND", true},
		{"Append", "APPEND", true},
		{"READ", "", false},
		{"WRITE", "", false},
		{"", "", false},
	} {
		got, ok := NormalizeScope(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizeScope(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestScopeDoc(t *testing.T) {
	for _, s := range []string{ScopeRead, ScopeAppend} {
		if ScopeDoc(s) == "" {
			t.Errorf("ScopeDoc(%s) is empty", s)
		}
	}
	for _, s := range JWTScopeTypes() {
		if JWTScopeDoc(s) == "" {
			t.Errorf("JWTScopeDoc(%s) is empty", s)
		}
	}
}

func codes(ps []Problem) []Code {
	var cs []Code
	for _, p := range ps {
		cs = append(cs, p.Code)
	}
	return cs
}

func TestCheckJWTScope(t *testing.T) {
	for _, tc := range []struct {
		name  string
		scope JWTScope
		want  []Code
	}{
		{"pipe read", JWTScope{Type: JWTPipesRead, Resource: "top"}, nil},
		{"datasource read with filter", JWTScope{Type: JWTDatasourcesRead, Resource: "events", HasFilter: true}, nil},
		{"pipe read with fixed params", JWTScope{Type: JWTPipesRead, Resource: "top", HasFixedParams: true}, nil},
		{"append refused", JWTScope{Type: JWTDatasourcesAppend, Resource: "events"}, []Code{TB401}},
		{"unknown type", JWTScope{Type: "PIPES:WRITE", Resource: "top"}, []Code{TB401}},
		{"no resource", JWTScope{Type: JWTPipesRead}, []Code{TB402}},
		{"fixed params on datasource", JWTScope{Type: JWTDatasourcesRead, Resource: "e", HasFixedParams: true}, []Code{TB403}},
		{"filter on pipe", JWTScope{Type: JWTPipesRead, Resource: "p", HasFilter: true}, []Code{TB403}},
		{"everything wrong", JWTScope{Type: "X", HasFilter: true, HasFixedParams: true}, []Code{TB401, TB402, TB403, TB403}},
	} {
		if got := codes(CheckJWTScope(tc.scope)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	ps := CheckJWTScope(JWTScope{Type: JWTDatasourcesAppend, Resource: "e"})
	if !strings.Contains(ps[0].Message, "CLI") {
		t.Errorf("DATASOURCES:APPEND message does not explain the CLI refuses it: %s", ps[0].Message)
	}
}

func TestCheckJWTExpiry(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	if p := CheckJWTExpiry(time.Time{}, now); p == nil || p.Code != TB404 {
		t.Errorf("zero expiry: %v", p)
	}
	if p := CheckJWTExpiry(now.Add(-time.Second), now); p == nil || p.Code != TB404 {
		t.Errorf("past expiry: %v", p)
	}
	if p := CheckJWTExpiry(now, now); p == nil {
		t.Error("expiry equal to now accepted")
	}
	if p := CheckJWTExpiry(now.Add(time.Hour), now); p != nil {
		t.Errorf("future expiry: %v", p)
	}
}

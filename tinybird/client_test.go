package tinybird

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tbls-dev/tbls/rules"
)

var jwtNow = time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)

func validJWT() JWTOptions {
	return JWTOptions{
		Name:      "dashboard_user_42",
		ExpiresAt: jwtNow.Add(time.Hour + 500*time.Millisecond),
		Scopes: []JWTScope{
			{Type: PipesRead, Resource: "top_events", FixedParams: map[string]any{"org_id": 42, "region": "eu"}},
			{Type: DatasourcesRead, Resource: "events", Filter: "org_id = 42"},
		},
		Limits: &JWTLimits{RPS: 10},
	}
}

func TestCreateJWTSuccess(t *testing.T) {
	var got struct {
		method, path, query, auth, contentType string
		body                                   map[string]any
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.method, got.path, got.query = r.Method, r.URL.Path, r.URL.RawQuery
		got.auth, got.contentType = r.Header.Get("Authorization"), r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got.body); err != nil {
			t.Errorf("request body %q is not JSON: %v", b, err)
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"token": "eyJhbGciOiJIUzI1NiJ9.jwt"}`)
	}))
	defer srv.Close()

	// A path on the base URL is replaced, as in the TypeScript SDK.
	c := NewClient(srv.URL+"/ignored", "admin-token", WithClock(func() time.Time { return jwtNow }), WithHTTPClient(srv.Client()))
	tok, err := c.CreateJWT(context.Background(), validJWT())
	if err != nil {
		t.Fatal(err)
	}
	if tok != "eyJhbGciOiJIUzI1NiJ9.jwt" {
		t.Errorf("token = %q", tok)
	}
	wantQuery := "expiration_time=" + itoa(int(jwtNow.Add(time.Hour).Unix()))
	if got.method != "POST" || got.path != "/v0/tokens/" || got.query != wantQuery {
		t.Errorf("request %s %s?%s, want POST /v0/tokens/?%s", got.method, got.path, got.query, wantQuery)
	}
	if got.auth != "Bearer admin-token" || got.contentType != "application/json" {
		t.Errorf("headers Authorization=%q Content-Type=%q", got.auth, got.contentType)
	}
	want := map[string]any{
		"name": "dashboard_user_42",
		"scopes": []any{
			map[string]any{"type": "PIPES:READ", "resource": "top_events", "fixed_params": map[string]any{"org_id": 42.0, "region": "eu"}},
			map[string]any{"type": "DATASOURCES:READ", "resource": "events", "filter": "org_id = 42"},
		},
		"limits": map[string]any{"rps": 10.0},
	}
	gb, _ := json.Marshal(got.body)
	wb, _ := json.Marshal(want)
	if string(gb) != string(wb) {
		t.Errorf("body\n%s\nwant\n%s", gb, wb)
	}
}

func TestCreateJWTNoLimits(t *testing.T) {
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		io.WriteString(w, `{"token":"t"}`)
	}))
	defer srv.Close()
	opts := validJWT()
	opts.Limits = nil
	opts.Scopes = opts.Scopes[1:]
	if _, err := NewClient(srv.URL, "x", WithClock(func() time.Time { return jwtNow })).CreateJWT(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if want := `{"name":"dashboard_user_42","scopes":[{"type":"DATASOURCES:READ","resource":"events","filter":"org_id = 42"}]}`; body != want {
		t.Errorf("body %s, want %s", body, want)
	}
}

func TestCreateJWTErrors(t *testing.T) {
	tests := []struct {
		name   string
		status int
		reply  string
		want   []string
		api    bool
	}{
		{"403", 403, `{"error": "Forbidden: token lacks TOKENS scope"}`, []string{"403", "TOKENS or ADMIN", "Forbidden: token lacks TOKENS scope"}, true},
		{"400", 400, `{"error": "invalid scope"}`, []string{"400", "invalid scope"}, true},
		{"500 text", 500, "upstream exploded", []string{"500", "Internal Server Error", "upstream exploded"}, true},
		{"malformed", 200, `{"token": `, []string{"not the expected JSON"}, false},
		{"html", 200, `<html>hi</html>`, []string{"not the expected JSON", "<html>"}, false},
		{"no token", 200, `{"tok": "x"}`, []string{"no token field"}, false},
		{"empty token", 200, `{"token": ""}`, []string{"no token field"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.reply)
			}))
			defer srv.Close()
			tok, err := NewClient(srv.URL, "x", WithClock(func() time.Time { return jwtNow })).CreateJWT(context.Background(), validJWT())
			if err == nil || tok != "" {
				t.Fatalf("CreateJWT = %q, %v; want an error", tok, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) != tt.api {
				t.Errorf("errors.As(*APIError) = %v, want %v", !tt.api, tt.api)
			}
			if tt.api && apiErr.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", apiErr.StatusCode, tt.status)
			}
		})
	}
}

func TestCreateJWTInvalidOptionsNeverCallServer(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.WriteString(w, `{"token":"t"}`)
	}))
	defer srv.Close()
	c := NewClient(srv.URL, "x", WithClock(func() time.Time { return jwtNow }))
	mod := func(f func(*JWTOptions)) JWTOptions { o := validJWT(); f(&o); return o }
	tests := []struct {
		name string
		opts JWTOptions
		code rules.Code
	}{
		{"append scope", mod(func(o *JWTOptions) { o.Scopes = []JWTScope{{Type: "DATASOURCES:APPEND", Resource: "events"}} }), rules.TB401},
		{"unknown type", mod(func(o *JWTOptions) { o.Scopes = []JWTScope{{Type: "pipes:read", Resource: "x"}} }), rules.TB401},
		{"no resource", mod(func(o *JWTOptions) { o.Scopes = []JWTScope{{Type: PipesRead}} }), rules.TB402},
		{"fixed params on datasource", mod(func(o *JWTOptions) {
			o.Scopes = []JWTScope{{Type: DatasourcesRead, Resource: "e", FixedParams: map[string]any{"a": 1}}}
		}), rules.TB403},
		{"filter on pipe", mod(func(o *JWTOptions) { o.Scopes = []JWTScope{{Type: PipesRead, Resource: "p", Filter: "a = 1"}} }), rules.TB403},
		{"zero expiry", mod(func(o *JWTOptions) { o.ExpiresAt = time.Time{} }), rules.TB404},
		{"past expiry", mod(func(o *JWTOptions) { o.ExpiresAt = jwtNow.Add(-time.Second) }), rules.TB404},
		{"no name", mod(func(o *JWTOptions) { o.Name = "" }), ""},
		{"no scopes", mod(func(o *JWTOptions) { o.Scopes = nil }), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateJWT(context.Background(), tt.opts)
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Code != tt.code {
				t.Errorf("CreateJWT error = %v, want one problem with code %q", err, tt.code)
			}
			if tt.code != "" && !strings.HasPrefix(err.Error(), string(tt.code)+" ") {
				t.Errorf("error %q does not start with its code", err)
			}
		})
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the server was called %d times for invalid options", n)
	}
}

func TestCreateJWTContextCancelled(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := NewClient(srv.URL, "x", WithClock(func() time.Time { return jwtNow })).CreateJWT(ctx, validJWT())
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("CreateJWT after cancel = %v, want context.Canceled", err)
	}
}

func TestNewClientBadBaseURL(t *testing.T) {
	_, err := NewClient("not a url", "x", WithClock(func() time.Time { return jwtNow })).CreateJWT(context.Background(), validJWT())
	if err == nil || !strings.Contains(err.Error(), "invalid base URL") {
		t.Errorf("error = %v, want invalid base URL", err)
	}
}

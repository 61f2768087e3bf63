package tinybird

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// DefaultBaseURL is the Tinybird API of the default (GCP europe-west3)
// region. Other regions have their own host, e.g.
// https://api.us-east.tinybird.co.
const DefaultBaseURL = "https://api.tinybird.co"

// Client calls the Tinybird API. It is safe for concurrent use.
type Client struct {
	baseURL string
	token   string
	http    *http.Client
	now     func() time.Time
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithHTTPClient makes the client send requests with hc instead of
// http.DefaultClient (for timeouts, proxies, tests).
func WithHTTPClient(hc *http.Client) ClientOption {
	return func(c *Client) {
		if hc != nil {
			c.http = hc
		}
	}
}

// WithClock makes the client read the time from now, which decides whether
// a JWT's expiration is in the future.
func WithClock(now func() time.Time) ClientOption {
	return func(c *Client) {
		if now != nil {
			c.now = now
		}
	}
}

// NewClient returns a client of the Tinybird API at baseURL (e.g.
// DefaultBaseURL) authenticating with token, which must have the TOKENS or
// ADMIN scope to create JWTs.
func NewClient(baseURL, token string, opts ...ClientOption) *Client {
	c := &Client{baseURL: baseURL, token: token, http: http.DefaultClient, now: time.Now}
	for _, o := range opts {
		o(c)
	}
	return c
}

// APIError is an error reply of the Tinybird API.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Message is Tinybird's error message (the "error" field of its JSON
	// reply), or the reply's text when it has none.
	Message string
	// Body is the raw reply, for logging.
	Body string
	// op says what was being done, e.g. "creating JWT token".
	op string
}

// Error says what failed, with the status and Tinybird's message, and for
// a 403 what token scope is needed.
func (e *APIError) Error() string {
	switch e.StatusCode {
	case http.StatusForbidden:
		return "tinybird: permission denied " + e.op + " (403): make sure the token has the TOKENS or ADMIN scope. API response: " + e.Message
	case http.StatusBadRequest:
		return "tinybird: invalid request " + e.op + " (400): " + e.Message
	}
	return "tinybird: failed " + e.op + ": " + strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode) + ". API response: " + e.Message
}

type jwtScopeBody struct {
	Type        string         `json:"type"`
	Resource    string         `json:"resource"`
	FixedParams map[string]any `json:"fixed_params,omitempty"`
	Filter      string         `json:"filter,omitempty"`
}

type jwtLimitsBody struct {
	RPS int `json:"rps,omitempty"`
}

type jwtBody struct {
	Name   string         `json:"name"`
	Scopes []jwtScopeBody `json:"scopes"`
	Limits *jwtLimitsBody `json:"limits,omitempty"`
}

// maxReply bounds how much of a reply is read: a token reply is small.
const maxReply = 1 << 20

// CreateJWT creates a JWT with the Tokens API (POST
// /v0/tokens/?expiration_time=<unix seconds>) and returns it. The options
// are validated first (see JWTOptions.Validate); when they are invalid the
// server is not called and the error is a *ValidationError. A non-2xx reply
// is an *APIError.
func (c *Client) CreateJWT(ctx context.Context, opts JWTOptions) (string, error) {
	if err := opts.Validate(c.now()); err != nil {
		return "", err
	}
	base, err := url.Parse(c.baseURL)
	if err != nil || base.Scheme == "" || base.Host == "" {
		return "", fmt.Errorf("tinybird: invalid base URL %q: use an absolute URL such as %s", c.baseURL, DefaultBaseURL)
	}
	// As in the TypeScript SDK, the path is absolute: it replaces any path
	// of the base URL.
	u := base.ResolveReference(&url.URL{Path: "/v0/tokens/"})
	u.RawQuery = url.Values{"expiration_time": {strconv.FormatInt(opts.ExpiresAt.Unix(), 10)}}.Encode()

	body := jwtBody{Name: opts.Name, Scopes: make([]jwtScopeBody, len(opts.Scopes))}
	for i, s := range opts.Scopes {
		body.Scopes[i] = jwtScopeBody{Type: string(s.Type), Resource: s.Resource, FixedParams: s.FixedParams, Filter: s.Filter}
	}
	if opts.Limits != nil {
		body.Limits = &jwtLimitsBody{RPS: opts.Limits.RPS}
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return "", fmt.Errorf("tinybird: encoding the JWT request: %w (FixedParams values must be strings, numbers or booleans)", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(payload))
	if err != nil {
		return "", fmt.Errorf("tinybird: creating JWT token: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("tinybird: creating JWT token: %w", err)
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if err != nil {
		return "", fmt.Errorf("tinybird: creating JWT token: reading the reply: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", &APIError{StatusCode: resp.StatusCode, Message: errorMessage(reply), Body: string(reply), op: "creating JWT token"}
	}
	var result struct {
		Token *string `json:"token"`
	}
	if err := json.Unmarshal(reply, &result); err != nil {
		return "", fmt.Errorf("tinybird: creating JWT token: the reply is not the expected JSON (%v): %s", err, snippet(reply))
	}
	if result.Token == nil || *result.Token == "" {
		return "", errors.New("tinybird: creating JWT token: the reply has no token field: " + snippet(reply))
	}
	return *result.Token, nil
}

// errorMessage extracts Tinybird's message from an error reply: the
// "error" field of a JSON object, else the trimmed text.
func errorMessage(reply []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(reply, &e) == nil && e.Error != "" {
		return e.Error
	}
	if s := strings.TrimSpace(string(reply)); s != "" {
		return snippet(reply)
	}
	return "(empty reply)"
}

func snippet(b []byte) string {
	s := strings.TrimSpace(string(b))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strconv.Quote(s)
}

func itoa(i int) string { return strconv.Itoa(i) }

package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/tinybird"
)

func TestProjectIsValid(t *testing.T) {
	if err := Project.Validate(); err != nil {
		t.Fatalf("the example must stay valid:\n%v", err)
	}
}

func TestRunWritesDatafiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tinybird")
	if err := run(dir, ""); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"events.datasource", "daily_events.datasource", "events_snapshot.datasource", "top_events.pipe", "daily_events_mv.pipe", "snapshot_events.pipe"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "events.datasource"))
	for _, want := range []string{"TOKEN app_read READ", "TOKEN events_ingest APPEND", "ENGINE_SORTING_KEY \"event_name, timestamp\""} {
		if !strings.Contains(string(b), want) {
			t.Errorf("events.datasource lacks %q:\n%s", want, b)
		}
	}
}

func TestDashboardJWT(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Name   string `json:"name"`
			Scopes []struct {
				Resource    string         `json:"resource"`
				FixedParams map[string]any `json:"fixed_params"`
			} `json:"scopes"`
		}
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &body)
		if body.Name != "dashboard_org_7" || len(body.Scopes) != 1 || body.Scopes[0].Resource != "top_events" || body.Scopes[0].FixedParams["org_id"] != 7.0 {
			t.Errorf("unexpected request body %s", b)
		}
		io.WriteString(w, `{"token":"jwt"}`)
	}))
	defer srv.Close()
	tok, err := DashboardJWT(context.Background(), tinybird.NewClient(srv.URL, "admin"), 7)
	if err != nil || tok != "jwt" {
		t.Fatalf("DashboardJWT = %q, %v", tok, err)
	}
}

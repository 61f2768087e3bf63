package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tbls-dev/tbls/rules"
	"github.com/tbls-dev/tbls/tinybird"
)

// TestValidateFindsEveryRunTimeCheck checks that the SDK itself reports
// every TB1xx, TB2xx and TB4xx mistake of this package (TB3xx needs the
// source: only tbvet sees it), with positions in resources.go.
func TestValidateFindsEveryRunTimeCheck(t *testing.T) {
	codes := map[rules.Code]int{}
	var ve *tinybird.ValidationError
	if err := Project.Validate(); !errors.As(err, &ve) {
		t.Fatalf("Validate() = %v, want a *ValidationError", err)
	}
	for _, p := range ve.Problems {
		codes[p.Code]++
		if p.Code != "" && (p.File != "resources.go" && p.File != "schema.go" || p.Line == 0) {
			t.Errorf("problem %v is not located in resources.go or schema.go", p)
		}
	}
	for _, o := range []tinybird.JWTOptions{BadJWT, NoExpiry} {
		if err := o.Validate(time.Now()); !errors.As(err, &ve) {
			t.Fatalf("JWT Validate() = %v", err)
		}
		for _, p := range ve.Problems {
			codes[p.Code]++
		}
	}
	for _, c := range rules.Checks() {
		// Datafile-only checks (TB8xx) are refusals of the Tinybird CLI
		// that a Go schema cannot make.
		if c.Code == rules.TB001 || c.Code == rules.TB301 || c.Code == rules.TB302 || rules.IsWorkspaceCheck(c.Code) || c.Analyzer == rules.AnalyzerDatafile {
			continue
		}
		if codes[c.Code] == 0 {
			t.Errorf("no %s (%s) found in the bad schema", c.Code, c.Title)
		}
	}
	if !strings.Contains(report(time.Now()), "resources.go:") {
		t.Error("report lacks positions")
	}
}

func TestWriteDatafilesRefuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	if err := Project.WriteDatafiles(dir); err == nil {
		t.Fatal("WriteDatafiles accepted the bad schema")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Error("WriteDatafiles created the directory")
	}
}

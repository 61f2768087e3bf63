package docgen

import (
	"os"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

// TestREADME fails when the README's checks section differs from what the
// rules package says, so the documentation cannot drift from the code.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Replace(readme, Checks())
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(readme) {
		t.Fatal("README.md's checks section is stale: run go generate ./internal/docgen")
	}
}

func TestChecksHasEveryCode(t *testing.T) {
	out := Checks()
	for _, c := range rules.Checks() {
		anchor := "\n### " + string(c.Code) + "\n"
		if !strings.Contains(out, anchor) {
			t.Errorf("no section %q for %s", strings.TrimSpace(anchor), c.Code)
		}
		if !strings.Contains(out, "(#"+strings.ToLower(string(c.Code))+")") {
			t.Errorf("no table row linking to %s", c.Code)
		}
	}
}

func TestReplaceNeedsMarkers(t *testing.T) {
	if _, err := Replace([]byte("no markers here"), "x"); err == nil {
		t.Fatal("Replace accepted a README without markers")
	}
	got, err := Replace([]byte("a\n"+BeginMarker+"\nold\n"+EndMarker+"\nb\n"), "new\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\n" + BeginMarker + "\nnew\n" + EndMarker + "\nb\n"; string(got) != want {
		t.Fatalf("Replace = %q, want %q", got, want)
	}
}

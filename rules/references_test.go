package rules

import (
	"strings"
	"testing"
)

func TestNearestName(t *testing.T) {
	cands := []string{"events", "users", "page_views", "top_events"}
	tests := []struct{ name, want string }{
		{"evnets", "events"}, // a swap
		{"event", "events"},  // a missing letter
		{"Events", "events"}, // only the case differs: the closest slip
		{"pageviews", "page_views"},
		{"orders", ""}, // nothing close
		{"x", ""},
	}
	for _, tt := range tests {
		if got := NearestName(tt.name, cands); got != tt.want {
			t.Errorf("NearestName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestUnknownReferenceMessage(t *testing.T) {
	if m := UnknownReferenceMessage("table", "evnets", "events"); !strings.Contains(m, `"evnets"`) || !strings.Contains(m, `Did you mean "events"?`) {
		t.Errorf("message %q", m)
	}
	if m := UnknownReferenceMessage("table", "zzz", ""); strings.Contains(m, "Did you mean") {
		t.Errorf("message %q suggests without a candidate", m)
	}
	if !IsTableFunction("generaterandom") || !IsSystemTable("ONE") || IsTableFunction("events") || IsSystemTable("events") {
		t.Error("IsTableFunction, IsSystemTable")
	}
	if !IsWorkspaceCheck(TB710) || IsWorkspaceCheck(TB201) {
		t.Error("IsWorkspaceCheck")
	}
}

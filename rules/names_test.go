package rules

import (
	"regexp"
	"testing"
)

func TestValidNameMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(NamePattern)
	for _, name := range []string{
		"", "a", "_", "app_read", "AppRead9", "9lives", "app-read", "app read",
		"é", "a.b", "_1", "A_B_C", "x\n", " x", "ñandú", "a\x00",
	} {
		if got, want := ValidName(name), re.MatchString(name); got != want {
			t.Errorf("ValidName(%q) = %v, regexp says %v", name, got, want)
		}
	}
}

func FuzzValidName(f *testing.F) {
	re := regexp.MustCompile(NamePattern)
	for _, s := range []string{"app_read", "app-read", "9x", "", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := ValidName(name), re.MatchString(name); got != want {
			t.Fatalf("ValidName(%q) = %v, regexp says %v", name, got, want)
		}
		if p, ok := ProposeName(name); ok && !ValidName(p) {
			t.Fatalf("ProposeName(%q) = %q, which is invalid", name, p)
		}
	})
}

func TestInvalidNameMessage(t *testing.T) {
	// The TypeScript SDK's wording, word for word (src/schema/token.ts).
	want := `Invalid token name: "app-read". Must start with a letter or underscore and contain only alphanumeric characters and underscores.`
	if got := InvalidNameMessage(SubjectToken, "app-read"); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestProposeName(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"app-read", "app_read", true},
		{"9lives", "_9lives", true},
		{"app read.v2", "app_read_v2", true},
		{"café", "caf_", true},
		{"", "", false},
		{"already_ok", "", false},
	} {
		got, ok := ProposeName(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ProposeName(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestReserved(t *testing.T) {
	for _, name := range []string{"from", "SELECT", "Where", "system", "default", "tinybird", "public", "main", "join", "limit"} {
		if !IsReserved(name) {
			t.Errorf("IsReserved(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"numbers", "values", "zeros", "materialized", "totals", "events", "top_events", "Totals"} {
		if IsReserved(name) {
			t.Errorf("IsReserved(%q) = true, want false", name)
		}
	}
}

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		subject Subject
		name    string
		want    Code
	}{
		{SubjectToken, "app-read", TB101},
		{SubjectToken, "select", ""}, // tokens are not SQL identifiers
		{SubjectDatasource, "web-events", TB103},
		{SubjectNode, "1st", TB103},
		{SubjectConnection, "kafka conn", TB103},
		{SubjectDatasource, "from", TB104},
		{SubjectPipe, "Select", TB104},
		{SubjectNode, "select", TB104}, // Tinybird's server refuses FROM as a node name
		{SubjectNode, "endpoint", ""},
		{SubjectConnection, "select", ""}, // connections are not queried by name in SQL
		{SubjectPipe, "numbers", ""},
		{SubjectDatasource, "events", ""},
	} {
		p := CheckName(tc.subject, tc.name)
		var got Code
		if p != nil {
			got = p.Code
		}
		if got != tc.want {
			t.Errorf("CheckName(%s, %q) = %v, want %q", tc.subject, tc.name, p, tc.want)
		}
	}
	if p := CheckInlineTokenName("ingest-events"); p == nil || p.Code != TB102 {
		t.Errorf("CheckInlineTokenName(ingest-events) = %v, want TB102", p)
	}
	if p := CheckInlineTokenName("ingest_events"); p != nil {
		t.Errorf("CheckInlineTokenName(ingest_events) = %v, want nil", p)
	}
}

// TestRenameTitle: a token's rename says the old token loses access on
// deploy (quoting a name with blanks); other subjects' say what they rename.
func TestRenameTitle(t *testing.T) {
	for _, c := range []struct {
		subject       Subject
		old, proposed string
		want          string
	}{
		{SubjectToken, "app-read", "app_read", "Rename the token to app_read (a new token: app-read loses access on deploy)"},
		{SubjectToken, "read api", "read_api", `Rename the token to read_api (a new token: "read api" loses access on deploy)`},
		{SubjectDatasource, "events-v2", "events_v2", "Rename the datasource to events_v2"},
		{SubjectNode, "1st", "_1st", "Rename the node to _1st"},
	} {
		if got := RenameTitle(c.subject, c.old, c.proposed); got != c.want {
			t.Errorf("RenameTitle(%s, %q, %q) = %q, want %q", c.subject, c.old, c.proposed, got, c.want)
		}
	}
}

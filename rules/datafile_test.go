package rules

import (
	"strings"
	"testing"
)

func TestCheckDatafileScope(t *testing.T) {
	tests := []struct {
		kind    Kind
		scope   string
		quoted  bool
		code    Code // "" for no finding
		sev     Severity
		suggest string
	}{
		{KindDatasource, "READ", false, "", 0, ""},
		{KindDatasource, "APPEND", false, "", 0, ""},
		{KindEndpoint, "READ", false, "", 0, ""},
		{KindDatasource, "read", false, TB202, Warning, "READ"},
		{KindDatasource, "Append", false, TB202, Warning, "APPEND"},
		{KindPipe, "read", false, TB202, Warning, "READ"},
		{KindEndpoint, "APPEND", false, TB201, Error, "READ"},
		{KindCopyPipe, "append", false, TB201, Error, "READ"},
		{KindDatasource, "WRITE", false, TB202, Error, ""},
		{KindSinkPipe, "WRITE", false, TB202, Error, "READ"},
		{KindDatasource, "READ", true, TB202, Error, "READ"},
		{KindDatasource, " append ", true, TB202, Error, "APPEND"},
		{KindEndpoint, "APPEND", true, TB202, Error, "READ"},
		{KindDatasource, "", true, TB202, Error, ""},
		// Classic-only datasource permissions (Tinybird's starter kits grant CREATE).
		{KindDatasource, "CREATE", false, TB202, Warning, ""},
		{KindDatasource, "drop", false, TB202, Warning, ""},
		{KindEndpoint, "CREATE", false, TB202, Error, "READ"},
		{KindDatasource, "CREATE", true, TB202, Error, ""},
	}
	for _, tt := range tests {
		p := CheckDatafileScope(tt.kind, tt.scope, tt.quoted)
		if tt.code == "" {
			if p != nil {
				t.Errorf("%v %q quoted=%v: unexpected %v", tt.kind, tt.scope, tt.quoted, p)
			}
			continue
		}
		if p == nil || p.Code != tt.code || p.Severity != tt.sev || p.Suggest != tt.suggest || p.Message == "" {
			t.Errorf("%v %q quoted=%v: got %+v, want %s %s suggest %q", tt.kind, tt.scope, tt.quoted, p, tt.code, tt.sev, tt.suggest)
		}
	}
}

func TestCheckDatafileTokenName(t *testing.T) {
	if p, _ := CheckDatafileTokenName("app_read"); p != nil {
		t.Errorf("valid name flagged: %v", p)
	}
	p, sev := CheckDatafileTokenName("read api token")
	if p == nil || p.Code != TB101 || sev != Warning || !strings.Contains(p.Message, `"read api token"`) {
		t.Errorf("got %v %v, want a TB101 warning naming the token", p, sev)
	}
}

func TestCheckDatafileName(t *testing.T) {
	if p := CheckDatafileName(SubjectPipe, "top_events"); p != nil {
		t.Errorf("valid name flagged: %v", p)
	}
	if p := CheckDatafileName(SubjectPipe, "top-events"); p == nil || p.Code != TB103 || !strings.Contains(p.Message, "rename the file") {
		t.Errorf("invalid name: got %v", p)
	}
	if p := CheckDatafileName(SubjectDatasource, "Select"); p == nil || p.Code != TB104 {
		t.Errorf("reserved name: got %v", p)
	}
	// A datasource shared from another workspace: <workspace>.<name>.
	for _, name := range []string{"analytics.events", "ws-1.select"} {
		if p := CheckDatafileName(SubjectDatasource, name); p != nil {
			t.Errorf("shared datasource %q flagged: %v", name, p)
		}
	}
	if p := CheckDatafileName(SubjectPipe, "ws.top"); p == nil || p.Code != TB103 {
		t.Errorf("dotted pipe name: got %v, want TB103", p)
	}
}

func TestTokenArityMessage(t *testing.T) {
	for _, n := range []int{0, 1, 3, 5} {
		m := TokenArityMessage(n)
		if !strings.HasPrefix(m, "TOKEN takes two params: token name and permission") || !strings.Contains(m, string(rune('0'+n))) {
			t.Errorf("TokenArityMessage(%d) = %q", n, m)
		}
	}
}

func TestDatafileEngineMessage(t *testing.T) {
	cols := []Column{{Name: "id", Type: "String"}, {Name: "v", Type: "UInt64"}}
	for _, tc := range []struct {
		e    Engine
		want string
	}{
		{Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, Ver: "vv"}, "ENGINE_VER names column \"vv\""},
		{Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, Ver: "v", IsDeleted: "del"}, "ENGINE_IS_DELETED names column \"del\""},
		{Engine{Kind: "CollapsingMergeTree", SortingKey: []string{"id"}}, "CollapsingMergeTree needs ENGINE_SIGN:"},
		{Engine{Kind: "VersionedCollapsingMergeTree", SortingKey: []string{"id"}, Sign: "s"}, "VersionedCollapsingMergeTree needs ENGINE_VERSION:"},
		{Engine{Kind: "MergeTree", SortingKey: []string{"idd"}}, "Sorting key names column \"idd\""},
	} {
		var got []string
		for _, l := range CheckEngine(tc.e, cols) {
			got = append(got, DatafileEngineMessage(l.Message))
		}
		found := false
		for _, m := range got {
			found = found || strings.HasPrefix(m, tc.want)
		}
		if !found {
			t.Errorf("%+v: messages %q, want one starting %q", tc.e, got, tc.want)
		}
	}
}

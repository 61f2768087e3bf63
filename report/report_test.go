package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/rules"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// base is the fake repository root of the sample diagnostics.
const base = "/repo"

// sample returns findings covering every field the writers print: an error
// with two fixes, a warning, a datafile finding, a code rules does not know,
// and the characters each format must escape.
func sample() []Diagnostic {
	return []Diagnostic{
		{
			File: "/repo/schema/tokens.go", Start: Position{Line: 3, Column: 30, Offset: 60}, End: Position{Line: 3, Column: 40, Offset: 70},
			Code: rules.TB101, Analyzer: rules.AnalyzerTokenName,
			Message: `TB101 Invalid token name: "app-read". Must start with a letter or underscore and contain only alphanumeric characters and underscores. Use "app_read".`,
			Fixes:   []Fix{{Message: `Rename to "app_read"`, Edits: []Edit{{File: "/repo/schema/tokens.go", Start: Position{3, 30, 60}, End: Position{3, 40, 70}, NewText: `"app_read"`}}}},
		},
		{
			File: "/repo/schema/endpoints.go", Start: Position{Line: 12, Column: 44, Offset: 300}, End: Position{Line: 12, Column: 55, Offset: 311},
			Code: rules.TB201, Analyzer: rules.AnalyzerScope,
			Message: "TB201 Scope APPEND is not allowed on an endpoint: pipes accept READ only. 100% sure,\nsecond line: yes",
			Fixes: []Fix{
				{Message: "Change the scope to READ", Edits: []Edit{{File: "/repo/schema/endpoints.go", Start: Position{12, 44, 300}, End: Position{12, 55, 311}, NewText: "tinybird.Read"}}},
				{Message: "Remove this token access", Edits: []Edit{{File: "/repo/schema/endpoints.go", Start: Position{12, 10, 266}, End: Position{12, 57, 313}, NewText: ""}}},
			},
		},
		{
			File: "/repo/schema/endpoints.go", Start: Position{Line: 5, Column: 2, Offset: 80}, End: Position{Line: 5, Column: 2, Offset: 80},
			Code: rules.TB206, Analyzer: rules.AnalyzerScope,
			Message: `TB206 Token "app_read" is granted READ twice on this resource: remove the duplicate.`,
		},
		{
			File: "/repo/datafiles/top,events:v2.pipe", Start: Position{Line: 7, Column: 1, Offset: 120}, End: Position{Line: 7, Column: 22, Offset: 141},
			Code: rules.TB201, Analyzer: AnalyzerDatafile, Severity: rules.Warning,
			Message: "Invalid permission APPEND for token app_read. Only READ is allowed for pipes",
		},
		{
			File: "/elsewhere/gen.go", Start: Position{Line: 1, Column: 1, Offset: 0},
			Code: "XX999", Analyzer: "other", Message: "not a check of rules",
		},
	}
}

func TestGolden(t *testing.T) {
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, f, sample(), Options{BaseDir: base, ToolVersion: "v1.2.3", Checked: Checked{GoPackages: 2, Datafiles: 1}}); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "sample."+string(f)+".golden")
			if *update {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("%s output differs from %s:\n--- got\n%s\n--- want\n%s", f, golden, got, want)
			}
		})
	}
}

func TestWriteDoesNotReorderInput(t *testing.T) {
	in := sample()
	first := in[0].File
	if err := WriteText(&bytes.Buffer{}, in, Options{}); err != nil {
		t.Fatal(err)
	}
	if in[0].File != first {
		t.Error("WriteText sorted the caller's slice")
	}
}

func TestGitHubEscaping(t *testing.T) {
	var b bytes.Buffer
	d := Diagnostic{File: "/repo/a,b:c.go", Start: Position{Line: 1, Column: 2}, End: Position{Line: 1, Column: 3}, Code: rules.TB202, Message: "TB202 50% of\r\nthis: a, b"}
	if err := WriteGitHub(&b, []Diagnostic{d}, Options{BaseDir: base}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a%2Cb%3Ac.go,line=1,col=2,endLine=1,endColumn=3,title=TB202::50%25 of%0D%0Athis: a, b\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestEmptyOutputs(t *testing.T) {
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, f, nil, Options{}); err != nil {
			t.Fatal(err)
		}
		switch f {
		case Text, GitHub:
			if b.Len() != 0 {
				t.Errorf("%s: got %q for no diagnostics", f, b.String())
			}
		case JSON:
			if !strings.Contains(b.String(), `"diagnostics": []`) {
				t.Errorf("json: no empty list: %s", b.String())
			}
		case SARIF:
			if !strings.Contains(b.String(), `"results": []`) {
				t.Errorf("sarif: no empty results: %s", b.String())
			}
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "sarif") {
		t.Errorf("ParseFormat(xml) = %v, want an error listing the formats", err)
	}
}

// TestSARIFStructure checks the properties SARIF 2.1.0 requires, and those
// GitHub code scanning reads, on the sample output. (No schema validator is
// available offline.)
func TestSARIFStructure(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSARIF(&b, sample(), Options{BaseDir: base, ToolVersion: "v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	var log map[string]any
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	str := func(v any, path string) string {
		t.Helper()
		s, ok := v.(string)
		if !ok || s == "" {
			t.Fatalf("%s: want a non-empty string, got %#v", path, v)
		}
		return s
	}
	obj := func(v any, path string) map[string]any {
		t.Helper()
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s: want an object, got %#v", path, v)
		}
		return m
	}
	arr := func(v any, path string) []any {
		t.Helper()
		a, ok := v.([]any)
		if !ok {
			t.Fatalf("%s: want an array, got %#v", path, v)
		}
		return a
	}
	num := func(v any, path string) int {
		t.Helper()
		f, ok := v.(float64)
		if !ok || f < 1 || f != float64(int(f)) {
			t.Fatalf("%s: want a positive integer, got %#v", path, v)
		}
		return int(f)
	}
	levels := map[string]bool{"none": true, "note": true, "warning": true, "error": true}

	if str(log["version"], "version") != "2.1.0" {
		t.Errorf("version = %v", log["version"])
	}
	str(log["$schema"], "$schema")
	runs := arr(log["runs"], "runs")
	if len(runs) != 1 {
		t.Fatalf("%d runs, want 1", len(runs))
	}
	run := obj(runs[0], "runs[0]")
	driver := obj(obj(run["tool"], "tool")["driver"], "tool.driver")
	if str(driver["name"], "driver.name") != "tbvet" || str(driver["version"], "driver.version") != "v1.2.3" {
		t.Errorf("driver = %v", driver)
	}
	str(driver["informationUri"], "driver.informationUri")
	ruleIDs := []string{}
	for i, r := range arr(driver["rules"], "driver.rules") {
		r := obj(r, "rule")
		id := str(r["id"], "rule.id")
		ruleIDs = append(ruleIDs, id)
		str(r["name"], id+".name")
		str(obj(r["shortDescription"], id+".shortDescription")["text"], id+".shortDescription.text")
		str(obj(r["fullDescription"], id+".fullDescription")["text"], id+".fullDescription.text")
		str(r["helpUri"], id+".helpUri")
		if lvl := str(obj(r["defaultConfiguration"], id+".defaultConfiguration")["level"], id+".level"); !levels[lvl] {
			t.Errorf("rule %d: level %q", i, lvl)
		}
	}
	if len(ruleIDs) != len(rules.Checks()) {
		t.Errorf("%d rules, want one per check (%d)", len(ruleIDs), len(rules.Checks()))
	}
	bases := obj(run["originalUriBaseIds"], "originalUriBaseIds")
	if u := str(obj(bases["%SRCROOT%"], "%SRCROOT%")["uri"], "%SRCROOT%.uri"); u != "file:///repo/" {
		t.Errorf("%%SRCROOT%% = %q, want file:///repo/", u)
	}
	results := arr(run["results"], "results")
	if len(results) != len(sample()) {
		t.Fatalf("%d results, want %d", len(results), len(sample()))
	}
	for i, r := range results {
		r := obj(r, "result")
		id := str(r["ruleId"], "ruleId")
		if ri, ok := r["ruleIndex"]; ok {
			if got := ruleIDs[int(ri.(float64))]; got != id {
				t.Errorf("result %d: ruleIndex points at %s, ruleId is %s", i, got, id)
			}
		} else if _, known := rules.Lookup(rules.Code(id)); known {
			t.Errorf("result %d: known rule %s without ruleIndex", i, id)
		}
		if !levels[str(r["level"], "level")] {
			t.Errorf("result %d: level %v", i, r["level"])
		}
		str(obj(r["message"], "message")["text"], "message.text")
		locs := arr(r["locations"], "locations")
		if len(locs) != 1 {
			t.Fatalf("result %d: %d locations", i, len(locs))
		}
		phys := obj(obj(locs[0], "location")["physicalLocation"], "physicalLocation")
		art := obj(phys["artifactLocation"], "artifactLocation")
		uri := str(art["uri"], "uri")
		if baseID, ok := art["uriBaseId"]; ok {
			u, err := url.Parse(uri)
			if _, declared := bases[baseID.(string)]; !declared || err != nil || u.Scheme != "" || strings.HasPrefix(uri, "/") {
				t.Errorf("result %d: uri %q relative to %v", i, uri, baseID)
			}
		} else if !strings.HasPrefix(uri, "file:///") {
			t.Errorf("result %d: uri %q is neither relative nor absolute", i, uri)
		}
		reg := obj(phys["region"], "region")
		sl, sc := num(reg["startLine"], "startLine"), num(reg["startColumn"], "startColumn")
		el, ec := num(reg["endLine"], "endLine"), num(reg["endColumn"], "endColumn")
		if el < sl || (el == sl && ec < sc) {
			t.Errorf("result %d: region ends before it starts: %v", i, reg)
		}
	}
}

func TestUTF16Column(t *testing.T) {
	// "é" is 2 bytes, 1 UTF-16 unit; "😀" is 4 bytes, 2 units; an invalid
	// byte counts one unit, as U+FFFD would.
	for _, tc := range []struct {
		prefix string
		want   int
	}{
		{"", 0},
		{"var s = ", 8},
		{"var s = \"é😀\" + ", 16},
		{"\xff\xfe", 2},
	} {
		if got := UTF16Column([]byte(tc.prefix)); got != tc.want {
			t.Errorf("UTF16Column(%q) = %d, want %d", tc.prefix, got, tc.want)
		}
	}
	d := Diagnostic{Code: rules.TB401}
	if d.Level() != rules.Error || d.DocURL() != rules.DocURL(rules.TB401) {
		t.Errorf("level %v url %s", d.Level(), d.DocURL())
	}
}

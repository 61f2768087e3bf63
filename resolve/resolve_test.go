package resolve

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/tbls-dev/tbls/datafile"
)

// project builds a project of datafiles from path → text.
func project(files map[string]string) *Project {
	var fs []*File
	for _, path := range slices.Sorted(maps.Keys(files)) {
		fs = append(fs, Datafile(path, datafile.ParseFile(path, []byte(files[path]))))
	}
	return NewProject(fs...)
}

// offsetOf returns the offset of the n-th (from 0) occurrence of needle in
// files[path].
func offsetOf(t *testing.T, files map[string]string, path, needle string, n int) int {
	t.Helper()
	text, off := files[path], 0
	for i := 0; ; i++ {
		j := strings.Index(text[off:], needle)
		if j < 0 {
			t.Fatalf("%s has no occurrence %d of %q", path, n, needle)
		}
		if i == n {
			return off + j
		}
		off += j + len(needle)
	}
}

var sample = map[string]string{
	"datasources/events.datasource": "SCHEMA >\n    `ts` DateTime,\n    `user_id` String\n\nTOKEN app_read READ\nTOKEN ingest APPEND\n",
	"datasources/users.datasource":  "SCHEMA >\n    `id` String\n",
	"datasources/daily.datasource":  "SCHEMA >\n    `d` Date,\n    `n` UInt64\n",
	"pipes/top.pipe": `TOKEN app_read READ

NODE filtered
SQL >
    %
    SELECT * FROM events
    {% if defined(user) %} WHERE user_id = {{ String(user) }} {% end %}

NODE joined
SQL >
    SELECT * FROM filtered JOIN users ON users.id = filtered.user_id

TYPE endpoint
`,
	"pipes/daily_mv.pipe":          "NODE agg\nSQL >\n    SELECT toDate(ts) AS d, count() AS n FROM events GROUP BY d\n\nTYPE materialized\nDATASOURCE daily\n",
	"connections/kafka.connection": "TYPE kafka\nKAFKA_BOOTSTRAP_SERVERS localhost:9092\n",
}

func TestDatafileDeclsAndRefs(t *testing.T) {
	p := project(sample)
	events := Target{Kind: Resource, Name: "events"}
	if ds := p.Decls(events); len(ds) != 1 || ds[0].File != "datasources/events.datasource" || !ds[0].FromFileName {
		t.Fatalf("Decls(events) = %+v", ds)
	}
	var where []string
	for _, r := range p.Refs(events) {
		where = append(where, r.File+":"+sample[r.File][r.Start:r.End])
	}
	if want := []string{"pipes/daily_mv.pipe:events", "pipes/top.pipe:events"}; !slices.Equal(where, want) {
		t.Errorf("Refs(events) = %q, want %q", where, want)
	}
	// The node reference resolves to the node, not a resource.
	off := offsetOf(t, sample, "pipes/top.pipe", "filtered JOIN", 0)
	tg, ok := p.At("pipes/top.pipe", off)
	if !ok || tg != (Target{Kind: Node, Name: "filtered", Pipe: "top"}) {
		t.Errorf("At(filtered) = %+v, %v", tg, ok)
	}
	if ds := p.Decls(tg); len(ds) != 1 || sample["pipes/top.pipe"][ds[0].Start:ds[0].End] != "filtered" {
		t.Errorf("Decls(node filtered) = %+v", ds)
	}
	// The materialized view's target.
	off = offsetOf(t, sample, "pipes/daily_mv.pipe", "daily\n", 0)
	if tg, ok := p.At("pipes/daily_mv.pipe", off); !ok || tg != (Target{Kind: Resource, Name: "daily"}) {
		t.Errorf("At(DATASOURCE daily) = %+v, %v", tg, ok)
	}
	// Tokens: every grant, datasources and pipes.
	var grants []string
	for _, r := range p.Refs(Target{Kind: Token, Name: "app_read"}) {
		grants = append(grants, r.Resource+" "+r.Scope)
	}
	if want := []string{"events READ", "top READ"}; !slices.Equal(grants, want) {
		t.Errorf("app_read grants = %q, want %q", grants, want)
	}
	if got := p.Names(Resource); !slices.Equal(got, []string{"daily", "daily_mv", "events", "top", "users"}) {
		t.Errorf("Names(Resource) = %q", got)
	}
	if got := p.Names(Connection); !slices.Equal(got, []string{"kafka"}) {
		t.Errorf("Names(Connection) = %q", got)
	}
	if u := p.Unknowns(); len(u) != 0 {
		t.Errorf("Unknowns() = %+v, want none", u)
	}
}

// unknownNames returns "file:name→nearest" for each unknown reference.
func unknownNames(p *Project) []string {
	var out []string
	for _, u := range p.Unknowns() {
		out = append(out, u.Ref.Name+"→"+u.Nearest)
	}
	return out
}

func TestUnknowns(t *testing.T) {
	base := map[string]string{
		"events.datasource":    "SCHEMA >\n    `ts` DateTime\n",
		"versioned.datasource": "VERSION 3\n\nSCHEMA >\n    `ts` DateTime\n",
		"other.pipe":           "NODE o\nSQL >\n    SELECT 1\n",
	}
	tests := []struct {
		name string
		pipe string
		want []string
	}{
		{"typo", "NODE n\nSQL >\n    SELECT * FROM evnets\n", []string{"evnets→events"}},
		{"unknown far from everything", "NODE n\nSQL >\n    SELECT * FROM orders\n", []string{"orders→"}},
		{"join", "NODE n\nSQL >\n    SELECT * FROM events JOIN evens USING ts\n", []string{"evens→events"}},
		{"target", "NODE n\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE evnts\n", []string{"evnts→events"}},
		{"materialized target", "NODE n\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE eventz\n", []string{"eventz→events"}},
		// The classic CLI creates a materialized target the project lacks;
		// a later node (or pipe) may read it.
		{"materialized target created", "NODE n\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE daily_mv\n\nNODE r\nSQL >\n    SELECT * FROM daily_mv\n", nil},
		{"copy target is not created", "NODE n\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE daily_copy\n", []string{"daily_copy→"}},
		{"read of a created name's typo", "NODE n\nSQL >\n    SELECT 1\nTYPE materialized\nDATASOURCE daily_mv\n\nNODE r\nSQL >\n    SELECT * FROM daily_mw\n", []string{"daily_mw→daily_mv"}},
		{"known datasource", "NODE n\nSQL >\n    SELECT * FROM events\n", nil},
		{"known pipe", "NODE n\nSQL >\n    SELECT * FROM other\n", nil},
		{"cte", "NODE n\nSQL >\n    WITH recent AS (SELECT * FROM events) SELECT * FROM recent\n", nil},
		{"cte, and an unknown", "NODE n\nSQL >\n    WITH recent AS (SELECT * FROM evnets) SELECT * FROM recent\n", []string{"evnets→events"}},
		{"alias", "NODE n\nSQL >\n    SELECT * FROM (SELECT 1) AS sub JOIN events USING x\n", nil},
		{"earlier node", "NODE a\nSQL >\n    SELECT * FROM events\n\nNODE b\nSQL >\n    SELECT * FROM a\n", nil},
		{"node of another pipe", "NODE b\nSQL >\n    SELECT * FROM o\n", []string{"o→"}},
		{"table function", "NODE n\nSQL >\n    SELECT * FROM numbers(10) JOIN url('x', CSV) USING a\n", nil},
		{"system table", "NODE n\nSQL >\n    SELECT * FROM system.tables\n", nil},
		{"service datasource", "NODE n\nSQL >\n    SELECT * FROM tinybird.pipe_stats_rt\n", nil},
		{"shared datasource", "NODE n\nSQL >\n    SELECT * FROM ws.events\n", nil},
		{"bare system table", "NODE n\nSQL >\n    SELECT * FROM one JOIN numbers_mt USING number\n", nil},
		{"table function without arguments", "NODE n\nSQL >\n    SELECT * FROM zeros_mt\n", nil},
		{"reserved database name", "NODE n\nSQL >\n    SELECT * FROM live\n", nil},
		{"quarantine table", "NODE n\nSQL >\n    SELECT * FROM events_quarantine\n", nil},
		{"quarantine of nothing", "NODE n\nSQL >\n    SELECT * FROM orders_quarantine\n", []string{"orders_quarantine→"}},
		{"versioned name", "NODE n\nSQL >\n    SELECT * FROM versioned__v3\n", nil},
		{"another version", "NODE n\nSQL >\n    SELECT * FROM versioned__v2\n", []string{"versioned__v2→versioned__v3"}},
		{"unknown beside a system table", "NODE n\nSQL >\n    SELECT * FROM one JOIN evnts USING x\n", []string{"evnts→events"}},
		{"template", "NODE n\nSQL >\n    %\n    SELECT * FROM {{ TABLE(x) }} JOIN events_{{ s }} USING a\n", nil},
		{"template condition", "NODE n\nSQL >\n    %\n    {% if a %} SELECT * FROM evnets {% end %}\n", []string{"evnets→events"}},
		{"include variable", "NODE n\nSQL >\n    SELECT * FROM $table\n", nil},
		{"templated target", "NODE n\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE {{ t }}\n", nil},
		{"extract", "NODE n\nSQL >\n    SELECT EXTRACT(YEAR FROM ts) FROM events\n", nil},
		{"array join", "NODE n\nSQL >\n    SELECT t FROM events ARRAY JOIN tags AS t\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := maps.Clone(base)
			files["p.pipe"] = tt.pipe
			if got := unknownNames(project(files)); !slices.Equal(got, tt.want) {
				t.Errorf("Unknowns = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnknownsNeedADatasource(t *testing.T) {
	// A project of pipes only reads datasources defined elsewhere.
	p := project(map[string]string{"p.pipe": "NODE n\nSQL >\n    SELECT * FROM evnets\n"})
	if got := unknownNames(p); got != nil {
		t.Errorf("Unknowns = %q, want none", got)
	}
}

func TestUnknownsIncludes(t *testing.T) {
	files := map[string]string{
		"events.datasource":      "SCHEMA >\n    `ts` DateTime\n",
		"includes/common.incl":   "NODE base\nSQL >\n    SELECT * FROM events\n\nNODE more\nSQL >\n    SELECT * FROM base JOIN shared_node USING ts\n",
		"p.pipe":                 "INCLUDE \"includes/common.incl\"\n\nNODE n\nSQL >\n    SELECT * FROM more\n",
		"q.pipe":                 "NODE shared_node\nSQL >\n    SELECT 1\n",
		"includes/bad_only.incl": "NODE x\nSQL >\n    SELECT * FROM evnets\n",
	}
	p := project(files)
	if got, want := unknownNames(p), []string{"evnets→events"}; !slices.Equal(got, want) {
		t.Errorf("Unknowns = %q, want %q", got, want)
	}
	// FROM more in p.pipe is the node of the included file.
	tg, ok := p.At("p.pipe", offsetOf(t, files, "p.pipe", "more", 0))
	if !ok || tg.Kind != Node {
		t.Fatalf("At(more) = %+v, %v", tg, ok)
	}
	if ds := p.Decls(tg); len(ds) != 1 || ds[0].File != "includes/common.incl" {
		t.Errorf("Decls(more) = %+v", ds)
	}
}

// apply applies a renaming to files (path → text).
func apply(t *testing.T, files map[string]string, r *Renaming) map[string]string {
	t.Helper()
	out := maps.Clone(files)
	byFile := map[string][]Edit{}
	for _, e := range r.Edits {
		byFile[e.File] = append(byFile[e.File], e)
	}
	for path, es := range byFile {
		sort.Slice(es, func(i, j int) bool { return es[i].Start > es[j].Start })
		text := out[path]
		for _, e := range es {
			text = text[:e.Start] + e.NewText + text[e.End:]
		}
		out[path] = text
	}
	for _, fr := range r.Renames {
		if _, ok := out[fr.Old]; !ok {
			t.Fatalf("rename of a missing file %s", fr.Old)
		}
		out[fr.New] = out[fr.Old]
		delete(out, fr.Old)
	}
	return out
}

func TestRenameRoundTrip(t *testing.T) {
	tests := []struct {
		path, needle string
		n            int
		newName      string
		want         map[string]string // path → a substring the renamed project has there
	}{
		{"pipes/top.pipe", "events", 0, "web_events", map[string]string{
			"datasources/web_events.datasource": "SCHEMA", "pipes/top.pipe": "FROM web_events", "pipes/daily_mv.pipe": "FROM web_events"}},
		{"pipes/daily_mv.pipe", "daily\n", 0, "per_day", map[string]string{"pipes/daily_mv.pipe": "DATASOURCE per_day", "datasources/per_day.datasource": "SCHEMA"}},
		{"pipes/top.pipe", "filtered", 0, "recent", map[string]string{"pipes/top.pipe": "FROM recent JOIN users ON users.id = filtered.user_id"}},
		{"pipes/top.pipe", "app_read", 0, "reader", map[string]string{"pipes/top.pipe": "TOKEN reader READ", "datasources/events.datasource": "TOKEN reader READ"}},
	}
	for _, tt := range tests {
		t.Run(tt.newName, func(t *testing.T) {
			p := project(sample)
			tg, start, end, err := p.PrepareRename(tt.path, offsetOf(t, sample, tt.path, tt.needle, tt.n))
			if err != nil {
				t.Fatal(err)
			}
			if got := sample[tt.path][start:end]; got != tg.Name {
				t.Fatalf("PrepareRename spans %q, want %q", got, tg.Name)
			}
			r, err := p.Rename(tg, tt.newName)
			if err != nil {
				t.Fatal(err)
			}
			renamed := apply(t, sample, r)
			for path, sub := range tt.want {
				if !strings.Contains(renamed[path], sub) {
					t.Errorf("%s after the rename lacks %q:\n%s", path, sub, renamed[path])
				}
			}
			p2 := project(renamed)
			back := tg
			back.Name = tt.newName
			r2, err := p2.Rename(back, tg.Name)
			if err != nil {
				t.Fatal(err)
			}
			if got := apply(t, renamed, r2); !maps.Equal(got, sample) {
				t.Errorf("renaming back does not give the original texts: %v", got)
			}
		})
	}
}

func TestVersionedNames(t *testing.T) {
	files := map[string]string{
		"page_views.datasource": "VERSION 3\n\nSCHEMA >\n    `ts` DateTime\n",
		"p.pipe":                "NODE n\nSQL >\n    SELECT * FROM page_views__v3\n",
	}
	p := project(files)
	tg, ok := p.At("p.pipe", offsetOf(t, files, "p.pipe", "page_views__v3", 0))
	if !ok {
		t.Fatal("no name at page_views__v3")
	}
	if ds := p.Decls(tg); len(ds) != 1 || ds[0].File != "page_views.datasource" {
		t.Errorf("Decls(page_views__v3) = %+v", ds)
	}
	if _, err := p.Rename(tg, "views__v3"); err == nil || !strings.Contains(err.Error(), "versioned name") {
		t.Errorf("renaming a versioned name: %v", err)
	}
	// Renaming the datasource renames its versioned uses, and back.
	r, err := p.Rename(Target{Kind: Resource, Name: "page_views"}, "views")
	if err != nil {
		t.Fatal(err)
	}
	renamed := apply(t, files, r)
	if !strings.Contains(renamed["p.pipe"], "FROM views__v3") || renamed["views.datasource"] == "" {
		t.Fatalf("after renaming page_views: %q", renamed)
	}
	r, err = project(renamed).Rename(Target{Kind: Resource, Name: "views"}, "page_views")
	if err != nil {
		t.Fatal(err)
	}
	if back := apply(t, renamed, r); !maps.Equal(back, files) {
		t.Errorf("renaming back: %q", back)
	}
}

func TestRenameRefused(t *testing.T) {
	p := project(sample)
	if _, err := p.Rename(Target{Kind: Resource, Name: "events"}, "users"); err == nil || !strings.Contains(err.Error(), "already has") {
		t.Errorf("renaming onto users: %v", err)
	}
	if _, err := p.Rename(Target{Kind: Resource, Name: "events"}, "web-events"); err == nil {
		t.Error("renaming to an invalid name was accepted")
	}
	if _, err := p.Rename(Target{Kind: Resource, Name: "events"}, "select"); err == nil {
		t.Error("renaming to a reserved name was accepted")
	}
	if _, err := p.Rename(Target{Kind: Token, Name: "app_read"}, "ingest"); err == nil || !strings.Contains(err.Error(), "merge") {
		t.Errorf("renaming a token onto another: %v", err)
	}
	templated := map[string]string{
		"events.datasource": "SCHEMA >\n    `ts` DateTime\n",
		"c.pipe":            "NODE n\nSQL >\n    SELECT 1\nTYPE copy\nTARGET_DATASOURCE {{ t }}\n",
		"s.pipe":            "NODE n\nSQL >\n    SELECT * FROM ws.events\n",
	}
	p = project(templated)
	if _, _, _, err := p.PrepareRename("c.pipe", offsetOf(t, templated, "c.pipe", "{{ t }}", 0)+1); err == nil || !strings.Contains(err.Error(), "not one constant name") {
		t.Errorf("PrepareRename on a templated target: %v", err)
	}
	if _, _, _, err := p.PrepareRename("s.pipe", offsetOf(t, templated, "s.pipe", "ws.events", 0)); err == nil || !strings.Contains(err.Error(), "another workspace") {
		t.Errorf("PrepareRename on a shared datasource: %v", err)
	}
	if _, _, _, err := p.PrepareRename("s.pipe", 0); err == nil {
		t.Error("PrepareRename on NODE's keyword succeeded")
	}
}

package resolve

import (
	"slices"
	"strings"
	"testing"
)

func refNames(sql string) []string {
	var out []string
	for _, r := range TableRefs(sql) {
		out = append(out, r.Name)
	}
	return out
}

func TestTableRefs(t *testing.T) {
	tests := []struct {
		name string
		sql  string
		want []string
	}{
		{"from", "SELECT * FROM events", []string{"events"}},
		{"from lower case", "select * from events where x = 1", []string{"events"}},
		{"join", "SELECT * FROM a JOIN b ON a.id = b.id LEFT JOIN c USING id", []string{"a", "b", "c"}},
		{"any left join", "SELECT * FROM a ANY LEFT JOIN b USING id GLOBAL INNER JOIN c USING id", []string{"a", "b", "c"}},
		{"from list", "SELECT * FROM a, b AS bb, c FINAL WHERE 1", []string{"a", "b", "c"}},
		{"alias", "SELECT e.x FROM events e WHERE e.x > 0", []string{"events"}},
		{"quoted", "SELECT * FROM `events` JOIN \"users\" USING id", []string{"events", "users"}},
		{"subquery", "SELECT * FROM (SELECT * FROM events) AS sub", []string{"events"}},
		{"in subquery", "SELECT * FROM a WHERE id IN (SELECT id FROM b)", []string{"a", "b"}},
		{"union", "SELECT 1 FROM a UNION ALL SELECT 2 FROM b", []string{"a", "b"}},
		{"select alias named like the table", "SELECT count() AS events FROM events", []string{"events"}},
		{"final sample", "SELECT * FROM events FINAL SAMPLE 0.1", []string{"events"}},
		{"template around", "%\nSELECT * FROM events\n{% if defined(x) %} WHERE x = {{ Int32(x) }} {% end %}", []string{"events"}},
		{"template branches", "{% if a %} SELECT * FROM a {% else %} SELECT * FROM b {% end %}", []string{"a", "b"}},
		{"template comment", "SELECT * FROM events {# FROM hidden #}", []string{"events"}},

		// Exclusions.
		{"cte", "WITH recent AS (SELECT * FROM events) SELECT * FROM recent", []string{"events"}},
		{"two ctes", "WITH a AS (SELECT 1 FROM t1), b AS (SELECT 2 FROM a) SELECT * FROM b JOIN t2 USING x", []string{"t1", "t2"}},
		{"with scalar alias", "WITH 10 AS lim, (SELECT max(x) FROM t) AS top SELECT * FROM events LIMIT lim", []string{"t", "events"}},
		{"subquery alias joined", "SELECT * FROM (SELECT 1) AS s JOIN events USING x", []string{"events"}},
		{"table function", "SELECT * FROM numbers(10)", nil},
		{"table function with args", "SELECT * FROM url('https://x', CSV) JOIN generateRandom('a Int8') USING a", nil},
		{"system table", "SELECT * FROM system.tables", []string{"system.tables"}},
		{"service datasource", "SELECT * FROM tinybird.datasources_ops_log", []string{"tinybird.datasources_ops_log"}},
		{"shared datasource", "SELECT * FROM other_ws.events", []string{"other_ws.events"}},
		{"extract", "SELECT EXTRACT(YEAR FROM ts) AS y FROM events", []string{"events"}},
		{"trim substring", "SELECT trim(BOTH ' ' FROM s), substring(s FROM 2 FOR 3) FROM events", []string{"events"}},
		{"is distinct from", "SELECT * FROM a WHERE x IS DISTINCT FROM y", []string{"a"}},
		{"array join", "SELECT tag FROM events ARRAY JOIN tags AS tag", []string{"events"}},
		{"left array join", "SELECT tag FROM events LEFT ARRAY JOIN tags AS tag", []string{"events"}},
		{"template table", "SELECT * FROM {{ TABLE(ds) }}", nil},
		{"glued template", "SELECT * FROM events_{{ suffix }} JOIN {{ p }}_users USING id", nil},
		{"glued after dot", "SELECT * FROM db.{{ t }}", nil},
		{"string", "SELECT 'FROM nothing' FROM events", []string{"events"}},
		{"comment", "SELECT 1 -- FROM nothing\nFROM events /* JOIN nope */", []string{"events"}},
		{"from then clause", "SELECT * FROM WHERE", nil},
		{"unterminated", "SELECT * FROM \"events", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := refNames(tt.sql); !slices.Equal(got, tt.want) {
				t.Errorf("TableRefs(%q) = %q, want %q", tt.sql, got, tt.want)
			}
		})
	}
}

func TestTableRefsOffsets(t *testing.T) {
	sql := "SELECT * FROM `events` JOIN ws.users USING id"
	refs := TableRefs(sql)
	if len(refs) != 2 {
		t.Fatalf("got %d refs, want 2", len(refs))
	}
	if got := sql[refs[0].Start:refs[0].End]; got != "events" || refs[0].Dotted {
		t.Errorf("first ref spans %q (dotted %v), want events", got, refs[0].Dotted)
	}
	if got := sql[refs[1].Start:refs[1].End]; got != "ws.users" || !refs[1].Dotted {
		t.Errorf("second ref spans %q (dotted %v), want ws.users, dotted", got, refs[1].Dotted)
	}
}

func FuzzTableRefs(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM events", "WITH a AS (SELECT 1) SELECT * FROM a JOIN b USING x",
		"SELECT * FROM {{ TABLE(x) }}", "SELECT EXTRACT(YEAR FROM ts) FROM `e`", "{% if x %}FROM a{% end %}",
		"SELECT * FROM a, b.c, \"d\" FINAL", "FROM (((", "FROM ))) JOIN", "'\\", "{{", "`a`.`b`",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		last := -1
		for _, r := range TableRefs(sql) {
			if r.Start < 0 || r.End > len(sql) || r.Start >= r.End {
				t.Fatalf("ref %+v out of range of a %d-byte text", r, len(sql))
			}
			if r.Start <= last {
				t.Fatalf("refs out of order at %+v", r)
			}
			last = r.Start
			span := sql[r.Start:r.End]
			if !r.Dotted && span != r.Name {
				t.Fatalf("ref %q spans %q", r.Name, span)
			}
			if r.Dotted != strings.Contains(r.Name, ".") {
				t.Fatalf("ref %q: Dotted is %v", r.Name, r.Dotted)
			}
			if strings.Contains(r.Name, "{") && !strings.Contains(span, "{") {
				t.Fatalf("ref %q holds a template the text does not", r.Name)
			}
		}
	})
}

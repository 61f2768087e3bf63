package rules

import (
	"fmt"
	"strings"
	"testing"
)

// codesOf returns "CODE Field[Index].Part" for each finding.
func codesOf(ls []Located) []string {
	var out []string
	for _, l := range ls {
		s := fmt.Sprintf("%s %s[%d]", l.Code, l.Field, l.Index)
		if l.Part != "" {
			s += "." + l.Part
		}
		if l.Suggest != "" {
			s += "->" + l.Suggest
		}
		out = append(out, s)
	}
	return out
}

func TestCheckColumns(t *testing.T) {
	cols := []Column{
		{Name: "id", Type: "String"},
		{Name: "", Type: "String"},
		{Name: "id", Type: "UInt64"},
		{Name: "no_type"},
		{Name: "user-agent", Type: "String"},
		{Name: "tags", Type: "Nullable(Array(String))"},
		{Name: "p", Type: "String", JSONPath: "payload.id"},
		{Name: "q", Type: "String", JSONPath: "$.a[:]"},
		{Name: "my col", Type: "String", Quoted: true},
		{Name: "n.a", Type: "Array(String)"},
	}
	got := strings.Join(codesOf(CheckColumns("Schema", cols)), "; ")
	want := "TB502 Columns[1].Name; TB503 Columns[2]; TB504 Columns[3].Type; TB505 Columns[4].Name; TB506 Columns[5].Type; TB508 Columns[6].JSONPath"
	if got != want {
		t.Errorf("CheckColumns:\n got %s\nwant %s", got, want)
	}
}

func TestCheckJSONPath(t *testing.T) {
	for _, ok := range []string{"$", "$.a", "$.a.b_c", "$.a[:]", "$.a[0]", "$.['a-b']", "$.a['x y']", "$.a-b", "$.a.b[:].c"} {
		if p := CheckJSONPath("c", ok); p != nil {
			t.Errorf("CheckJSONPath(%q) = %v", ok, p)
		}
	}
	for _, bad := range []string{"a", ".a", "$.", "$..a", "$.a b", "$.a,b", "$a", "$.a[", "$.a[x]", "$.a['x]", "$.a`"} {
		if p := CheckJSONPath("c", bad); p == nil || p.Code != TB508 {
			t.Errorf("CheckJSONPath(%q) = %v, want TB508", bad, p)
		}
	}
}

func TestCheckEngine(t *testing.T) {
	cols := []Column{
		{Name: "timestamp", Type: "DateTime"},
		{Name: "org", Type: "LowCardinality(Nullable(String))"},
		{Name: "id", Type: "String"},
		{Name: "ver", Type: "String"},
		{Name: "ver64", Type: "Int64"},
		{Name: "sign", Type: "UInt8"},
		{Name: "del", Type: "UInt8"},
		{Name: "n", Type: "Nullable(UInt64)"},
	}
	for _, tt := range []struct {
		name string
		e    Engine
		want string
	}{
		{"fine", Engine{Kind: "MergeTree", SortingKey: []string{"timestamp", "id"}, PrimaryKey: []string{"timestamp"}, PartitionKey: "toYYYYMM(timestamp)", TTL: "timestamp + INTERVAL 90 DAY DELETE"}, ""},
		{"misspelled", Engine{Kind: "MergeTree", SortingKey: []string{"timestmap"}}, "TB510 SortingKey[0]->timestamp"},
		{"expression", Engine{Kind: "MergeTree", SortingKey: []string{"toDate(timestmap), id"}}, "TB510 SortingKey[0]->timestamp"},
		{"no near", Engine{Kind: "MergeTree", SortingKey: []string{"id", "zzzzzz"}}, "TB510 SortingKey[1]"},
		{"tuple", Engine{Kind: "MergeTree", SortingKey: []string{"tuple()"}}, ""},
		{"parens", Engine{Kind: "MergeTree", SortingKey: []string{"(id, timestamp)"}, PrimaryKey: []string{"id"}}, ""},
		{"lambda not judged", Engine{Kind: "MergeTree", SortingKey: []string{"arrayMap(x -> x, zz)"}}, ""},
		{"subcolumn not judged", Engine{Kind: "MergeTree", SortingKey: []string{"data.a"}}, ""},
		{"template not judged", Engine{Kind: "MergeTree", SortingKey: []string{"{{ key }}"}}, ""},
		{"partition", Engine{Kind: "MergeTree", SortingKey: []string{"id"}, PartitionKey: "toYYYYMM(ts)"}, "TB510 PartitionKey[0]"},
		{"ttl", Engine{Kind: "MergeTree", SortingKey: []string{"id"}, TTL: "ts + INTERVAL 1 DAY"}, "TB510 TTL[0]"},
		{"prefix", Engine{Kind: "MergeTree", SortingKey: []string{"id", "timestamp"}, PrimaryKey: []string{"timestamp"}}, "TB511 PrimaryKey[0]"},
		{"prefix longer", Engine{Kind: "MergeTree", SortingKey: []string{"id"}, PrimaryKey: []string{"id, timestamp"}}, "TB511 PrimaryKey[0]"},
		{"nullable", Engine{Kind: "MergeTree", SortingKey: []string{"id", "org"}}, "TB512 SortingKey[1]"},
		{"nullable allowed", Engine{Kind: "MergeTree", SortingKey: []string{"org"}, AllowNullableKey: true}, ""},
		{"nullable expression", Engine{Kind: "MergeTree", SortingKey: []string{"ifNull(org, '')"}}, ""},
		{"nullable partition", Engine{Kind: "MergeTree", SortingKey: []string{"id"}, PartitionKey: "n"}, "TB512 PartitionKey[0]"},
		{"ver string", Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, Ver: "ver"}, "TB513 Ver[-1]"},
		{"ver int64", Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, Ver: "ver64", IsDeleted: "del"}, ""},
		{"ver nullable", Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, Ver: "n"}, "TB513 Ver[-1]"},
		{"ver missing", Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, Ver: "vers"}, "TB510 Ver[-1]->ver"},
		{"is_deleted", Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, IsDeleted: "ver64"}, "TB513 IsDeleted[-1]"},
		{"sign", Engine{Kind: "CollapsingMergeTree", SortingKey: []string{"id"}, Sign: "sign"}, "TB513 Sign[-1]"},
		{"no sign", Engine{Kind: "CollapsingMergeTree", SortingKey: []string{"id"}}, "TB514 [-1]"},
		{"no version", Engine{Kind: "VersionedCollapsingMergeTree", SortingKey: []string{"id"}, Sign: "sign"}, "TB514 [-1]; TB513 Sign[-1]"},
		{"summing", Engine{Kind: "SummingMergeTree", SortingKey: []string{"id"}, SummingColumns: []string{"n", "m"}}, "TB510 SummingColumns[1]"},
		{"default engine", Engine{SortingKey: []string{"nope"}}, ""},
	} {
		got := strings.Join(codesOf(CheckEngine(tt.e, cols)), "; ")
		if got != tt.want {
			t.Errorf("%s: CheckEngine = %q, want %q", tt.name, got, tt.want)
		}
	}
	// A broken schema is not judged.
	if got := CheckEngine(Engine{Kind: "MergeTree", SortingKey: []string{"x"}}, []Column{{Name: "a"}}); len(got) != 0 {
		t.Errorf("CheckEngine on a schema with a typeless column = %v", got)
	}
}

func TestEngineMessages(t *testing.T) {
	ls := CheckEngine(Engine{Kind: "MergeTree", SortingKey: []string{"timestmap"}}, []Column{{Name: "timestamp", Type: "DateTime"}})
	if len(ls) != 1 || ls[0].Message != `Sorting key names column "timestmap", which the schema does not have. Did you mean "timestamp"?` {
		t.Errorf("message: %v", ls)
	}
}

func TestCheckNodes(t *testing.T) {
	got := strings.Join(codesOf(CheckNodes("p", []Node{{Name: "a", SQL: "SELECT 1"}, {Name: "a", SQL: " "}, {Name: "select", SQL: "x"}, {Name: "b-c", SQL: "x"}})), "; ")
	want := "TB602 Nodes[1].Name; TB603 Nodes[1].SQL; TB104 Nodes[2].Name; TB103 Nodes[3].Name" // select: a reserved node name
	if got != want {
		t.Errorf("CheckNodes = %q, want %q", got, want)
	}
	if got := CheckNodes("p", nil); len(got) != 1 || got[0].Code != TB601 || got[0].Message != `Pipe "p" must have at least one node.` {
		t.Errorf("CheckNodes(nil) = %v", got)
	}
}

func TestTypesCompatible(t *testing.T) {
	for _, tt := range []struct {
		o, d string
		want bool
	}{
		{"String", "String", true},
		{"String", "Nullable(String)", true},
		{"String", "LowCardinality(String)", true},
		{"DateTime", "DateTime('UTC')", true},
		{"DateTime64(3)", "DateTime64(3, 'UTC')", true},
		{"UInt64", "SimpleAggregateFunction(sum, UInt64)", true},
		{"UInt64", "AggregateFunction(uniq, UInt64)", true},
		{"UInt64", "UInt32", false},
		{"String", "AggregateFunction(uniq, UInt64)", false},
	} {
		if got := TypesCompatible(tt.o, tt.d); got != tt.want {
			t.Errorf("TypesCompatible(%q, %q) = %v", tt.o, tt.d, got)
		}
	}
}

func TestMiscRules(t *testing.T) {
	if p := CheckIndex(Index{Name: "a b", Expr: "x", Type: "set(1)", Granularity: 1}); p == nil || p.Code != TB520 {
		t.Errorf("CheckIndex whitespace name = %v", p)
	}
	if p := CheckIndex(Index{Name: "a", Expr: "x", Type: "set(1)", Granularity: 1}); p != nil {
		t.Errorf("CheckIndex valid = %v", p)
	}
	if p := S3Credentials("", "k", ""); p == nil || p.Code != TB540 {
		t.Errorf("S3Credentials = %v", p)
	}
	if p := CheckCacheTTL(1500e6, "1.5s"); p == nil || p.Code != TB610 {
		t.Errorf("CheckCacheTTL = %v", p)
	}
	if p := CheckCopyMode("append"); p != nil {
		t.Errorf("CheckCopyMode(append) = %v", p)
	}
	if p := DuplicateResource(SubjectPipe, "x", "a.go:1"); p.Message != `Pipe name "x" is also defined at a.go:1: both would write x.pipe. Rename one.` {
		t.Errorf("DuplicateResource = %q", p.Message)
	}
}

// FuzzSchemaRules feeds arbitrary column names, types, JSON paths and
// engine keys to the schema rules: none may panic, and every finding must
// point at an element that exists.
func FuzzSchemaRules(f *testing.F) {
	f.Add("timestamp", "Nullable(String)", "$.a[:]", "toDate(timestamp), id", "ver", "timestamp + INTERVAL 1 DAY")
	f.Add("a.b", "LowCardinality(Nullable(String))", "$.['x y']", "(a, `b c`)", "`a`", "a -> a")
	f.Add("", "Array(", "$..", "{{ x }}", "", "'")
	f.Fuzz(func(t *testing.T, name, typ, path, key, ver, ttl string) {
		cols := []Column{{Name: name, Type: typ, JSONPath: path}, {Name: "id", Type: "UInt64"}}
		for _, l := range CheckColumns("Schema", cols) {
			if l.Field != FieldColumns || l.Index < 0 || l.Index >= len(cols) || l.Code == "" {
				t.Fatalf("column finding %+v", l)
			}
		}
		e := Engine{Kind: "ReplacingMergeTree", SortingKey: []string{key}, PrimaryKey: []string{key}, PartitionKey: key, TTL: ttl, Ver: ver, IsDeleted: ver}
		for _, l := range CheckEngine(e, cols) {
			if l.Code == "" || l.Index >= 1 {
				t.Fatalf("engine finding %+v", l)
			}
			if l.Suggest != "" && l.Suggest != name && l.Suggest != "id" {
				t.Fatalf("suggestion %q is no column", l.Suggest)
			}
		}
	})
}

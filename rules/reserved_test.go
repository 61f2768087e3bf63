package rules

import (
	"strings"
	"testing"
)

// TestReservedSources encodes, set by set, the lists rules/reserved.go cites
// (tinybird-cli 5.14: tinybird/ch_utils/constants.py, tinybird/datatypes.py,
// tinybird/sql_template.py, and FORBIDDEN_WORDS in tinybird/constants.py),
// typed again from the sources, and checks that IsReserved is exactly their
// union minus ALLOWED_WORDS: a word added to or lost from the table fails.
func TestReservedSources(t *testing.T) {
	sources := map[string]string{
		"ENABLED_TABLE_FUNCTIONS": "generateRandom null numbers numbers_mt values zeros zeros_mt",
		"ENABLED_SYSTEM_TABLES":   "functions numbers numbers_mt one",
		"RESERVED_DATABASE_NAMES": "tinybird system public default main origin live snapshot _temporary_and_external_tables",
		"FORBIDDEN_SQL_KEYWORDS": "add after all and any array as asc between by case collate cross default desc " +
			"distinct else end exists from full global group having if ilike in inner insert interval into join " +
			"left like limit limits materialized not on or order outer prewhere right sample select then to totals " +
			"union using where with anti asof cube max min null semi",
		"nullable_types": "Date Date32 DateTime DateTime32 DateTime64 Decimal Decimal128 Decimal256 Decimal32 " +
			"Decimal64 Enum Enum16 Enum8 FixedString Float32 Float64 IPv4 IPv6 Int128 Int16 Int256 Int32 Int64 Int8 " +
			"MultiPolygon Point Polygon Ring String UInt128 UInt16 UInt256 UInt32 UInt64 UInt8 UUID " +
			"template_parameters token",
		"parameter_types": "String Boolean DateTime64 DateTime Date Float32 Float64 Int8 Int16 Int32 Int64 Int128 " +
			"Int256 UInt8 UInt16 UInt32 UInt64 UInt128 UInt256 Array JSON",
		"function_list": "columns table TABLE error custom_error sql_and defined column enumerate_with_last " +
			"split_to_array day_diff date_diff_in_days date_diff_in_hours date_diff_in_minutes " +
			"date_diff_in_seconds sql_unescape JSON",
	}
	allowed := map[string]bool{"numbers": true, "values": true, "zeros": true, "materialized": true, "totals": true}
	want := map[string]bool{}
	for set, words := range sources {
		for _, w := range strings.Fields(words) {
			lw := strings.ToLower(w)
			if allowed[lw] {
				if IsReserved(w) {
					t.Errorf("%s: %q is in ALLOWED_WORDS but reserved", set, w)
				}
				continue
			}
			want[lw] = true
			for _, form := range []string{w, lw, strings.ToUpper(w)} {
				if !IsReserved(form) {
					t.Errorf("%s: IsReserved(%q) = false", set, form)
				}
			}
		}
	}
	if len(reservedNames) != len(want) {
		for w := range reservedNames {
			if !want[w] {
				t.Errorf("%q is reserved but in none of the cited sets", w)
			}
		}
	}
}

// TestReservedExamples pins the names the issue and Tinybird's own tests
// name: url is accepted by the server's tests, merge and s3 are table
// functions Tinybird does not enable, and the workspace names Tinybird keeps
// are refused.
func TestReservedExamples(t *testing.T) {
	for _, name := range []string{"url", "merge", "s3", "alter", "drop", "top", "map", "tuple", "events", "Totals", "numbers"} {
		if IsReserved(name) {
			t.Errorf("IsReserved(%q) = true, want false", name)
		}
	}
	for _, name := range []string{"origin", "live", "snapshot", "FROM", "select", "token", "sql_and", "one", "uuid", "json"} {
		if !IsReserved(name) {
			t.Errorf("IsReserved(%q) = false, want true", name)
		}
	}
}

func TestReservedNodeNames(t *testing.T) {
	for _, name := range []string{"from", "SELECT", "Join", "null", "max"} {
		if !IsReservedNodeName(name) {
			t.Errorf("IsReservedNodeName(%q) = false", name)
		}
	}
	for _, name := range []string{"snapshot", "endpoint", "totals", "materialized", "events", "json", "table"} {
		if IsReservedNodeName(name) {
			t.Errorf("IsReservedNodeName(%q) = true", name)
		}
	}
}

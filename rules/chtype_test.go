package rules

import (
	"strings"
	"testing"
)

func TestParseTypeAccepts(t *testing.T) {
	for _, s := range []string{
		"String", "UInt64", "LowCardinality(Nullable(String))", "Nullable(DateTime64(3, 'UTC'))",
		"DateTime('Europe/Madrid')", "DateTime64(9)", "Decimal(18, 4)", "Decimal(38)", "Decimal64(4)",
		"FixedString(16)", "Array(Array(Nullable(Int32)))", "Map(String, Array(UInt8))",
		"Map(LowCardinality(String), UInt64)", "Tuple(String, UInt8)", "Tuple(a String, b Nullable(UInt8))",
		"Nested(a String, b UInt8)", "Enum8('a' = 1, 'b''c' = 2)", "Enum16('x' = -1)", "Enum8('a', 'b')",
		"AggregateFunction(uniq, String)", "AggregateFunction(quantiles(0.5, 0.9), UInt64)",
		"AggregateFunction(count)", "SimpleAggregateFunction(sum, UInt64)", "JSON", "JSON(max_dynamic_paths=10, a.b UInt32, SKIP c)",
		"Variant(String, UInt64)", "Dynamic", "IPv4", "UUID", "Bool", "boolean", "VARCHAR(255)", "INT(11)",
		"DOUBLE PRECISION", "BIGINT UNSIGNED", "Object('json')", "Point", "Float32", "  String  ", "Date32",
		"LowCardinality(UInt64)", "Nullable(Enum8('a' = 1))", "Array(Tuple(String, Array(Map(String, String))))",
	} {
		if _, err := ParseType(s); err != nil {
			t.Errorf("ParseType(%q) = %v, want no error", s, err)
		}
	}
}

func TestParseTypeRefuses(t *testing.T) {
	for s, want := range map[string]string{
		"":                                      "empty",
		"Strin":                                 "unknown type",
		"Nullable(Array(String))":               "cannot be inside Nullable",
		"Nullable(LowCardinality(String))":      "cannot be inside Nullable",
		"Nullable(Nullable(String))":            "cannot be inside Nullable",
		"Nullable(String, UInt8)":               "takes 1 type",
		"Array(String":                          "missing closing parenthesis",
		"Array()":                               "takes 1 type",
		"String)":                               "after the type",
		"FixedString(0)":                        "positive length",
		"FixedString(n)":                        "positive length",
		"Decimal(80, 2)":                        "precision 80",
		"Decimal(10, 11)":                       "scale 11",
		"DateTime64(10)":                        "precision 10",
		"DateTime64(3, UTC)":                    "not a quoted string",
		"DateTime(UTC)":                         "quoted time zone",
		"Enum8()":                               "at least one value",
		"Enum8(a = 1)":                          "not a quoted string",
		"Map(String)":                           "takes 2 type",
		"Map(Nullable(String), UInt8)":          "map key",
		"LowCardinality(Array(String))":         "LowCardinality cannot wrap",
		"AggregateFunction(1, UInt8)":           "function name",
		"SimpleAggregateFunction(sum)":          "one type",
		"Array(Strng)":                          "unknown type",
		"Enum8('a = 1)":                         "unterminated",
		"Tuple(String, 1)":                      "not a type",
		"Array(Nullable(Array(String)))":        "cannot be inside Nullable",
		"LowCardinality(Nullable(Array(Int8)))": "cannot be inside Nullable",
	} {
		_, err := ParseType(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseType(%q) = %v, want an error containing %q", s, err, want)
		}
	}
}

func TestShapeOf(t *testing.T) {
	for typ, want := range map[string]TypeShape{
		"String":                           {Family: "String"},
		"Nullable(UInt64)":                 {Nullable: true, Family: "UInt64"},
		"LowCardinality(Nullable(String))": {Nullable: true, LowCardinality: true, Family: "String"},
		"LowCardinality(String)":           {LowCardinality: true, Family: "String"},
		"TIMESTAMP":                        {Family: "DateTime"},
		"Array(Nullable(String))":          {Family: "Array"},
	} {
		got, ok := ShapeOf(typ)
		got.Base = nil
		if !ok || got != want {
			t.Errorf("ShapeOf(%q) = %+v, %v; want %+v", typ, got, ok, want)
		}
	}
	if _, ok := ShapeOf("Nope("); ok {
		t.Error("ShapeOf of a broken type succeeded")
	}
}

// FuzzParseType checks that the parser never panics, and that a type it
// accepts prints back to a type it accepts, with the same shape.
func FuzzParseType(f *testing.F) {
	for _, s := range []string{"String", "LowCardinality(Nullable(String))", "Enum8('a' = 1)", "Tuple(a String)", "AggregateFunction(quantiles(0.5), UInt64)", "DateTime64(3, 'UTC')", "Map(String, Array(UInt8))", "JSON(SKIP a.b)", "Array(`x` String", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		te, err := ParseType(s)
		if err != nil {
			return
		}
		again, err := ParseType(te.String())
		if err != nil {
			t.Fatalf("ParseType(%q) accepted, but its String %q is refused: %v", s, te.String(), err)
		}
		s1, _ := ShapeOf(s)
		s2, _ := ShapeOf(again.String())
		s1.Base, s2.Base = nil, nil
		if s1 != s2 {
			t.Fatalf("shape of %q is %+v, of its String %q is %+v", s, s1, te.String(), s2)
		}
	})
}

package tinybird

import (
	"strconv"
	"strings"
)

// Type is a ClickHouse column type with its modifiers (nullability,
// LowCardinality, default, codec, JSON path). Types are values: every
// modifier method returns a changed copy, so a Type can be shared.
//
//	tinybird.String().LowCardinality().Nullable()   // LowCardinality(Nullable(String))
//	tinybird.UInt32().Default(0).Codec("Delta, ZSTD(1)")
type Type struct {
	ch   string // the ClickHouse type, e.g. "Nullable(String)"
	mods typeModifiers
	// err is a problem found while building the type (e.g. an empty default
	// expression); Validate reports it at the Define call that uses the type,
	// because a Type constructor must not panic.
	err string
}

type typeModifiers struct {
	optional       bool
	nullable       bool
	lowCardinality bool
	hasDefault     bool
	defaultIsExpr  bool
	defaultValue   any
	defaultExpr    string
	codec          string
	jsonPath       string
}

func newType(ch string) Type { return Type{ch: ch} }

// ClickHouseType returns the type as written in a datafile, e.g.
// "LowCardinality(Nullable(String))".
func (t Type) ClickHouseType() string { return t.ch }

// String returns the ClickHouse type; it makes Type print well in messages.
func (t Type) String() string { return t.ch }

// IsZero reports whether t is the zero Type, i.e. made by no constructor.
func (t Type) IsZero() bool { return t.ch == "" && t.err == "" }

// IsNullable reports whether Nullable was applied last without
// LowCardinality (the TypeScript SDK's "nullable" modifier).
func (t Type) IsNullable() bool { return t.mods.nullable }

// IsLowCardinality reports whether LowCardinality was applied.
func (t Type) IsLowCardinality() bool { return t.mods.lowCardinality }

// IsOptional reports whether Optional was applied.
func (t Type) IsOptional() bool { return t.mods.optional }

// Optional marks an output field as possibly absent from endpoint responses.
// It changes no datafile text: typed clients use it.
func (t Type) Optional() Type {
	t.mods.optional = true
	return t
}

// Nullable wraps the type in Nullable. On a LowCardinality type it yields
// LowCardinality(Nullable(X)), the only order ClickHouse accepts.
func (t Type) Nullable() Type {
	if t.mods.lowCardinality {
		base := unwrapOnce(t.ch, "LowCardinality(")
		t.ch = "LowCardinality(Nullable(" + base + "))"
		return t
	}
	t.ch = "Nullable(" + t.ch + ")"
	t.mods.nullable = true
	return t
}

// LowCardinality wraps the type in LowCardinality, for values with few
// distinct values. On a Nullable type it yields LowCardinality(Nullable(X)).
func (t Type) LowCardinality() Type {
	if t.mods.nullable {
		base := unwrapOnce(t.ch, "Nullable(")
		t.ch = "LowCardinality(Nullable(" + base + "))"
		t.mods.nullable = false
		t.mods.lowCardinality = true
		return t
	}
	t.ch = "LowCardinality(" + t.ch + ")"
	t.mods.lowCardinality = true
	return t
}

// Default sets the column's default value. Strings are quoted, numbers
// written as JavaScript writes them, booleans as 1 and 0, nil as NULL,
// time.Time as a date or date-time literal depending on the type, and
// slices and maps as JSON (map keys sorted).
func (t Type) Default(value any) Type {
	t.mods.hasDefault = true
	t.mods.defaultIsExpr = false
	t.mods.defaultValue = value
	t.mods.defaultExpr = ""
	return t
}

// DefaultExpr sets an SQL expression as the column's default, written as
// is, e.g. DefaultExpr("generateUUIDv4()"). The expression is trimmed; an
// empty one is reported by Validate.
func (t Type) DefaultExpr(expr string) Type {
	trimmed := jsTrim(expr)
	if trimmed == "" {
		t.err = "Default expression cannot be empty."
		return t
	}
	t.mods.hasDefault = true
	t.mods.defaultIsExpr = true
	t.mods.defaultValue = nil
	t.mods.defaultExpr = trimmed
	return t
}

// Codec sets the column's compression codec, e.g. Codec("ZSTD(1)").
func (t Type) Codec(codec string) Type {
	t.mods.codec = codec
	return t
}

// JSONPath sets the JSON path the column is extracted from when ingesting
// JSON (Events API), overriding the default $.<column>.
func (t Type) JSONPath(path string) Type {
	t.mods.jsonPath = path
	return t
}

// unwrapOnce strips "prefix" and the final ")" from s, as the TypeScript
// SDK's /^Prefix\((.+)\)$/ replacement does; s is returned unchanged when it
// does not have that shape.
func unwrapOnce(s, prefix string) string {
	if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, ")") {
		return s
	}
	inner := s[len(prefix) : len(s)-1]
	if inner == "" || strings.ContainsAny(inner, "\n\r\u2028\u2029") {
		return s
	}
	return inner
}

// String is the String type: a variable-length UTF-8 string.
func String() Type { return newType("String") }

// FixedString is FixedString(n): a string of exactly n bytes.
func FixedString(n int) Type { return newType("FixedString(" + strconv.Itoa(n) + ")") }

// UUID is the UUID type.
func UUID() Type { return newType("UUID") }

// Int8 is the Int8 type.
func Int8() Type { return newType("Int8") }

// Int16 is the Int16 type.
func Int16() Type { return newType("Int16") }

// Int32 is the Int32 type.
func Int32() Type { return newType("Int32") }

// Int64 is the Int64 type.
func Int64() Type { return newType("Int64") }

// Int128 is the Int128 type.
func Int128() Type { return newType("Int128") }

// Int256 is the Int256 type.
func Int256() Type { return newType("Int256") }

// UInt8 is the UInt8 type.
func UInt8() Type { return newType("UInt8") }

// UInt16 is the UInt16 type.
func UInt16() Type { return newType("UInt16") }

// UInt32 is the UInt32 type.
func UInt32() Type { return newType("UInt32") }

// UInt64 is the UInt64 type.
func UInt64() Type { return newType("UInt64") }

// UInt128 is the UInt128 type.
func UInt128() Type { return newType("UInt128") }

// UInt256 is the UInt256 type.
func UInt256() Type { return newType("UInt256") }

// Float32 is the Float32 type.
func Float32() Type { return newType("Float32") }

// Float64 is the Float64 type.
func Float64() Type { return newType("Float64") }

// Decimal is Decimal(precision, scale), a fixed-point number.
func Decimal(precision, scale int) Type {
	return newType("Decimal(" + strconv.Itoa(precision) + ", " + strconv.Itoa(scale) + ")")
}

// Bool is the Bool type.
func Bool() Type { return newType("Bool") }

// Date is the Date type (YYYY-MM-DD).
func Date() Type { return newType("Date") }

// Date32 is the Date32 type: a date with an extended range.
func Date32() Type { return newType("Date32") }

// DateTime is the DateTime type, in the server's time zone.
func DateTime() Type { return newType("DateTime") }

// DateTimeTZ is DateTime('tz'), a date-time in the named time zone. An
// empty tz gives plain DateTime, as in the TypeScript SDK.
func DateTimeTZ(tz string) Type {
	if tz == "" {
		return DateTime()
	}
	return newType("DateTime('" + tz + "')")
}

// DateTime64 is DateTime64(precision): a date-time with precision (0 to 9)
// digits of sub-second precision. The TypeScript SDK's default is 3.
func DateTime64(precision int) Type {
	return newType("DateTime64(" + strconv.Itoa(precision) + ")")
}

// DateTime64TZ is DateTime64(precision, 'tz'). An empty tz gives
// DateTime64(precision).
func DateTime64TZ(precision int, tz string) Type {
	if tz == "" {
		return DateTime64(precision)
	}
	return newType("DateTime64(" + strconv.Itoa(precision) + ", '" + tz + "')")
}

// Array is Array(element). The element's modifiers other than Nullable and
// LowCardinality (which are part of its type) are ignored.
func Array(element Type) Type {
	return Type{ch: "Array(" + element.ch + ")", err: element.err}
}

// Tuple is Tuple(elements...).
func Tuple(elements ...Type) Type {
	t := Type{ch: "Tuple(" + joinTypes(elements) + ")"}
	t.err = firstTypeErr(elements)
	return t
}

// Map is Map(key, value).
func Map(key, value Type) Type {
	t := Type{ch: "Map(" + key.ch + ", " + value.ch + ")"}
	t.err = firstTypeErr([]Type{key, value})
	return t
}

// JSON is the JSON type: semi-structured data.
func JSON() Type { return newType("JSON") }

// Enum8 is Enum8('a' = 1, 'b' = 2, …): values are numbered from 1 in order.
func Enum8(values ...string) Type { return newType("Enum8(" + enumMapping(values) + ")") }

// Enum16 is Enum16('a' = 1, …), for more than 127 values.
func Enum16(values ...string) Type { return newType("Enum16(" + enumMapping(values) + ")") }

func enumMapping(values []string) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = "'" + strings.ReplaceAll(v, "'", `\'`) + "' = " + strconv.Itoa(i+1)
	}
	return strings.Join(parts, ", ")
}

// IPv4 is the IPv4 type.
func IPv4() Type { return newType("IPv4") }

// IPv6 is the IPv6 type.
func IPv6() Type { return newType("IPv6") }

// SimpleAggregateFunction is SimpleAggregateFunction(fn, t), for
// AggregatingMergeTree columns of simple aggregates (sum, max, any…).
func SimpleAggregateFunction(fn string, t Type) Type {
	return Type{ch: "SimpleAggregateFunction(" + fn + ", " + t.ch + ")", err: t.err}
}

// AggregateFunction is AggregateFunction(fn, types...), the state of an
// aggregate (uniq, quantiles…) for AggregatingMergeTree.
func AggregateFunction(fn string, types ...Type) Type {
	if len(types) == 0 {
		return newType("AggregateFunction(" + fn + ")")
	}
	return Type{ch: "AggregateFunction(" + fn + ", " + joinTypes(types) + ")", err: firstTypeErr(types)}
}

func joinTypes(ts []Type) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = t.ch
	}
	return strings.Join(parts, ", ")
}

func firstTypeErr(ts []Type) string {
	for _, t := range ts {
		if t.err != "" {
			return t.err
		}
	}
	return ""
}

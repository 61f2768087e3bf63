package rules

import "strings"

// Reserved resource names, from Tinybird's own sets.
//
// Tinybird refuses a datasource, pipe or node whose name, lower-cased, is in
// FORBIDDEN_WORDS (tinybird/constants.py): the union, lower-cased, of
//
//   - ENABLED_TABLE_FUNCTIONS, ENABLED_SYSTEM_TABLES, RESERVED_DATABASE_NAMES
//     and FORBIDDEN_SQL_KEYWORDS (tinybird/ch_utils/constants.py;
//     FORBIDDEN_SQL_KEYWORDS is the part of ClickHouse's keyword list in
//     src/Client/Suggest.cpp that Tinybird forbids, plus anti, asof, cube,
//     max, min, null and semi),
//   - nullable_types (tinybird/datatypes.py: the types that can be inside
//     Nullable, with template_parameters and token),
//   - parameter_types and the keys of function_list (tinybird/sql_template.py:
//     the types of endpoint parameters and the template functions),
//
// minus ALLOWED_WORDS (numbers, values, zeros, materialized, totals).
//
// The tables below are those sets as tinybird-cli 5.14 ships them, word for
// word (TestReservedSources encodes them again, set by set). So url, merge,
// s3, map, tuple and alter are accepted, as Tinybird accepts them, while
// origin, live and snapshot (workspace names Tinybird keeps for itself) are
// refused.
var (
	enabledTableFunctions = []string{"generateRandom", "null", "numbers", "numbers_mt", "values", "zeros", "zeros_mt"}
	enabledSystemTables   = []string{"functions", "numbers", "numbers_mt", "one"}
	reservedDatabaseNames = []string{
		"tinybird", "system", "public", "default", "main",
		"origin", "live", "snapshot", "_temporary_and_external_tables",
	}
	forbiddenSQLKeywords = []string{
		"add", "after", "all", "and", "any", "array", "as", "asc", "between", "by",
		"case", "collate", "cross", "default", "desc", "distinct", "else", "end",
		"exists", "from", "full", "global", "group", "having", "if", "ilike", "in",
		"inner", "insert", "interval", "into", "join", "left", "like", "limit",
		"limits", "materialized", "not", "on", "or", "order", "outer", "prewhere",
		"right", "sample", "select", "then", "to", "totals", "union", "using",
		"where", "with",
		// Not from ClickHouse's Suggest.cpp: added by Tinybird.
		"anti", "asof", "cube", "max", "min", "null", "semi",
	}
	nullableTypes = []string{
		"Date", "Date32", "DateTime", "DateTime32", "DateTime64", "Decimal",
		"Decimal128", "Decimal256", "Decimal32", "Decimal64", "Enum", "Enum16",
		"Enum8", "FixedString", "Float32", "Float64", "IPv4", "IPv6", "Int128",
		"Int16", "Int256", "Int32", "Int64", "Int8", "MultiPolygon", "Point",
		"Polygon", "Ring", "String", "UInt128", "UInt16", "UInt256", "UInt32",
		"UInt64", "UInt8", "UUID", "template_parameters", "token",
	}
	parameterTypes = []string{
		"String", "Boolean", "DateTime64", "DateTime", "Date", "Float32", "Float64",
		"Int8", "Int16", "Int32", "Int64", "Int128", "Int256", "UInt8", "UInt16",
		"UInt32", "UInt64", "UInt128", "UInt256", "Array", "JSON",
	}
	templateFunctions = []string{
		"columns", "table", "TABLE", "error", "custom_error", "sql_and", "defined",
		"column", "enumerate_with_last", "split_to_array", "day_diff",
		"date_diff_in_days", "date_diff_in_hours", "date_diff_in_minutes",
		"date_diff_in_seconds", "sql_unescape", "JSON",
	}
	// allowedWords are names Tinybird accepts although a set above has them
	// (ALLOWED_WORDS in tinybird/constants.py).
	allowedWords = []string{"numbers", "values", "zeros", "materialized", "totals"}
)

// reservedNames is FORBIDDEN_WORDS, lower case.
var reservedNames = func() map[string]bool {
	m := make(map[string]bool)
	for _, set := range [][]string{
		enabledTableFunctions, enabledSystemTables, reservedDatabaseNames,
		forbiddenSQLKeywords, nullableTypes, parameterTypes, templateFunctions,
	} {
		for _, w := range set {
			m[strings.ToLower(w)] = true
		}
	}
	for _, w := range allowedWords {
		delete(m, w)
	}
	return m
}()

// reservedNodeNames are the SQL keywords of FORBIDDEN_SQL_KEYWORDS, minus
// ALLOWED_WORDS. For node names only the keywords are known to be refused
// (Tinybird's server tests refuse FROM as a node name); the type, function
// and database names are not checked there, so as not to flag names
// Tinybird accepts (the TypeScript SDK's own tests name a node "snapshot").
var reservedNodeNames = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range forbiddenSQLKeywords {
		m[w] = true
	}
	for _, w := range allowedWords {
		delete(m, w)
	}
	return m
}()

// IsReserved reports whether Tinybird refuses name as a datasource or pipe
// name. The comparison ignores case, as Tinybird's does.
func IsReserved(name string) bool {
	return reservedNames[strings.ToLower(name)]
}

// IsReservedNodeName reports whether Tinybird refuses name as a node name:
// whether it is one of its forbidden SQL keywords, ignoring case.
func IsReservedNodeName(name string) bool {
	return reservedNodeNames[strings.ToLower(name)]
}

// ReservedNameMessage is the message for a reserved name.
func ReservedNameMessage(subject Subject, name string) string {
	return "Reserved " + string(subject) + " name: \"" + name + "\". Tinybird refuses SQL keywords, database, table function, type and template function names as names; choose another name."
}

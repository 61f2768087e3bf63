package rules

import "strings"

// Reserved resource names.
//
// Source: the Tinybird CLI and server refuse a datasource or pipe whose name,
// lower-cased, is one of FORBIDDEN_WORDS in tinybird's constants module:
// the union of its FORBIDDEN_SQL_KEYWORDS, RESERVED_DATABASE_NAMES,
// ENABLED_SYSTEM_TABLES, ENABLED_TABLE_FUNCTIONS, the ClickHouse type names
// and ClickHouse's function names, minus ALLOWED_WORDS
// (numbers, values, zeros, materialized, totals).
//
// This table carries the SQL keywords, database names, system tables, table
// functions and type names. ClickHouse's several thousand function names are
// left out: they change with every ClickHouse release, and a check that is
// out of date would flag names Tinybird accepts.
var reservedNames = buildReserved(
	// SQL keywords.
	"all", "alter", "and", "any", "array", "as", "asc", "between", "both",
	"by", "case", "cast", "check", "collate", "column", "create", "cross",
	"database", "delete", "desc", "describe", "distinct", "drop", "else",
	"end", "except", "exists", "explain", "false", "final", "for", "format",
	"from", "full", "global", "grant", "group", "having", "if", "ilike", "in",
	"inner", "insert", "intersect", "interval", "into", "is", "join", "key",
	"kill", "left", "like", "limit", "not", "null", "offset", "on", "optimize",
	"or", "order", "outer", "over", "partition", "prewhere", "primary",
	"rename", "revoke", "right", "sample", "select", "set", "settings",
	"show", "system", "table", "then", "to", "top", "true", "truncate",
	"union", "update", "use", "using", "when", "where", "window", "with",
	// Database names.
	"default", "information_schema", "main", "public", "tinybird",
	// System tables Tinybird exposes.
	"columns", "databases", "dictionaries", "functions", "merges", "parts",
	"processes", "tables",
	// Table functions.
	"cluster", "file", "generaterandom", "input", "jdbc", "merge", "mysql",
	"null", "odbc", "postgresql", "remote", "s3", "url",
	// Type names.
	"boolean", "date", "date32", "datetime", "datetime64", "decimal",
	"decimal128", "decimal256", "decimal32", "decimal64", "enum", "enum16",
	"enum8", "fixedstring", "float32", "float64", "int128", "int16", "int256",
	"int32", "int64", "int8", "ipv4", "ipv6", "json", "lowcardinality", "map",
	"nested", "nothing", "nullable", "string", "tuple", "uint128", "uint16",
	"uint256", "uint32", "uint64", "uint8", "uuid",
)

// allowedWords are names Tinybird accepts although they are keywords or
// function names (ALLOWED_WORDS in the same module).
var allowedWords = []string{"numbers", "values", "zeros", "materialized", "totals"}

func buildReserved(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	for _, w := range allowedWords {
		delete(m, w)
	}
	return m
}

// IsReserved reports whether Tinybird refuses name as a datasource or pipe
// name. The comparison ignores case, as Tinybird's does.
func IsReserved(name string) bool {
	return reservedNames[strings.ToLower(name)]
}

// ReservedNameMessage is the message for a reserved resource name.
func ReservedNameMessage(subject Subject, name string) string {
	return "Reserved " + string(subject) + " name: \"" + name + "\". Tinybird refuses SQL keywords, database, table function and type names as resource names; choose another name."
}

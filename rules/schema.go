package rules

import (
	"fmt"
	"strings"
)

// The schema rules work on a neutral model of a datasource, which the SDK's
// Validate, the analyzers (from constant Go values) and the datafile
// checker (from SCHEMA and ENGINE_* lines) all build. A finding is a
// Located: a Problem with the part of the model it is about, which each
// front end turns into its own position (a Go field, a datafile line).

// Column is one column of a datasource's schema or a pipe's output.
type Column struct {
	Name string
	// Type is the ClickHouse type string, e.g. "LowCardinality(String)";
	// "" when the column has none.
	Type string
	// Quoted is true when the name was written between backquotes (in a
	// datafile), so that any character but a backquote and a line break
	// is allowed.
	Quoted bool
	// JSONPath is the column's explicit JSON path ("$.a.b"), "" for none.
	JSONPath string
}

// Engine is a datasource's table engine.
type Engine struct {
	// Kind is the engine family, e.g. "ReplacingMergeTree"; "" when no
	// engine is given (Tinybird's default MergeTree).
	Kind string
	// SortingKey holds the sorting key as written: each entry a column, an
	// expression or a comma-separated list of them (ENGINE_SORTING_KEY is
	// one entry).
	SortingKey []string
	// PrimaryKey is as SortingKey; nil when not given (it then defaults to
	// the sorting key).
	PrimaryKey   []string
	PartitionKey string
	TTL          string
	// The engine's columns: ReplacingMergeTree's Ver and IsDeleted,
	// (Versioned)CollapsingMergeTree's Sign, VersionedCollapsingMergeTree's
	// Version, SummingMergeTree's SummingColumns.
	Ver, IsDeleted, Sign, Version string
	SummingColumns                []string
	// AllowNullableKey is true when the engine settings set
	// allow_nullable_key (to anything: only an unset one is certain).
	AllowNullableKey bool
}

// Field names the part of a model a Located problem is about.
type Field string

// The parts of the models.
const (
	FieldColumns        Field = "Columns"
	FieldSortingKey     Field = "SortingKey"
	FieldPrimaryKey     Field = "PrimaryKey"
	FieldPartitionKey   Field = "PartitionKey"
	FieldTTL            Field = "TTL"
	FieldVer            Field = "Ver"
	FieldIsDeleted      Field = "IsDeleted"
	FieldSign           Field = "Sign"
	FieldVersion        Field = "Version"
	FieldSummingColumns Field = "SummingColumns"
	FieldNodes          Field = "Nodes"
)

// The parts of a column (or node) a Located problem is about.
const (
	PartName     = "Name"
	PartType     = "Type"
	PartJSONPath = "JSONPath"
	PartSQL      = "SQL" // a node's SQL
)

// Located is a Problem in one part of a model: Field, the Index-th element
// of it when it is a list (-1 otherwise), and Part of that element when it
// has parts (a column's PartName, PartType or PartJSONPath; "" for the
// whole element). Suggest, when set, is a replacement a quick fix may
// offer for that part (the nearest column name).
type Located struct {
	Problem
	Field   Field
	Index   int
	Part    string
	Suggest string
}

// Messages and rules of the columns. The TypeScript SDK's schema is an
// object, so it has no duplicate or nameless column; these messages are
// the Go SDK's.

// NoColumnsMessage is the TB501 message for a datasource without columns.
func NoColumnsMessage(datasource string) string {
	return fmt.Sprintf("Datasource %q has no columns: add at least one to Schema.", datasource)
}

// CheckColumns checks a list of columns (a datasource's schema or a pipe's
// output): every column has a name (TB502) that ClickHouse accepts (TB505)
// and that no other column has (TB503), a type (TB504) that parses
// (TB506) and a well-formed JSON path (TB508). list names the list in
// messages, e.g. "Schema" or "Output".
func CheckColumns(list string, cols []Column) []Located {
	var out []Located
	add := func(i int, part string, code Code, msg string) {
		out = append(out, Located{Problem: Problem{Code: code, Message: msg}, Field: FieldColumns, Index: i, Part: part})
	}
	seen := map[string]bool{}
	for i, c := range cols {
		switch {
		case c.Name == "":
			add(i, PartName, TB502, fmt.Sprintf("%s column %d has no name: give every column a name.", list, i))
		case seen[c.Name]:
			add(i, "", TB503, fmt.Sprintf("Column %q appears twice in %s: column names must be unique.", c.Name, list))
		default:
			if p := CheckColumnName(c.Name, c.Quoted); p != nil {
				add(i, PartName, p.Code, p.Message)
			}
		}
		seen[c.Name] = true
		if c.Type == "" {
			add(i, PartType, TB504, fmt.Sprintf("Column %q has no type: set Type, e.g. tinybird.String().", c.Name))
		} else if p := CheckType(c.Name, c.Type); p != nil {
			add(i, PartType, p.Code, p.Message)
		}
		if c.JSONPath != "" {
			if p := CheckJSONPath(c.Name, c.JSONPath); p != nil {
				add(i, PartJSONPath, p.Code, p.Message)
			}
		}
	}
	return out
}

// CheckColumnName checks a column name (TB505). Unquoted, it must be a
// ClickHouse identifier: letters, digits and underscores, not starting
// with a digit, optionally dotted (a Nested column's "n.a"). Quoted, it
// must not hold a backquote or a line break. It returns nil when the name
// is fine; an empty name is TB502, reported by CheckColumns.
//
// Source: ClickHouse documentation, "Syntax", Identifiers: non-quoted
// identifiers must match ^[a-zA-Z_][0-9a-zA-Z_]*$. The SDKs write the
// name unquoted into the SCHEMA block.
func CheckColumnName(name string, quoted bool) *Problem {
	if name == "" {
		return nil
	}
	if quoted {
		if strings.ContainsAny(name, "`\n\r") {
			return &Problem{Code: TB505, Message: fmt.Sprintf("Invalid column name: %q. A quoted column name cannot contain a backquote or a line break.", name)}
		}
		return nil
	}
	for _, part := range strings.Split(name, ".") {
		if !ValidName(part) {
			return &Problem{Code: TB505, Message: fmt.Sprintf("Invalid column name: %q. Must start with a letter or underscore and contain only alphanumeric characters and underscores: the name is written unquoted in the datafile's SCHEMA.", name)}
		}
	}
	return nil
}

// CheckType checks the ClickHouse type string of the named column (TB506).
func CheckType(column, typ string) *Problem {
	if _, err := ParseType(typ); err != nil {
		return &Problem{Code: TB506, Message: fmt.Sprintf("Column %q has an invalid ClickHouse type %q: %s.", column, typ, err.(*TypeError).Reason)}
	}
	return nil
}

// CheckJSONPath checks a column's JSON path (TB508): it starts at the root
// ($), its members are not empty, its brackets and quotes close, and it
// holds no space, comma or backquote, which would end the `json:…` of the
// SCHEMA line early.
//
// Source: Tinybird documentation, "JSONPaths" (datasource files): paths
// such as $.a.b, $.a[:] and $.['a-b'] select the value of each column; the
// CLI reads the path up to the closing backquote of `json:…`.
func CheckJSONPath(column, path string) *Problem {
	bad := func(why string) *Problem {
		return &Problem{Code: TB508, Message: fmt.Sprintf("Column %q has an invalid JSON path %q: %s.", column, path, why)}
	}
	if !strings.HasPrefix(path, "$") {
		return bad("a JSON path starts at the root, $, e.g. $.payload.id")
	}
	i := 1
	for i < len(path) {
		switch c := path[i]; c {
		case '.':
			i++
			if i < len(path) && path[i] == '[' {
				continue // $.['a-b']
			}
			start := i
			for i < len(path) && path[i] != '.' && path[i] != '[' {
				if strings.IndexByte(" \t\n\r,`'\"]", path[i]) >= 0 {
					return bad(fmt.Sprintf("%q is not allowed in a member name; quote it as $.['name']", path[i]))
				}
				i++
			}
			if i == start {
				return bad("a member name is empty")
			}
		case '[':
			end := -1
			if i+1 < len(path) && (path[i+1] == '\'' || path[i+1] == '"') {
				q := path[i+1]
				j := strings.IndexByte(path[i+2:], q)
				if j >= 0 && i+2+j+1 < len(path) && path[i+2+j+1] == ']' {
					end = i + 2 + j + 1
				}
			} else if j := strings.IndexByte(path[i:], ']'); j > 1 {
				inner := path[i+1 : i+j]
				if strings.Trim(inner, "0123456789:*-") == "" {
					end = i + j
				}
			}
			if end < 0 {
				return bad("a bracket must hold an index, [:] or a quoted name, and close")
			}
			i = end + 1
		default:
			return bad(fmt.Sprintf("expected . or [ after %q", path[:i]))
		}
	}
	if strings.ContainsAny(path, "`\n\r") {
		return bad("a backquote or line break ends the path early")
	}
	return nil
}

// CheckOutputColumns checks a pipe's output columns: names (TB502), no
// name twice (TB503) and a type on each (TB504). The names need not be
// identifiers (an SQL alias may be quoted) and the types are not written
// into the pipe's datafile, so TB505 and TB506 do not apply.
func CheckOutputColumns(list string, cols []Column) []Located {
	var out []Located
	plain := make([]Column, len(cols))
	for i, c := range cols {
		plain[i] = Column{Name: c.Name, Type: c.Type}
	}
	for _, l := range CheckColumns(list, plain) {
		switch l.Code {
		case TB502, TB503, TB504:
			out = append(out, l)
		}
	}
	return out
}

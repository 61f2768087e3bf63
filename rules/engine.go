package rules

import (
	"fmt"
	"strings"
)

// Engine rules.
//
// Source: ClickHouse documentation, "MergeTree" (table engines): the
// sorting, primary and partition keys and the TTL are expressions over the
// table's columns; "the primary key must be a prefix of the sorting key";
// key columns may not be Nullable unless the table sets allow_nullable_key.
// "ReplacingMergeTree", "CollapsingMergeTree" and
// "VersionedCollapsingMergeTree": ver and version are columns of an
// integer, Date, DateTime or DateTime64 type (ClickHouse's
// canBeUsedAsVersion, which Nullable refuses), sign is an Int8 column and
// is_deleted a UInt8 one. The messages of missing Sign and Version are the
// Go SDK's.

// CheckEngine checks an engine against the columns of its datasource:
// every column an engine key, the TTL or an engine column names exists
// (TB510, with the nearest column as Suggest), the primary key is a prefix
// of the sorting key (TB511), no key column is Nullable (TB512), the
// engine columns have types the engine accepts (TB513) and the engine has
// the columns it requires (TB514, Field ""). Expressions it cannot read
// with certainty (lambdas, subcolumns, aliases, templates) are not judged.
func CheckEngine(e Engine, cols []Column) []Located {
	var out []Located
	add := func(f Field, i int, code Code, msg, suggest string) {
		out = append(out, Located{Problem: Problem{Code: code, Message: msg}, Field: f, Index: i, Suggest: suggest})
	}
	switch e.Kind {
	case "CollapsingMergeTree", "VersionedCollapsingMergeTree":
		if e.Sign == "" {
			add("", -1, TB514, fmt.Sprintf("%s needs Sign: the column holding 1 (state) or -1 (cancel).", e.Kind), "")
		}
		if e.Kind == "VersionedCollapsingMergeTree" && e.Version == "" {
			add("", -1, TB514, "VersionedCollapsingMergeTree needs Version: the column holding the row version.", "")
		}
	}
	if len(cols) == 0 || e.Kind == "" || e.Kind == "Null" {
		return out
	}
	byName := make(map[string]Column, len(cols))
	names := make([]string, 0, len(cols))
	for _, c := range cols {
		if c.Name == "" || c.Type == "" {
			continue
		}
		if _, dup := byName[c.Name]; !dup {
			byName[c.Name] = c
			names = append(names, c.Name)
		}
	}
	if len(names) != len(cols) {
		// A column without a name or type, or a duplicate: the schema
		// itself is wrong, reported by CheckColumns; the keys are not
		// judged against it.
		return out
	}
	unknown := func(f Field, i int, what, name string) {
		add(f, i, TB510, fmt.Sprintf("%s names column %q, which the schema does not have.", what, name)+suggestion(name, names), NearestName(name, names))
	}
	// Keys and TTL: every column reference must exist.
	keyRefs := func(f Field, what string, entries []string) {
		for _, it := range splitKey(entries) {
			refs, ok := columnRefs(it.expr)
			if !ok {
				continue
			}
			for _, r := range refs {
				if _, ok := byName[r]; !ok {
					unknown(f, it.entry, what, r)
				}
			}
		}
	}
	keyRefs(FieldSortingKey, "Sorting key", e.SortingKey)
	keyRefs(FieldPrimaryKey, "Primary key", e.PrimaryKey)
	if e.PartitionKey != "" {
		keyRefs(FieldPartitionKey, "Partition key", []string{e.PartitionKey})
	}
	if e.TTL != "" {
		keyRefs(FieldTTL, "TTL", []string{e.TTL})
	}
	// The primary key is a prefix of the sorting key.
	if e.PrimaryKey != nil {
		sk, pk := splitKey(e.SortingKey), splitKey(e.PrimaryKey)
		if !(len(sk) == 1 && normExpr(sk[0].expr) == "tuple()") {
			for i, p := range pk {
				if i >= len(sk) || normExpr(p.expr) != normExpr(sk[i].expr) {
					want := "nothing"
					if i < len(sk) {
						want = sk[i].expr
					}
					add(FieldPrimaryKey, p.entry, TB511, fmt.Sprintf("Primary key must be a prefix of the sorting key, but the column in the position %d is %s, not %s: list the sorting key's first columns, in order.", i, want, p.expr), "")
					break
				}
			}
		}
	}
	// No Nullable key column, unless allow_nullable_key is set.
	if !e.AllowNullableKey {
		nullable := func(f Field, what string, entries []string) {
			for _, it := range splitKey(entries) {
				name, ok := bareColumn(it.expr)
				if !ok {
					continue
				}
				c, ok := byName[name]
				if !ok {
					continue
				}
				if s, ok := ShapeOf(c.Type); ok && s.Nullable {
					add(f, it.entry, TB512, fmt.Sprintf("%s contains nullable column %q (%s), but merge tree setting `allow_nullable_key` is disabled: make the column non-Nullable (e.g. with a DEFAULT) or key on an expression such as ifNull(%s, …).", what, name, c.Type, name), "")
				}
			}
		}
		nullable(FieldSortingKey, "Sorting key", e.SortingKey)
		if e.PartitionKey != "" {
			nullable(FieldPartitionKey, "Partition key", []string{e.PartitionKey})
		}
	}
	// Engine columns.
	engineCol := func(f Field, what, name string, typeOK func(TypeShape) bool, want string) {
		if name == "" {
			return
		}
		col, ok := bareColumn(name)
		if !ok {
			return
		}
		c, ok := byName[col]
		if !ok {
			unknown(f, -1, what, col)
			return
		}
		s, ok := ShapeOf(c.Type)
		if ok && s.Family != "" && !typeOK(s) {
			add(f, -1, TB513, fmt.Sprintf("%s column %q has type %s, but %s must be %s.", what, col, c.Type, what, want), "")
		}
	}
	switch e.Kind {
	case "ReplacingMergeTree":
		engineCol(FieldVer, "Ver", e.Ver, versionType, "of an integer type or of type Date/DateTime/DateTime64 (not Nullable)")
		engineCol(FieldIsDeleted, "IsDeleted", e.IsDeleted, func(s TypeShape) bool {
			return !s.Nullable && (s.Family == "UInt8" || s.Family == "Bool") || s.LowCardinality
		}, "UInt8")
	case "CollapsingMergeTree", "VersionedCollapsingMergeTree":
		engineCol(FieldSign, "Sign", e.Sign, func(s TypeShape) bool {
			return !s.Nullable && s.Family == "Int8" || s.LowCardinality
		}, "Int8")
		if e.Kind == "VersionedCollapsingMergeTree" {
			engineCol(FieldVersion, "Version", e.Version, versionType, "of an integer type or of type Date/DateTime/DateTime64 (not Nullable)")
		}
	case "SummingMergeTree":
		for i, name := range e.SummingColumns {
			for _, it := range splitKey([]string{name}) {
				col, ok := bareColumn(it.expr)
				if !ok {
					continue
				}
				if _, ok := byName[col]; !ok {
					unknown(FieldSummingColumns, i, "Summing columns", col)
				}
			}
		}
	}
	return out
}

// versionType reports whether ClickHouse certainly refuses a type as a
// version column: only the families it refuses are refused, so that a type
// this table does not know is never reported.
func versionType(s TypeShape) bool {
	if s.Nullable {
		return false
	}
	switch s.Family {
	case "String", "FixedString", "UUID", "Array", "Map", "Tuple", "Nested", "JSON", "Object",
		"Variant", "Dynamic", "AggregateFunction", "SimpleAggregateFunction", "Nothing", "IPv6":
		return false
	}
	return true
}

// keyItem is one comma-separated item of a key, with the index of the
// entry it was written in.
type keyItem struct {
	expr  string
	entry int
}

// splitKey splits key entries at their top-level commas. A key written as
// one parenthesized tuple, "(a, b)", is the tuple's items.
func splitKey(entries []string) []keyItem {
	var items []keyItem
	for i, e := range entries {
		e = strings.TrimSpace(e)
		if inner, ok := wholeParens(e); ok {
			e = inner
		}
		for _, part := range splitTopLevel(e) {
			if part = strings.TrimSpace(part); part != "" {
				items = append(items, keyItem{expr: part, entry: i})
			}
		}
	}
	return items
}

// wholeParens returns s without the parentheses around all of it.
func wholeParens(s string) (string, bool) {
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return "", false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 && i != len(s)-1 {
				return "", false
			}
		}
	}
	return s[1 : len(s)-1], true
}

// splitTopLevel splits s at the commas outside parentheses, brackets and
// quotes.
func splitTopLevel(s string) []string {
	var parts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"', '`':
			quote = c
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

// normExpr is an expression without spaces or backquotes, to compare keys.
func normExpr(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '`' {
			return -1
		}
		return r
	}, s)
}

// bareColumn returns the column an expression is when it is nothing but a
// name, plain or between backquotes; the caller looks it up in the schema.
func bareColumn(expr string) (string, bool) {
	expr = strings.TrimSpace(expr)
	if len(expr) >= 2 && expr[0] == '`' && expr[len(expr)-1] == '`' && !strings.Contains(expr[1:len(expr)-1], "`") {
		return expr[1 : len(expr)-1], true
	}
	if ValidName(expr) {
		return expr, true
	}
	return "", false
}

// sqlKeywords are words that are not column references in a key or TTL
// expression. A word in this list that is also a column is still read as
// the column (the schema decides first).
var sqlKeywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`AND OR NOT IN IS NULL TRUE FALSE LIKE ILIKE BETWEEN CASE WHEN THEN ELSE END
		INTERVAL SECOND MINUTE HOUR DAY WEEK MONTH QUARTER YEAR SECONDS MINUTES HOURS DAYS WEEKS MONTHS YEARS
		NANOSECOND MICROSECOND MILLISECOND DELETE TO DISK VOLUME WHERE GROUP BY SET RECOMPRESS CODEC ASC DESC
		GLOBAL ANY ALL DISTINCT FROM SELECT WITH AS CAST DATE TIMESTAMP`) {
		m[w] = true
	}
	return m
}()

// columnRefs returns the columns an expression refers to. ok is false when
// the expression holds anything it cannot read with certainty: a lambda, a
// subcolumn or tuple access (a.b, t.1), an alias (AS), a template ({{ }}),
// a query parameter, or an SQL keyword it does not know as such.
func columnRefs(expr string) (refs []string, ok bool) {
	s := expr
	i := 0
	prevInterval := 0 // > 0 while reading INTERVAL <n> <unit>
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'':
			j := i + 1
			for j < len(s) && s[j] != '\'' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(s) {
				return nil, false
			}
			i = j + 1
		case c == '`':
			j := strings.IndexByte(s[i+1:], '`')
			if j < 0 {
				return nil, false
			}
			name := s[i+1 : i+1+j]
			i += j + 2
			if next(s, i) == '.' || next(s, i) == '(' {
				return nil, false
			}
			refs = append(refs, name)
		case '0' <= c && c <= '9':
			for i < len(s) && (isIdentByte(s[i]) || s[i] == '.') {
				i++
			}
			if prevInterval == 1 {
				prevInterval = 2
			}
		case isIdentStart(c):
			start := i
			for i < len(s) && isIdentByte(s[i]) {
				i++
			}
			word := s[start:i]
			switch nx := next(s, i); {
			case nx == '(':
				continue // a function
			case nx == '.':
				return nil, false // a subcolumn or tuple element
			}
			up := strings.ToUpper(word)
			if up == "AS" || up == "SELECT" || up == "FROM" || up == "WITH" {
				return nil, false
			}
			if up == "INTERVAL" {
				prevInterval = 1
				continue
			}
			if prevInterval == 2 {
				prevInterval = 0
				continue // the unit
			}
			if sqlKeywords[up] {
				continue
			}
			refs = append(refs, word)
		case c == '{' || c == '}' || c == '$' || c == '?' || c == '"' || c == '[' || c == ']' || c == '.':
			return nil, false
		case c == '-' && next(s, i+1) == '>':
			return nil, false
		default:
			// operators, parentheses, commas
			i++
		}
	}
	return refs, true
}

// next returns the first byte at or after i that is not a space, or 0.
func next(s string, i int) byte {
	for i < len(s) {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return c
		}
		i++
	}
	return 0
}

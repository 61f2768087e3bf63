package rules

import (
	"fmt"
	"strconv"
	"strings"
)

// ClickHouse type strings, as a datasource's SCHEMA or the SDK writes them:
// "String", "LowCardinality(Nullable(String))", "DateTime64(3, 'UTC')",
// "Enum8('a' = 1, 'b' = 2)", "AggregateFunction(quantiles(0.5, 0.9), UInt64)",
// "Tuple(a String, b UInt8)".
//
// Source: ClickHouse documentation, "Data types" (sql-reference/data-types):
// the type families and their arguments; the nesting rules ("Nested type …
// cannot be inside Nullable type") are those of ClickHouse's
// DataTypeNullable and DataTypeLowCardinality. The parser is deliberately
// lenient where ClickHouse is lenient (aliases, case-insensitive names,
// arguments it does not interpret): it reports what is certainly refused.

// TypeExpr is a parsed ClickHouse type: a family name and its arguments.
type TypeExpr struct {
	// Name is the family as written, e.g. "Nullable", "DateTime64". A
	// multi-word SQL alias ("DOUBLE PRECISION") keeps its words.
	Name string
	// Args are the arguments between parentheses, in order; nil when the
	// type has none.
	Args []TypeArg
	// HasParens is true when the type was written with parentheses, even
	// empty ones ("Tuple()").
	HasParens bool
}

// TypeArg is one argument of a type: a nested type, a literal, an
// "'name' = value" enum element, a named element ("a String") or anything
// else, which is kept as text.
type TypeArg struct {
	// Text is the argument as written, trimmed.
	Text string
	// Type is set when the argument parses as a type (its first word is an
	// identifier).
	Type *TypeExpr
	// Field is the element name of a named element ("a" in "a String"),
	// with Type its type.
	Field string
	// Str is set for a single-quoted string literal, unquoted.
	Str *string
	// Num is set for a number literal.
	Num *string
}

// String returns the type as ClickHouse would print it, with single spaces
// after commas.
func (t *TypeExpr) String() string {
	if !t.HasParens {
		return t.Name
	}
	parts := make([]string, len(t.Args))
	for i, a := range t.Args {
		parts[i] = a.Text
	}
	return t.Name + "(" + strings.Join(parts, ", ") + ")"
}

// TypeError is a type string that does not parse, or that ClickHouse
// refuses.
type TypeError struct {
	Type   string // the type string
	Reason string // what is wrong, a sentence
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("invalid ClickHouse type %q: %s", e.Type, e.Reason)
}

// ParseType parses a ClickHouse type string. It checks the syntax (balanced
// parentheses and quotes, nothing after the type) and the rules ClickHouse
// applies to the families it knows (see CheckType); it returns a
// *TypeError when either fails.
func ParseType(s string) (*TypeExpr, error) {
	p := typeParser{src: s}
	t, err := p.parseType()
	if err == nil {
		p.skipSpace()
		if p.pos < len(p.src) {
			err = fmt.Errorf("unexpected %q after the type", p.src[p.pos:])
		}
	}
	if err == nil {
		err = checkTypeExpr(t)
	}
	if err != nil {
		return nil, &TypeError{Type: s, Reason: err.Error()}
	}
	return t, nil
}

// typeParser is a recursive-descent parser over a type string.
type typeParser struct {
	src string
	pos int
}

func (p *typeParser) skipSpace() {
	for p.pos < len(p.src) && isTypeSpace(p.src[p.pos]) {
		p.pos++
	}
}

func isTypeSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentByte(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }

// ident reads an identifier, or "" when there is none at pos.
func (p *typeParser) ident() string {
	start := p.pos
	if p.pos < len(p.src) && isIdentStart(p.src[p.pos]) {
		for p.pos < len(p.src) && isIdentByte(p.src[p.pos]) {
			p.pos++
		}
	}
	return p.src[start:p.pos]
}

// parseType reads Name[ Word…][(args)].
func (p *typeParser) parseType() (*TypeExpr, error) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("the type is empty")
	}
	name := p.ident()
	if name == "" {
		return nil, fmt.Errorf("expected a type name at %q", p.src[p.pos:])
	}
	// Multi-word SQL aliases: DOUBLE PRECISION, INT UNSIGNED, CHAR VARYING…
	for {
		save := p.pos
		p.skipSpace()
		if p.pos == save {
			break
		}
		w := p.ident()
		if w == "" || !multiWordTail[strings.ToUpper(w)] {
			p.pos = save
			break
		}
		name += " " + w
	}
	t := &TypeExpr{Name: name}
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == '(' {
		p.pos++
		t.HasParens = true
		args, err := p.parseArgs()
		if err != nil {
			return nil, err
		}
		t.Args = args
	}
	return t, nil
}

// multiWordTail are the words that continue a multi-word SQL type alias.
var multiWordTail = map[string]bool{
	"PRECISION": true, "UNSIGNED": true, "SIGNED": true, "VARYING": true,
	"CHAR": true, "CHARACTER": true, "VARCHAR": true, "LARGE": true, "OBJECT": true,
}

// parseArgs reads comma-separated arguments up to the closing parenthesis.
func (p *typeParser) parseArgs() ([]TypeArg, error) {
	var args []TypeArg
	p.skipSpace()
	if p.pos < len(p.src) && p.src[p.pos] == ')' {
		p.pos++
		return nil, nil
	}
	for {
		start := p.pos
		if err := p.skipArg(); err != nil {
			return nil, err
		}
		text := strings.TrimSpace(p.src[start:p.pos])
		if text == "" {
			return nil, fmt.Errorf("empty argument")
		}
		args = append(args, classifyArg(text))
		if p.pos >= len(p.src) {
			return nil, fmt.Errorf("missing closing parenthesis")
		}
		c := p.src[p.pos]
		p.pos++
		if c == ')' {
			return args, nil
		}
		// c == ','
	}
}

// skipArg moves pos to the ',' or ')' that ends the argument at pos,
// skipping nested parentheses and quoted text.
func (p *typeParser) skipArg() error {
	depth := 0
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '\'', '"', '`':
			if err := p.skipQuoted(c); err != nil {
				return err
			}
			continue
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return nil
			}
			depth--
		case ',':
			if depth == 0 {
				return nil
			}
		}
		p.pos++
	}
	return fmt.Errorf("missing closing parenthesis")
}

// skipQuoted moves pos past the quoted text at pos, which starts with q.
func (p *typeParser) skipQuoted(q byte) error {
	p.pos++
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '\\' {
			p.pos += 2
			continue
		}
		p.pos++
		if c == q {
			// A doubled quote is an escaped quote.
			if p.pos < len(p.src) && p.src[p.pos] == q {
				p.pos++
				continue
			}
			return nil
		}
	}
	return fmt.Errorf("unterminated %c quote", q)
}

// classifyArg reads what an argument is.
func classifyArg(text string) TypeArg {
	a := TypeArg{Text: text}
	switch c := text[0]; {
	case c == '\'':
		if s, ok := unquoteSingle(text); ok {
			a.Str = &s
		}
		return a
	case c == '-' || c == '+' || c == '.' || '0' <= c && c <= '9':
		if _, err := strconv.ParseFloat(text, 64); err == nil {
			n := text
			a.Num = &n
		}
		return a
	case c == '`' || c == '"':
		// A quoted element name: `a b` String.
		if end := strings.IndexByte(text[1:], c); end >= 0 {
			rest := strings.TrimSpace(text[end+2:])
			if t, err := parseNested(rest); err == nil && rest != "" {
				a.Field, a.Type = text[1:end+1], t
			}
		}
		return a
	}
	if strings.Contains(text, "=") && !strings.Contains(text, "(") {
		return a // a setting such as max_dynamic_paths=10
	}
	// A type, or "name Type".
	if t, err := parseNested(text); err == nil {
		a.Type = t
		return a
	}
	if i := strings.IndexAny(text, " \t\n\r"); i > 0 {
		if t, err := parseNested(strings.TrimSpace(text[i:])); err == nil && isIdentWord(text[:i]) {
			a.Field, a.Type = text[:i], t
		}
	}
	return a
}

func isIdentWord(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentByte(s[i]) && s[i] != '.' {
			return false
		}
	}
	return true
}

// parseNested parses a whole argument as a type, without the family checks
// (those run once, from the top).
func parseNested(s string) (*TypeExpr, error) {
	p := typeParser{src: s}
	t, err := p.parseType()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("unexpected %q", p.src[p.pos:])
	}
	return t, nil
}

func unquoteSingle(s string) (string, bool) {
	if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(s)-1; i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s)-1 {
			i++
			b.WriteByte(s[i])
			continue
		}
		if c == '\'' {
			if i+1 < len(s)-1 && s[i+1] == '\'' {
				i++
				b.WriteByte('\'')
				continue
			}
			return "", false
		}
		b.WriteByte(c)
	}
	return b.String(), true
}

// typeFamilies are the canonical ClickHouse type families, by lower-case
// name (ClickHouse documentation, "Data types", and system.data_type_families).
var typeFamilies = func() map[string]string {
	m := map[string]string{}
	for _, n := range []string{
		"Int8", "Int16", "Int32", "Int64", "Int128", "Int256",
		"UInt8", "UInt16", "UInt32", "UInt64", "UInt128", "UInt256",
		"Float32", "Float64", "BFloat16",
		"Decimal", "Decimal32", "Decimal64", "Decimal128", "Decimal256",
		"Bool", "String", "FixedString", "UUID",
		"Date", "Date32", "DateTime", "DateTime32", "DateTime64", "Time", "Time64",
		"Enum", "Enum8", "Enum16", "LowCardinality", "Array", "Map", "Tuple", "Nested",
		"Nullable", "JSON", "Object", "Variant", "Dynamic", "IPv4", "IPv6",
		"Point", "Ring", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "Geometry",
		"AggregateFunction", "SimpleAggregateFunction", "Nothing", "QBit",
		"IntervalNanosecond", "IntervalMicrosecond", "IntervalMillisecond", "IntervalSecond",
		"IntervalMinute", "IntervalHour", "IntervalDay", "IntervalWeek", "IntervalMonth",
		"IntervalQuarter", "IntervalYear",
	} {
		m[strings.ToLower(n)] = n
	}
	// SQL-compatibility aliases ClickHouse accepts, case-insensitively.
	for alias, n := range map[string]string{
		"boolean": "Bool", "tinyint": "Int8", "int1": "Int8", "byte": "Int8", "smallint": "Int16",
		"int": "Int32", "integer": "Int32", "mediumint": "Int32", "bigint": "Int64", "signed": "Int64",
		"unsigned": "UInt64", "bit": "UInt64", "set": "UInt64", "year": "UInt16",
		"float": "Float32", "real": "Float32", "single": "Float32", "double": "Float64",
		"dec": "Decimal", "numeric": "Decimal", "fixed": "Decimal",
		"text": "String", "varchar": "String", "char": "String", "character": "String",
		"nchar": "String", "nvarchar": "String", "varchar2": "String", "national": "String",
		"clob": "String", "blob": "String", "bytea": "String", "longtext": "String",
		"mediumtext": "String", "tinytext": "String", "longblob": "String", "mediumblob": "String",
		"tinyblob": "String", "varbinary": "String", "binary": "FixedString", "enum": "Enum",
		"timestamp": "DateTime", "inet4": "IPv4", "inet6": "IPv6",
	} {
		m[alias] = n
	}
	return m
}()

// TypeFamily returns the canonical family of a type name ("Int32" for
// "INTEGER", "String" for "varchar"); ok is false when ClickHouse has no
// such family. Multi-word aliases map to the family of their first word.
func TypeFamily(name string) (family string, ok bool) {
	first, _, _ := strings.Cut(name, " ")
	family, ok = typeFamilies[strings.ToLower(first)]
	return family, ok
}

// TypeShape is what the schema rules need to know of a column type.
type TypeShape struct {
	// Nullable is true for Nullable(T) and LowCardinality(Nullable(T)).
	Nullable bool
	// LowCardinality is true for LowCardinality(T).
	LowCardinality bool
	// Family is the canonical family of the type inside Nullable and
	// LowCardinality, e.g. "String"; "" when unknown.
	Family string
	// Base is the type inside Nullable and LowCardinality.
	Base *TypeExpr
}

// ShapeOf returns the shape of a type string; ok is false when it does not
// parse.
func ShapeOf(typ string) (TypeShape, bool) {
	t, err := ParseType(typ)
	if err != nil {
		return TypeShape{}, false
	}
	var s TypeShape
	for {
		fam, _ := TypeFamily(t.Name)
		switch {
		case fam == "LowCardinality" && len(t.Args) == 1 && t.Args[0].Type != nil:
			s.LowCardinality = true
			t = t.Args[0].Type
			continue
		case fam == "Nullable" && len(t.Args) == 1 && t.Args[0].Type != nil:
			s.Nullable = true
			t = t.Args[0].Type
			continue
		}
		s.Family, _ = TypeFamily(t.Name)
		s.Base = t
		return s, true
	}
}

// checkTypeExpr applies ClickHouse's rules for the families it knows to t
// and its nested types.
func checkTypeExpr(t *TypeExpr) error {
	fam, known := TypeFamily(t.Name)
	if !known {
		if strings.Contains(t.Name, " ") {
			return nil // a multi-word alias we do not know: not judged
		}
		return fmt.Errorf("unknown type %q", t.Name)
	}
	// Every nested type is checked.
	// The nested types of the families whose arguments are types are
	// checked; other families' arguments (JSON's SKIP a.b, a time zone)
	// are not types.
	for i, a := range t.Args {
		switch fam {
		case "Nullable", "LowCardinality", "Array", "Map", "Tuple", "Nested", "Variant":
		case "AggregateFunction", "SimpleAggregateFunction":
			// The first argument is a function, not a type: "uniq",
			// "quantiles(0.5)".
			if i == 0 {
				continue
			}
		default:
			continue
		}
		if a.Type != nil {
			if err := checkTypeExpr(a.Type); err != nil {
				return err
			}
		}
	}
	nArgs := len(t.Args)
	typeArg := func(i int) *TypeExpr {
		if i < nArgs && t.Args[i].Field == "" {
			return t.Args[i].Type
		}
		return nil
	}
	intArg := func(i int) (int, bool) {
		if i >= nArgs || t.Args[i].Num == nil {
			return 0, false
		}
		n, err := strconv.Atoi(*t.Args[i].Num)
		return n, err == nil
	}
	wantTypes := func(n int) error {
		if nArgs != n {
			return fmt.Errorf("%s takes %d type argument(s), got %d", fam, n, nArgs)
		}
		for i := 0; i < n; i++ {
			if typeArg(i) == nil {
				return fmt.Errorf("%s argument %q is not a type", fam, t.Args[i].Text)
			}
		}
		return nil
	}
	switch fam {
	case "Nullable":
		if err := wantTypes(1); err != nil {
			return err
		}
		if inner, _ := TypeFamily(typeArg(0).Name); !canBeInsideNullable(inner) {
			return fmt.Errorf("nested type %s cannot be inside Nullable type", typeArg(0))
		}
	case "LowCardinality":
		if err := wantTypes(1); err != nil {
			return err
		}
		inner := typeArg(0)
		fam, _ := TypeFamily(inner.Name)
		if fam == "Nullable" && len(inner.Args) == 1 && inner.Args[0].Type != nil {
			fam, _ = TypeFamily(inner.Args[0].Type.Name)
		}
		switch fam {
		case "Array", "Map", "Tuple", "Nested", "LowCardinality", "Nullable", "JSON", "Object", "Variant", "Dynamic", "AggregateFunction", "SimpleAggregateFunction":
			return fmt.Errorf("LowCardinality cannot wrap %s: it is for strings, numbers, dates and similar scalar types", inner)
		}
	case "Array":
		return wantTypes(1)
	case "Map":
		if err := wantTypes(2); err != nil {
			return err
		}
		if k, _ := TypeFamily(typeArg(0).Name); k == "Nullable" {
			return fmt.Errorf("map key type %s is not allowed", typeArg(0))
		}
	case "FixedString":
		n, ok := intArg(0)
		if nArgs != 1 || !ok || n <= 0 {
			return fmt.Errorf("FixedString takes one positive length, e.g. FixedString(16)")
		}
	case "Decimal":
		p, ok := intArg(0)
		s, okS := intArg(1)
		if nArgs < 1 || nArgs > 2 || !ok || nArgs == 2 && !okS {
			//lint:ignore ST1005 the message starts with the ClickHouse type's name, which is capitalized
			return fmt.Errorf("Decimal takes a precision and a scale, e.g. Decimal(18, 4)")
		}
		if p < 1 || p > 76 {
			//lint:ignore ST1005 the message starts with the ClickHouse type's name, which is capitalized
			return fmt.Errorf("Decimal precision %d is out of range: use 1 to 76", p)
		}
		if nArgs == 2 && (s < 0 || s > p) {
			//lint:ignore ST1005 the message starts with the ClickHouse type's name, which is capitalized
			return fmt.Errorf("Decimal scale %d is out of range: use 0 to the precision, %d", s, p)
		}
	case "Decimal32", "Decimal64", "Decimal128", "Decimal256":
		s, ok := intArg(0)
		max := map[string]int{"Decimal32": 9, "Decimal64": 18, "Decimal128": 38, "Decimal256": 76}[fam]
		if nArgs != 1 || !ok || s < 0 || s > max {
			return fmt.Errorf("%s takes one scale from 0 to %d", fam, max)
		}
	case "DateTime64", "Time64":
		p, ok := intArg(0)
		if nArgs < 1 || nArgs > 2 || !ok {
			return fmt.Errorf("%s takes a precision and an optional time zone, e.g. %s(3, 'UTC')", fam, fam)
		}
		if p < 0 || p > 9 {
			return fmt.Errorf("%s precision %d is out of range: use 0 to 9 (3 is milliseconds)", fam, p)
		}
		if nArgs == 2 && t.Args[1].Str == nil {
			return fmt.Errorf("%s time zone %s is not a quoted string", fam, t.Args[1].Text)
		}
	case "DateTime":
		if nArgs > 1 || nArgs == 1 && t.Args[0].Str == nil {
			return fmt.Errorf("DateTime takes an optional quoted time zone, e.g. DateTime('UTC')")
		}
	case "Enum8", "Enum16":
		if nArgs == 0 {
			return fmt.Errorf("%s needs at least one value, e.g. %s('a' = 1)", fam, fam)
		}
		for _, a := range t.Args {
			if !strings.HasPrefix(a.Text, "'") {
				return fmt.Errorf("%s element %s is not a quoted string", fam, a.Text)
			}
		}
	case "AggregateFunction", "SimpleAggregateFunction":
		if nArgs < 1 || !isIdentStart(t.Args[0].Text[0]) {
			return fmt.Errorf("%s takes a function name, then the argument types, e.g. %s(sum, UInt64)", fam, fam)
		}
		if fam == "SimpleAggregateFunction" && nArgs != 2 {
			return fmt.Errorf("SimpleAggregateFunction takes a function name and one type, e.g. SimpleAggregateFunction(sum, UInt64)")
		}
		for _, a := range t.Args[1:] {
			if a.Type == nil || a.Field != "" {
				return fmt.Errorf("%s argument %q is not a type", fam, a.Text)
			}
		}
	case "Tuple", "Nested", "Variant":
		for _, a := range t.Args {
			if a.Type == nil {
				return fmt.Errorf("%s element %q is not a type", fam, a.Text)
			}
		}
	}
	// Other families are not judged on their arguments: ClickHouse accepts
	// and ignores some for SQL compatibility (VARCHAR(255), INT(11)).
	return nil
}

// canBeInsideNullable reports whether ClickHouse accepts Nullable(family):
// composite types, LowCardinality and Nullable itself cannot be inside.
func canBeInsideNullable(family string) bool {
	switch family {
	case "Array", "Map", "Tuple", "Nested", "LowCardinality", "Nullable", "AggregateFunction", "SimpleAggregateFunction", "JSON", "Object", "Variant", "Dynamic", "Point", "Ring", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "Geometry":
		return false
	}
	return true
}

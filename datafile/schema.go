package datafile

import (
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// The schema checks of a datafile: its SCHEMA columns and types, its engine
// keys against those columns, and its nodes, each decided by package rules
// on its neutral model (rules.Column, rules.Engine, rules.Node) as for Go
// code, so that a datafile and a Go declaration get the same codes.

// Column is one column of a SCHEMA block, as the Tinybird CLI reads it:
// `name Type [DEFAULT expr] [CODEC(…)] [`json:$.path`]`, columns separated
// by commas, -- comments to the end of the line.
type Column struct {
	rules.Column
	// HasDefault reports a DEFAULT: the CLI then accepts a column without
	// a type.
	HasDefault bool
	// Start and End delimit the column's text; NameStart…PathEnd its parts
	// (empty ranges when a part is missing). The name's range excludes its
	// backquotes.
	Start, End         int
	NameStart, NameEnd int
	TypeStart, TypeEnd int
	PathStart, PathEnd int
}

// blockText is a block's body as one text, with the offset in Src of each
// byte, so that positions found in the text map back to the file.
type blockText struct {
	text []byte
	offs []int // offs[i] is the offset in Src of text[i]; one more at the end
}

func newBlockText(src []byte, b *Block) blockText {
	var bt blockText
	for _, l := range b.Lines {
		bt.text = append(bt.text, src[l.Start:l.End]...)
		for i := l.Start; i < l.End; i++ {
			bt.offs = append(bt.offs, i)
		}
		bt.text = append(bt.text, '\n')
		bt.offs = append(bt.offs, l.End)
	}
	end := 0
	if n := len(b.Lines); n > 0 {
		end = b.Lines[n-1].End
	}
	bt.offs = append(bt.offs, end)
	return bt
}

// off maps an offset in the text to one in Src.
func (bt blockText) off(i int) int { return bt.offs[min(max(i, 0), len(bt.offs)-1)] }

// span maps the text range [i, j) to Src, ending after the last byte of it.
func (bt blockText) span(i, j int) (int, int) {
	if j <= i {
		s := bt.off(i)
		return s, s
	}
	return bt.off(i), bt.off(j-1) + 1
}

// SchemaColumns reads the columns of a SCHEMA > block. It reports false when
// the block cannot be read with certainty: it holds a template ({{ }}, {% %}),
// a quote, parenthesis or backquote that does not close, or an INDEX line
// (which the CLI refuses there with its own message).
func SchemaColumns(src []byte, d *Directive) ([]Column, bool) {
	if d.Block == nil {
		return nil, false
	}
	bt := newBlockText(src, d.Block)
	t := bt.text
	if strings.Contains(string(t), "{{") || strings.Contains(string(t), "{%") {
		return nil, false
	}
	// Split at the top-level commas, leaving out -- comments.
	var cols []Column
	var depth int
	var quote byte
	start := 0
	flush := func(end int) bool {
		c, ok := parseColumn(t, start, end)
		if !ok {
			return false
		}
		if c.End > c.Start {
			cols = append(cols, c)
		}
		start = end + 1
		return true
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			} else if c == '\n' && quote == '`' {
				return nil, false
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '-' && i+1 < len(t) && t[i+1] == '-':
			for i < len(t) && t[i] != '\n' {
				t[i] = ' ' // a comment reads as blank space
				i++
			}
		case c == '(' || c == '[' || c == '{':
			depth++
		case c == ')' || c == ']' || c == '}':
			depth--
			if depth < 0 {
				return nil, false
			}
		case c == ',' && depth == 0:
			if !flush(i) {
				return nil, false
			}
		}
	}
	if quote != 0 || depth != 0 || !flush(len(t)) {
		return nil, false
	}
	for i := range cols {
		c := &cols[i]
		c.Start, c.End = bt.span(c.Start, c.End)
		c.NameStart, c.NameEnd = bt.span(c.NameStart, c.NameEnd)
		c.TypeStart, c.TypeEnd = bt.span(c.TypeStart, c.TypeEnd)
		c.PathStart, c.PathEnd = bt.span(c.PathStart, c.PathEnd)
	}
	return cols, true
}

// parseColumn reads the column t[start:end] (offsets in t). A blank entry
// (after a trailing comma) gives a column with Start == End.
func parseColumn(t []byte, start, end int) (Column, bool) {
	isSpace := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
	for start < end && isSpace(t[start]) {
		start++
	}
	for end > start && isSpace(t[end-1]) {
		end--
	}
	c := Column{Start: start, End: end}
	if start == end {
		return c, true
	}
	i := start
	if t[i] == '`' {
		j := i + 1
		for j < end && t[j] != '`' {
			j++
		}
		if j == end {
			return c, false
		}
		c.Name, c.Quoted, c.NameStart, c.NameEnd = string(t[i+1:j]), true, i+1, j
		i = j + 1
	} else {
		j := i
		for j < end && !isSpace(t[j]) {
			j++
		}
		c.Name, c.NameStart, c.NameEnd = string(t[i:j]), i, j
		i = j
	}
	if strings.EqualFold(c.Name, "INDEX") && !c.Quoted {
		return c, false
	}
	// The type runs to the first attribute at the top level.
	for i < end && isSpace(t[i]) {
		i++
	}
	typeStart := i
	typeEnd := end
	depth := 0
	var quote byte
	for j := i; j < end; j++ {
		ch := t[j]
		if quote != 0 {
			if ch == '\\' {
				j++ // 'b\'c': an escaped quote
			} else if ch == quote {
				quote = 0
			}
			continue
		}
		switch {
		case ch == '\'' || ch == '"':
			quote = ch
		case ch == '(' || ch == '[' || ch == '{':
			depth++
		case ch == ')' || ch == ']' || ch == '}':
			depth--
		case depth == 0 && (j == i || isSpace(t[j-1])) && attributeAt(t[j:end]):
			typeEnd = j
			j = end
		}
	}
	for typeEnd > typeStart && isSpace(t[typeEnd-1]) {
		typeEnd--
	}
	c.Type, c.TypeStart, c.TypeEnd = string(t[typeStart:typeEnd]), typeStart, typeEnd
	rest := string(t[typeEnd:end])
	c.HasDefault = hasWord(rest, "DEFAULT")
	if k := strings.Index(rest, "`json:"); k >= 0 {
		p := typeEnd + k + len("`json:")
		q := p
		for q < end && t[q] != '`' {
			q++
		}
		c.JSONPath, c.PathStart, c.PathEnd = string(t[p:q]), p, q
	}
	return c, true
}

// columnAttributes are the words that end a column's type (the Forward
// CLI's lookahead: NULL, NOT NULL, DEFAULT, MATERIALIZED, ALIAS, CODEC, TTL,
// `json:).
var columnAttributes = []string{"NULL", "NOT", "DEFAULT", "MATERIALIZED", "ALIAS", "CODEC", "TTL"}

// attributeAt reports whether s starts with a column attribute.
func attributeAt(s []byte) bool {
	if strings.HasPrefix(string(s), "`json:") {
		return true
	}
	for _, a := range columnAttributes {
		if len(s) >= len(a) && strings.EqualFold(string(s[:len(a)]), a) &&
			(len(s) == len(a) || !isIdentByte(s[len(a)])) {
			return true
		}
	}
	return false
}

func isIdentByte(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func hasWord(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(w)], w) && (i == 0 || !isIdentByte(s[i-1])) && (i+len(w) == len(s) || !isIdentByte(s[i+len(w)])) {
			return true
		}
	}
	return false
}

// schema checks the SCHEMA columns (TB502-TB508) and the engine against
// them (TB510-TB514), for a datasource.
func (c *checker) schema() {
	f := c.f
	if f.FileKind != rules.FileDatasource {
		return
	}
	var sd *Directive
	for _, d := range f.Directives {
		if d.Is("SCHEMA") && d.Node == nil {
			if sd != nil {
				return // two SCHEMAs: the CLI keeps the last; leave it
			}
			sd = d
		}
	}
	if sd == nil {
		return
	}
	cols, ok := SchemaColumns(f.Src, sd)
	if !ok || len(cols) == 0 {
		return
	}
	model := make([]rules.Column, len(cols))
	for i, col := range cols {
		model[i] = col.Column
	}
	for _, l := range rules.CheckColumns("SCHEMA", model) {
		col := cols[l.Index]
		start, end := col.Start, col.End
		switch l.Part {
		case rules.PartName:
			start, end = col.NameStart, col.NameEnd
		case rules.PartType:
			if l.Code == rules.TB506 {
				// A type that is valid on its first line, followed by more
				// lines, is two columns without a comma between them.
				if i := strings.IndexByte(col.Type, '\n'); i >= 0 && rules.CheckType(col.Name, strings.TrimSpace(col.Type[:i])) == nil {
					first := strings.TrimSpace(col.Type[:i])
					l.Message = rules.TypeRunsOnMessage(col.Name, first)
					c.report(l.Code, 0, l.Message, col.TypeStart, col.TypeStart+len(first))
					continue
				}
			}
			if l.Code == rules.TB504 && col.HasDefault {
				continue // the CLI accepts a column with a DEFAULT and no type
			}
			start, end = col.TypeStart, col.TypeEnd
			if l.Code == rules.TB504 {
				start, end = col.NameStart, col.NameEnd
				l.Message = rules.ColumnNoTypeMessage(col.Name)
			}
		case rules.PartJSONPath:
			start, end = col.PathStart, col.PathEnd
		}
		c.report(l.Code, 0, l.Message, start, end)
	}
	c.engine(model)
}

// engineKeys maps the ENGINE_* directives to the fields of rules.Engine.
var engineKeys = map[string]rules.Field{
	"ENGINE_SORTING_KEY":     rules.FieldSortingKey,
	"ENGINE_PRIMARY_KEY":     rules.FieldPrimaryKey,
	"ENGINE_PARTITION_KEY":   rules.FieldPartitionKey,
	"ENGINE_TTL":             rules.FieldTTL,
	"ENGINE_VER":             rules.FieldVer,
	"ENGINE_IS_DELETED":      rules.FieldIsDeleted,
	"ENGINE_SIGN":            rules.FieldSign,
	"ENGINE_VERSION":         rules.FieldVersion,
	"ENGINE_COLUMNS":         rules.FieldSummingColumns,
	"ENGINE_SUMMING_COLUMNS": rules.FieldSummingColumns, // the TypeScript SDK's spelling
}

// directiveValue is a one-line directive's value as the CLI reads it: the
// words after the keyword joined by a space, without surrounding quotes
// (_unquote). ok is false for a block or a value holding a variable or a
// template, which the CLI substitutes.
func directiveValue(src []byte, d *Directive) (value string, start, end int, ok bool) {
	if d.Block != nil || len(d.Args) == 0 {
		return "", 0, 0, false
	}
	start, end = d.Args[0].Start, d.Args[len(d.Args)-1].End
	words := make([]string, len(d.Args))
	for i, a := range d.Args {
		words[i] = a.Text
	}
	v := strings.TrimSpace(strings.Join(words, " "))
	if len(v) >= 2 && strings.ContainsRune(`"'`, rune(v[0])) && strings.ContainsRune(`"'`, rune(v[len(v)-1])) {
		v = v[1 : len(v)-1]
	}
	if strings.Contains(v, "$") || strings.Contains(v, "{{") || strings.Contains(v, "{%") {
		return "", 0, 0, false
	}
	return v, start, end, true
}

// engine checks the engine directives against the columns.
func (c *checker) engine(cols []rules.Column) {
	f := c.f
	var e rules.Engine
	at := map[rules.Field]*Directive{}
	var engineDir *Directive
	for _, d := range f.Directives {
		if d.Node != nil {
			continue
		}
		kw := strings.ToUpper(d.Keyword.Text)
		if kw == "ENGINE" {
			v, _, _, ok := directiveValue(f.Src, d)
			if !ok {
				return
			}
			e.Kind, engineDir = v, d
			continue
		}
		if kw == "ENGINE_SETTINGS" {
			if v, _, _, ok := directiveValue(f.Src, d); ok && strings.Contains(strings.ToLower(v), "allow_nullable_key") {
				e.AllowNullableKey = true
			} else if !ok && d.Block == nil {
				e.AllowNullableKey = true // a value we cannot read may set it
			}
			continue
		}
		field, isKey := engineKeys[kw]
		if !isKey {
			continue
		}
		v, _, _, ok := directiveValue(f.Src, d)
		if !ok {
			return // a key we cannot read: judge none rather than half
		}
		at[field] = d
		switch field {
		case rules.FieldSortingKey:
			e.SortingKey = []string{v}
		case rules.FieldPrimaryKey:
			e.PrimaryKey = []string{v}
		case rules.FieldPartitionKey:
			e.PartitionKey = v
		case rules.FieldTTL:
			e.TTL = v
		case rules.FieldVer:
			e.Ver = v
		case rules.FieldIsDeleted:
			e.IsDeleted = v
		case rules.FieldSign:
			e.Sign = v
		case rules.FieldVersion:
			e.Version = v
		case rules.FieldSummingColumns:
			e.SummingColumns = []string{v}
		}
	}
	if e.Kind == "" {
		e.Kind = "MergeTree" // Tinybird's default engine
	}
	if !isIdent(e.Kind) {
		return // ENGINE "ReplacingMergeTree(ver)" and the like: not modelled
	}
	cols = rules.WithConnectorColumns(connectorOf(f), cols)
	names := make([]string, len(cols))
	for i, col := range cols {
		names[i] = col.Name
	}
	for _, l := range rules.CheckEngine(e, cols) {
		d := at[l.Field]
		if d == nil {
			d = engineDir
		}
		if d == nil {
			d = f.Directives[0]
		}
		_, start, end, ok := directiveValue(f.Src, d)
		if !ok {
			start, end = d.Start, d.HeaderEnd
		}
		var fixes []Fix
		if l.Suggest != "" {
			if fix, ok := renameRef(f.Src, start, end, l.Suggest, names); ok {
				fixes = append(fixes, fix)
			}
		}
		c.report(l.Code, 0, rules.DatafileEngineMessage(l.Message), start, end, fixes...)
	}
}

// connectorOf returns the connector that fills a datasource: Kafka (a
// KAFKA_* directive), DynamoDB (IMPORT_TABLE_ARN), IMPORT_SERVICE's value,
// or the connection an IMPORT_CONNECTION_NAME names (kind unknown); and
// rules.ConnectorUnknown when the file does not say, which it need not (a
// datasource connected in the UI, settings in an INCLUDE).
func connectorOf(f *File) string {
	for _, d := range f.Directives {
		kw := strings.ToUpper(d.Keyword.Text)
		switch {
		case strings.HasPrefix(kw, "KAFKA_"):
			return rules.ConnectorKafka
		case kw == "IMPORT_TABLE_ARN":
			return rules.ConnectorDynamoDB
		case kw == "IMPORT_SERVICE":
			if v, _, _, ok := directiveValue(f.Src, d); ok && v != "" {
				return strings.ToLower(v)
			}
		}
	}
	return rules.ConnectorUnknown
}

// isIdent reports whether s is an identifier.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentByte(s[i]) {
			return false
		}
	}
	return true
}

// renameRef proposes replacing, in src[start:end], the one identifier that
// is not a column and whose nearest column is suggest. There must be
// exactly one such identifier, outside quotes.
func renameRef(src []byte, start, end int, suggest string, names []string) (Fix, bool) {
	isCol := make(map[string]bool, len(names))
	for _, n := range names {
		isCol[n] = true
	}
	var edit *Edit
	var quote byte
	for i := start; i < end; {
		ch := src[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
			i++
		case ch == '\'' || ch == '`':
			quote = ch
			i++
		case isIdentByte(ch) && !('0' <= ch && ch <= '9'):
			j := i
			for j < end && isIdentByte(src[j]) {
				j++
			}
			word := string(src[i:j])
			next := j
			for next < end && src[next] == ' ' {
				next++
			}
			isCall := next < end && src[next] == '('
			if !isCol[word] && !isCall && rules.NearestName(word, names) == suggest {
				if edit != nil {
					return Fix{}, false
				}
				edit = &Edit{i, j, suggest}
			}
			i = j
		default:
			i++
		}
	}
	if edit == nil {
		return Fix{}, false
	}
	return Fix{Message: "Change the column to " + suggest, Edits: []Edit{*edit}}, true
}

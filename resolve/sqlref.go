package resolve

import "strings"

// TableRef is a name an SQL query reads as a table: the word after FROM or
// JOIN (or after a comma of a FROM list) that is not a subquery, a table
// function call or a name the query defines itself (a CTE, an alias).
type TableRef struct {
	// Name is the name as Tinybird resolves it: unquoted, dotted names
	// (db.table) joined with their dot.
	Name string
	// Start and End delimit the name in the SQL text, quotes excluded. For
	// a dotted name they span every part.
	Start, End int
	// Dotted reports a qualified name (<database>.<table>): a system table,
	// a Tinybird service datasource (tinybird.*) or a datasource shared from
	// another workspace (<workspace>.<name>).
	Dotted bool
}

// TableRefs returns the table references of sql, a node's SQL as written in
// a datafile or an SDK Node: Tinybird templates ({% … %}, {{ … }}, {# … #})
// are skipped, as are comments and string literals. A name glued to a
// template block (events_{{ suffix }}) is not constant and is left out.
// Offsets are byte offsets into sql.
//
// The extractor is built for precision: where it cannot tell a table from
// something else (a FROM inside a function's parentheses, as in
// EXTRACT(YEAR FROM ts); ARRAY JOIN, which takes an array; IS DISTINCT
// FROM), it reports nothing.
func TableRefs(sql string) []TableRef {
	toks := lexSQL(sql, false)
	x := refExtractor{toks: toks, ctes: map[string]bool{}, aliases: map[string]bool{}}
	x.run()
	out := x.refs[:0]
	for _, r := range x.refs {
		if x.ctes[strings.ToLower(r.Name)] || x.aliases[strings.ToLower(r.Name)] {
			continue
		}
		out = append(out, r)
	}
	return out
}

// sqlTokKind is the kind of an SQL token.
type sqlTokKind int

const (
	tokWord     sqlTokKind = iota + 1 // an identifier or keyword
	tokQuoted                         // "name" or `name`
	tokPunct                          // one character: ( ) , . ;
	tokTemplate                       // a template block
	tokOther                          // numbers, strings, operators
	tokComment                        // -- … or /* … */, only when asked for
)

// sqlTok is one token of an SQL text.
type sqlTok struct {
	kind       sqlTokKind
	start, end int    // the token's extent; for tokQuoted, without its quotes
	text       string // for words and quoted names: the name; for punctuation: the character
	// glued reports a word or quoted name written against a template block
	// with no space between: its name is not constant.
	glued bool
}

// lexSQL splits sql into tokens, dropping whitespace and, unless
// comments is set, comments.
func lexSQL(sql string, comments bool) []sqlTok {
	var toks []sqlTok
	n := len(sql)
	prevTemplateEnd := -1
	for i := 0; i < n; {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == '{' && i+1 < n && (sql[i+1] == '%' || sql[i+1] == '{' || sql[i+1] == '#'):
			closer := "%}"
			switch sql[i+1] {
			case '{':
				closer = "}}"
			case '#':
				closer = "#}"
			}
			j := strings.Index(sql[i+2:], closer)
			end := n
			if j >= 0 {
				end = i + 2 + j + 2
			}
			if len(toks) > 0 && toks[len(toks)-1].end == i && isNameTok(toks[len(toks)-1].kind) {
				toks[len(toks)-1].glued = true
			}
			toks = append(toks, sqlTok{kind: tokTemplate, start: i, end: end})
			prevTemplateEnd = end
			i = end
		case c == '-' && i+1 < n && sql[i+1] == '-':
			start := i
			for i < n && sql[i] != '\n' {
				i++
			}
			if comments {
				toks = append(toks, sqlTok{kind: tokComment, start: start, end: i})
			}
		case c == '/' && i+1 < n && sql[i+1] == '*':
			start := i
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				i = n
			} else {
				i += 2 + j + 2
			}
			if comments {
				toks = append(toks, sqlTok{kind: tokComment, start: start, end: i})
			}
		case c == '\'':
			j := i + 1
			for j < n {
				if sql[j] == '\\' {
					j += 2
					continue
				}
				if sql[j] == '\'' {
					if j+1 < n && sql[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, n)
			toks = append(toks, sqlTok{kind: tokOther, start: i, end: end, text: "'"})
			i = end
		case c == '"' || c == '`':
			j := i + 1
			for j < n && sql[j] != c && sql[j] != '\n' {
				j++
			}
			if j >= n || sql[j] != c || j == i+1 {
				// An unterminated or empty quoted name: not a name we can trust.
				toks = append(toks, sqlTok{kind: tokOther, start: i, end: j})
				i = j
				continue
			}
			t := sqlTok{kind: tokQuoted, start: i + 1, end: j, text: sql[i+1 : j], glued: prevTemplateEnd == i}
			toks = append(toks, t)
			i = j + 1
		case isWordStart(c):
			j := i + 1
			for j < n && isWordPart(sql[j]) {
				j++
			}
			toks = append(toks, sqlTok{kind: tokWord, start: i, end: j, text: sql[i:j], glued: prevTemplateEnd == i})
			i = j
		case c == '(' || c == ')' || c == ',' || c == '.' || c == ';':
			toks = append(toks, sqlTok{kind: tokPunct, start: i, end: i + 1, text: sql[i : i+1]})
			i++
		case c >= '0' && c <= '9':
			j := i + 1
			for j < n && (isWordPart(sql[j]) || sql[j] == '.') {
				j++
			}
			toks = append(toks, sqlTok{kind: tokOther, start: i, end: j, text: "0"})
			i = j
		default:
			toks = append(toks, sqlTok{kind: tokOther, start: i, end: i + 1})
			i++
		}
	}
	return toks
}

func isNameTok(k sqlTokKind) bool { return k == tokWord || k == tokQuoted }

func isWordStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

func isWordPart(c byte) bool { return isWordStart(c) || '0' <= c && c <= '9' || c == '$' }

// refExtractor walks the tokens of one SQL text.
type refExtractor struct {
	toks    []sqlTok
	refs    []TableRef
	ctes    map[string]bool // lower-cased
	aliases map[string]bool // lower-cased
	// query is a stack with one entry per open parenthesis: whether it
	// holds a query (it starts with SELECT or WITH) rather than an
	// expression or a function's arguments. FROM counts as a clause only at
	// the top level or directly inside a query parenthesis.
	query []bool
}

// is reports whether toks[i] is the keyword kw (upper case).
func (x *refExtractor) is(i int, kw string) bool {
	return i >= 0 && i < len(x.toks) && x.toks[i].kind == tokWord && strings.EqualFold(x.toks[i].text, kw)
}

func (x *refExtractor) punct(i int, p string) bool {
	return i >= 0 && i < len(x.toks) && x.toks[i].kind == tokPunct && x.toks[i].text == p
}

// inQuery reports whether the current parenthesis level holds a query.
func (x *refExtractor) inQuery() bool { return len(x.query) == 0 || x.query[len(x.query)-1] }

// next returns the index of the first token at or after i that is not a
// template block, or len(toks).
func (x *refExtractor) next(i int) int {
	for i < len(x.toks) && x.toks[i].kind == tokTemplate {
		i++
	}
	return i
}

func (x *refExtractor) run() {
	for i := 0; i < len(x.toks); i++ {
		t := x.toks[i]
		switch {
		case t.kind == tokPunct && t.text == "(":
			j := x.next(i + 1)
			x.query = append(x.query, x.is(j, "SELECT") || x.is(j, "WITH"))
		case t.kind == tokPunct && t.text == ")":
			if len(x.query) > 0 {
				wasQuery := x.query[len(x.query)-1]
				x.query = x.query[:len(x.query)-1]
				if wasQuery {
					x.alias(i + 1) // (SELECT …) AS sub
				}
			}
		case x.is(i, "WITH"):
			x.cte(i + 1)
		case x.is(i, "FROM"):
			if !x.inQuery() || x.is(i-1, "DISTINCT") {
				continue // EXTRACT(x FROM y), a IS DISTINCT FROM b
			}
			i = x.fromList(i + 1)
		case x.is(i, "JOIN"):
			if x.is(i-1, "ARRAY") || !x.inQuery() {
				continue // ARRAY JOIN takes an array expression
			}
			x.table(i + 1)
		}
	}
}

// cte records the names a WITH clause starting at i defines: name AS (…),
// separated by commas at the clause's level. ClickHouse's WITH expr AS name
// defines a scalar, not a table, and is skipped.
func (x *refExtractor) cte(i int) {
	depth := 0
	for ; i < len(x.toks); i++ {
		switch {
		case x.punct(i, "("):
			depth++
		case x.punct(i, ")"):
			if depth == 0 {
				return
			}
			depth--
		case depth == 0 && x.is(i, "SELECT"):
			return
		case depth == 0 && isNameTok(x.toks[i].kind) && x.is(i+1, "AS") && x.punct(i+2, "("):
			x.ctes[strings.ToLower(x.toks[i].text)] = true
		case depth == 0 && x.is(i, "AS") && i+1 < len(x.toks) && isNameTok(x.toks[i+1].kind) && !x.punct(i+2, "("):
			x.aliases[strings.ToLower(x.toks[i+1].text)] = true // WITH expr AS name
		}
	}
}

// fromList reads the tables of a FROM clause starting at i: one table, or
// several separated by commas. It returns the index of the last token read.
func (x *refExtractor) fromList(i int) int {
	for {
		end := x.table(i)
		// table, [AS] alias, [FINAL], then a comma continues the list.
		j := x.alias(end)
		if x.is(j, "FINAL") {
			j++
		}
		if end == i || !x.punct(j, ",") {
			return i
		}
		i = j + 1
	}
}

// table reads one table expression at i and records it when it is a
// constant name. It returns the index just past the name, or i when it read
// none.
func (x *refExtractor) table(i int) int {
	if i >= len(x.toks) || !isNameTok(x.toks[i].kind) {
		return i // a subquery, a template block, or nothing
	}
	start := i
	parts := []sqlTok{x.toks[i]}
	i++
	for x.punct(i, ".") && i+1 < len(x.toks) && isNameTok(x.toks[i+1].kind) &&
		x.toks[i].start == parts[len(parts)-1].endQuoted() && x.toks[i+1].start-x.toks[i].end <= 1 {
		parts = append(parts, x.toks[i+1])
		i += 2
	}
	if x.punct(i, "(") {
		return i // a table function: numbers(10), url(…)
	}
	if x.punct(i, ".") || i < len(x.toks) && x.toks[i].kind == tokTemplate && x.toks[i].start == parts[len(parts)-1].endQuoted() {
		return i // a name continued by something that is not a name
	}
	names := make([]string, len(parts))
	for k, p := range parts {
		if p.glued || p.kind == tokWord && isClauseWord(p) && len(parts) == 1 {
			return start
		}
		names[k] = p.text
	}
	x.refs = append(x.refs, TableRef{
		Name:   strings.Join(names, "."),
		Start:  parts[0].start,
		End:    parts[len(parts)-1].end,
		Dotted: len(parts) > 1 || strings.Contains(names[0], "."),
	})
	x.alias(i)
	return i
}

// alias records the alias at i of a table or a subquery, "[AS] name", and
// returns the index past it (i when there is none).
func (x *refExtractor) alias(i int) int {
	j := i
	if x.is(j, "AS") {
		j++
	}
	if j < len(x.toks) && isNameTok(x.toks[j].kind) && !isClauseWord(x.toks[j]) && !x.punct(j+1, "(") && !x.punct(j+1, ".") {
		x.aliases[strings.ToLower(x.toks[j].text)] = true
		return j + 1
	}
	return i
}

// endQuoted returns where the token ends in the text, its closing quote
// included.
func (t sqlTok) endQuoted() int {
	if t.kind == tokQuoted {
		return t.end + 1
	}
	return t.end
}

// clauseWords are keywords that can follow FROM or a table without being a
// name, so that FROM WHERE (a table left to a template) is no reference.
var clauseWords = map[string]bool{
	"select": true, "where": true, "prewhere": true, "group": true, "order": true,
	"limit": true, "having": true, "join": true, "left": true, "right": true,
	"inner": true, "outer": true, "full": true, "cross": true, "any": true,
	"all": true, "asof": true, "semi": true, "anti": true, "global": true,
	"array": true, "on": true, "using": true, "union": true, "settings": true,
	"format": true, "final": true, "sample": true, "window": true, "qualify": true,
	"with": true, "as": true, "into": true, "except": true, "intersect": true,
	"paste": true, "offset": true, "from": true, "by": true, "and": true, "or": true,
}

func isClauseWord(t sqlTok) bool {
	return t.kind == tokWord && clauseWords[strings.ToLower(t.text)]
}

// SQLTokenKind is the kind of an SQL token, for highlighting.
type SQLTokenKind int

// The kinds of SQL tokens.
const (
	SQLKeyword  SQLTokenKind = iota + 1 // a keyword of SQL's clauses and operators
	SQLName                             // an identifier that is not a keyword
	SQLString                           // a string literal
	SQLNumber                           // a number
	SQLTemplate                         // a Tinybird template block
	SQLComment                          // a comment
)

// SQLToken is a token of an SQL text, for highlighting.
type SQLToken struct {
	Kind       SQLTokenKind
	Start, End int
}

// SQLTokens returns the tokens of sql worth highlighting, in order:
// keywords, names, strings, numbers, template blocks and comments.
func SQLTokens(sql string) []SQLToken {
	var out []SQLToken
	for _, t := range lexSQL(sql, true) {
		var k SQLTokenKind
		switch t.kind {
		case tokWord:
			k = SQLName
			if sqlKeywords[strings.ToLower(t.text)] || clauseWords[strings.ToLower(t.text)] {
				k = SQLKeyword
			}
		case tokQuoted:
			k = SQLName
		case tokTemplate:
			k = SQLTemplate
		case tokComment:
			k = SQLComment
		case tokOther:
			switch t.text {
			case "'":
				k = SQLString
			case "0":
				k = SQLNumber
			}
		}
		if k != 0 {
			out = append(out, SQLToken{Kind: k, Start: t.start, End: t.end})
		}
	}
	return out
}

// sqlKeywords are the keywords highlighted besides clauseWords.
var sqlKeywords = map[string]bool{
	"distinct": true, "case": true, "when": true, "then": true, "else": true,
	"end": true, "not": true, "in": true, "is": true, "null": true,
	"between": true, "like": true, "ilike": true, "asc": true, "desc": true,
	"interval": true, "true": true, "false": true, "exists": true, "over": true,
	"partition": true, "rows": true, "range": true, "preceding": true,
	"following": true, "unbounded": true, "current": true, "row": true,
	"filter": true, "nulls": true, "first": true,
	"last": true, "ties": true,
}

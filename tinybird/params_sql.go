package tinybird

import (
	"reflect"
	"regexp"
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// This file reproduces the TypeScript SDK's applyParamMetadataToSql: inside
// each {{ … }} of a node's SQL, a call of a parameter type function whose
// first argument names a declared parameter, e.g. Int32(limit), gets the
// parameter's default, required= and description= unless the SQL already
// gives them.

var (
	placeholderRe = regexp.MustCompile(`\{\{[` + jsSpaceClass + `]*([^{}]+?)[` + jsSpaceClass + `]*\}\}`)
	templateCall  = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)[` + jsSpaceClass + `]*\(([^()]*)\)`)
	trailingArgs  = regexp.MustCompile(`\([^()]*\)[` + jsSpaceClass + `]*$`)
	keywordArg    = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*[` + jsSpaceClass + `]*=`)
)

// paramTemplateFunctions are the template functions that declare a
// parameter and accept default, required and description arguments.
var paramTemplateFunctions = map[string]bool{
	"String": true, "UUID": true,
	"Int8": true, "Int16": true, "Int32": true, "Int64": true, "Int128": true, "Int256": true,
	"UInt8": true, "UInt16": true, "UInt32": true, "UInt64": true, "UInt128": true, "UInt256": true,
	"Float32": true, "Float64": true, "Boolean": true,
	"Date": true, "DateTime": true, "DateTime64": true, "Array": true, "JSON": true,
}

func applyParamMetadata(sql string, params Params) string {
	if params == nil {
		return sql
	}
	return replaceAllSubmatchFunc(placeholderRe, sql, func(m []string) string {
		expr := m[1]
		rewritten := replaceAllSubmatchFunc(templateCall, expr, func(c []string) string {
			return rewriteCall(c[0], c[1], c[2], params)
		})
		if rewritten == expr {
			return m[0]
		}
		return "{{ " + jsTrim(rewritten) + " }}"
	})
}

func rewriteCall(call, fn, rawArgs string, params Params) string {
	if !paramTemplateFunctions[fn] && fn != "column" {
		return call
	}
	args := splitTopLevelComma(rawArgs)
	if len(args) == 0 {
		return call
	}
	name := jsTrim(args[0])
	if !rules.ValidName(name) {
		return call
	}
	p, ok := params[name]
	if !ok {
		return call
	}
	if fn == "column" && p.typ != "column" {
		return call
	}
	next := paramTemplateArgs(args, p)
	if len(next) == len(args) {
		return call
	}
	loc := trailingArgs.FindStringIndex(call)
	if loc == nil {
		return call
	}
	repl := "(" + strings.Join(next, ", ") + ")"
	return call[:loc[0]] + jsReplacement(repl, call[loc[0]:loc[1]], call[:loc[0]], call[loc[1]:]) + call[loc[1]:]
}

func paramTemplateArgs(args []string, p Param) []string {
	next := append([]string(nil), args...)
	if p.hasDefault && !hasPositionalDefault(next) && !hasKeywordArg(next, "default") {
		next = append(next, templateDefaultLiteral(p.defaultVal))
	}
	if p.typ == "column" {
		return next
	}
	if p.modifier != "" && !hasKeywordArg(next, "required") {
		if p.required {
			next = append(next, "required=True")
		} else {
			next = append(next, "required=False")
		}
	}
	if p.description != nil && !hasKeywordArg(next, "description") {
		next = append(next, "description="+jsonQuote(*p.description))
	}
	return next
}

func templateDefaultLiteral(v any) string {
	if v != nil && reflect.TypeOf(v).Kind() == reflect.String {
		s := reflect.ValueOf(v).String()
		s = strings.ReplaceAll(s, `\`, `\\`)
		s = strings.ReplaceAll(s, "'", `\'`)
		return "'" + s + "'"
	}
	return jsString(v)
}

func hasKeywordArg(args []string, key string) bool {
	for _, a := range args {
		eq := strings.Index(a, "=")
		if eq <= 0 {
			continue
		}
		if strings.ToLower(jsTrim(a[:eq])) == key {
			return true
		}
	}
	return false
}

func hasPositionalDefault(args []string) bool {
	for _, a := range args[1:] {
		if !keywordArg.MatchString(jsTrim(a)) {
			return true
		}
	}
	return false
}

// splitTopLevelComma splits a template call's arguments on commas outside
// quotes and parentheses, trimming each.
func splitTopLevelComma(s string) []string {
	var parts []string
	var cur strings.Builder
	depth := 0
	inSingle, inDouble := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		var prev byte
		if i > 0 {
			prev = s[i-1]
		}
		switch {
		case c == '\'' && !inDouble && prev != '\\':
			inSingle = !inSingle
		case c == '"' && !inSingle && prev != '\\':
			inDouble = !inDouble
		case !inSingle && !inDouble && c == '(':
			depth++
		case !inSingle && !inDouble && c == ')' && depth > 0:
			depth--
		case !inSingle && !inDouble && c == ',' && depth == 0:
			parts = append(parts, jsTrim(cur.String()))
			cur.Reset()
			continue
		}
		cur.WriteByte(c)
	}
	if rest := jsTrim(cur.String()); rest != "" {
		parts = append(parts, rest)
	}
	return parts
}

// replaceAllSubmatchFunc is JavaScript's s.replace(/re/g, fn): fn receives
// the match and its groups.
func replaceAllSubmatchFunc(re *regexp.Regexp, s string, fn func([]string) string) string {
	locs := re.FindAllStringSubmatchIndex(s, -1)
	if locs == nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range locs {
		b.WriteString(s[last:loc[0]])
		groups := make([]string, len(loc)/2)
		for g := range groups {
			if loc[2*g] >= 0 {
				groups[g] = s[loc[2*g]:loc[2*g+1]]
			}
		}
		b.WriteString(fn(groups))
		last = loc[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

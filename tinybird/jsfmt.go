package tinybird

// The generator must write what the TypeScript SDK writes, byte for byte,
// so the few places where it relies on JavaScript's own formatting (String(x),
// JSON.stringify, trim, \s) are reproduced here.

import (
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// isJSSpace reports whether r is whitespace for JavaScript's \s and trim:
// WhiteSpace and LineTerminator of ECMA-262, which differ from Go's
// unicode.IsSpace (U+FEFF is in, U+0085 is out).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// jsSpaceClass is isJSSpace as a regexp character class body.
const jsSpaceClass = `\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`

// jsTrim is String.prototype.trim.
func jsTrim(s string) string { return strings.TrimFunc(s, isJSSpace) }

// jsNumber formats f as JavaScript's String(number) does.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0" // also for -0
	}
	// Shortest round-trip digits, then ECMA-262 Number::toString layout.
	e := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±xx
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	mant, expStr, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	exp, _ := strconv.Atoi(expStr)
	k := len(digits)
	n := exp + 1 // position of the decimal point
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		sign := "+"
		if n-1 < 0 {
			sign = "-"
		}
		ex := n - 1
		if ex < 0 {
			ex = -ex
		}
		if k == 1 {
			out = digits + "e" + sign + strconv.Itoa(ex)
		} else {
			out = digits[:1] + "." + digits[1:] + "e" + sign + strconv.Itoa(ex)
		}
	}
	if neg {
		out = "-" + out
	}
	return out
}

// jsString formats v as JavaScript's String(v) does for the Go values that
// stand for JavaScript ones: nil is null, integers are BigInt-exact,
// floats are numbers, slices join their elements with commas.
func jsString(v any) string {
	if v == nil {
		return "null"
	}
	if t, ok := v.(time.Time); ok {
		// Date's String() is locale-dependent; the ISO form is the only
		// portable one, and the generator formats dates itself.
		return t.UTC().Format("2006-01-02T15:04:05.000Z")
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String()
	case reflect.Bool:
		if rv.Bool() {
			return "true"
		}
		return "false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32:
		return jsNumber(float64(float32(rv.Float())))
	case reflect.Float64:
		return jsNumber(rv.Float())
	case reflect.Slice, reflect.Array:
		parts := make([]string, rv.Len())
		for i := range parts {
			e := rv.Index(i).Interface()
			if e != nil {
				parts[i] = jsString(e)
			}
		}
		return strings.Join(parts, ",")
	case reflect.Map, reflect.Struct:
		return "[object Object]"
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "null"
		}
		return jsString(rv.Elem().Interface())
	}
	return "[object Object]"
}

// jsonQuote is JSON.stringify of a string: unlike encoding/json it leaves
// <, >, & and U+2028/U+2029 alone and writes control characters as \u00xx.
func jsonQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			b.WriteString(`\u00`)
			b.WriteString(strconv.FormatInt(int64(r)>>4, 16))
			b.WriteString(strconv.FormatInt(int64(r)&0xF, 16))
		case r == utf8.RuneError && size == 1:
			// Invalid UTF-8 reaches JavaScript as U+FFFD.
			b.WriteString("\uFFFD")
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}

// jsonStringify is JSON.stringify for the Go values a default may hold:
// nil, bools, numbers, strings, time.Time, slices, arrays, maps with string
// keys (sorted, as Go maps have no order) and structs (exported fields in
// order, named by their `json:"name"` tags; omitempty is not applied). It reports
// false for values JSON cannot carry (functions, channels).
func jsonStringify(v any) (string, bool) {
	if v == nil {
		return "null", true
	}
	if t, ok := v.(time.Time); ok {
		return `"` + t.UTC().Format("2006-01-02T15:04:05.000Z") + `"`, true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return jsonQuote(rv.String()), true
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return jsString(v), true
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return "null", true
		}
		return jsString(v), true
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return "null", true
		}
		parts := make([]string, rv.Len())
		for i := range parts {
			s, ok := jsonStringify(rv.Index(i).Interface())
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return "[" + strings.Join(parts, ",") + "]", true
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return "", false
		}
		if rv.IsNil() {
			return "null", true
		}
		keys := make([]string, 0, rv.Len())
		for _, k := range rv.MapKeys() {
			keys = append(keys, k.String())
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			s, ok := jsonStringify(rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())).Interface())
			if !ok {
				return "", false
			}
			parts = append(parts, jsonQuote(k)+":"+s)
		}
		return "{" + strings.Join(parts, ",") + "}", true
	case reflect.Struct:
		var parts []string
		for i := 0; i < rv.NumField(); i++ {
			f := rv.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Name
			if tag, ok := f.Tag.Lookup("json"); ok {
				tagName, _, _ := strings.Cut(tag, ",")
				if tagName == "-" {
					continue
				}
				if tagName != "" {
					name = tagName
				}
			}
			s, ok := jsonStringify(rv.Field(i).Interface())
			if !ok {
				return "", false
			}
			parts = append(parts, jsonQuote(name)+":"+s)
		}
		return "{" + strings.Join(parts, ",") + "}", true
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "null", true
		}
		return jsonStringify(rv.Elem().Interface())
	}
	return "", false
}

// jsReplacement expands a JavaScript String.prototype.replace replacement
// string for a pattern without capture groups: $$, $&, $` and $' are
// special, anything else is literal.
func jsReplacement(repl, matched, before, after string) string {
	if !strings.Contains(repl, "$") {
		return repl
	}
	var b strings.Builder
	for i := 0; i < len(repl); i++ {
		c := repl[i]
		if c != '$' || i+1 == len(repl) {
			b.WriteByte(c)
			continue
		}
		switch repl[i+1] {
		case '$':
			b.WriteByte('$')
			i++
		case '&':
			b.WriteString(matched)
			i++
		case '`':
			b.WriteString(before)
			i++
		case '\'':
			b.WriteString(after)
			i++
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

package analyzer

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
	"github.com/tbls-dev/tbls/tinybird"
)

// This file evaluates, from the syntax and constants of a package, the
// schema values the datasource, pipe and project analyzers check: column
// types, columns, engines, nodes. A value is known only when everything it
// is built from is constant; anything else is unknown and never judged.
// Types are built by calling the SDK's own constructors with the constant
// arguments, so that a type string is exactly the one the SDK writes.

// evaluator evaluates SDK values in one pass.
type evaluator struct {
	pass *analysis.Pass
	idx  *sdkIndex
}

// follow returns the expression e stands for: e without parentheses, or
// the initializer of the package-level variable e names (through a few
// variables). A variable assigned elsewhere too is still read from its
// initializer, as the scope analyzer reads a Tokens list.
func (ev *evaluator) follow(e ast.Expr) ast.Expr {
	for range 8 {
		e = ast.Unparen(e)
		var id *ast.Ident
		switch x := e.(type) {
		case *ast.Ident:
			id = x
		case *ast.SelectorExpr:
			id = x.Sel
		default:
			return e
		}
		v, ok := infoOf(ev.pass).Use(id).(*types.Var)
		if !ok {
			return e
		}
		init, ok := ev.idx.inits[v]
		if !ok {
			return e
		}
		e = init
	}
	return e
}

// str returns the value of a constant string expression, or of a call to
// tinybird.Secret with constant arguments.
func (ev *evaluator) str(e ast.Expr) (string, bool) {
	if s, ok := constString(infoOf(ev.pass), e); ok {
		return s, true
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || sdkCall(infoOf(ev.pass), call, secretFunc) != "Secret" || call.Ellipsis.IsValid() || len(call.Args) == 0 {
		return "", false
	}
	args := make([]string, len(call.Args))
	for i, a := range call.Args {
		if args[i], ok = constString(infoOf(ev.pass), a); !ok {
			return "", false
		}
	}
	return tinybird.Secret(args[0], args[1:]...), true
}

// staticType is a column type known from constants.
type staticType struct {
	t tinybird.Type
	// jsonPath is the type's JSONPath, at jsonPathAt; "" for none.
	jsonPath   string
	jsonPathAt ast.Expr
	// emptyDefault is the DefaultExpr argument of the type, or of a type
	// it is built from, that is empty (TB507); nil when none is.
	emptyDefault ast.Expr
}

// typeCtor builds a type from evaluated arguments.
type typeCtor func(a *ctorArgs) (tinybird.Type, bool)

// ctorArgs are the arguments of a type constructor call.
type ctorArgs struct {
	ev    *evaluator
	args  []ast.Expr
	empty ast.Expr // the first empty DefaultExpr among type arguments
}

func (a *ctorArgs) n() int { return len(a.args) }

func (a *ctorArgs) int(i int) (int, bool) {
	if i >= len(a.args) {
		return 0, false
	}
	v, ok := constInt64(infoOf(a.ev.pass), a.args[i])
	return int(v), ok && int64(int(v)) == v
}

func (a *ctorArgs) str(i int) (string, bool) {
	if i >= len(a.args) {
		return "", false
	}
	return constString(infoOf(a.ev.pass), a.args[i])
}

func (a *ctorArgs) typ(i int) (tinybird.Type, bool) {
	if i >= len(a.args) {
		return tinybird.Type{}, false
	}
	st, ok := a.ev.typeOf(a.args[i])
	if ok && a.empty == nil {
		a.empty = st.emptyDefault
	}
	return st.t, ok
}

func (a *ctorArgs) types(from int) ([]tinybird.Type, bool) {
	var ts []tinybird.Type
	for i := from; i < len(a.args); i++ {
		t, ok := a.typ(i)
		if !ok {
			return nil, false
		}
		ts = append(ts, t)
	}
	return ts, true
}

func (a *ctorArgs) strs() ([]string, bool) {
	var ss []string
	for i := range a.args {
		s, ok := a.str(i)
		if !ok {
			return nil, false
		}
		ss = append(ss, s)
	}
	return ss, true
}

func nullary(f func() tinybird.Type) typeCtor {
	return func(a *ctorArgs) (tinybird.Type, bool) { return f(), a.n() == 0 }
}

// typeCtors are the SDK's type constructors, by name. It is filled by init
// because the constructors of nested types call typeOf, which reads it.
var typeCtors map[string]typeCtor

func init() { typeCtors = makeTypeCtors() }

func makeTypeCtors() map[string]typeCtor {
	return map[string]typeCtor{
		"String": nullary(tinybird.String), "UUID": nullary(tinybird.UUID),
		"Int8": nullary(tinybird.Int8), "Int16": nullary(tinybird.Int16), "Int32": nullary(tinybird.Int32),
		"Int64": nullary(tinybird.Int64), "Int128": nullary(tinybird.Int128), "Int256": nullary(tinybird.Int256),
		"UInt8": nullary(tinybird.UInt8), "UInt16": nullary(tinybird.UInt16), "UInt32": nullary(tinybird.UInt32),
		"UInt64": nullary(tinybird.UInt64), "UInt128": nullary(tinybird.UInt128), "UInt256": nullary(tinybird.UInt256),
		"Float32": nullary(tinybird.Float32), "Float64": nullary(tinybird.Float64), "Bool": nullary(tinybird.Bool),
		"Date": nullary(tinybird.Date), "Date32": nullary(tinybird.Date32), "DateTime": nullary(tinybird.DateTime),
		"JSON": nullary(tinybird.JSON), "IPv4": nullary(tinybird.IPv4), "IPv6": nullary(tinybird.IPv6),
		"FixedString": func(a *ctorArgs) (tinybird.Type, bool) {
			n, ok := a.int(0)
			return tinybird.FixedString(n), ok && a.n() == 1
		},
		"Decimal": func(a *ctorArgs) (tinybird.Type, bool) {
			p, ok1 := a.int(0)
			s, ok2 := a.int(1)
			return tinybird.Decimal(p, s), ok1 && ok2 && a.n() == 2
		},
		"DateTimeTZ": func(a *ctorArgs) (tinybird.Type, bool) {
			tz, ok := a.str(0)
			return tinybird.DateTimeTZ(tz), ok && a.n() == 1
		},
		"DateTime64": func(a *ctorArgs) (tinybird.Type, bool) {
			p, ok := a.int(0)
			return tinybird.DateTime64(p), ok && a.n() == 1
		},
		"DateTime64TZ": func(a *ctorArgs) (tinybird.Type, bool) {
			p, ok1 := a.int(0)
			tz, ok2 := a.str(1)
			return tinybird.DateTime64TZ(p, tz), ok1 && ok2 && a.n() == 2
		},
		"Array": func(a *ctorArgs) (tinybird.Type, bool) {
			t, ok := a.typ(0)
			return tinybird.Array(t), ok && a.n() == 1
		},
		"Tuple": func(a *ctorArgs) (tinybird.Type, bool) {
			ts, ok := a.types(0)
			return tinybird.Tuple(ts...), ok
		},
		"Map": func(a *ctorArgs) (tinybird.Type, bool) {
			k, ok1 := a.typ(0)
			v, ok2 := a.typ(1)
			return tinybird.Map(k, v), ok1 && ok2 && a.n() == 2
		},
		"Enum8": func(a *ctorArgs) (tinybird.Type, bool) {
			vs, ok := a.strs()
			return tinybird.Enum8(vs...), ok
		},
		"Enum16": func(a *ctorArgs) (tinybird.Type, bool) {
			vs, ok := a.strs()
			return tinybird.Enum16(vs...), ok
		},
		"SimpleAggregateFunction": func(a *ctorArgs) (tinybird.Type, bool) {
			fn, ok1 := a.str(0)
			t, ok2 := a.typ(1)
			return tinybird.SimpleAggregateFunction(fn, t), ok1 && ok2 && a.n() == 2
		},
		"AggregateFunction": func(a *ctorArgs) (tinybird.Type, bool) {
			fn, ok1 := a.str(0)
			ts, ok2 := a.types(1)
			return tinybird.AggregateFunction(fn, ts...), ok1 && ok2
		},
	}
}

// typeOf evaluates a column type: a constructor call, a modifier method
// call on a known type, or a package-level variable holding one.
func (ev *evaluator) typeOf(e ast.Expr) (staticType, bool) {
	info := infoOf(ev.pass)
	call, ok := ev.follow(e).(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return staticType{}, false
	}
	if name := sdkCall(info, call, typeCtors); name != "" {
		ctor := typeCtors[name]
		a := &ctorArgs{ev: ev, args: call.Args}
		t, ok := ctor(a)
		return staticType{t: t, emptyDefault: a.empty}, ok
	}
	// A modifier: recv.Method(args).
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !typeModifiers[sel.Sel.Name] {
		return staticType{}, false
	}
	fn, ok := info.Use(sel.Sel).(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != sdkPath {
		return staticType{}, false
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || sdkType(sig.Recv().Type()) != "Type" {
		return staticType{}, false
	}
	st, ok := ev.typeOf(sel.X)
	if !ok {
		return staticType{}, false
	}
	if n := len(call.Args); n != 0 && (fn.Name() == "Nullable" || fn.Name() == "LowCardinality" || fn.Name() == "Optional") || n != 1 && (fn.Name() == "DefaultExpr" || fn.Name() == "JSONPath") {
		return staticType{}, false // a type error
	}
	switch fn.Name() {
	case "Nullable":
		st.t = st.t.Nullable()
	case "LowCardinality":
		st.t = st.t.LowCardinality()
	case "Optional", "Codec", "Default":
		// They change no type string and cannot make it invalid with a
		// constant argument.
	case "DefaultExpr":
		s, ok := constString(info, call.Args[0])
		if !ok {
			return staticType{}, false
		}
		// The SDK never clears the error of an empty DefaultExpr, so the
		// first one counts.
		if strings.TrimFunc(s, isJSSpace) == "" && st.emptyDefault == nil {
			st.emptyDefault = call.Args[0]
		}
	case "JSONPath":
		s, ok := constString(info, call.Args[0])
		if !ok {
			return staticType{}, false
		}
		st.jsonPath, st.jsonPathAt = s, call.Args[0]
	default:
		return staticType{}, false
	}
	return st, true
}

// isJSSpace is JavaScript's \s, which String.prototype.trim strips.
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}

// staticColumn is one column of a schema, with what of it is known.
type staticColumn struct {
	elt ast.Expr // the element of the schema literal

	name           string
	nameOK         bool
	nameAt         ast.Expr // the name expression; elt when the name is left out
	typ            staticType
	typeOK         bool
	typeAt         ast.Expr
	jsonPath       string // the column's JSONPath, or its type's
	jsonPathOK     bool
	jsonPathAt     ast.Expr
	emptyDefaultAt ast.Expr
}

// columnOf evaluates one element of a schema literal.
func (ev *evaluator) columnOf(elt ast.Expr) staticColumn {
	c := staticColumn{elt: elt, nameAt: elt, typeAt: elt, jsonPathAt: elt}
	switch x := ev.follow(elt).(type) {
	case *ast.CallExpr:
		if sdkCall(infoOf(ev.pass), x, colFunc) != "Col" || len(x.Args) != 2 || x.Ellipsis.IsValid() {
			return c
		}
		c.nameAt, c.typeAt = x.Args[0], x.Args[1]
		c.name, c.nameOK = constString(infoOf(ev.pass), x.Args[0])
		c.setType(ev, x.Args[1])
		c.jsonPath, c.jsonPathOK = c.typ.jsonPath, c.typeOK
		if c.typ.jsonPathAt != nil {
			c.jsonPathAt = c.typ.jsonPathAt
		}
	case *ast.CompositeLit:
		t := infoOf(ev.pass).TypeOf(x)
		if sdkType(t) != "Column" {
			return c
		}
		st, _ := t.Underlying().(*types.Struct)
		// Fields left out are zero, which is known.
		c.nameOK, c.typeOK = true, true
		var pathField ast.Expr
		eachField(st, x, func(name string, f field) {
			switch name {
			case "Name":
				c.nameAt = f.value
				c.name, c.nameOK = constString(infoOf(ev.pass), f.value)
			case "Type":
				c.setType(ev, f.value)
			case "JSONPath":
				pathField = f.value
			}
		})
		c.jsonPath, c.jsonPathOK = c.typ.jsonPath, c.typeOK
		if c.typ.jsonPathAt != nil {
			c.jsonPathAt = c.typ.jsonPathAt
		}
		if pathField != nil {
			s, ok := constString(infoOf(ev.pass), pathField)
			switch {
			case !ok:
				c.jsonPathOK = false
			case s != "":
				c.jsonPath, c.jsonPathOK, c.jsonPathAt = s, true, pathField
			}
		}
	}
	return c
}

// setType evaluates the type expression e of c.
func (c *staticColumn) setType(ev *evaluator, e ast.Expr) {
	c.typeAt = e
	c.typ, c.typeOK = ev.typeOf(e)
	c.emptyDefaultAt = c.typ.emptyDefault
}

// staticSchema is a schema literal, evaluated column by column.
type staticSchema struct {
	lit  *ast.CompositeLit // nil when the schema is nil or left out
	cols []staticColumn
}

// known reports whether every column's name and type are known.
func (s staticSchema) known() bool {
	for _, c := range s.cols {
		if !c.nameOK || !c.typeOK {
			return false
		}
	}
	return true
}

// schemaOf evaluates a Schema (or []Column) expression; ok is false when
// it is not a literal (or nil).
func (ev *evaluator) schemaOf(e ast.Expr) (staticSchema, bool) {
	e = ev.follow(e)
	if isNilValue(infoOf(ev.pass), e) {
		return staticSchema{}, true
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return staticSchema{}, false
	}
	s := staticSchema{lit: lit, cols: make([]staticColumn, len(lit.Elts))}
	for i, elt := range lit.Elts {
		s.cols[i] = ev.columnOf(elt)
	}
	return s, true
}

// ruleColumns returns the columns as the rules see them, with a
// placeholder for what is unknown, and which findings to keep: a finding
// about an unknown part is dropped by keep.
func (s staticSchema) ruleColumns(jsonPaths bool) []rules.Column {
	cols := make([]rules.Column, len(s.cols))
	for i, c := range s.cols {
		cols[i] = rules.Column{Name: c.name, Type: c.typ.t.ClickHouseType()}
		if !c.nameOK {
			// A unique valid name: never a duplicate nor invalid.
			cols[i].Name = "_tbvet_unknown_" + string(rune('a'+i%26)) + strings.Repeat("_", i/26)
		}
		if !c.typeOK {
			cols[i].Type = "String"
		}
		if jsonPaths && c.jsonPathOK {
			cols[i].JSONPath = c.jsonPath
		}
	}
	return cols
}

// keep reports whether a column finding is about known parts.
func (s staticSchema) keep(l rules.Located) bool {
	if l.Index < 0 || l.Index >= len(s.cols) {
		return true
	}
	c := s.cols[l.Index]
	switch l.Part {
	case rules.PartName:
		return c.nameOK
	case rules.PartType:
		return c.typeOK
	case rules.PartJSONPath:
		return c.jsonPathOK
	}
	return c.nameOK // duplicates
}

// at returns the node of a column finding.
func (s staticSchema) at(l rules.Located) ast.Node {
	c := s.cols[l.Index]
	switch l.Part {
	case rules.PartName:
		return c.nameAt
	case rules.PartType:
		return c.typeAt
	case rules.PartJSONPath:
		return c.jsonPathAt
	}
	return c.elt
}

// strList is a []string literal of constants, with each element.
type strList struct {
	vals []string
	elts []ast.Expr
	set  bool // the field is set to a non-nil slice
}

// strListOf evaluates a []string expression; ok is false when it is not a
// literal of constants (or nil).
func (ev *evaluator) strListOf(e ast.Expr) (strList, bool) {
	e = ev.follow(e)
	if isNilValue(infoOf(ev.pass), e) {
		return strList{}, true
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return strList{}, false
	}
	l := strList{set: true}
	for _, elt := range lit.Elts {
		if _, kv := elt.(*ast.KeyValueExpr); kv {
			return strList{}, false
		}
		s, ok := constString(infoOf(ev.pass), elt)
		if !ok {
			return strList{}, false
		}
		l.vals, l.elts = append(l.vals, s), append(l.elts, elt)
	}
	return l, true
}

// staticEngine is an engine known from constants.
type staticEngine struct {
	call   *ast.CallExpr // the engine constructor call
	e      rules.Engine
	lists  map[rules.Field]strList  // the key lists
	fields map[rules.Field]ast.Expr // the string fields
	// settings are the Settings entries whose value has a type a datafile
	// cannot hold, with that type.
	badSettings []badSetting
}

type badSetting struct {
	key  string
	typ  string
	elt  ast.Expr
	node ast.Node
}

// engineFuncs are the SDK's engine constructors, by name, with the kind
// they build.
var engineFuncs = map[string]string{
	"MergeTree": "MergeTree", "ReplacingMergeTree": "ReplacingMergeTree", "SummingMergeTree": "SummingMergeTree",
	"AggregatingMergeTree": "AggregatingMergeTree", "CollapsingMergeTree": "CollapsingMergeTree",
	"VersionedCollapsingMergeTree": "VersionedCollapsingMergeTree", "NullEngine": "Null",
}

// engineOf evaluates an Engine expression. known is false when a field
// the rules read is not constant; the settings of a literal are still
// read.
func (ev *evaluator) engineOf(e ast.Expr) (se staticEngine, known bool) {
	call, ok := ev.follow(e).(*ast.CallExpr)
	if !ok || call.Ellipsis.IsValid() {
		return staticEngine{}, false
	}
	kind, ok := engineFuncs[sdkCall(infoOf(ev.pass), call, engineFuncs)]
	if !ok {
		return staticEngine{}, false
	}
	se = staticEngine{call: call, e: rules.Engine{Kind: kind}, lists: map[rules.Field]strList{}, fields: map[rules.Field]ast.Expr{}}
	if kind == "Null" {
		return se, len(call.Args) == 0
	}
	if len(call.Args) != 1 {
		return se, false
	}
	lit, ok := ev.follow(call.Args[0]).(*ast.CompositeLit)
	if !ok {
		return se, false
	}
	st := structOf(infoOf(ev.pass), lit)
	known = st != nil
	list := func(f rules.Field, v ast.Expr) []string {
		l, ok := ev.strListOf(v)
		if !ok {
			known = false
			return nil
		}
		se.lists[f] = l
		if !l.set {
			return nil
		}
		if l.vals == nil {
			return []string{}
		}
		return l.vals
	}
	str := func(f rules.Field, v ast.Expr) string {
		s, ok := constString(infoOf(ev.pass), v)
		if !ok {
			known = false
		}
		se.fields[f] = v
		return s
	}
	eachField(st, lit, func(name string, f field) {
		switch name {
		case "SortingKey":
			se.e.SortingKey = list(rules.FieldSortingKey, f.value)
		case "PrimaryKey":
			se.e.PrimaryKey = list(rules.FieldPrimaryKey, f.value)
		case "Columns":
			se.e.SummingColumns = list(rules.FieldSummingColumns, f.value)
		case "PartitionKey":
			se.e.PartitionKey = str(rules.FieldPartitionKey, f.value)
		case "TTL":
			se.e.TTL = str(rules.FieldTTL, f.value)
		case "Ver":
			se.e.Ver = str(rules.FieldVer, f.value)
		case "IsDeleted":
			se.e.IsDeleted = str(rules.FieldIsDeleted, f.value)
		case "Sign":
			se.e.Sign = str(rules.FieldSign, f.value)
		case "Version":
			se.e.Version = str(rules.FieldVersion, f.value)
		case "Settings":
			ev.settingsOf(&se, f.value, &known)
		}
	})
	return se, known
}

// settingsOf reads an engine's Settings: whether allow_nullable_key is set
// (an unknown map counts as setting it, so that no key is reported
// Nullable for want of knowing), and the values of a type a datafile
// cannot hold.
func (ev *evaluator) settingsOf(se *staticEngine, e ast.Expr, known *bool) {
	info := infoOf(ev.pass)
	e = ev.follow(e)
	if isNilValue(info, e) {
		return
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		se.e.AllowNullableKey = true
		return
	}
	for _, elt := range lit.Elts {
		kv, ok := elt.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, ok := constString(info, kv.Key)
		if !ok {
			se.e.AllowNullableKey = true
			continue
		}
		if key == "allow_nullable_key" {
			se.e.AllowNullableKey = true
		}
		if typ, bad := unwritableSetting(info, kv.Value); bad {
			se.badSettings = append(se.badSettings, badSetting{key: key, typ: typ, elt: elt, node: kv.Value})
		}
	}
}

// unwritableSetting reports whether the value e of an engine setting
// certainly has a dynamic type a datafile cannot hold, as
// Validate's reflect.Kind test decides; typ is that type as %T prints it.
func unwritableSetting(info *TypesInfo, e ast.Expr) (typ string, bad bool) {
	if isNilValue(info, e) {
		return "<nil>", true
	}
	tv, ok := info.Types(e)
	if !ok || tv.Type == nil {
		return "", false
	}
	switch u := tv.Type.Underlying().(type) {
	case *types.Interface:
		return "", false
	case *types.Basic:
		if u.Info()&(types.IsBoolean|types.IsInteger|types.IsFloat|types.IsString) != 0 {
			return "", false
		}
		if u.Kind() == types.UntypedNil {
			return "<nil>", true
		}
	}
	return types.TypeString(types.Default(tv.Type), qualifyByName), true
}

// qualifyByName qualifies a type by its package's name, as %T does.
func qualifyByName(p *types.Package) string { return p.Name() }

// structOf returns the struct type of the expression e, or nil when its
// type is unknown (a type error) or not a struct.
func structOf(info *TypesInfo, e ast.Expr) *types.Struct {
	t := info.TypeOf(e)
	if t == nil {
		return nil
	}
	st, _ := t.Underlying().(*types.Struct)
	return st
}

// sdkCall returns the name of the package-level SDK function call calls
// when its name is one of names, or "". The name is read from the syntax
// first, so that calls of other functions cost no look-up.
func sdkCall[V any](info *TypesInfo, call *ast.CallExpr, names map[string]V) string {
	id := calleeIdent(call)
	if id == nil {
		return ""
	}
	if _, ok := names[id.Name]; !ok {
		return ""
	}
	return sdkFuncNamed(info, id)
}

// isNilValue reports whether e is the predeclared nil, looking the
// expression up only when it is spelled nil.
func isNilValue(info *TypesInfo, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil" && isNil(info, e)
}

// secretFunc and colFunc are single SDK function names, for sdkCall.
var (
	secretFunc = map[string]bool{"Secret": true}
	colFunc    = map[string]bool{"Col": true}
)

// typeModifiers are the methods of the SDK's Type that typeOf follows.
var typeModifiers = map[string]bool{
	"Nullable": true, "LowCardinality": true, "Optional": true, "Codec": true,
	"Default": true, "DefaultExpr": true, "JSONPath": true,
}

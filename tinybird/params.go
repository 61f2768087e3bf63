package tinybird

// Param is a typed query parameter of a pipe or endpoint (the TypeScript
// SDK's p.*). Like Type, it is a value: modifiers return a changed copy.
//
//	Params: tinybird.Params{
//		"start_date": tinybird.DateTimeParam().Describe("Start of the range"),
//		"limit":      tinybird.Int32Param().Default(10),
//	}
//
// When a node's SQL uses a parameter in a template function, e.g.
// {{Int32(limit)}}, the generated datafile adds the default, required= and
// description= arguments the SQL does not already give.
type Param struct {
	typ         string
	required    bool
	hasDefault  bool
	defaultVal  any
	description *string
	modifier    string // "required", "optional" or "" (neither called)
}

// Params maps parameter names to their definitions.
type Params map[string]Param

func newParam(typ string) Param { return Param{typ: typ, required: true} }

// Type returns the parameter's template type, e.g. "Int32", "column".
func (p Param) Type() string { return p.typ }

// IsRequired reports whether the parameter is required (the default).
func (p Param) IsRequired() bool { return p.required }

// DefaultValue returns the default value and whether one is set.
func (p Param) DefaultValue() (any, bool) { return p.defaultVal, p.hasDefault }

// Description returns the description and whether one is set.
func (p Param) Description() (string, bool) {
	if p.description == nil {
		return "", false
	}
	return *p.description, true
}

// Optional makes the parameter optional, with no default. The datafile
// then says required=False.
func (p Param) Optional() Param {
	p.required = false
	p.hasDefault = false
	p.defaultVal = nil
	p.modifier = "optional"
	return p
}

// Default makes the parameter optional with a default value (a string,
// number or bool), as the TypeScript SDK's optional(value) does.
func (p Param) Default(value any) Param {
	p = p.Optional()
	p.hasDefault = true
	p.defaultVal = value
	return p
}

// Required makes the parameter explicitly required, dropping any default.
// The datafile then says required=True.
func (p Param) Required() Param {
	p.required = true
	p.hasDefault = false
	p.defaultVal = nil
	p.modifier = "required"
	return p
}

// Describe sets the parameter's description, shown in the endpoint's
// documentation.
func (p Param) Describe(description string) Param {
	p.description = &description
	return p
}

// StringParam is a String parameter.
func StringParam() Param { return newParam("String") }

// UUIDParam is a UUID parameter.
func UUIDParam() Param { return newParam("UUID") }

// Int8Param is an Int8 parameter.
func Int8Param() Param { return newParam("Int8") }

// Int16Param is an Int16 parameter.
func Int16Param() Param { return newParam("Int16") }

// Int32Param is an Int32 parameter.
func Int32Param() Param { return newParam("Int32") }

// Int64Param is an Int64 parameter.
func Int64Param() Param { return newParam("Int64") }

// UInt8Param is a UInt8 parameter.
func UInt8Param() Param { return newParam("UInt8") }

// UInt16Param is a UInt16 parameter.
func UInt16Param() Param { return newParam("UInt16") }

// UInt32Param is a UInt32 parameter.
func UInt32Param() Param { return newParam("UInt32") }

// UInt64Param is a UInt64 parameter.
func UInt64Param() Param { return newParam("UInt64") }

// Float32Param is a Float32 parameter.
func Float32Param() Param { return newParam("Float32") }

// Float64Param is a Float64 parameter.
func Float64Param() Param { return newParam("Float64") }

// BooleanParam is a Boolean parameter.
func BooleanParam() Param { return newParam("Boolean") }

// DateParam is a Date parameter.
func DateParam() Param { return newParam("Date") }

// DateTimeParam is a DateTime parameter.
func DateTimeParam() Param { return newParam("DateTime") }

// DateTime64Param is a DateTime64 parameter.
func DateTime64Param() Param { return newParam("DateTime64") }

// ArrayParam is an Array parameter of element values, optionally split on
// separator in the query string. Element and separator only document the
// parameter: the template reads them from the SQL, e.g.
// {{Array(ids, 'Int32')}}.
func ArrayParam(element Param, separator ...string) Param { return newParam("Array") }

// ColumnParam is a column-name parameter, used as {{column(name)}}. Only a
// default is added to its template call: column() takes no required= or
// description=.
func ColumnParam() Param { return newParam("column") }

// JSONParam is a JSON parameter.
func JSONParam() Param { return newParam("JSON") }

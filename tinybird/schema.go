package tinybird

// Column is one column of a schema.
type Column struct {
	Name string
	Type Type
	// JSONPath, when set, overrides the type's JSONPath: where the column is
	// read from in ingested JSON.
	JSONPath string
}

// Schema is an ordered list of columns: the order is the datafile's.
type Schema []Column

// Col returns a column of the given name and type.
func Col(name string, t Type) Column { return Column{Name: name, Type: t} }

// jsonPath returns the column's explicit JSON path, "" when none.
func (c Column) jsonPath() string {
	if c.JSONPath != "" {
		return c.JSONPath
	}
	return c.Type.mods.jsonPath
}

// Names returns the column names in order.
func (s Schema) Names() []string {
	names := make([]string, len(s))
	for i, c := range s {
		names[i] = c.Name
	}
	return names
}

// Lookup returns the column named name.
func (s Schema) Lookup(name string) (Column, bool) {
	for _, c := range s {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

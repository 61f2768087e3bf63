package tinybird

// Type is a column type.
type Type struct{ ch string }

// Column is one column of a schema.
type Column struct {
	Name string
	Type Type
}

// Schema is a list of columns.
type Schema []Column

// Col returns a column.
func Col(name string, t Type) Column { return Column{Name: name, Type: t} }

// String is the String type.
func String() Type { return Type{"String"} }

// UInt64 is the UInt64 type.
func UInt64() Type { return Type{"UInt64"} }

// DateTime is the DateTime type.
func DateTime() Type { return Type{"DateTime"} }

// Engine is a table engine.
type Engine struct{ kind string }

// MergeTreeOptions configures a MergeTree engine.
type MergeTreeOptions struct {
	SortingKey []string
}

// MergeTree is the MergeTree engine.
func MergeTree(opts MergeTreeOptions) Engine { return Engine{"MergeTree"} }

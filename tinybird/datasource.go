package tinybird

// DatasourceOptions configures a datasource.
type DatasourceOptions struct {
	Description string
	Schema      Schema
	Engine      Engine
	Tokens      []TokenAccess
}

// Datasource is a datasource defined with DefineDatasource.
type Datasource struct {
	name    string
	options DatasourceOptions
	pos     position
}

// DefineDatasource defines a datasource.
func DefineDatasource(name string, opts DatasourceOptions) *Datasource {
	return &Datasource{name: name, options: opts, pos: callerPosition()}
}

// Name returns the datasource's name.
func (d *Datasource) Name() string { return d.name }

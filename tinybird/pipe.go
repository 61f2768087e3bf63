package tinybird

// Node is one SQL step of a pipe.
type Node struct {
	Name        string
	SQL         string
	Description string
}

// PipeOptions configures a plain pipe (reusable SQL, not published).
type PipeOptions struct {
	Description string
	Nodes       []Node
	Output      Schema
	Tokens      []TokenAccess
}

// EndpointOptions configures an endpoint: a pipe published as an API.
type EndpointOptions struct {
	Description string
	Nodes       []Node
	Output      Schema
	Tokens      []TokenAccess
}

// MaterializedViewOptions configures a materialized view.
type MaterializedViewOptions struct {
	Description string
	Nodes       []Node
	Datasource  *Datasource
	Tokens      []TokenAccess
}

// CopyPipeOptions configures a copy pipe.
type CopyPipeOptions struct {
	Description string
	Nodes       []Node
	Datasource  *Datasource
	Tokens      []TokenAccess
}

// Pipe is a pipe of any kind.
type Pipe struct {
	name string
	pos  position
}

// Name returns the pipe's name.
func (p *Pipe) Name() string { return p.name }

// DefinePipe defines a plain pipe.
func DefinePipe(name string, opts PipeOptions) *Pipe {
	return &Pipe{name: name, pos: callerPosition()}
}

// DefineEndpoint defines an endpoint.
func DefineEndpoint(name string, opts EndpointOptions) *Pipe {
	return &Pipe{name: name, pos: callerPosition()}
}

// DefineMaterializedView defines a materialized view.
func DefineMaterializedView(name string, opts MaterializedViewOptions) *Pipe {
	return &Pipe{name: name, pos: callerPosition()}
}

// DefineCopyPipe defines a copy pipe.
func DefineCopyPipe(name string, opts CopyPipeOptions) *Pipe {
	return &Pipe{name: name, pos: callerPosition()}
}

package tinybird

import "time"

// Node is one SQL step of a pipe. Later nodes may select from earlier ones
// by name.
type Node struct {
	Name        string
	SQL         string
	Description string
}

// PipeOptions configures a pipe. A plain pipe is reusable SQL; setting one
// of Endpoint, Materialized and Copy makes it that kind of pipe, as in the
// TypeScript SDK's definePipe. DefineEndpoint, DefineMaterializedView and
// DefineCopyPipe are shorter ways to the same.
type PipeOptions struct {
	Description string
	Params      Params
	Nodes       []Node
	// Output is the schema of the rows; required for endpoints and
	// materialized views.
	Output Schema
	// Endpoint publishes the pipe as an API endpoint.
	Endpoint *EndpointConfig
	// Materialized makes the pipe a materialized view.
	Materialized *MaterializedConfig
	// Copy makes the pipe a copy pipe.
	Copy   *CopyConfig
	Tokens []TokenAccess
}

// EndpointConfig configures a pipe published as an endpoint.
type EndpointConfig struct {
	// Cache, when set and enabled, caches responses.
	Cache *CacheConfig
}

// CacheConfig configures an endpoint's response cache.
type CacheConfig struct {
	Enabled bool
	// TTL is how long responses are cached, in whole seconds; zero means
	// Tinybird's default of 60 seconds.
	TTL time.Duration
}

// DeploymentMethod says how a materialized view is deployed.
type DeploymentMethod string

// DeployAlter alters the existing materialized view in place instead of
// recreating it.
const DeployAlter DeploymentMethod = "alter"

// MaterializedConfig makes a pipe a materialized view writing into
// Datasource.
type MaterializedConfig struct {
	Datasource       *Datasource
	DeploymentMethod DeploymentMethod
}

// CopyMode says whether a copy pipe appends to or replaces its target.
type CopyMode string

// The copy modes.
const (
	CopyAppend  CopyMode = "append"
	CopyReplace CopyMode = "replace"
)

// CopyConfig makes a pipe a copy pipe writing into Datasource.
type CopyConfig struct {
	Datasource *Datasource
	Mode       CopyMode
	// Schedule is a cron expression or "@on-demand".
	Schedule string
}

// EndpointOptions configures an endpoint: a pipe published as an API.
type EndpointOptions struct {
	Description string
	Params      Params
	Nodes       []Node
	Output      Schema
	Cache       *CacheConfig
	Tokens      []TokenAccess
}

// MaterializedViewOptions configures a materialized view. Its output
// schema is the target datasource's.
type MaterializedViewOptions struct {
	Description      string
	Nodes            []Node
	Datasource       *Datasource
	DeploymentMethod DeploymentMethod
	Tokens           []TokenAccess
}

// CopyPipeOptions configures a copy pipe. Its output schema is the target
// datasource's.
type CopyPipeOptions struct {
	Description string
	Nodes       []Node
	Datasource  *Datasource
	Mode        CopyMode
	Schedule    string
	Tokens      []TokenAccess
}

// SinkPipeOptions configures a sink pipe, exporting query results to
// Kafka or S3. Set exactly one of Kafka and S3.
type SinkPipeOptions struct {
	Description string
	Params      Params
	Nodes       []Node
	Kafka       *KafkaSinkConfig
	S3          *S3SinkConfig
	Tokens      []TokenAccess
}

// KafkaSinkConfig exports to a Kafka topic.
type KafkaSinkConfig struct {
	Connection *KafkaConnection
	Topic      string
	Schedule   string // cron expression or "@on-demand"
}

// SinkStrategy says what an S3 sink does with existing files.
type SinkStrategy string

// The S3 sink strategies.
const (
	SinkCreateNew SinkStrategy = "create_new"
	SinkReplace   SinkStrategy = "replace"
)

// SinkCompression is an S3 sink's file compression.
type SinkCompression string

// The S3 sink compressions.
const (
	CompressionNone   SinkCompression = "none"
	CompressionGzip   SinkCompression = "gzip"
	CompressionSnappy SinkCompression = "snappy"
)

// S3SinkConfig exports to files in S3.
type S3SinkConfig struct {
	Connection   *S3Connection
	BucketURI    string
	FileTemplate string // e.g. "events_{date}"
	Format       string // e.g. "csv", "ndjson", "parquet"
	Schedule     string
	Strategy     SinkStrategy
	Compression  SinkCompression
}

// Pipe is a pipe of any kind: plain pipe, endpoint, materialized view, copy
// pipe or sink pipe.
type Pipe struct {
	name string
	// opts is the normalized definition: every Define function fills it
	// the way the TypeScript SDK's definePipe receives it.
	opts PipeOptions
	sink *SinkPipeOptions
	// defineFunc is the Define function used, for messages.
	defineFunc string
	pos        position
}

// Name returns the pipe's name.
func (p *Pipe) Name() string { return p.name }

// Position returns "file:line" of the Define call.
func (p *Pipe) Position() string { return p.pos.String() }

// Options returns the pipe's definition in PipeOptions form (sink pipes
// carry their sink in SinkOptions).
func (p *Pipe) Options() PipeOptions { return p.opts }

// SinkOptions returns a sink pipe's options, nil for other pipes.
func (p *Pipe) SinkOptions() *SinkPipeOptions { return p.sink }

// IsEndpoint reports whether the pipe is published as an endpoint.
func (p *Pipe) IsEndpoint() bool { return p.opts.Endpoint != nil }

// IsMaterializedView reports whether the pipe is a materialized view.
func (p *Pipe) IsMaterializedView() bool { return p.opts.Materialized != nil }

// IsCopyPipe reports whether the pipe is a copy pipe.
func (p *Pipe) IsCopyPipe() bool { return p.opts.Copy != nil }

// IsSinkPipe reports whether the pipe is a sink pipe.
func (p *Pipe) IsSinkPipe() bool { return p.sink != nil }

// DefinePipe defines a pipe: a plain pipe, or an endpoint, materialized
// view or copy pipe when Endpoint, Materialized or Copy is set.
//
//go:noinline
func DefinePipe(name string, opts PipeOptions) *Pipe {
	return &Pipe{name: name, opts: opts, defineFunc: "DefinePipe", pos: callerPosition()}
}

// DefineEndpoint defines an endpoint.
//
//go:noinline
func DefineEndpoint(name string, opts EndpointOptions) *Pipe {
	return &Pipe{name: name, defineFunc: "DefineEndpoint", pos: callerPosition(), opts: PipeOptions{
		Description: opts.Description,
		Params:      opts.Params,
		Nodes:       opts.Nodes,
		Output:      opts.Output,
		Endpoint:    &EndpointConfig{Cache: opts.Cache},
		Tokens:      opts.Tokens,
	}}
}

// DefineMaterializedView defines a materialized view writing into
// opts.Datasource.
//
//go:noinline
func DefineMaterializedView(name string, opts MaterializedViewOptions) *Pipe {
	return &Pipe{name: name, defineFunc: "DefineMaterializedView", pos: callerPosition(), opts: PipeOptions{
		Description:  opts.Description,
		Nodes:        opts.Nodes,
		Output:       targetSchema(opts.Datasource),
		Materialized: &MaterializedConfig{Datasource: opts.Datasource, DeploymentMethod: opts.DeploymentMethod},
		Tokens:       opts.Tokens,
	}}
}

// DefineCopyPipe defines a copy pipe writing into opts.Datasource.
//
//go:noinline
func DefineCopyPipe(name string, opts CopyPipeOptions) *Pipe {
	return &Pipe{name: name, defineFunc: "DefineCopyPipe", pos: callerPosition(), opts: PipeOptions{
		Description: opts.Description,
		Nodes:       opts.Nodes,
		Output:      targetSchema(opts.Datasource),
		Copy:        &CopyConfig{Datasource: opts.Datasource, Mode: opts.Mode, Schedule: opts.Schedule},
		Tokens:      opts.Tokens,
	}}
}

// DefineSinkPipe defines a sink pipe exporting to Kafka or S3.
//
//go:noinline
func DefineSinkPipe(name string, opts SinkPipeOptions) *Pipe {
	return &Pipe{name: name, defineFunc: "DefineSinkPipe", pos: callerPosition(), sink: &opts, opts: PipeOptions{
		Description: opts.Description,
		Params:      opts.Params,
		Nodes:       opts.Nodes,
		Tokens:      opts.Tokens,
	}}
}

// targetSchema is the output schema of a pipe writing into ds: its columns'
// types, as the TypeScript SDK derives it.
func targetSchema(ds *Datasource) Schema {
	if ds == nil {
		return nil
	}
	out := make(Schema, len(ds.options.Schema))
	for i, c := range ds.options.Schema {
		out[i] = Column{Name: c.Name, Type: c.Type}
	}
	return out
}

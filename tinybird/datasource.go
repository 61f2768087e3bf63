package tinybird

// DatasourceOptions configures a datasource.
type DatasourceOptions struct {
	Description string
	Schema      Schema
	// Engine is the table engine; the zero Engine writes ENGINE "MergeTree"
	// and lets Tinybird choose the rest.
	Engine Engine
	// Tokens grants tokens READ or APPEND on the datasource.
	Tokens []TokenAccess
	// SharedWith lists workspaces the datasource is shared with.
	SharedWith []string
	// OmitJSONPaths leaves the `json:$.column` paths out of the schema. By
	// default every column gets one (its JSONPath, or $.<name>), so the
	// datasource can ingest JSON through the Events API.
	OmitJSONPaths bool
	// ForwardQuery is the SELECT that migrates existing rows when the
	// schema changes.
	ForwardQuery string
	// Indexes are data-skipping indexes.
	Indexes []Index
	// Backfill controls backfilling when the datasource is a materialized
	// view's target; BackfillSkip skips it.
	Backfill Backfill
	// At most one of Kafka, S3, GCS and DynamoDB ingests data.
	Kafka    *KafkaConfig
	S3       *S3Config
	GCS      *GCSConfig
	DynamoDB *DynamoDBConfig
}

// Backfill says whether a materialized view backfills its target.
type Backfill string

// BackfillSkip skips the backfill.
const BackfillSkip Backfill = "skip"

// Index is a data-skipping index, written as
// "<Name> <Expr> TYPE <Type> GRANULARITY <Granularity>".
type Index struct {
	Name        string // no whitespace
	Expr        string // e.g. "lower(id)"
	Type        string // e.g. "bloom_filter(0.001)", "set(100)"
	Granularity int    // positive
}

// KafkaConfig ingests a datasource from a Kafka topic.
type KafkaConfig struct {
	Connection      *KafkaConnection
	Topic           string
	GroupID         string
	AutoOffsetReset string // "earliest" or "latest"
	// StoreRawValue, when set, stores the raw message (True/False).
	StoreRawValue *bool
}

// S3Config imports files from S3 into a datasource.
type S3Config struct {
	Connection    *S3Connection
	BucketURI     string // e.g. "s3://bucket/events/*.csv"
	Schedule      string // e.g. "@auto", "@once"
	FromTimestamp string
}

// GCSConfig imports files from Google Cloud Storage into a datasource.
type GCSConfig struct {
	Connection    *GCSConnection
	BucketURI     string
	Schedule      string
	FromTimestamp string
}

// DynamoDBConfig imports a DynamoDB table into a datasource.
type DynamoDBConfig struct {
	Connection   *DynamoDBConnection
	TableARN     string
	ExportBucket string
}

// Datasource is a datasource defined with DefineDatasource.
type Datasource struct {
	name    string
	options DatasourceOptions
	pos     position
}

// DefineDatasource defines a datasource. It never panics: problems are
// reported by (*Project).Validate with the position of this call.
//
//go:noinline
func DefineDatasource(name string, opts DatasourceOptions) *Datasource {
	return &Datasource{name: name, options: opts, pos: callerPosition()}
}

// Name returns the datasource's name.
func (d *Datasource) Name() string { return d.name }

// Options returns the options the datasource was defined with.
func (d *Datasource) Options() DatasourceOptions { return d.options }

// Schema returns the datasource's columns.
func (d *Datasource) Schema() Schema { return d.options.Schema }

// Position returns "file:line" of the DefineDatasource call.
func (d *Datasource) Position() string { return d.pos.String() }

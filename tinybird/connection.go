package tinybird

import (
	"strings"

	"github.com/tbls-dev/tbls/rules"
)

// Connection is a connection to an external system (Kafka, S3, GCS,
// DynamoDB) that datasources ingest from and sink pipes export to. It is
// implemented by *KafkaConnection, *S3Connection, *GCSConnection and
// *DynamoDBConnection.
type Connection interface {
	// Name returns the connection's name.
	Name() string
	// Datafile returns the text of the connection's .connection datafile.
	Datafile() string
	// ConnectionType returns "kafka", "s3", "gcs" or "dynamodb".
	ConnectionType() string
	position() position
	problem() *rules.Problem
}

// KafkaConnectionOptions configures a Kafka connection. Use Secret to read
// credentials from Tinybird secrets rather than writing them in code.
type KafkaConnectionOptions struct {
	BootstrapServers             string
	SecurityProtocol             string // SASL_SSL, PLAINTEXT or SASL_PLAINTEXT
	SASLMechanism                string // PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER
	SASLOauthbearerMethod        string // AWS
	SASLOauthbearerAWSRegion     string
	SASLOauthbearerAWSRoleARN    string
	SASLOauthbearerAWSExternalID string
	Key                          string
	Secret                       string
	SchemaRegistryURL            string
	SSLCAPem                     string
}

// KafkaConnection is a Kafka connection defined with DefineKafkaConnection.
type KafkaConnection struct {
	name    string
	options KafkaConnectionOptions
	pos     position
}

// DefineKafkaConnection defines a Kafka connection.
//
//go:noinline
func DefineKafkaConnection(name string, opts KafkaConnectionOptions) *KafkaConnection {
	return &KafkaConnection{name: name, options: opts, pos: callerPosition()}
}

// Name returns the connection's name.
func (c *KafkaConnection) Name() string { return c.name }

// ConnectionType returns "kafka".
func (c *KafkaConnection) ConnectionType() string { return "kafka" }

func (c *KafkaConnection) position() position      { return c.pos }
func (c *KafkaConnection) problem() *rules.Problem { return nil }

// Datafile returns the text of the connection's .connection datafile.
func (c *KafkaConnection) Datafile() string {
	o := c.options
	parts := []string{"TYPE kafka", "KAFKA_BOOTSTRAP_SERVERS " + o.BootstrapServers}
	add := func(key, v string) {
		if v != "" {
			parts = append(parts, key+" "+v)
		}
	}
	add("KAFKA_SECURITY_PROTOCOL", o.SecurityProtocol)
	add("KAFKA_SASL_MECHANISM", o.SASLMechanism)
	add("KAFKA_SASL_OAUTHBEARER_METHOD", o.SASLOauthbearerMethod)
	add("KAFKA_SASL_OAUTHBEARER_AWS_REGION", o.SASLOauthbearerAWSRegion)
	add("KAFKA_SASL_OAUTHBEARER_AWS_ROLE_ARN", o.SASLOauthbearerAWSRoleARN)
	add("KAFKA_SASL_OAUTHBEARER_AWS_EXTERNAL_ID", o.SASLOauthbearerAWSExternalID)
	add("KAFKA_KEY", o.Key)
	add("KAFKA_SECRET", o.Secret)
	add("KAFKA_SCHEMA_REGISTRY_URL", o.SchemaRegistryURL)
	if o.SSLCAPem != "" {
		if strings.Contains(o.SSLCAPem, "\n") {
			lines := strings.Split(o.SSLCAPem, "\n")
			for i, l := range lines {
				lines[i] = "    " + l
			}
			parts = append(parts, "KAFKA_SSL_CA_PEM >\n"+strings.Join(lines, "\n"))
		} else {
			parts = append(parts, "KAFKA_SSL_CA_PEM "+o.SSLCAPem)
		}
	}
	return strings.Join(parts, "\n")
}

// S3ConnectionOptions configures an S3 connection: give ARN (an IAM role),
// or AccessKey and Secret together.
type S3ConnectionOptions struct {
	Region    string
	ARN       string
	AccessKey string
	Secret    string
}

// S3Connection is an S3 connection defined with DefineS3Connection.
type S3Connection struct {
	name    string
	options S3ConnectionOptions
	pos     position
}

// DefineS3Connection defines an S3 connection.
//
//go:noinline
func DefineS3Connection(name string, opts S3ConnectionOptions) *S3Connection {
	return &S3Connection{name: name, options: opts, pos: callerPosition()}
}

// Name returns the connection's name.
func (c *S3Connection) Name() string { return c.name }

// ConnectionType returns "s3".
func (c *S3Connection) ConnectionType() string { return "s3" }

func (c *S3Connection) position() position { return c.pos }

func (c *S3Connection) problem() *rules.Problem {
	o := c.options
	return rules.S3Credentials(o.ARN, o.AccessKey, o.Secret)
}

// Datafile returns the text of the connection's .connection datafile.
func (c *S3Connection) Datafile() string {
	o := c.options
	parts := []string{"TYPE s3", "S3_REGION " + o.Region}
	if o.ARN != "" {
		parts = append(parts, "S3_ARN "+o.ARN)
	}
	if o.AccessKey != "" {
		parts = append(parts, "S3_ACCESS_KEY "+o.AccessKey)
	}
	if o.Secret != "" {
		parts = append(parts, "S3_SECRET "+o.Secret)
	}
	return strings.Join(parts, "\n")
}

// GCSConnectionOptions configures a Google Cloud Storage connection.
type GCSConnectionOptions struct {
	// ServiceAccountCredentialsJSON is required; usually
	// Secret("GCS_SERVICE_ACCOUNT_CREDENTIALS_JSON").
	ServiceAccountCredentialsJSON string
}

// GCSConnection is a GCS connection defined with DefineGCSConnection.
type GCSConnection struct {
	name    string
	options GCSConnectionOptions
	pos     position
}

// DefineGCSConnection defines a Google Cloud Storage connection.
//
//go:noinline
func DefineGCSConnection(name string, opts GCSConnectionOptions) *GCSConnection {
	return &GCSConnection{name: name, options: opts, pos: callerPosition()}
}

// Name returns the connection's name.
func (c *GCSConnection) Name() string { return c.name }

// ConnectionType returns "gcs".
func (c *GCSConnection) ConnectionType() string { return "gcs" }

func (c *GCSConnection) position() position { return c.pos }

func (c *GCSConnection) problem() *rules.Problem {
	return rules.GCSCredentials(c.options.ServiceAccountCredentialsJSON)
}

// Datafile returns the text of the connection's .connection datafile.
func (c *GCSConnection) Datafile() string {
	return "TYPE gcs\nGCS_SERVICE_ACCOUNT_CREDENTIALS_JSON " + c.options.ServiceAccountCredentialsJSON
}

// DynamoDBConnectionOptions configures a DynamoDB connection; both fields
// are required.
type DynamoDBConnectionOptions struct {
	Region string
	ARN    string
}

// DynamoDBConnection is a DynamoDB connection defined with
// DefineDynamoDBConnection.
type DynamoDBConnection struct {
	name    string
	options DynamoDBConnectionOptions
	pos     position
}

// DefineDynamoDBConnection defines a DynamoDB connection.
//
//go:noinline
func DefineDynamoDBConnection(name string, opts DynamoDBConnectionOptions) *DynamoDBConnection {
	return &DynamoDBConnection{name: name, options: opts, pos: callerPosition()}
}

// Name returns the connection's name.
func (c *DynamoDBConnection) Name() string { return c.name }

// ConnectionType returns "dynamodb".
func (c *DynamoDBConnection) ConnectionType() string { return "dynamodb" }

func (c *DynamoDBConnection) position() position { return c.pos }

func (c *DynamoDBConnection) problem() *rules.Problem {
	return rules.DynamoDBSettings(c.options.Region, c.options.ARN)
}

// Datafile returns the text of the connection's .connection datafile.
func (c *DynamoDBConnection) Datafile() string {
	return "TYPE dynamodb\nDYNAMODB_ARN " + c.options.ARN + "\nDYNAMODB_REGION " + c.options.Region
}

// Secret returns the template that reads a Tinybird secret, for connection
// credentials: {{ tb_secret("NAME") }}. With a default value it returns
// {{ tb_secret("NAME", "default") }}. The name must not be empty (the
// TypeScript SDK throws on one; Tinybird refuses it at deploy time).
func Secret(name string, defaultValue ...string) string {
	if len(defaultValue) == 0 {
		return `{{ tb_secret("` + name + `") }}`
	}
	return `{{ tb_secret("` + name + `", "` + defaultValue[0] + `") }}`
}

package tinybird

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tbls-dev/tbls/rules"
)

// line returns the line of its call, to state where a Define call is.
//
//go:noinline
func line() int {
	_, _, l, _ := runtime.Caller(1)
	return l
}

// TestValidateEveryProblemAtOnce defines a project with every TB1xx and
// TB2xx mistake and checks Validate reports all of them in one error, each
// with its code and the file:line of the Define call, and that
// WriteDatafiles writes nothing.
func TestValidateEveryProblemAtOnce(t *testing.T) {
	lBadToken, badToken := line(), DefineToken("app-read") // TB101
	good := DefineToken("good")
	lEvents, events := line(), DefineDatasource("web-events", DatasourceOptions{ // TB103
		Schema: Schema{Col("id", String())},
		Tokens: []TokenAccess{
			{Token: badToken, Scope: Read},                        // TB101 (at the token)
			{Name: "ingest-events", Permissions: []Scope{Append}}, // TB102
			{Name: "no_perms"},                                    // TB204
			{Token: good, Scope: "read"},                          // TB202
			{Token: good, Name: "both"},                           // TB205 both
			{Scope: Read},                                         // TB205 neither
			{Token: good},                                         // TB205 no scope
			{Token: good, Scope: Append},
			{Token: good, Scope: Append}, // TB206
		},
	})
	lSel, sel := line(), DefinePipe("select", PipeOptions{ // TB104
		Nodes: []Node{{Name: "bad-node", SQL: "SELECT 1"}}, // TB103 node
	})
	lTop, top := line(), DefineEndpoint("top_events", EndpointOptions{
		Nodes:  []Node{{Name: "endpoint", SQL: "SELECT 1"}},
		Output: Schema{Col("n", UInt64())},
		Tokens: []TokenAccess{
			{Token: good, Scope: Append},                           // TB201
			{Name: "dash", Permissions: []Scope{Read}},             // TB203
			{Token: good, Scope: Read}, {Token: good, Scope: Read}, // TB206
		},
	})
	p := DefineProject(ProjectOptions{Datasources: []*Datasource{events}, Pipes: []*Pipe{sel, top}})

	err := p.Validate()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate() = %v, want a *ValidationError", err)
	}
	type want struct {
		line int
		code rules.Code
		text string
	}
	wants := []want{
		{lBadToken, rules.TB101, `Invalid token name: "app-read"`},
		{lEvents, rules.TB103, `Invalid datasource name: "web-events"`},
		{lEvents, rules.TB102, `Invalid token name: "ingest-events"`},
		{lEvents, rules.TB204, rules.MsgDatasourceNoPerms},
		{lEvents, rules.TB202, `Unknown scope "read"`},
		{lEvents, rules.TB205, rules.MsgAccessBothForms},
		{lEvents, rules.TB205, rules.MsgAccessNoForm},
		{lEvents, rules.TB205, rules.MsgAccessTokenNoScope},
		{lEvents, rules.TB206, rules.DuplicateGrantMessage("good", "APPEND")},
		{lSel, rules.TB104, `Reserved pipe name: "select"`},
		{lSel, rules.TB103, `Invalid node name: "bad-node"`},
		{lTop, rules.TB201, "Scope APPEND is not allowed on an endpoint"},
		{lTop, rules.TB203, rules.MsgPipeInlinePerms},
		{lTop, rules.TB206, rules.DuplicateGrantMessage("good", "READ")},
	}
	if len(ve.Problems) != len(wants) {
		t.Errorf("got %d problems, want %d:\n%v", len(ve.Problems), len(wants), err)
	}
	for i, w := range wants {
		if i >= len(ve.Problems) {
			break
		}
		got := ve.Problems[i]
		if got.File != "validate_test.go" || got.Line != w.line || got.Code != w.code || !strings.Contains(got.Message, w.text) {
			t.Errorf("problem %d = %s:%d %s %q, want validate_test.go:%d %s containing %q", i, got.File, got.Line, got.Code, got.Message, w.line, w.code, w.text)
		}
		if prefix := "validate_test.go:" + itoa(w.line) + ": " + string(w.code) + " "; !strings.HasPrefix(got.Error(), prefix) {
			t.Errorf("problem %d prints as %q, want prefix %q", i, got.Error(), prefix)
		}
	}
	// The whole error is the problems, one per line, as errors.Join writes
	// them.
	if n := strings.Count(err.Error(), "\n") + 1; n != len(ve.Problems) {
		t.Errorf("error has %d lines for %d problems", n, len(ve.Problems))
	}
	var one Problem
	if !errors.As(err, &one) || one.Code != rules.TB101 {
		t.Errorf("errors.As(err, &Problem) = %v, want the first problem", one)
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	if werr := p.WriteDatafiles(out); werr == nil || werr.Error() != err.Error() {
		t.Errorf("WriteDatafiles error = %v, want the Validate error", werr)
	}
	if _, serr := os.Stat(out); !os.IsNotExist(serr) {
		t.Errorf("WriteDatafiles created %s for an invalid project", out)
	}
}

// TestValidateTypeScriptDefineChecks covers the checks the TypeScript SDK
// makes when a resource is defined (it throws; Go reports them), with its
// messages.
func TestValidateTypeScriptDefineChecks(t *testing.T) {
	kafka := DefineKafkaConnection("k", KafkaConnectionOptions{BootstrapServers: "b"})
	s3 := DefineS3Connection("s", S3ConnectionOptions{Region: "r", ARN: "a"})
	dyn := DefineDynamoDBConnection("my_dynamo", DynamoDBConnectionOptions{Region: "us-east-1", ARN: "arn"})
	target := DefineDatasource("target", DatasourceOptions{Schema: Schema{Col("day", Date()), Col("n", SimpleAggregateFunction("sum", UInt64()))}})
	tests := []struct {
		name string
		opts ProjectOptions
		want string
	}{
		{"two ingestions", ProjectOptions{Datasources: []*Datasource{DefineDatasource("mixed", DatasourceOptions{
			Schema:   Schema{Col("id", String())},
			DynamoDB: &DynamoDBConfig{Connection: dyn, TableARN: "t", ExportBucket: "b"},
			S3:       &S3Config{Connection: s3, BucketURI: "s3://b/*.csv"},
		})}}, "only define one ingestion option"},
		{"index name", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("id", String())},
			Indexes: []Index{{Name: "a b", Expr: "id", Type: "set(1)", Granularity: 1}}})}}, `Invalid datasource index name: "a b". Index names must be non-empty and cannot contain whitespace.`},
		{"index expr", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("id", String())},
			Indexes: []Index{{Name: "ix", Expr: " ", Type: "set(1)", Granularity: 1}}})}}, `Invalid datasource index "ix": expr is required.`},
		{"index type", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("id", String())},
			Indexes: []Index{{Name: "ix", Expr: "id", Granularity: 1}}})}}, `Invalid datasource index "ix": type is required.`},
		{"index granularity", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("id", String())},
			Indexes: []Index{{Name: "ix", Expr: "id", Type: "set(1)"}}})}}, `Invalid datasource index "ix": granularity must be a positive integer.`},
		{"empty default expression", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("id", String().DefaultExpr("  "))}})}},
			"Default expression cannot be empty."},
		{"no nodes", ProjectOptions{Pipes: []*Pipe{DefinePipe("p", PipeOptions{})}}, `Pipe "p" must have at least one node.`},
		{"endpoint without output", ProjectOptions{Pipes: []*Pipe{DefineEndpoint("e", EndpointOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}}})}},
			`Pipe "e" must have an output schema defined when used as an endpoint or materialized view.`},
		{"two kinds", ProjectOptions{Pipes: []*Pipe{DefinePipe("p", PipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}}, Output: Schema{Col("n", UInt64())},
			Endpoint: &EndpointConfig{}, Copy: &CopyConfig{Datasource: target}})}}, `Pipe "p" can only have one of: endpoint, materialized, or copy configuration. A pipe must be at most one type.`},
		{"mv missing column", ProjectOptions{Pipes: []*Pipe{DefinePipe("mv", PipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}},
			Output: Schema{Col("day", Date())}, Materialized: &MaterializedConfig{Datasource: target}})}}, `Materialized view "mv" output schema is missing columns from target datasource "target": n`},
		{"mv extra column", ProjectOptions{Pipes: []*Pipe{DefinePipe("mv", PipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}},
			Output: Schema{Col("day", Date()), Col("n", UInt64()), Col("x", String())}, Materialized: &MaterializedConfig{Datasource: target}})}}, `Materialized view "mv" output schema has columns not in target datasource "target": x`},
		{"mv type mismatch", ProjectOptions{Pipes: []*Pipe{DefinePipe("mv", PipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}},
			Output: Schema{Col("day", DateTime()), Col("n", UInt64())}, Materialized: &MaterializedConfig{Datasource: target}})}}, `Materialized view "mv" column "day" type mismatch: output has "DateTime" but target datasource "target" expects "Date"`},
		{"sink topic", ProjectOptions{Pipes: []*Pipe{DefineSinkPipe("sk", SinkPipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}},
			Kafka: &KafkaSinkConfig{Connection: kafka, Schedule: "@once"}})}}, `Pipe "sk" sink topic cannot be empty.`},
		{"sink strategy", ProjectOptions{Pipes: []*Pipe{DefineSinkPipe("sk", SinkPipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}},
			S3: &S3SinkConfig{Connection: s3, BucketURI: "b", FileTemplate: "f", Format: "csv", Schedule: "@once", Strategy: "append"}})}}, `Pipe "sk" sink strategy must be "create_new" or "replace".`},
		{"s3 credentials", ProjectOptions{Connections: []Connection{DefineS3Connection("s", S3ConnectionOptions{Region: "r"})}}, "S3 connection requires either `arn` or both `accessKey` and `secret`."},
		{"s3 key pair", ProjectOptions{Connections: []Connection{DefineS3Connection("s", S3ConnectionOptions{Region: "r", ARN: "a", AccessKey: "k"})}}, "S3 connection `accessKey` and `secret` must be provided together."},
		{"gcs credentials", ProjectOptions{Connections: []Connection{DefineGCSConnection("g", GCSConnectionOptions{})}}, "GCS connection `serviceAccountCredentialsJson` is required."},
		{"dynamodb region", ProjectOptions{Connections: []Connection{DefineDynamoDBConnection("d", DynamoDBConnectionOptions{ARN: "a"})}}, "DynamoDB connection `region` is required."},
		{"connection name", ProjectOptions{Connections: []Connection{DefineKafkaConnection("my-kafka", KafkaConnectionOptions{BootstrapServers: "b"})}}, `TB103 Invalid connection name: "my-kafka"`},
		{"duplicate datasource", ProjectOptions{Datasources: []*Datasource{target, DefineDatasource("target", DatasourceOptions{Schema: Schema{Col("id", String())}})}}, `Datasource name "target" is also defined at`},
		{"nil pipe", ProjectOptions{Pipes: []*Pipe{nil}}, "ProjectOptions.Pipes[0] is nil"},
		{"referenced datasource validated", ProjectOptions{Pipes: []*Pipe{DefineCopyPipe("c", CopyPipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}},
			Datasource: DefineDatasource("from", DatasourceOptions{Schema: Schema{Col("id", String())}})})}}, `TB104 Reserved datasource name: "from"`},
		{"referenced connection validated", ProjectOptions{Datasources: []*Datasource{DefineDatasource("k", DatasourceOptions{Schema: Schema{Col("id", String())},
			Kafka: &KafkaConfig{Connection: DefineKafkaConnection("9k", KafkaConnectionOptions{BootstrapServers: "b"}), Topic: "t"}})}}, `TB103 Invalid connection name: "9k"`},
		{"unsupported default", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("id", String().Default(func() {}))}})}},
			"cannot be written in a datafile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := DefineProject(tt.opts).Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want a problem containing %q", err, tt.want)
			}
			assertCoded(t, err)
		})
	}
}

// assertCoded checks that every problem of err has a check code of the
// table, with its severity.
func assertCoded(t *testing.T, err error) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return
	}
	for _, p := range ve.Problems {
		c, ok := rules.Lookup(p.Code)
		if !ok || c.Severity != p.Severity {
			t.Errorf("problem %q has code %q (severity %s), not a check of the table", p.Message, p.Code, p.Severity)
		}
	}
}

// TestValidateSchemaChecks covers the schema checks of rules that the
// TypeScript SDK does not make: each is reported, with its code, at the
// field at fault.
func TestValidateSchemaChecks(t *testing.T) {
	cols := Schema{Col("timestamp", DateTime()), Col("org", String().Nullable()), Col("id", String()), Col("v", String()), Col("sign", UInt8())}
	ds := func(e Engine) DatasourceOptions { return DatasourceOptions{Schema: cols, Engine: e} }
	nodes := []Node{{Name: "n", SQL: "SELECT 1"}}
	events := DefineDatasource("events", DatasourceOptions{Schema: Schema{Col("id", String())}})
	tests := []struct {
		name  string
		opts  ProjectOptions
		code  rules.Code
		field string
		want  string
	}{
		{"no columns", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{})}}, rules.TB501, "Schema", `Datasource "d" has no columns`},
		{"duplicate column", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("a", String()), Col("a", String())}})}}, rules.TB503, "Schema[1]", `Column "a" appears twice`},
		{"column name", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("user-agent", String())}})}}, rules.TB505, "Schema[0]", `Invalid column name: "user-agent"`},
		{"column type", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("tags", Array(String()).Nullable())}})}}, rules.TB506, "Schema[0]", "cannot be inside Nullable type"},
		{"precision", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("t", DateTime64(12))}})}}, rules.TB506, "Schema[0]", "DateTime64 precision 12 is out of range"},
		{"json path", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: Schema{Col("id", String().JSONPath("payload.id"))}})}}, rules.TB508, "Schema[0]", "invalid JSON path"},
		{"sorting key", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(MergeTree(MergeTreeOptions{SortingKey: []string{"timestmap"}})))}}, rules.TB510, "Engine.SortingKey[0]", `Did you mean "timestamp"?`},
		{"primary key", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(MergeTree(MergeTreeOptions{SortingKey: []string{"id", "timestamp"}, PrimaryKey: []string{"timestamp"}})))}}, rules.TB511, "Engine.PrimaryKey[0]", "Primary key must be a prefix of the sorting key"},
		{"nullable key", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(MergeTree(MergeTreeOptions{SortingKey: []string{"org"}})))}}, rules.TB512, "Engine.SortingKey[0]", "allow_nullable_key"},
		{"ver type", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(ReplacingMergeTree(ReplacingMergeTreeOptions{SortingKey: []string{"id"}, Ver: "v"})))}}, rules.TB513, "Engine.Ver", `Ver column "v" has type String`},
		{"sign type", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(CollapsingMergeTree(CollapsingMergeTreeOptions{SortingKey: []string{"id"}, Sign: "sign"})))}}, rules.TB513, "Engine.Sign", "must be Int8"},
		{"no sign", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(CollapsingMergeTree(CollapsingMergeTreeOptions{SortingKey: []string{"id"}})))}}, rules.TB514, "Engine", "needs Sign"},
		{"setting", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(MergeTree(MergeTreeOptions{SortingKey: []string{"id"}, Settings: map[string]any{"x": []int{1}}})))}}, rules.TB515, "Engine", `Engine setting "x"`},
		{"backfill", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: cols, Backfill: "none"})}}, rules.TB532, "Backfill", `Unknown Backfill "none"`},
		{"kafka column without kafka", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", ds(MergeTree(MergeTreeOptions{SortingKey: []string{"__timestamp"}})))}}, rules.TB510, "Engine.SortingKey[0]", `Sorting key names column "__timestamp"`},
		{"kafka connection", ProjectOptions{Datasources: []*Datasource{DefineDatasource("d", DatasourceOptions{Schema: cols, Kafka: &KafkaConfig{Topic: "t"}})}}, rules.TB531, "Kafka.Connection", "Kafka ingestion has no Connection"},
		{"node twice", ProjectOptions{Pipes: []*Pipe{DefinePipe("p", PipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT 1"}, {Name: "n", SQL: "SELECT 2"}}})}}, rules.TB602, "Nodes[1]", `two nodes named "n"`},
		{"node SQL", ProjectOptions{Pipes: []*Pipe{DefinePipe("p", PipeOptions{Nodes: []Node{{Name: "n"}}})}}, rules.TB603, "Nodes[0]", `Node "n" has no SQL.`},
		{"cache TTL", ProjectOptions{Pipes: []*Pipe{DefineEndpoint("e", EndpointOptions{Nodes: nodes, Output: Schema{Col("n", UInt64())}, Cache: &CacheConfig{Enabled: true, TTL: -time.Second}})}}, rules.TB610, "Cache.TTL", "Cache TTL -1s"},
		{"mv target", ProjectOptions{Pipes: []*Pipe{DefineMaterializedView("mv", MaterializedViewOptions{Nodes: nodes})}}, rules.TB620, "Datasource", `Materialized view "mv" has no target`},
		{"deployment", ProjectOptions{Pipes: []*Pipe{DefineMaterializedView("mv", MaterializedViewOptions{Nodes: nodes, Datasource: events, DeploymentMethod: "replace"})}}, rules.TB622, "DeploymentMethod", `Unknown DeploymentMethod "replace"`},
		{"copy target", ProjectOptions{Pipes: []*Pipe{DefineCopyPipe("c", CopyPipeOptions{Nodes: nodes})}}, rules.TB630, "Datasource", `Copy pipe "c" has no target`},
		{"copy mode", ProjectOptions{Pipes: []*Pipe{DefineCopyPipe("c", CopyPipeOptions{Nodes: nodes, Datasource: events, Mode: "overwrite"})}}, rules.TB631, "Mode", `Unknown copy Mode "overwrite"`},
		{"sink none", ProjectOptions{Pipes: []*Pipe{DefineSinkPipe("s", SinkPipeOptions{Nodes: nodes})}}, rules.TB640, "", "sets neither Kafka nor S3"},
		{"sink compression", ProjectOptions{Pipes: []*Pipe{DefineSinkPipe("s", SinkPipeOptions{Nodes: nodes, S3: &S3SinkConfig{Connection: DefineS3Connection("s3", S3ConnectionOptions{ARN: "a"}), BucketURI: "b", FileTemplate: "f", Format: "csv", Schedule: "@once", Compression: "zip"}})}}, rules.TB643, "S3.Compression", "sink compression must be"},
		{"pipe named as datasource", ProjectOptions{Datasources: []*Datasource{events}, Pipes: []*Pipe{DefinePipe("events", PipeOptions{Nodes: nodes})}}, rules.TB703, "", `Name conflict: "events" is defined as both datasource and pipe`},
		{"duplicate pipe", ProjectOptions{Pipes: []*Pipe{DefinePipe("p", PipeOptions{Nodes: nodes}), DefinePipe("p", PipeOptions{Nodes: nodes})}}, rules.TB702, "", `Pipe name "p" is also defined at`},
		{"nil datasource", ProjectOptions{Datasources: []*Datasource{nil}}, rules.TB701, "Datasources[0]", "ProjectOptions.Datasources[0] is nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := DefineProject(tt.opts).Validate()
			assertCoded(t, err)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			}
			for _, p := range ve.Problems {
				if p.Code == tt.code && p.Field == tt.field && strings.Contains(p.Message, tt.want) {
					return
				}
			}
			t.Errorf("Validate() = %v\nwant %s at %q containing %q", err, tt.code, tt.field, tt.want)
		})
	}
}

// TestValidateValidProjectWrites writes a valid project and checks every
// datafile, including the datasource and connection only referenced.
func TestValidateValidProjectWrites(t *testing.T) {
	conn := DefineKafkaConnection("events_kafka", KafkaConnectionOptions{BootstrapServers: "localhost:9092"})
	raw := DefineDatasource("raw", DatasourceOptions{Schema: Schema{Col("id", String())}, Kafka: &KafkaConfig{Connection: conn, Topic: "events"}})
	daily := DefineDatasource("daily", DatasourceOptions{Schema: Schema{Col("id", String())}})
	cp := DefineCopyPipe("copy_daily", CopyPipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT id FROM raw"}}, Datasource: daily})
	dir := t.TempDir()
	if err := DefineProject(ProjectOptions{Datasources: []*Datasource{raw}, Pipes: []*Pipe{cp, cp}}).WriteDatafiles(dir); err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]datafiler{"raw.datasource": raw, "daily.datasource": daily, "copy_daily.pipe": cp, "events_kafka.connection": conn} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != d.Datafile() {
			t.Errorf("%s: %q, %v; want %q", name, b, err, d.Datafile())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("wrote %d files, want 4", len(entries))
	}
}

// TestStandardLibraryOnly checks that tinybird and rules import only the
// standard library, so importing the SDK pulls in nothing else.
func TestStandardLibraryOnly(t *testing.T) {
	// go test puts the go command that runs it first on PATH.
	out, err := execOutput("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".", "../rules")
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(out) {
		if pkg != "github.com/tbls-dev/tbls/tinybird" && pkg != "github.com/tbls-dev/tbls/rules" {
			t.Errorf("tinybird or rules depends on %s, which is not in the standard library", pkg)
		}
	}
}

// A package-level variable, where an inlined Define call used to report
// "<autogenerated>:1".
var pkgTokenLine, pkgToken = line(), DefineToken("pkg_level")

func TestPositionOfPackageLevelVariable(t *testing.T) {
	if got, want := pkgToken.pos.String(), "validate_test.go:"+itoa(pkgTokenLine); got != want {
		t.Errorf("package-level DefineToken recorded at %s, want %s", got, want)
	}
}

// TestValidateConnectorColumns checks that engine keys may name the columns
// Tinybird adds to a Kafka or DynamoDB datasource.
func TestValidateConnectorColumns(t *testing.T) {
	broker := DefineKafkaConnection("broker", KafkaConnectionOptions{BootstrapServers: "b:9092"})
	d := DefineDatasource("d", DatasourceOptions{
		Schema: Schema{Col("id", String())},
		Engine: MergeTree(MergeTreeOptions{SortingKey: []string{"__timestamp", "id"}}),
		Kafka:  &KafkaConfig{Connection: broker, Topic: "t"},
	})
	if err := DefineProject(ProjectOptions{Datasources: []*Datasource{d}}).Validate(); err != nil {
		t.Errorf("a Kafka datasource keyed on __timestamp: %v", err)
	}
}

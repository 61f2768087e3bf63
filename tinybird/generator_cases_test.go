package tinybird

import "time"

// generatorCase is one definition whose datafile must equal, byte for
// byte, what @tinybirdco/sdk 0.0.84 generates for the same definition in
// testdata/parity/cases.mjs (under the same id). The expected text is the
// golden file testdata/golden/<id>.<ext>, written by that script from the
// TypeScript generator's output; the parity test re-runs the script and
// checks both the goldens and the Go output against it.
type generatorCase struct {
	id    string
	build func() datafiler
}

// datafiler is what has a datafile: *Datasource, *Pipe, Connection.
type datafiler interface {
	Name() string
	Datafile() string
}

func ptr[T any](v T) *T { return &v }

var (
	simpleOutput = Schema{Col("result", Int32())}
	kafkaConn    = func() *KafkaConnection {
		return DefineKafkaConnection("my_kafka", KafkaConnectionOptions{BootstrapServers: "kafka.example.com:9092"})
	}
	s3Conn = func() *S3Connection {
		return DefineS3Connection("my_s3", S3ConnectionOptions{Region: "us-east-1", ARN: "arn:aws:iam::123456789012:role/tinybird-s3-access"})
	}
	salesByHour = func() *Datasource {
		return DefineDatasource("sales_by_hour", DatasourceOptions{
			Schema: Schema{
				Col("day", Date()),
				Col("country", String().LowCardinality()),
				Col("total_sales", SimpleAggregateFunction("sum", UInt64())),
			},
			Engine: AggregatingMergeTree(MergeTreeOptions{SortingKey: []string{"day", "country"}}),
		})
	}
	salesOutput = func() Schema {
		return Schema{
			Col("day", Date()),
			Col("country", String().LowCardinality()),
			Col("total_sales", SimpleAggregateFunction("sum", UInt64())),
		}
	}
	salesSQL = "SELECT toStartOfDay(date) as day, country, sum(sales) as total_sales FROM teams GROUP BY day, country"
	ep       = func(name, sql string, tokens ...TokenAccess) *Pipe {
		return DefinePipe(name, PipeOptions{Nodes: []Node{{Name: "endpoint", SQL: sql}}, Output: simpleOutput, Endpoint: &EndpointConfig{}, Tokens: tokens})
	}
	ds1col = func(name string, opts DatasourceOptions) *Datasource {
		if opts.Schema == nil {
			opts.Schema = Schema{Col("id", String())}
		}
		return DefineDatasource(name, opts)
	}
	ts = Schema{Col("timestamp", DateTime()), Col("event", String())}
	mt = func(keys ...string) Engine { return MergeTree(MergeTreeOptions{SortingKey: keys}) }
)

var generatorCases = []generatorCase{
	// ---- src/generator/datasource.test.ts ----
	{"ts/ds/basic", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("id", String()), Col("count", Int32())}})
	}},
	{"ts/ds/description", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{Description: "Test datasource description"})
	}},
	{"ts/ds/engine", func() datafiler { return ds1col("test_ds", DatasourceOptions{Engine: mt("id")}) }},
	{"ts/ds/null_engine", func() datafiler { return ds1col("test_ds", DatasourceOptions{Engine: NullEngine()}) }},
	{"ts/ds/partition_key", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("id", String()), Col("timestamp", DateTime())},
			Engine: MergeTree(MergeTreeOptions{SortingKey: []string{"id"}, PartitionKey: "toYYYYMM(timestamp)"})})
	}},
	{"ts/ds/ttl", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("id", String()), Col("timestamp", DateTime())},
			Engine: MergeTree(MergeTreeOptions{SortingKey: []string{"id"}, TTL: "timestamp + INTERVAL 90 DAY"})})
	}},
	{"ts/ds/forward_query", func() datafiler { return ds1col("test_ds", DatasourceOptions{ForwardQuery: "SELECT id"}) }},
	{"ts/ds/backfill_skip", func() datafiler { return ds1col("test_ds", DatasourceOptions{Backfill: BackfillSkip}) }},
	{"ts/ds/indexes", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{
			Schema: Schema{Col("id", String()), Col("pipe_name", String())},
			Indexes: []Index{
				{Name: "pipe_name_set", Expr: "pipe_name", Type: "set(100)", Granularity: 1},
				{Name: "id_bf", Expr: "lower(id)", Type: "bloom_filter(0.001)", Granularity: 4},
			},
		})
	}},
	{"ts/col/nullable", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("name", String().Nullable())}})
	}},
	{"ts/col/low_cardinality", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("country", String().LowCardinality())}})
	}},
	{"ts/col/low_cardinality_nullable", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("country", String().LowCardinality().Nullable())}})
	}},
	{"ts/col/nullable_low_cardinality", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("country", String().Nullable().LowCardinality())}})
	}},
	{"ts/col/default_string", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("status", String().Default("pending"))}})
	}},
	{"ts/col/default_expr", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("id", UUID().DefaultExpr("generateUUIDv4()"))}})
	}},
	{"ts/col/default_null", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("status", String().Nullable().Default(nil))}})
	}},
	{"ts/col/default_numbers", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("count", Int32().Default(42)), Col("score", Float64().Default(3.14))}})
	}},
	{"ts/col/default_bools", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("is_active", Bool().Default(true)), Col("is_deleted", Bool().Default(false))}})
	}},
	{"ts/col/default_datetime_string", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("created_at", DateTime().Default("2024-01-15 10:30:00"))}})
	}},
	{"ts/col/default_date_string", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("birth_date", Date().Default("2024-01-15"))}})
	}},
	{"ts/col/default_array", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("tags", Array(String()).Default([]string{"a", "b"}))}})
	}},
	{"ts/col/default_object", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("metadata", JSON().Default(map[string]any{"key": "value"}))}})
	}},
	{"ts/col/default_quote", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("message", String().Default("it's working"))}})
	}},
	{"ts/col/codec", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("data", String().Codec("LZ4"))}})
	}},
	{"ts/col/commas", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("id", String()), Col("name", String()), Col("count", Int32())}})
	}},
	{"ts/col/json_path_auto", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("event_id", String().Nullable())}})
	}},
	{"ts/col/json_path_explicit", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{Schema: Schema{Col("event_id", String().Nullable().JSONPath("$.explicit_path"))}})
	}},
	{"ts/col/json_paths_false", func() datafiler {
		return DefineDatasource("test_ds", DatasourceOptions{OmitJSONPaths: true, Schema: Schema{Col("event_id", String().Nullable().JSONPath("$.explicit_path"))}})
	}},
	{"ts/all/ds1", func() datafiler {
		return DefineDatasource("ds1", DatasourceOptions{Schema: Schema{Col("id", String())}})
	}},
	{"ts/all/ds2", func() datafiler {
		return DefineDatasource("ds2", DatasourceOptions{Schema: Schema{Col("id", Int32())}})
	}},
	{"ts/ds/full", func() datafiler {
		return DefineDatasource("page_views", DatasourceOptions{
			Description: "Page view tracking data",
			Schema: Schema{
				Col("timestamp", DateTime()), Col("pathname", String()), Col("session_id", String()),
				Col("country", String().LowCardinality().Nullable()),
			},
			Engine: MergeTree(MergeTreeOptions{SortingKey: []string{"pathname", "timestamp"}, PartitionKey: "toYYYYMM(timestamp)", TTL: "timestamp + INTERVAL 90 DAY"}),
		})
	}},
	{"ts/kafka/basic", func() datafiler {
		return DefineDatasource("kafka_events", DatasourceOptions{Schema: ts, Engine: mt("timestamp"), Kafka: &KafkaConfig{Connection: kafkaConn(), Topic: "events"}})
	}},
	{"ts/kafka/group_id", func() datafiler {
		return DefineDatasource("kafka_events", DatasourceOptions{Schema: ts, Engine: mt("timestamp"), Kafka: &KafkaConfig{Connection: kafkaConn(), Topic: "events", GroupID: "my-consumer-group"}})
	}},
	{"ts/kafka/auto_offset_reset", func() datafiler {
		return DefineDatasource("kafka_events", DatasourceOptions{Schema: ts, Engine: mt("timestamp"), Kafka: &KafkaConfig{Connection: kafkaConn(), Topic: "events", AutoOffsetReset: "earliest"}})
	}},
	{"ts/kafka/store_raw_value", func() datafiler {
		return DefineDatasource("kafka_events", DatasourceOptions{Schema: ts, Engine: mt("timestamp"), Kafka: &KafkaConfig{Connection: kafkaConn(), Topic: "events", StoreRawValue: ptr(true)}})
	}},
	{"ts/kafka/full", func() datafiler {
		return DefineDatasource("kafka_events", DatasourceOptions{
			Description: "Events from Kafka",
			Schema:      Schema{Col("timestamp", DateTime()), Col("event_type", String()), Col("payload", String())},
			Engine:      mt("timestamp"),
			Kafka: &KafkaConfig{
				Connection: DefineKafkaConnection("my_kafka", KafkaConnectionOptions{BootstrapServers: "kafka.example.com:9092", SecurityProtocol: "SASL_SSL", SASLMechanism: "PLAIN"}),
				Topic:      "events", GroupID: "my-consumer-group", AutoOffsetReset: "earliest",
			},
		})
	}},
	{"ts/s3/basic", func() datafiler {
		return DefineDatasource("s3_events", DatasourceOptions{Schema: ts, Engine: mt("timestamp"), S3: &S3Config{Connection: s3Conn(), BucketURI: "s3://my-bucket/events/*.csv"}})
	}},
	{"ts/s3/schedule", func() datafiler {
		return DefineDatasource("s3_events", DatasourceOptions{Schema: ts, Engine: mt("timestamp"),
			S3: &S3Config{Connection: s3Conn(), BucketURI: "s3://my-bucket/events/*.csv", Schedule: "@auto", FromTimestamp: "2024-01-01T00:00:00Z"}})
	}},
	{"ts/gcs/import", func() datafiler {
		return DefineDatasource("gcs_events", DatasourceOptions{Schema: ts, Engine: mt("timestamp"), GCS: &GCSConfig{
			Connection: DefineGCSConnection("my_gcs", GCSConnectionOptions{ServiceAccountCredentialsJSON: Secret("GCS_SERVICE_ACCOUNT_CREDENTIALS_JSON")}),
			BucketURI:  "gs://my-bucket/events/*.csv", Schedule: "@auto", FromTimestamp: "2024-01-01T00:00:00Z",
		}})
	}},
	{"ts/dynamodb/import", func() datafiler {
		return DefineDatasource("dynamo_events", DatasourceOptions{
			Schema: Schema{Col("id", String()), Col("_record", String())},
			Engine: ReplacingMergeTree(ReplacingMergeTreeOptions{SortingKey: []string{"id"}}),
			DynamoDB: &DynamoDBConfig{
				Connection: DefineDynamoDBConnection("my_dynamo", DynamoDBConnectionOptions{Region: "us-east-1", ARN: Secret("DYNAMODB_ROLE_ARN")}),
				TableARN:   "arn:aws:dynamodb:us-east-1:123456789012:table/events", ExportBucket: "s3://my-export-bucket",
			},
		})
	}},
	{"ts/ds_tokens/inline", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{Tokens: []TokenAccess{{Name: "app_read", Permissions: []Scope{Read}}}})
	}},
	{"ts/ds_tokens/inline_multiple", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{Tokens: []TokenAccess{{Name: "app_token", Permissions: []Scope{Read, Append}}}})
	}},
	{"ts/ds_tokens/reference", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{Tokens: []TokenAccess{{Token: DefineToken("my_token"), Scope: Read}}})
	}},
	{"ts/ds_tokens/reference_append", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{Tokens: []TokenAccess{{Token: DefineToken("append_token"), Scope: Append}}})
	}},
	{"ts/ds_tokens/multiple", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{Tokens: []TokenAccess{{Token: DefineToken("read_token"), Scope: Read}, {Token: DefineToken("append_token"), Scope: Append}}})
	}},
	{"ts/ds_tokens/mixed", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{Tokens: []TokenAccess{{Name: "inline_token", Permissions: []Scope{Read}}, {Token: DefineToken("ref_token"), Scope: Append}}})
	}},
	{"ts/shared/single", func() datafiler { return ds1col("test_ds", DatasourceOptions{SharedWith: []string{"other_workspace"}}) }},
	{"ts/shared/multiple", func() datafiler {
		return ds1col("test_ds", DatasourceOptions{SharedWith: []string{"workspace_a", "workspace_b"}})
	}},
	{"ts/shared/none", func() datafiler { return ds1col("test_ds", DatasourceOptions{}) }},
	{"ts/shared/empty", func() datafiler { return ds1col("test_ds", DatasourceOptions{SharedWith: []string{}}) }},

	// ---- src/generator/pipe.test.ts ----
	{"ts/pipe/basic", func() datafiler { return ep("test_pipe", "SELECT * FROM table") }},
	{"ts/pipe/description", func() datafiler {
		return DefinePipe("test_pipe", PipeOptions{Description: "Test pipe description", Nodes: []Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: simpleOutput, Endpoint: &EndpointConfig{}})
	}},
	{"ts/pipe/type_endpoint", func() datafiler { return ep("test_pipe", "SELECT 1") }},
	// endpoint: false is the absence of Endpoint.
	{"ts/pipe/endpoint_false", func() datafiler {
		return DefinePipe("test_pipe", PipeOptions{Nodes: []Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: simpleOutput})
	}},
	{"ts/dynamic/int32", func() datafiler { return ep("test_pipe", "SELECT * FROM table WHERE id = {{Int32(id)}}") }},
	{"ts/dynamic/datetime", func() datafiler {
		return ep("test_pipe", "SELECT * FROM table WHERE timestamp >= {{DateTime(start_date)}}")
	}},
	{"ts/dynamic/none", func() datafiler { return ep("test_pipe", "SELECT * FROM table") }},
	{"ts/dynamic/curly_not_param", func() datafiler {
		return ep("test_pipe", "SELECT JSONExtract(data, 'field', 'String') FROM table")
	}},
	{"ts/dynamic/jinja_block", func() datafiler {
		return ep("test_pipe", "SELECT * FROM table {% if defined(filter) %} WHERE id = {{Int32(filter)}} {% end %}")
	}},
	{"ts/dynamic/jinja_only", func() datafiler {
		return ep("test_pipe", "SELECT * FROM table {% if true %} LIMIT 10 {% end %}")
	}},
	{"ts/dynamic/param_defaults", func() datafiler {
		return DefinePipe("defaults_pipe", PipeOptions{
			Params: Params{"start_date": DateParam().Default("2025-03-01"), "page": Int32Param().Default(0)},
			Nodes:  []Node{{Name: "endpoint", SQL: "SELECT * FROM events WHERE d >= {{Date(start_date)}} LIMIT 10 OFFSET {{Int32(page)}}"}},
			Output: simpleOutput, Endpoint: &EndpointConfig{},
		})
	}},
	{"ts/dynamic/helper_functions", func() datafiler {
		return DefinePipe("helper_params_pipe", PipeOptions{
			Params: Params{
				"siteIds": StringParam().Optional().Describe("Comma-separated list of framerSiteId. Only used for test isolation"),
				"groupBy": ColumnParam().Optional().Describe("Column to group by"),
			},
			Nodes:  []Node{{Name: "endpoint", SQL: "SELECT {{ column(groupBy) }}, {{ split_to_array(siteIds) }} AS site_ids FROM events"}},
			Output: simpleOutput, Endpoint: &EndpointConfig{},
		})
	}},
	{"ts/nodes/multiple", func() datafiler {
		return DefinePipe("test_pipe", PipeOptions{Nodes: []Node{{Name: "first", SQL: "SELECT * FROM table1"}, {Name: "second", SQL: "SELECT * FROM first"}}, Output: simpleOutput, Endpoint: &EndpointConfig{}})
	}},
	{"ts/nodes/description", func() datafiler {
		return DefinePipe("test_pipe", PipeOptions{Nodes: []Node{{Name: "endpoint", Description: "This is a test node", SQL: "SELECT 1"}}, Output: simpleOutput, Endpoint: &EndpointConfig{}})
	}},
	{"ts/endpoint/cache", func() datafiler {
		return DefinePipe("test_pipe", PipeOptions{Nodes: []Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: simpleOutput,
			Endpoint: &EndpointConfig{Cache: &CacheConfig{Enabled: true, TTL: 300 * time.Second}}})
	}},
	{"ts/endpoint/cache_default_ttl", func() datafiler {
		return DefinePipe("test_pipe", PipeOptions{Nodes: []Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: simpleOutput,
			Endpoint: &EndpointConfig{Cache: &CacheConfig{Enabled: true}}})
	}},
	{"ts/endpoint/required_description", func() datafiler {
		return DefinePipe("account_demos", PipeOptions{
			Params: Params{
				"id":          StringParam().Required().Describe("The company account ID"),
				"workspaceId": StringParam().Required().Describe("The workspace ID"),
			},
			Nodes:  []Node{{Name: "endpoint", SQL: "SELECT *\nFROM events\nWHERE workspaceId = {{ String(workspaceId) }}\n  AND companyAccountId = {{ String(id) }}"}},
			Output: simpleOutput, Endpoint: &EndpointConfig{},
		})
	}},
	{"ts/endpoint/no_duplicate_args", func() datafiler {
		return DefinePipe("test_pipe", PipeOptions{
			Params: Params{"limit": Int32Param().Default(10).Describe("Number of rows")},
			Nodes:  []Node{{Name: "endpoint", SQL: `SELECT * FROM events LIMIT {{ Int32(limit, 10, description="Existing") }}`}},
			Output: simpleOutput, Endpoint: &EndpointConfig{},
		})
	}},
	{"ts/endpoint/column_param", func() datafiler {
		return DefinePipe("visitor_filters", PipeOptions{
			Params: Params{"orderBy": ColumnParam().Default("lastSeen").Describe("Column used for sorting")},
			Nodes:  []Node{{Name: "endpoint", SQL: "SELECT * FROM visitors ORDER BY {{ column(orderBy) }}"}},
			Output: simpleOutput, Endpoint: &EndpointConfig{},
		})
	}},
	{"ts/endpoint/define_endpoint", func() datafiler {
		return DefineEndpoint("test_endpoint", EndpointOptions{
			Params: Params{"workspaceId": StringParam().Required().Describe("The workspace ID")},
			Nodes:  []Node{{Name: "endpoint", SQL: "SELECT * FROM events WHERE workspaceId = {{ String(workspaceId) }}"}},
			Output: simpleOutput,
		})
	}},
	{"ts/all/pipe1", func() datafiler { return ep("pipe1", "SELECT 1") }},
	{"ts/all/pipe2", func() datafiler { return ep("pipe2", "SELECT 2") }},
	{"ts/pipe/full", func() datafiler {
		return DefinePipe("top_pages", PipeOptions{
			Description: "Get the most visited pages",
			Params:      Params{"start_date": DateTimeParam(), "end_date": DateTimeParam(), "limit": Int32Param().Default(10)},
			Nodes:       []Node{{Name: "aggregated", SQL: "SELECT\n  pathname,\n  count() AS views\nFROM page_views\nWHERE timestamp >= {{DateTime(start_date)}}\n  AND timestamp <= {{DateTime(end_date)}}\nGROUP BY pathname\nORDER BY views DESC\nLIMIT {{Int32(limit, 10)}}"}},
			Output:      Schema{Col("pathname", String()), Col("views", UInt64())},
			Endpoint:    &EndpointConfig{},
		})
	}},
	{"ts/mv/type", func() datafiler {
		return DefinePipe("sales_by_hour_mv", PipeOptions{Nodes: []Node{{Name: "daily_sales", SQL: salesSQL}}, Output: salesOutput(), Materialized: &MaterializedConfig{Datasource: salesByHour()}})
	}},
	{"ts/mv/alter", func() datafiler {
		return DefinePipe("sales_by_hour_mv", PipeOptions{Nodes: []Node{{Name: "daily_sales", SQL: salesSQL}}, Output: salesOutput(), Materialized: &MaterializedConfig{Datasource: salesByHour(), DeploymentMethod: DeployAlter}})
	}},
	{"ts/mv/no_deployment_method", func() datafiler {
		return DefinePipe("sales_by_hour_mv", PipeOptions{Nodes: []Node{{Name: "daily_sales", SQL: salesSQL}}, Output: salesOutput(), Materialized: &MaterializedConfig{Datasource: salesByHour()}})
	}},
	{"ts/mv/full", func() datafiler {
		return DefinePipe("sales_by_hour_mv", PipeOptions{
			Description:  "Aggregate sales per hour",
			Nodes:        []Node{{Name: "daily_sales", SQL: "SELECT\n  toStartOfDay(starting_date) as day,\n  country,\n  sum(sales) as total_sales\nFROM teams\nGROUP BY day, country"}},
			Output:       salesOutput(),
			Materialized: &MaterializedConfig{Datasource: salesByHour(), DeploymentMethod: DeployAlter},
		})
	}},
	{"ts/mv/define_materialized_view", func() datafiler {
		return DefineMaterializedView("sales_mv", MaterializedViewOptions{
			Description: "Sales materialized view", Datasource: salesByHour(),
			Nodes:            []Node{{Name: "daily_sales", SQL: "SELECT toStartOfDay(date) as day, country, sum(sales) as total_sales FROM events GROUP BY day, country"}},
			DeploymentMethod: DeployAlter,
		})
	}},
	{"ts/mv/datasource_field", func() datafiler {
		return DefinePipe("sales_by_hour_mv_2", PipeOptions{Nodes: []Node{{Name: "daily_sales", SQL: salesSQL}}, Output: salesOutput(), Materialized: &MaterializedConfig{Datasource: salesByHour()}})
	}},
	{"ts/sink/kafka", func() datafiler {
		return DefineSinkPipe("events_sink", SinkPipeOptions{Nodes: []Node{{Name: "publish", SQL: "SELECT * FROM events"}},
			Kafka: &KafkaSinkConfig{Connection: DefineKafkaConnection("events_kafka", KafkaConnectionOptions{BootstrapServers: "localhost:9092"}), Topic: "events_out", Schedule: "@on-demand"}})
	}},
	{"ts/sink/s3", func() datafiler {
		return DefineSinkPipe("events_s3_sink", SinkPipeOptions{Nodes: []Node{{Name: "export", SQL: "SELECT * FROM events"}},
			S3: &S3SinkConfig{
				Connection: DefineS3Connection("exports_s3", S3ConnectionOptions{Region: "us-east-1", ARN: "arn:aws:iam::123456789012:role/tinybird-s3-access"}),
				BucketURI:  "s3://bucket/events/", FileTemplate: "events_{date}", Format: "csv", Schedule: "@once", Compression: CompressionGzip, Strategy: SinkReplace,
			}})
	}},
	{"ts/pipe_tokens/inline", func() datafiler { return ep("test_pipe", "SELECT 1", TokenAccess{Name: "app_read"}) }},
	{"ts/pipe_tokens/reference", func() datafiler {
		return ep("test_pipe", "SELECT 1", TokenAccess{Token: DefineToken("my_token"), Scope: Read})
	}},
	{"ts/pipe_tokens/multiple", func() datafiler {
		return ep("test_pipe", "SELECT 1", TokenAccess{Token: DefineToken("token_one"), Scope: Read}, TokenAccess{Token: DefineToken("token_two"), Scope: Read})
	}},
	{"ts/pipe_tokens/mixed", func() datafiler {
		return ep("test_pipe", "SELECT 1", TokenAccess{Name: "inline_token"}, TokenAccess{Token: DefineToken("ref_token"), Scope: Read})
	}},

	// ---- beyond the TypeScript tests ----
	{"x/types/all", func() datafiler {
		return DefineDatasource("all_types", DatasourceOptions{Schema: Schema{
			Col("s", String()), Col("fs", FixedString(16)), Col("u", UUID()),
			Col("i8", Int8()), Col("i16", Int16()), Col("i32", Int32()), Col("i64", Int64()), Col("i128", Int128()), Col("i256", Int256()),
			Col("u8", UInt8()), Col("u16", UInt16()), Col("u32", UInt32()), Col("u64", UInt64()), Col("u128", UInt128()), Col("u256", UInt256()),
			Col("f32", Float32()), Col("f64", Float64()), Col("dec", Decimal(18, 4)), Col("b", Bool()),
			Col("d", Date()), Col("d32", Date32()), Col("dt", DateTime()), Col("dt_tz", DateTimeTZ("Europe/Madrid")),
			Col("dt64", DateTime64(3)), Col("dt64_6", DateTime64TZ(6, "UTC")),
			Col("arr", Array(Array(Int32().Nullable()))), Col("tup", Tuple(String(), UInt8(), Float64())),
			Col("m", Map(String(), Array(UInt64()))), Col("j", JSON()),
			Col("e8", Enum8("a", "b'c", "d")), Col("e16", Enum16("x")),
			Col("ip4", IPv4()), Col("ip6", IPv6()),
			Col("sa", SimpleAggregateFunction("max", DateTime())),
			Col("af0", AggregateFunction("count")), Col("af1", AggregateFunction("uniq", String())),
			Col("af2", AggregateFunction("quantiles(0.5, 0.9)", Float64(), UInt8())),
			Col("lcn", String().LowCardinality().Nullable().Nullable()),
			Col("nlc", String().Nullable().LowCardinality().LowCardinality()),
		}})
	}},
	{"x/types/modifiers", func() datafiler {
		return DefineDatasource("modifiers", DatasourceOptions{
			Description: "line one\nline two",
			Schema: Schema{
				Col("a", UInt32().Default(0).Codec("Delta, ZSTD(1)")),
				Col("b", String().DefaultExpr("  lower(a)  ").JSONPath("$.nested.b")),
				{Name: "c", Type: String().JSONPath("$.ignored"), JSONPath: "$.c_override"},
				Col("d", Float64().Default(1e21)),
				Col("e", Float64().Default(0.1)),
				Col("f", Float64().Default(negZero())),
				Col("g", Float64().Default(1.5e-7)),
				Col("h", Int64().Default(int64(-123456789012))),
				Col("i", String().Default(`back\slash 'q' $&`)),
				Col("j", DateTime().Default(time.Date(2024, 1, 15, 10, 30, 5, 120e6, time.UTC))),
				Col("k", Date().Default(time.Date(2024, 1, 15, 23, 59, 0, 0, time.UTC))),
				Col("l", DateTime64(3).Default(time.Date(2001, 9, 9, 1, 46, 40, 0, time.UTC))),
				Col("m", JSON().Default(map[string]any{"a": []any{1, 2.5, "x<y>&\u2028"}, "b": map[string]any{"c": nil, "d": true}})),
				Col("n", Array(Float64()).Default([]float64{})),
				Col("o", String().Default("x").DefaultExpr("now()")),
				Col("q", String().DefaultExpr("now()").Default("y")),
				Col("r", Float64().Default(123456789.125)),
				Col("s", Float64().Default(1e-7)),
				Col("u", Float64().Default(100.0)),
			},
			Engine: MergeTree(MergeTreeOptions{SortingKey: []string{"a"}, PrimaryKey: []string{"a"},
				Settings: map[string]any{"index_granularity": 8192, "merge_with_ttl_timeout": 3600, "storage_policy": "it's", "allow_nullable_key": true}}),
			ForwardQuery: "\n  SELECT a,\r\n  b\n  FROM x  \n",
			Tokens:       []TokenAccess{{Name: "ingest", Permissions: []Scope{Append, Read}}},
		})
	}},
	{"x/engines/replacing", func() datafiler {
		return DefineDatasource("replacing", DatasourceOptions{Schema: Schema{Col("id", String()), Col("v", UInt64()), Col("del", UInt8())},
			Engine: ReplacingMergeTree(ReplacingMergeTreeOptions{SortingKey: []string{"id"}, PartitionKey: "tuple()", TTL: "now()", Ver: "v", IsDeleted: "del"})})
	}},
	{"x/engines/summing", func() datafiler {
		return DefineDatasource("summing", DatasourceOptions{Schema: Schema{Col("k", String()), Col("n", UInt64()), Col("m", UInt64())},
			Engine: SummingMergeTree(SummingMergeTreeOptions{SortingKey: []string{"k"}, Columns: []string{"n", "m"}})})
	}},
	{"x/engines/summing_no_columns", func() datafiler {
		return DefineDatasource("summing2", DatasourceOptions{Schema: Schema{Col("k", String()), Col("n", UInt64())},
			Engine: SummingMergeTree(SummingMergeTreeOptions{SortingKey: []string{"k"}, Columns: []string{}})})
	}},
	{"x/engines/collapsing", func() datafiler {
		return DefineDatasource("collapsing", DatasourceOptions{Schema: Schema{Col("k", String()), Col("sign", Int8())},
			Engine: CollapsingMergeTree(CollapsingMergeTreeOptions{SortingKey: []string{"k"}, Sign: "sign"})})
	}},
	{"x/engines/versioned", func() datafiler {
		return DefineDatasource("versioned", DatasourceOptions{Schema: Schema{Col("k", String()), Col("sign", Int8()), Col("ver", UInt32())},
			Engine: VersionedCollapsingMergeTree(VersionedCollapsingMergeTreeOptions{SortingKey: []string{"k"}, Sign: "sign", Version: "ver", PrimaryKey: []string{"k"}})})
	}},
	{"x/engines/aggregating_settings", func() datafiler {
		return DefineDatasource("agg", DatasourceOptions{Schema: Schema{Col("k", String()), Col("c", AggregateFunction("count"))},
			Engine: AggregatingMergeTree(MergeTreeOptions{SortingKey: []string{"k"}, Settings: map[string]any{"a": false, "b": 1.5}})})
	}},
	{"x/params/escaping", func() datafiler {
		return DefineEndpoint("params_escaping", EndpointOptions{
			Description: "Params: every rewrite rule",
			Params: Params{
				"q":         StringParam().Default("it's a \\ $& $$ $` $' test"),
				"desc":      StringParam().Describe("Say \"hi\" <b>&amp;</b>\n\ttab \u2028"),
				"n":         Float64Param().Default(0.5),
				"big":       UInt64Param().Default(1e21),
				"flag":      BooleanParam().Default(true),
				"day":       DateParam().Default("2024-01-01").Describe("Day"),
				"ids":       ArrayParam(Int32Param()).Optional().Describe("IDs"),
				"col":       ColumnParam().Default("ts"),
				"req":       Int32Param().Required(),
				"plain":     Int32Param(),
				"described": Int32Param().Describe("only a description"),
			},
			Nodes: []Node{
				{Name: "first", Description: "First node", SQL: "SELECT {{ String(q) }}, {{String(desc)}}, {{ Float64(n) }}\n  , {{UInt64(big)}}, {{ Boolean( flag ) }}, {{ Date(day, '2020-01-01') }}, {{ Date(day, default='2020-01-01') }}"},
				{Name: "second", SQL: "SELECT * FROM first WHERE id IN {{ Array(ids, 'Int32') }} ORDER BY {{column(col)}} LIMIT {{ Int32(req, required=True) }} OFFSET {{ Int32(plain) }} + {{ Int32(described) }} + {{ Int32(unknown) }} + {{ String(col) }} + {{ defined(q) }} + {{ String(q, Required=False) }} + {{ Int32(req) }} + {{ String(q, 'x', description=\"d\") }}"},
				{Name: "third", SQL: "\n\n  SELECT 1 {% if defined(q) %} , {{String(q)}} {% end %}\n\n"},
			},
			Output: Schema{Col("x", String())},
			Cache:  &CacheConfig{Enabled: true, TTL: 5 * time.Second},
			Tokens: []TokenAccess{{Name: "reader"}, {Token: DefineToken("app_read"), Scope: Read}},
		})
	}},
	{"x/params/no_params_object", func() datafiler {
		return DefinePipe("plain_pipe", PipeOptions{Nodes: []Node{{Name: "n", SQL: "SELECT {{ Int32(x) }}"}}})
	}},
	{"x/endpoint/cache_disabled", func() datafiler {
		return DefineEndpoint("cache_off", EndpointOptions{Nodes: []Node{{Name: "endpoint", SQL: "SELECT 1"}}, Output: simpleOutput, Cache: &CacheConfig{Enabled: false, TTL: 30 * time.Second}})
	}},
	{"x/copy/full", func() datafiler {
		return DefineCopyPipe("copy_sales", CopyPipeOptions{Description: "Daily snapshot", Datasource: salesByHour(),
			Nodes: []Node{{Name: "snapshot", SQL: "SELECT * FROM sales_by_hour"}}, Mode: CopyReplace, Schedule: "0 * * * *", Tokens: []TokenAccess{{Name: "copier"}}})
	}},
	{"x/copy/minimal", func() datafiler {
		return DefineCopyPipe("copy_min", CopyPipeOptions{Datasource: salesByHour(), Nodes: []Node{{Name: "snapshot", SQL: "SELECT * FROM sales_by_hour"}}})
	}},
	{"x/copy/define_pipe", func() datafiler {
		return DefinePipe("copy_via_pipe", PipeOptions{Nodes: []Node{{Name: "snapshot", SQL: "SELECT 1"}}, Copy: &CopyConfig{Datasource: salesByHour(), Mode: CopyAppend}})
	}},
	{"x/mv/helper_tokens", func() datafiler {
		return DefineMaterializedView("mv_tokens", MaterializedViewOptions{Datasource: salesByHour(), Nodes: []Node{{Name: "agg", SQL: salesSQL}},
			Tokens: []TokenAccess{{Token: DefineToken("mv_reader"), Scope: Read}}})
	}},
	{"x/sink/s3_minimal", func() datafiler {
		return DefineSinkPipe("s3_min", SinkPipeOptions{Nodes: []Node{{Name: "export", SQL: "SELECT 1"}}, S3: &S3SinkConfig{
			Connection: DefineS3Connection("keys_s3", S3ConnectionOptions{Region: "eu-west-1", AccessKey: "AK", Secret: Secret("S3_SECRET")}),
			BucketURI:  "s3://b/", FileTemplate: "f", Format: "ndjson", Schedule: "@on-demand",
		}})
	}},
	{"x/kafka/store_raw_false", func() datafiler {
		return DefineDatasource("kafka_raw", DatasourceOptions{Schema: Schema{Col("v", String())},
			Kafka: &KafkaConfig{Connection: kafkaConn(), Topic: "t", StoreRawValue: ptr(false), AutoOffsetReset: "latest"}})
	}},
	{"x/conn/kafka_full", func() datafiler {
		return DefineKafkaConnection("kafka_full", KafkaConnectionOptions{
			BootstrapServers: "b1:9092,b2:9092", SecurityProtocol: "SASL_SSL", SASLMechanism: "OAUTHBEARER",
			SASLOauthbearerMethod: "AWS", SASLOauthbearerAWSRegion: "us-east-1", SASLOauthbearerAWSRoleARN: "arn:aws:iam::1:role/r",
			SASLOauthbearerAWSExternalID: "ext", Key: "k", Secret: Secret("KAFKA_SECRET"), SchemaRegistryURL: "https://registry",
			SSLCAPem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
		})
	}},
	{"x/conn/kafka_min", func() datafiler {
		return DefineKafkaConnection("kafka_min", KafkaConnectionOptions{BootstrapServers: "localhost:9092", SSLCAPem: "single-line-pem"})
	}},
	{"x/conn/s3_arn", func() datafiler { return s3Conn() }},
	{"x/conn/s3_keys", func() datafiler {
		return DefineS3Connection("s3_keys", S3ConnectionOptions{Region: "us-east-1", AccessKey: "AKIA", Secret: "shh"})
	}},
	{"x/conn/gcs", func() datafiler {
		return DefineGCSConnection("gcs", GCSConnectionOptions{ServiceAccountCredentialsJSON: Secret("GCS_JSON")})
	}},
	{"x/conn/dynamodb", func() datafiler {
		return DefineDynamoDBConnection("dynamo", DynamoDBConnectionOptions{Region: "us-east-1", ARN: "arn:aws:iam::1:role/d"})
	}},
}

// negZero is -0.0, which Go constants cannot spell.
func negZero() float64 {
	z := 0.0
	return -z
}

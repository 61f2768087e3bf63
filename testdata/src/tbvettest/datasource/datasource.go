// Package datasource holds datasource schemas with mistakes for the
// datasource analyzer, and the same schemas written correctly.
package datasource

import (
	"example.com/tbvettest/consts"
	. "github.com/tbls-dev/tbls/tinybird"
	tb "github.com/tbls-dev/tbls/tinybird"
)

var Empty = tb.DefineDatasource("empty", tb.DatasourceOptions{}) // want `^TB501 Datasource "empty" has no columns`

// no diagnostic: a name that is not constant leaves the message without a name.
var dynamicName = tb.DefineDatasource(name(), tb.DatasourceOptions{})

func name() string { return "dyn" }

var Columns = tb.DefineDatasource("columns", tb.DatasourceOptions{
	Schema: tb.Schema{
		tb.Col("id", tb.String()),
		tb.Col("id", tb.UInt64()),                         // want `^TB503 Column "id" appears twice in Schema`
		tb.Col("", tb.String()),                           // want `^TB502 Schema column 2 has no name`
		{Name: "untyped"},                                 // want `^TB504 Column "untyped" has no type`
		tb.Col("user-agent", tb.String()),                 // want `^TB505 Invalid column name: "user-agent"`
		tb.Col("tags", tb.Array(tb.String()).Nullable()),  // want `^TB506 Column "tags" has an invalid ClickHouse type "Nullable\(Array\(String\)\)": nested type Array\(String\) cannot be inside Nullable type`
		tb.Col("t", tb.DateTime64(12)),                    // want `^TB506 .*DateTime64 precision 12 is out of range`
		tb.Col("code", tb.FixedString(0)),                 // want `^TB506 .*FixedString takes one positive length`
		tb.Col("p", tb.String().JSONPath("payload.id")),   // want `^TB508 Column "p" has an invalid JSON path "payload.id"`
		{Name: "q", Type: tb.String(), JSONPath: "$.a b"}, // want `^TB508 Column "q" has an invalid JSON path`
		tb.Col("d", tb.String().DefaultExpr(" ")),         // want `^TB507 Column "d": Default expression cannot be empty.`
		tb.Col("e", Enum8()),                              // want `^TB506 .*Enum8 needs at least one value`
	},
})

// no diagnostic: valid columns, and values that are not constant.
var Fine = tb.DefineDatasource("fine", tb.DatasourceOptions{
	Schema: tb.Schema{
		tb.Col("id", tb.String().LowCardinality().Nullable()),
		tb.Col("tags", tb.Array(tb.String().Nullable())),
		tb.Col(colName(), tb.String()),
		tb.Col(colName(), tb.String()),
		tb.Col("dyn", typ()),
		tb.Col("p", tb.String().JSONPath("$.payload['id']")),
		tb.Col("m", tb.Map(tb.String(), tb.Array(tb.UInt64()))),
		tb.Col("dec", tb.Decimal(18, 4)),
		tb.Col("t", tb.DateTime64TZ(3, "UTC")),
		tb.Col("agg", tb.AggregateFunction("quantiles(0.5, 0.9)", tb.Float64())),
		tb.Col("d", tb.String().DefaultExpr("generateUUIDv4()")),
	},
})

func colName() string { return "x" }
func typ() tb.Type    { return tb.String() }

// Omitted JSON paths are not written, so not judged.
var NoPaths = tb.DefineDatasource("no_paths", tb.DatasourceOptions{
	Schema:        tb.Schema{tb.Col("p", tb.String().JSONPath("payload"))},
	OmitJSONPaths: true,
})

var cols = tb.Schema{
	tb.Col("timestamp", tb.DateTime()),
	tb.Col("org", tb.String().Nullable()),
	tb.Col("id", tb.String()),
	tb.Col("ver", tb.String()),
	tb.Col("sign", tb.UInt8()),
}

var SortingKey = tb.DefineDatasource("sorting_key", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{
		SortingKey:   []string{"timestmap", "id"}, // want `^TB510 Sorting key names column "timestmap", which the schema does not have. Did you mean "timestamp"\?`
		PartitionKey: "toYYYYMM(tiemstamp)",       // want `^TB510 Partition key names column "tiemstamp"`
		TTL:          "timestamp + INTERVAL 1 DAY",
	}),
})

var Expression = tb.DefineDatasource("expression", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"toDate(timestmap)"}}), // want `^TB510 Sorting key names column "timestmap"`
})

// A constant from another package is checked, but not edited.
var Constant = tb.DefineDatasource("constant", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{consts.SortColumn}}), // want `^TB510 Sorting key names column "timestmap"`
})

var PrimaryKey = tb.DefineDatasource("primary_key", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"id", "timestamp"}, PrimaryKey: []string{"timestamp"}}), // want `^TB511 Primary key must be a prefix of the sorting key`
})

var NullableKey = tb.DefineDatasource("nullable_key", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"id", "org"}}), // want `^TB512 Sorting key contains nullable column "org"`
})

// no diagnostic: allow_nullable_key is set.
var NullableAllowed = tb.DefineDatasource("nullable_allowed", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"org"}, Settings: map[string]any{"allow_nullable_key": 1}}),
})

var engine = tb.ReplacingMergeTree(tb.ReplacingMergeTreeOptions{SortingKey: []string{"id"}, Ver: "ver"}) // want `^TB513 Ver column "ver" has type String`

// The engine in a variable is checked with the schema it is used with.
var Replacing = tb.DefineDatasource("replacing", tb.DatasourceOptions{Schema: cols, Engine: engine})

var Collapsing = DefineDatasource("collapsing", DatasourceOptions{
	Schema: cols,
	Engine: CollapsingMergeTree(CollapsingMergeTreeOptions{SortingKey: []string{"id"}, Sign: "sign"}), // want `^TB513 Sign column "sign" has type UInt8, but Sign must be Int8`
})

var NoSign = tb.DefineDatasource("no_sign", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.CollapsingMergeTree(tb.CollapsingMergeTreeOptions{SortingKey: []string{"id"}}), // want `^TB514 CollapsingMergeTree needs Sign`
})

var Settings = tb.DefineDatasource("settings", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"id"}, Settings: map[string]any{
		"index_granularity": []int{8192}, // want `^TB515 Engine setting "index_granularity" has a value of type \[\]int`
		"ok":                8192,
	}}),
})

// no diagnostic: keys that are not constant, a broken schema, expressions.
var Unknown = tb.DefineDatasource("unknown", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: keys(), PartitionKey: "toYYYYMM(timestamp)", TTL: "toDateTime(timestamp) + toIntervalDay(1) DELETE WHERE id = 'x'"}),
})

var Lambda = tb.DefineDatasource("lambda", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"arrayMap(x -> x, tags)", "tuple()"}}),
})

var Unknowable = tb.DefineDatasource("unknowable", tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("a", typ())},
	Engine: tb.ReplacingMergeTree(tb.ReplacingMergeTreeOptions{SortingKey: []string{"a"}, Ver: "a"}),
})

func keys() []string { return []string{"nope"} }

var Indexes = tb.DefineDatasource("indexes", tb.DatasourceOptions{
	Schema: cols,
	Indexes: []tb.Index{
		{Name: "by id", Expr: "id", Type: "bloom_filter", Granularity: 4}, // want `^TB520 Invalid datasource index name: "by id"`
		{Name: "ix", Expr: "id", Type: "set(100)"},                        // want `^TB520 Invalid datasource index "ix": granularity must be a positive integer.`
		{Name: "fine", Expr: "id", Type: "set(100)", Granularity: 1},
	},
})

var Broker = tb.DefineKafkaConnection("broker", tb.KafkaConnectionOptions{BootstrapServers: "b:9092"})

var Landing = tb.DefineS3Connection("landing", tb.S3ConnectionOptions{Region: "us-east-1"}) // want `^TB540 S3 connection requires either`

// no diagnostic: a secret is not empty.
var Landing2 = tb.DefineS3Connection("landing2", tb.S3ConnectionOptions{Region: "us-east-1", ARN: tb.Secret("S3_ARN")})

var Dynamo = tb.DefineDynamoDBConnection("dynamo", tb.DynamoDBConnectionOptions{ARN: "arn"}) // want `^TB540 DynamoDB connection .region. is required.`

var Ingestion = tb.DefineDatasource("ingestion", tb.DatasourceOptions{
	Schema:   cols,
	Kafka:    &tb.KafkaConfig{Topic: "events"},                              // want `^TB531 Kafka ingestion has no Connection`
	S3:       &tb.S3Config{Connection: Landing2, BucketURI: "s3://b/*.csv"}, // want `^TB530 Datasource can only define one ingestion option`
	Backfill: "none",                                                        // want `^TB532 Unknown Backfill "none"`
})

// no diagnostic: one ingestion with its connection.
var Ingest = tb.DefineDatasource("ingest", tb.DatasourceOptions{
	Schema:   cols,
	Kafka:    &tb.KafkaConfig{Connection: Broker, Topic: "events"},
	Backfill: tb.BackfillSkip,
})

// no diagnostic: Tinybird adds __timestamp (and the other __ columns) to a
// Kafka datasource, and its own examples key on it.
var KafkaKeyed = tb.DefineDatasource("kafka_keyed", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"__timestamp"}}),
	Kafka:  &tb.KafkaConfig{Connection: Broker, Topic: "events"},
})

// Without Kafka, __timestamp is no column of the datasource.
var NotKafka = tb.DefineDatasource("not_kafka", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"__timestamp"}}), // want `^TB510 Sorting key names column "__timestamp"`
})

// Options in a variable are checked where they are written.
var opts = tb.DatasourceOptions{
	Schema: tb.Schema{tb.Col("a", tb.String()), tb.Col("a", tb.String())}, // want `^TB503 Column "a" appears twice`
}

var FromVar = tb.DefineDatasource("from_var", opts)

// A schema shared by two datasources is reported once.
var sharedCols = tb.Schema{tb.Col("x", tb.String()), tb.Col("x", tb.String())} // want `^TB503 Column "x" appears twice`

var Shared1 = tb.DefineDatasource("shared1", tb.DatasourceOptions{Schema: sharedCols})
var Shared2 = tb.DefineDatasource("shared2", tb.DatasourceOptions{Schema: sharedCols})

// no diagnostic: a primary key that is a prefix of the sorting key, and a
// Nullable column keyed through an expression.
var Prefix = tb.DefineDatasource("prefix", tb.DatasourceOptions{
	Schema: cols,
	Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"id", "ifNull(org, '')", "timestamp"}, PrimaryKey: []string{"id", "ifNull(org,'')"}}),
})

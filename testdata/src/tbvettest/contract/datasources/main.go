// Command datasources defines datasources with mistakes, all from
// constants, and prints what Validate finds: the run-time side of the
// analyzers' contract test.
package main

import (
	"fmt"

	"example.com/tbvettest/consts"
	. "github.com/tbls-dev/tbls/tinybird"
	tb "github.com/tbls-dev/tbls/tinybird"
)

var cols = tb.Schema{
	tb.Col("timestamp", tb.DateTime()),
	tb.Col("org", tb.String().LowCardinality().Nullable()),
	tb.Col("id", tb.String()),
	tb.Col("ver", tb.Float64().Nullable()),
	tb.Col("sign", tb.Int16()),
	tb.Col("deleted", tb.UInt16()),
}

var replacing = tb.ReplacingMergeTree(tb.ReplacingMergeTreeOptions{
	SortingKey: []string{"id", consts.SortColumn},
	PrimaryKey: []string{"id", "org"},
	Ver:        "ver",
	IsDeleted:  "deleted",
})

var opts = DatasourceOptions{Schema: cols, Engine: replacing, Backfill: "later"}

var (
	Empty   = tb.DefineDatasource("empty", tb.DatasourceOptions{Schema: tb.Schema{}})
	Columns = tb.DefineDatasource("columns", tb.DatasourceOptions{
		Schema: Schema{
			Col("a", String()), Col("a", String()), Col("", UInt8()), {Name: "no_type"},
			Col("9lives", String()), Col("ip", IPv4().Nullable().LowCardinality()),
			Col("dec", Decimal(80, 2)), Col("fs", FixedString(-1)), Col("m", Map(String().Nullable(), UInt8())),
			Col("t", Tuple(String(), Array(UInt8()).Nullable())), Col("e", Enum16()),
			Col("d", Date().DefaultExpr("\t")), {Name: "j", Type: String(), JSONPath: "$..x"},
			Col("k", String().JSONPath("$.a,b")),
		},
	})
	Eng      = DefineDatasource("engine", opts)
	Versions = tb.DefineDatasource("versions", tb.DatasourceOptions{
		Schema: cols,
		Engine: tb.VersionedCollapsingMergeTree(tb.VersionedCollapsingMergeTreeOptions{
			SortingKey: []string{"(id, toStartOfHour(timestmap))"}, PartitionKey: "org", TTL: "timestamp + INTERVAL 30 DAY",
			Sign: "sign", Version: "id",
		}),
	})
	Summing = tb.DefineDatasource("summing", tb.DatasourceOptions{
		Schema:  cols,
		Engine:  tb.SummingMergeTree(tb.SummingMergeTreeOptions{SortingKey: []string{"id"}, Columns: []string{"vers"}, Settings: map[string]any{"x": nil}}),
		Indexes: []tb.Index{{Name: "", Expr: "id", Type: "set(1)", Granularity: 1}, {Name: "ix", Expr: "id", Type: " ", Granularity: 1}},
	})
	NoVersion = tb.DefineDatasource("no_version", tb.DatasourceOptions{
		Schema: cols,
		Engine: tb.VersionedCollapsingMergeTree(tb.VersionedCollapsingMergeTreeOptions{SortingKey: []string{"id"}}),
	})
	Kafka  = tb.DefineKafkaConnection("kafka", tb.KafkaConnectionOptions{BootstrapServers: "b:9092"})
	GCS    = tb.DefineGCSConnection("gcs", tb.GCSConnectionOptions{ServiceAccountCredentialsJSON: "  "})
	S3     = tb.DefineS3Connection("s3", tb.S3ConnectionOptions{Region: "r", ARN: "arn", Secret: "s"})
	Dyn    = tb.DefineDynamoDBConnection("dyn", tb.DynamoDBConnectionOptions{Region: "r"})
	Ingest = tb.DefineDatasource("ingest", tb.DatasourceOptions{
		Schema:   cols,
		GCS:      &tb.GCSConfig{Connection: GCS, BucketURI: "gs://b/*.csv"},
		DynamoDB: &tb.DynamoDBConfig{TableARN: "t", ExportBucket: "e"},
		S3:       &tb.S3Config{BucketURI: "s3://b/*.csv"},
	})
	// Valid, so that nothing is reported for it on either side.
	Fine = tb.DefineDatasource("fine", tb.DatasourceOptions{
		Schema: cols,
		Engine: tb.MergeTree(tb.MergeTreeOptions{SortingKey: []string{"id", "timestamp"}, PartitionKey: "toYYYYMM(timestamp)", PrimaryKey: []string{"id"}}),
		Kafka:  &tb.KafkaConfig{Connection: Kafka, Topic: "t"},
	})
)

func main() {
	err := tb.DefineProject(tb.ProjectOptions{
		Datasources: []*tb.Datasource{Empty, Columns, Eng, Versions, Summing, NoVersion, Ingest, Fine},
		Connections: []tb.Connection{S3, Dyn},
	}).Validate()
	if err != nil {
		fmt.Println(err)
	}
}

package rules

// Columns Tinybird adds to a datasource that a connector fills: they are not
// in its SCHEMA, yet engine keys and queries may name them.
//
// Source: Tinybird documentation, "Kafka connector" (classic and Forward):
// every Kafka datasource has the meta columns __value, __topic,
// __partition, __offset, __timestamp and __key, and __headers when
// KAFKA_STORE_HEADERS is set; "DynamoDB connector": a DynamoDB datasource
// has _record, _old_record, _timestamp, _event_type and _is_deleted, and
// is a ReplacingMergeTree on _timestamp and _is_deleted. Tinybird's own
// examples key such datasources on __timestamp and _timestamp. The
// BigQuery and Snowflake connectors add insertion_date: files pulled from
// Tinybird (tinybirdco/ecommerce-svelte's sf_prods.datasource) key on it
// without declaring it.
//
// A datasource connected in Tinybird's UI, or whose connection settings
// come from an INCLUDE, has no connector directive to tell, and a pulled
// file omits them: when the connector is unknown, every connector's columns
// may exist.

// Connectors that add columns.
const (
	ConnectorKafka     = "kafka"
	ConnectorDynamoDB  = "dynamodb"
	ConnectorBigQuery  = "bigquery"
	ConnectorSnowflake = "snowflake"
	// ConnectorUnknown is a datasource whose connector, if any, is not
	// known.
	ConnectorUnknown = ""
	// ConnectorNone is a datasource known to have no connector that adds
	// columns (a Go datasource without Kafka or DynamoDB options).
	ConnectorNone = "none"
)

var connectorColumns = map[string][]Column{
	ConnectorKafka: {
		{Name: "__value", Type: "String"},
		{Name: "__topic", Type: "LowCardinality(String)"},
		{Name: "__partition", Type: "Int16"},
		{Name: "__offset", Type: "Int64"},
		{Name: "__timestamp", Type: "DateTime"},
		{Name: "__key", Type: "String"},
		{Name: "__headers", Type: "Map(String, String)"},
	},
	ConnectorDynamoDB: {
		{Name: "_record", Type: "String"},
		{Name: "_old_record", Type: "Nullable(String)"},
		{Name: "_timestamp", Type: "DateTime64(3)"},
		{Name: "_event_type", Type: "LowCardinality(String)"},
		{Name: "_is_deleted", Type: "UInt8"},
	},
	ConnectorBigQuery:  {{Name: "insertion_date", Type: "DateTime"}},
	ConnectorSnowflake: {{Name: "insertion_date", Type: "DateTime"}},
}

// connectorOrder fixes the order of ConnectorUnknown's columns.
var connectorOrder = []string{ConnectorKafka, ConnectorDynamoDB, ConnectorBigQuery, ConnectorSnowflake}

// WithConnectorColumns returns cols followed by the columns the connector
// adds that cols does not declare itself: those of every connector for
// ConnectorUnknown, none for a connector that adds none (s3, gcs…). The
// result is a new slice.
func WithConnectorColumns(connector string, cols []Column) []Column {
	out := append([]Column(nil), cols...)
	have := make(map[string]bool, len(cols))
	for _, c := range cols {
		have[c.Name] = true
	}
	connectors := []string{connector}
	if connector == ConnectorUnknown {
		connectors = connectorOrder
	}
	for _, k := range connectors {
		for _, c := range connectorColumns[k] {
			if !have[c.Name] {
				have[c.Name] = true
				out = append(out, c)
			}
		}
	}
	return out
}

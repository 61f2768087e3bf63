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
// examples key such datasources on __timestamp and _timestamp.

// Connectors that add columns.
const (
	ConnectorKafka    = "kafka"
	ConnectorDynamoDB = "dynamodb"
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
}

// WithConnectorColumns returns cols followed by the columns the connector
// adds that cols does not declare itself. The result is a new slice.
func WithConnectorColumns(connector string, cols []Column) []Column {
	out := append([]Column(nil), cols...)
	have := make(map[string]bool, len(cols))
	for _, c := range cols {
		have[c.Name] = true
	}
	for _, c := range connectorColumns[connector] {
		if !have[c.Name] {
			out = append(out, c)
		}
	}
	return out
}

package rules

import "testing"

func TestWithConnectorColumns(t *testing.T) {
	cols := []Column{{Name: "id", Type: "String"}, {Name: "_old_record", Type: "Nullable(String)"}}
	got := WithConnectorColumns(ConnectorDynamoDB, cols)
	if len(got) != 6 || got[0].Name != "id" || got[1].Name != "_old_record" {
		t.Fatalf("got %v: want the schema's columns first, each once", got)
	}
	// The engine keys of Tinybird's DynamoDB examples resolve against them.
	e := Engine{Kind: "ReplacingMergeTree", SortingKey: []string{"id"}, PartitionKey: "toYYYYMM(toDateTime64(_timestamp, 3))", Ver: "_timestamp", IsDeleted: "_is_deleted"}
	if ls := CheckEngine(e, got); len(ls) != 0 {
		t.Errorf("CheckEngine with DynamoDB's columns = %v", ls)
	}
	if ls := CheckEngine(Engine{Kind: "MergeTree", SortingKey: []string{"__timestamp"}}, WithConnectorColumns(ConnectorKafka, cols[:1])); len(ls) != 0 {
		t.Errorf("CheckEngine with Kafka's columns = %v", ls)
	}
	if len(WithConnectorColumns("s3", cols)) != 2 {
		t.Error("a connector without columns added some")
	}
	// Unknown: every connector's, once each.
	if got := WithConnectorColumns(ConnectorUnknown, cols); len(got) != 2+7+4+1 {
		t.Errorf("unknown connector: %d columns %v", len(got), got)
	}
	if ls := CheckEngine(Engine{Kind: "MergeTree", SortingKey: []string{"insertion_date"}}, WithConnectorColumns(ConnectorSnowflake, cols[:1])); len(ls) != 0 {
		t.Errorf("CheckEngine with Snowflake's columns = %v", ls)
	}
}

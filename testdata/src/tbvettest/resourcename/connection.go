package resourcename

import "github.com/tbls-dev/tbls/tinybird"

var Kafka = tinybird.DefineKafkaConnection("kafka-events", tinybird.KafkaConnectionOptions{}) // want `^TB103 Invalid connection name: "kafka-events"`

// no diagnostic: connections may have names reserved for datasources.
var S3 = tinybird.DefineS3Connection("select", tinybird.S3ConnectionOptions{})

var GCS = tinybird.DefineGCSConnection("gcs_landing", tinybird.GCSConnectionOptions{})

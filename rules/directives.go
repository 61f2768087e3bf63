package rules

import (
	"fmt"
	"strings"
)

// The directives each kind of datafile accepts, as the Tinybird CLIs read
// them. There are two CLIs in use, and a project may be read by either:
//
//   - The classic CLI (tinybird-cli 5.x, tinybird/datafile.py, parse()) has
//     one table of commands for every kind of file (the `cmds` dict), plus
//     ENGINE_<param> for each parameter and option of its ENABLED_ENGINES
//     (tinybird/ch_utils/engine.py). A column-0 line whose first word is not
//     in it fails with FeedbackManager.error_option: "{option} is not a
//     valid option". SETTINGS fails earlier with error_settings_not_allowed.
//     parse_datasource() refuses a datasource with a NODE ("datasources
//     can't have more than one node": the file already is the node "default").
//   - The Forward CLI (tinybird/datafile/common.py, parse(),
//     cmds_per_datafile_kind) has one table per kind — datasource, pipe,
//     connection — and fails with "{CMD} is not a valid option in {kind}
//     files." ENGINE_<param> is added to the datasource table from
//     VALID_ENGINE_PARAMS.
//
// A directive is refused (TB801) only when neither CLI accepts it for the
// file's kind: a false positive costs more than a miss, and the checker
// cannot tell which CLI reads a project. What the TypeScript SDK's
// generators write (src/generator/*.ts, ported byte for byte in package
// tinybird: its golden files) is accepted too, although the stored CLI
// sources predate it: CACHE, ENGINE_SUMMING_COLUMNS, DYNAMODB_*
// (TestSDKGoldenFiles keeps this true).

// FileKind is a kind of datafile, as its extension says.
type FileKind int

// The kinds of datafile.
const (
	FileDatasource FileKind = iota + 1 // .datasource
	FilePipe                           // .pipe
	FileConnection                     // .connection (Forward CLI only)
	FileInclude                        // .incl, spliced into a datasource or pipe by INCLUDE
)

// String returns the kind as the Forward CLI names it in messages.
func (k FileKind) String() string {
	switch k {
	case FileDatasource:
		return "datasource"
	case FilePipe:
		return "pipe"
	case FileConnection:
		return "connection"
	case FileInclude:
		return "include"
	}
	return "unknown"
}

// Which CLI table a directive is in, as bits.
const (
	inClassic uint8 = 1 << iota
	inForwardDatasource
	inForwardPipe
	inForwardConnection
	inSDKPipe
	inSDKDatasource
	inSDKConnection
)

// classicDirectives is the classic CLI's cmds table (tinybird-cli 5.14,
// tinybird/datafile.py, parse()). SETTINGS is in it but refused before the
// lookup; FROM is in it but never ends a block.
var classicDirectives = []string{
	"from", "source", "maintainer", "schema", "indexes", "indices", "engine",
	"partition_key", "sorting_key", "primary_key", "sampling_key", "ttl", "settings",
	"node", "scope", "description", "type", "datasource", "tags", "target_datasource",
	"copy_schedule", "copy_mode", "mode", "resource", "filter", "token", "test",
	"include", "sql", "version",
	"kafka_connection_name", "kafka_topic", "kafka_group_id", "kafka_bootstrap_servers",
	"kafka_key", "kafka_secret", "kafka_schema_registry_url", "kafka_target_partitions",
	"kafka_auto_offset_reset", "kafka_store_raw_value", "kafka_store_headers",
	"kafka_store_binary_headers", "kafka_key_format", "kafka_value_format",
	"kafka_key_avro_deserialization", "kafka_ssl_ca_pem", "kafka_sasl_mechanism",
	"import_service", "import_connection_name", "import_schedule", "import_strategy",
	"import_external_datasource", "import_bucket_uri", "import_from_timestamp",
	"import_query", "import_table_arn", "import_export_bucket",
	"shared_with",
	"export_service", "export_connection_name", "export_schedule", "export_bucket_uri",
	"export_file_template", "export_format", "export_strategy", "export_compression",
	"export_write_strategy", "export_kafka_topic",
}

// EngineParams are the engine parameters and options of the classic CLI's
// ENABLED_ENGINES (tinybird/ch_utils/engine.py: MERGETREE_OPTIONS,
// REPLACINGMERGETREE_OPTIONS and the engines' params), written in datafiles
// as ENGINE_<PARAM>; the Forward CLI adds the same ones from
// VALID_ENGINE_PARAMS.
var EngineParams = []string{
	"partition_key", "sorting_key", "primary_key", "sampling_key", "ttl", "settings",
	"ver", "is_deleted", "columns", "sign", "version",
	"join_strictness", "join_type", "key_columns",
}

// forwardDatasourceDirectives is the Forward CLI's datasource table
// (cmds_per_datafile_kind[DatafileKind.datasource]), ENGINE_* aside.
var forwardDatasourceDirectives = []string{
	"description", "token", "source", "schema", "indexes", "engine", "partition_key",
	"sorting_key", "primary_key", "sampling_key", "ttl", "tags", "include", "version",
	"kafka_connection_name", "kafka_topic", "kafka_group_id", "kafka_auto_offset_reset",
	"kafka_store_raw_value", "kafka_store_headers", "kafka_store_binary_headers",
	"kafka_key_format", "kafka_value_format", "kafka_target_partitions",
	"import_connection_name", "import_schedule", "import_strategy", "import_bucket_uri",
	"import_from_timestamp", "import_service", "import_external_datasource",
	"import_query", "import_table_arn", "import_export_bucket",
	"shared_with", "export_service", "forward_query", "backfill",
}

// forwardPipeDirectives is the Forward CLI's pipe table.
var forwardPipeDirectives = []string{
	"node", "scope", "description", "type", "datasource", "tags", "target_datasource",
	"copy_schedule", "copy_mode", "mode", "filter", "token", "include", "sql", "version",
	"deployment_method",
	"export_connection_name", "export_schedule", "export_bucket_uri",
	"export_file_template", "export_format", "export_strategy", "export_compression",
	"export_write_strategy", "export_kafka_topic",
}

// forwardConnectionDirectives is the Forward CLI's connection table.
var forwardConnectionDirectives = []string{
	"description", "type",
	"kafka_bootstrap_servers", "kafka_key", "kafka_secret", "kafka_schema_registry_url",
	"kafka_ssl_ca_pem", "kafka_security_protocol", "kafka_sasl_mechanism",
	"kafka_sasl_oauthbearer_method", "kafka_sasl_oauthbearer_aws_region",
	"kafka_sasl_oauthbearer_aws_role_arn", "kafka_sasl_oauthbearer_aws_external_id",
	"kafka_key_avro_deserialization",
	"s3_region", "s3_arn", "s3_access_key", "s3_secret",
	"gcs_service_account_credentials_json", "gcs_access_id", "gcs_secret",
	"gcs_hmac_access_id", "gcs_hmac_secret",
	"include",
}

// The directives the TypeScript SDK's generators write although neither CLI
// table above has them, per kind of file.
var (
	sdkPipeDirectives       = []string{"cache"}
	sdkDatasourceDirectives = []string{"engine_summing_columns"}
	sdkConnectionDirectives = []string{"dynamodb_arn", "dynamodb_region", "dynamodb_role_arn"}
)

// directiveTables maps a lower-case directive to the tables it is in.
var directiveTables = func() map[string]uint8 {
	m := make(map[string]uint8)
	add := func(bit uint8, words ...string) {
		for _, w := range words {
			m[w] |= bit
		}
	}
	add(inClassic, classicDirectives...)
	add(inForwardDatasource, forwardDatasourceDirectives...)
	add(inForwardPipe, forwardPipeDirectives...)
	add(inForwardConnection, forwardConnectionDirectives...)
	add(inSDKPipe, sdkPipeDirectives...)
	add(inSDKDatasource, sdkDatasourceDirectives...)
	add(inSDKConnection, sdkConnectionDirectives...)
	for _, p := range EngineParams {
		add(inClassic|inForwardDatasource, "engine_"+p)
	}
	return m
}()

// EndsBlock reports whether a column-0 line starting with the lower-case
// word kw ends the body of a "KEYWORD >" block: whether kw is a directive of
// some CLI. FROM never does (SQL bodies start lines with it, and the classic
// CLI exempts it), nor does SETTINGS, which the Forward CLI does not know.
// kw is a byte slice so that the parser can call it on every line without
// allocating.
func EndsBlock(kw []byte) bool {
	// Each string(kw) here is one the compiler does not allocate for.
	if directiveTables[string(kw)] == 0 || string(kw) == "from" || string(kw) == "settings" {
		return false
	}
	return true
}

// DirectiveAccepted reports whether a CLI accepts the directive kw (any
// case) in a file of the given kind.
func DirectiveAccepted(kind FileKind, kw string) bool {
	kw = strings.ToLower(kw)
	bits := directiveTables[kw]
	if kw == "settings" {
		return false // both CLIs refuse it before looking it up
	}
	switch kind {
	case FileDatasource:
		if kw == "node" || kw == "scope" {
			return false // classic: "datasources can't have more than one node"; Forward: not in the table
		}
		return bits&(inClassic|inForwardDatasource|inSDKDatasource) != 0
	case FilePipe:
		return bits&(inClassic|inForwardPipe|inSDKPipe) != 0
	case FileConnection:
		return bits&(inForwardConnection|inSDKConnection) != 0
	case FileInclude:
		return bits&(inClassic|inForwardDatasource|inForwardPipe|inSDKPipe|inSDKDatasource) != 0
	}
	return false
}

// InvalidDirectiveMessage is the TB801 message for a directive the file's
// kind does not accept, in the Forward CLI's words ("X is not a valid option
// in pipe files."), with what to do.
func InvalidDirectiveMessage(kind FileKind, kw string) string {
	upper := strings.ToUpper(kw)
	switch {
	case upper == "SETTINGS":
		return "SETTINGS option is not allowed, use ENGINE_SETTINGS instead."
	case strings.HasPrefix(kw, "--") || strings.HasPrefix(kw, "//"):
		return fmt.Sprintf("%s is not a valid option in %s files. A line in column 0 is a directive: %s does not start a comment in a datafile; use # for comments, or indent SQL lines.", upper, kind.filesNoun(), kw[:2])
	case (kind == FileDatasource) && (upper == "NODE" || upper == "SCOPE"):
		return fmt.Sprintf("%s is not a valid option in datasource files: a .datasource file declares one datasource and cannot have nodes defined. Move the node to a .pipe file.", upper)
	case strings.HasPrefix(upper, "ENGINE_"):
		return fmt.Sprintf("%s is not a valid option in %s files: the engine settings are ENGINE_%s and ENGINE_SUMMING_COLUMNS.", upper, kind.filesNoun(), strings.ToUpper(strings.Join(EngineParams, ", ENGINE_")))
	}
	return fmt.Sprintf("%s is not a valid option in %s files. Check the spelling, or indent the line if it continues the block above.", upper, kind.filesNoun())
}

func (k FileKind) filesNoun() string {
	if k == FileInclude {
		return "datasource or pipe"
	}
	return k.String()
}

// MsgBOM is the TB801 message for a file that starts with a UTF-8
// byte-order mark. The CLIs open datafiles as plain UTF-8, so the mark
// becomes part of the first word, which then is no directive.
const MsgBOM = "The file starts with a UTF-8 byte-order mark: the Tinybird CLI reads it as part of the first word, which then is not a valid option. Save the file as UTF-8 without BOM."

// Node types. The Forward CLI accepts VALID_PIPE_NODE_TYPES (materialized,
// standard, copy, endpoint, stream, sink, or none) and refuses any other
// TYPE with "Invalid node … of type (…). Allowed node types: …"; the classic
// CLI's PipeNodeTypes add "default". The comparison ignores case, as both do.
var nodeTypes = []string{"endpoint", "materialized", "copy", "sink", "stream", "standard", "default"}

// ValidNodeType reports whether a pipe node's TYPE is one Tinybird knows.
func ValidNodeType(t string) bool {
	for _, n := range nodeTypes {
		if strings.EqualFold(t, n) {
			return true
		}
	}
	return false
}

// InvalidNodeTypeMessage is the TB803 message for an unknown node TYPE, in
// the Forward CLI's words.
func InvalidNodeTypeMessage(node, typ string) string {
	return fmt.Sprintf("Invalid node %q of type (%s). Allowed node types: endpoint, materialized, copy, sink (and stream, standard).", node, typ)
}

// Messages of the datafile checks whose finding is the file's shape.
const (
	// MsgEmptyDatasource is TB802 on an empty .datasource file.
	MsgEmptyDatasource = "Empty datasource file: the Tinybird CLI refuses it (SCHEMA is mandatory). Declare the columns in a SCHEMA > block, or delete the file."
	// MsgEmptyPipe is TB802 on an empty .pipe file.
	MsgEmptyPipe = "Empty pipe file: the Tinybird CLI refuses it (Pipe data file must have at least one node). Add a NODE with an SQL > block, or delete the file."
	// MsgEmptyConnection is TB802 on an empty .connection file.
	MsgEmptyConnection = "Empty connection file: it declares nothing. Add TYPE and the connection's settings, or delete the file."
	// MsgNoSchema is TB501 on a .datasource file, in the Forward CLI's words.
	MsgNoSchema = "SCHEMA is mandatory: a datasource declares its columns in a SCHEMA > block."
	// MsgNoNode is TB601 on a .pipe file, in the Forward CLI's words.
	MsgNoNode = "Pipe data file must have at least one node: start the query with NODE <name> and put it in an SQL > block."
	// MsgNoNodeBareSQL is TB601 on a pipe whose text is SQL without NODE.
	MsgNoNodeBareSQL = "Pipe data file must have at least one node: this file looks like bare SQL. Put it under NODE <name> and SQL >, indented."
)

// Include problems (TB804).
const (
	// MaxIncludeDepth bounds nested INCLUDEs; the CLI has no bound and
	// recurses until Python's stack overflows.
	MaxIncludeDepth = 16
)

// MissingIncludeMessage is the TB804 message for an INCLUDE whose file does
// not exist, in the classic CLI's words (error_not_found_include).
func MissingIncludeMessage(path string) string {
	return fmt.Sprintf("Included file %s not found. Check if the file exists and the path is correct: INCLUDE paths are relative to the including file's directory.", path)
}

// IncludeCycleMessage is the TB804 message for an INCLUDE that includes
// itself through chain (the files in order).
func IncludeCycleMessage(chain []string) string {
	return fmt.Sprintf("INCLUDE cycle: %s. The Tinybird CLI would include the files forever; remove one INCLUDE.", strings.Join(chain, " → "))
}

// IncludeDepthMessage is the TB804 message for INCLUDEs nested too deep.
func IncludeDepthMessage(path string) string {
	return fmt.Sprintf("INCLUDE of %s is nested more than %d deep: flatten the includes.", path, MaxIncludeDepth)
}

// MsgIncludeNoPath is TB804 on INCLUDE without a file.
const MsgIncludeNoPath = "INCLUDE takes the path of an .incl file, e.g. INCLUDE \"includes/common.incl\"."

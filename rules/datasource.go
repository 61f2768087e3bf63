package rules

import (
	"fmt"
	"strings"
	"unicode"
)

// Datasource rules other than columns and engine: defaults, engine
// settings, indexes, ingestion and connections. The messages are the
// TypeScript SDK's (src/schema/datasource.ts, connection.ts) where it has
// one, the Go SDK's otherwise.

// Index is a data-skipping index of a datasource.
type Index struct {
	Name, Expr, Type string
	Granularity      int64
}

// CheckIndex checks one data-skipping index (TB520), as the TypeScript
// SDK's defineDatasource does: a name without whitespace, an expression, a
// type and a positive granularity. It returns the first problem.
func CheckIndex(ix Index) *Problem {
	bad := func(msg string) *Problem { return &Problem{Code: TB520, Message: msg} }
	switch {
	case ix.Name == "" || strings.IndexFunc(ix.Name, unicode.IsSpace) >= 0:
		return bad(fmt.Sprintf("Invalid datasource index name: %q. Index names must be non-empty and cannot contain whitespace.", ix.Name))
	case strings.TrimSpace(ix.Expr) == "":
		return bad(fmt.Sprintf("Invalid datasource index %q: expr is required.", ix.Name))
	case strings.TrimSpace(ix.Type) == "":
		return bad(fmt.Sprintf("Invalid datasource index %q: type is required.", ix.Name))
	case ix.Granularity <= 0:
		return bad(fmt.Sprintf("Invalid datasource index %q: granularity must be a positive integer.", ix.Name))
	}
	return nil
}

// EmptyDefaultExpr is the TB507 message of an empty default expression,
// the TypeScript SDK's.
const EmptyDefaultExpr = "Default expression cannot be empty."

// DefaultProblem is the TB507 problem of a column's default: msg says what
// is wrong with it.
func DefaultProblem(column, msg string) Problem {
	return Problem{Code: TB507, Message: fmt.Sprintf("Column %q: %s", column, msg)}
}

// EngineSettingProblem is the TB515 problem of an engine setting whose
// value is of type typ, which a datafile cannot hold.
func EngineSettingProblem(setting, typ string) Problem {
	return Problem{Code: TB515, Message: fmt.Sprintf("Engine setting %q has a value of type %s: use a string, number or bool.", setting, typ)}
}

// ManyIngestions is the TB530 problem of a datasource with more than one
// ingestion option, the TypeScript SDK's.
func ManyIngestions() Problem {
	return Problem{Code: TB530, Message: "Datasource can only define one ingestion option: `kafka`, `s3`, `gcs`, or `dynamodb`."}
}

// IngestionNoConnection is the TB531 problem of an ingestion option
// ("Kafka", "S3", "GCS", "DynamoDB") without a connection.
func IngestionNoConnection(option string) Problem {
	what := map[string]string{"Kafka": "Kafka ingestion", "S3": "S3 import", "GCS": "GCS import", "DynamoDB": "DynamoDB import"}[option]
	return Problem{Code: TB531, Message: fmt.Sprintf("%s has no Connection: set it to a Define%sConnection result.", what, option)}
}

// CheckBackfill checks a datasource's Backfill (TB532): "" or "skip".
func CheckBackfill(backfill string) *Problem {
	if backfill == "" || backfill == "skip" {
		return nil
	}
	return &Problem{Code: TB532, Message: fmt.Sprintf("Unknown Backfill %q: the only value is tinybird.BackfillSkip (\"skip\"); leave it empty to backfill.", backfill)}
}

// S3Credentials checks an S3 connection's credentials (TB540), as the
// TypeScript SDK does: an ARN, or an access key and a secret together.
func S3Credentials(arn, accessKey, secret string) *Problem {
	if arn == "" && (accessKey == "" || secret == "") {
		return &Problem{Code: TB540, Message: "S3 connection requires either `arn` or both `accessKey` and `secret`."}
	}
	if (accessKey == "") != (secret == "") {
		return &Problem{Code: TB540, Message: "S3 connection `accessKey` and `secret` must be provided together."}
	}
	return nil
}

// GCSCredentials checks a GCS connection's credentials (TB540).
func GCSCredentials(credentialsJSON string) *Problem {
	if strings.TrimSpace(credentialsJSON) == "" {
		return &Problem{Code: TB540, Message: "GCS connection `serviceAccountCredentialsJson` is required."}
	}
	return nil
}

// DynamoDBSettings checks a DynamoDB connection's region and ARN (TB540).
func DynamoDBSettings(region, arn string) *Problem {
	if strings.TrimSpace(region) == "" {
		return &Problem{Code: TB540, Message: "DynamoDB connection `region` is required."}
	}
	if strings.TrimSpace(arn) == "" {
		return &Problem{Code: TB540, Message: "DynamoDB connection `arn` is required."}
	}
	return nil
}

// Project rules.

// NilResource is the TB701 problem of a nil entry in a project's list
// (list is "Datasources", "Pipes" or "Connections").
func NilResource(list string, i int) Problem {
	what := map[string]string{"Datasources": "datasource", "Pipes": "pipe", "Connections": "connection"}[list]
	return Problem{Code: TB701, Message: fmt.Sprintf("ProjectOptions.%s[%d] is nil: remove it or define the %s before the project.", list, i, what)}
}

// DuplicateResource is the TB702 problem of a resource name defined twice
// in a project; subject is datasource, pipe or connection, where is the
// other definition's position.
func DuplicateResource(subject Subject, name, where string) Problem {
	ext := map[Subject]string{SubjectDatasource: ".datasource", SubjectPipe: ".pipe", SubjectConnection: ".connection"}[subject]
	title := strings.ToUpper(string(subject[:1])) + string(subject[1:])
	return Problem{Code: TB702, Message: fmt.Sprintf("%s name %q is also defined at %s: both would write %s%s. Rename one.", title, name, where, name, ext)}
}

// DatasourcePipeClash is the TB703 problem of a datasource and a pipe with
// one name; where is the other's position. Tinybird keeps datasources and
// pipes in one namespace per workspace, and the TypeScript SDK's client
// refuses the clash ("Name conflict: … is defined as both datasource and
// pipe").
func DatasourcePipeClash(name, where string) Problem {
	return Problem{Code: TB703, Message: fmt.Sprintf("Name conflict: %q is defined as both datasource and pipe (the other at %s): Tinybird names datasources and pipes in one namespace. Rename one of them.", name, where)}
}

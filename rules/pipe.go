package rules

import (
	"fmt"
	"regexp"
	"strings"
)

// Pipe rules. The messages are the TypeScript SDK's (src/schema/pipe.ts:
// definePipe, defineSinkPipe, validateMaterializedSchema) where it has one,
// the Go SDK's otherwise.

// Node is one node of a pipe.
type Node struct {
	Name string
	SQL  string
}

// CheckNodes checks a pipe's nodes: at least one (TB601, Field ""), valid
// names (TB103, Part PartName), no name twice (TB602) and SQL in each
// (TB603).
func CheckNodes(pipe string, nodes []Node) []Located {
	var out []Located
	add := func(i int, part string, p Problem) {
		out = append(out, Located{Problem: p, Field: FieldNodes, Index: i, Part: part})
	}
	if len(nodes) == 0 {
		return []Located{{Problem: Problem{Code: TB601, Message: fmt.Sprintf("Pipe %q must have at least one node.", pipe)}, Index: -1}}
	}
	seen := map[string]bool{}
	for i, n := range nodes {
		if p := CheckName(SubjectNode, n.Name); p != nil {
			add(i, PartName, *p)
		}
		if n.Name != "" && seen[n.Name] {
			add(i, PartName, Problem{Code: TB602, Message: fmt.Sprintf("Pipe %q has two nodes named %q: node names must be unique within a pipe.", pipe, n.Name)})
		}
		seen[n.Name] = true
		if strings.TrimSpace(n.SQL) == "" {
			add(i, PartSQL, Problem{Code: TB603, Message: fmt.Sprintf("Node %q has no SQL.", n.Name)})
		}
	}
	return out
}

// PipeNoOutput is the TB604 problem of an endpoint or materialized view
// without an output schema.
func PipeNoOutput(pipe string) Problem {
	return Problem{Code: TB604, Message: fmt.Sprintf("Pipe %q must have an output schema defined when used as an endpoint or materialized view.", pipe)}
}

// PipeManyTypes is the TB605 problem of a pipe configured as more than one
// of endpoint, materialized view and copy pipe.
func PipeManyTypes(pipe string) Problem {
	return Problem{Code: TB605, Message: fmt.Sprintf("Pipe %q can only have one of: endpoint, materialized, or copy configuration. A pipe must be at most one type.", pipe)}
}

// CheckCacheTTL checks an endpoint's cache TTL in nanoseconds (TB610):
// Tinybird caches by the whole second. ttl is printed as given.
func CheckCacheTTL(nanos int64, ttl string) *Problem {
	if nanos < 0 || nanos%1e9 != 0 {
		return &Problem{Code: TB610, Message: fmt.Sprintf("Cache TTL %s is not a whole, non-negative number of seconds: Tinybird caches by the second.", ttl)}
	}
	return nil
}

// MaterializedNoTarget is the TB620 problem of a materialized view without
// a target datasource.
func MaterializedNoTarget(pipe string) Problem {
	return Problem{Code: TB620, Message: fmt.Sprintf("Materialized view %q has no target Datasource: set it to the datasource the view writes into.", pipe)}
}

// CheckMaterializedSchema checks a materialized view's output against its
// target datasource's columns (TB621), as the TypeScript SDK's
// validateMaterializedSchema does: every target column in the output, no
// output column outside the target, compatible types. Like the SDK it
// returns the first problem only.
func CheckMaterializedSchema(pipe string, output []Column, datasource string, target []Column) *Problem {
	find := func(cols []Column, name string) (Column, bool) {
		for _, c := range cols {
			if c.Name == name {
				return c, true
			}
		}
		return Column{}, false
	}
	var missing, extra []string
	for _, c := range target {
		if _, ok := find(output, c.Name); !ok {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return &Problem{Code: TB621, Message: fmt.Sprintf("Materialized view %q output schema is missing columns from target datasource %q: %s", pipe, datasource, strings.Join(missing, ", "))}
	}
	for _, c := range output {
		if _, ok := find(target, c.Name); !ok {
			extra = append(extra, c.Name)
		}
	}
	if len(extra) > 0 {
		return &Problem{Code: TB621, Message: fmt.Sprintf("Materialized view %q output schema has columns not in target datasource %q: %s", pipe, datasource, strings.Join(extra, ", "))}
	}
	for _, c := range output {
		tc, _ := find(target, c.Name)
		if !TypesCompatible(c.Type, tc.Type) {
			return &Problem{Code: TB621, Message: fmt.Sprintf("Materialized view %q column %q type mismatch: output has %q but target datasource %q expects %q", pipe, c.Name, c.Type, datasource, tc.Type)}
		}
	}
	return nil
}

// TypesCompatible is the TypeScript SDK's type comparison of a
// materialized view's output column with its target column
// (normalizeTypeForComparison, then the AggregateFunction forms): equal once
// Nullable, LowCardinality and time zones are stripped, or the target is a
// (Simple)AggregateFunction of the output type. The regular expressions are
// the SDK's, with JavaScript's "." and "\s" spelled out.
func TypesCompatible(output, target string) bool {
	o, d := normalizeType(output), normalizeType(target)
	if o == d {
		return true
	}
	if m := reSimpleAgg.FindStringSubmatch(d); m != nil && o == m[1] {
		return true
	}
	if m := reAgg.FindStringSubmatch(d); m != nil && o == m[1] {
		return true
	}
	return false
}

const (
	// jsDot is JavaScript's ".": anything but a line terminator.
	jsDot = `[^\n\r\x{2028}\x{2029}]`
	// jsSpace is JavaScript's "\s".
	jsSpace = `[\t\n\v\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}]`
)

var (
	reNullable     = regexp.MustCompile(`^Nullable\((` + jsDot + `+)\)$`)
	reLowCard      = regexp.MustCompile(`^LowCardinality\((` + jsDot + `+)\)$`)
	reLowCardNull  = regexp.MustCompile(`^LowCardinality\(Nullable\((` + jsDot + `+)\)\)$`)
	reDateTimeTZ   = regexp.MustCompile(`^DateTime\('[^']+'\)$`)
	reDateTime64TZ = regexp.MustCompile(`^DateTime64\((\d+),` + jsSpace + `*'[^']+'\)$`)
	reSimpleAgg    = regexp.MustCompile(`^SimpleAggregateFunction\([^,]+,` + jsSpace + `*(` + jsDot + `+)\)$`)
	reAgg          = regexp.MustCompile(`^AggregateFunction\([^,]+,` + jsSpace + `*(` + jsDot + `+)\)$`)
)

// normalizeType is the TypeScript SDK's normalizeTypeForComparison.
func normalizeType(t string) string {
	t = reNullable.ReplaceAllString(t, "$1")
	t = reLowCard.ReplaceAllString(t, "$1")
	t = reLowCardNull.ReplaceAllString(t, "$1")
	t = reDateTimeTZ.ReplaceAllString(t, "DateTime")
	t = reDateTime64TZ.ReplaceAllString(t, "DateTime64($1)")
	return t
}

// UnknownDeploymentMethod is the TB622 problem of a materialized view's
// DeploymentMethod other than "alter".
func UnknownDeploymentMethod(method string) Problem {
	return Problem{Code: TB622, Message: fmt.Sprintf("Unknown DeploymentMethod %q: the only value is tinybird.DeployAlter (\"alter\").", method)}
}

// CopyNoTarget is the TB630 problem of a copy pipe without a target
// datasource.
func CopyNoTarget(pipe string) Problem {
	return Problem{Code: TB630, Message: fmt.Sprintf("Copy pipe %q has no target Datasource: set it to the datasource the pipe copies into.", pipe)}
}

// CheckCopyMode checks a copy pipe's mode (TB631): "", "append" or
// "replace".
func CheckCopyMode(mode string) *Problem {
	if mode == "" || mode == "append" || mode == "replace" {
		return nil
	}
	return &Problem{Code: TB631, Message: fmt.Sprintf("Unknown copy Mode %q: use tinybird.CopyAppend or tinybird.CopyReplace.", mode)}
}

// Sink problems, in the TypeScript SDK's words.

// SinkBothTargets and SinkNoTarget are the TB640 problems of a sink pipe
// setting both Kafka and S3, or neither.
func SinkBothTargets(pipe string) Problem {
	return Problem{Code: TB640, Message: fmt.Sprintf("Pipe %q sink sets both Kafka and S3: a sink pipe exports to one of them.", pipe)}
}

// SinkNoTarget is the TB640 problem of a sink pipe setting neither Kafka
// nor S3.
func SinkNoTarget(pipe string) Problem {
	return Problem{Code: TB640, Message: fmt.Sprintf("Pipe %q sink sets neither Kafka nor S3: set the one the pipe exports to.", pipe)}
}

// SinkNoConnection is the TB641 problem of a Kafka ("kafka") or S3 ("s3")
// sink without a connection.
func SinkNoConnection(pipe, target string) Problem {
	if target == "kafka" {
		return Problem{Code: TB641, Message: fmt.Sprintf("Pipe %q sink with topic requires a Kafka connection.", pipe)}
	}
	return Problem{Code: TB641, Message: fmt.Sprintf("Pipe %q S3 sink requires an S3 connection.", pipe)}
}

// SinkEmpty is the TB642 problem of a required sink setting left empty;
// setting is the SDK's name: topic, schedule, bucketUri, fileTemplate,
// format.
func SinkEmpty(pipe, setting string) Problem {
	return Problem{Code: TB642, Message: fmt.Sprintf("Pipe %q sink %s cannot be empty.", pipe, setting)}
}

// CheckSinkStrategy checks an S3 sink's strategy (TB643).
func CheckSinkStrategy(pipe, strategy string) *Problem {
	if strategy == "" || strategy == "create_new" || strategy == "replace" {
		return nil
	}
	return &Problem{Code: TB643, Message: fmt.Sprintf("Pipe %q sink strategy must be \"create_new\" or \"replace\".", pipe)}
}

// CheckSinkCompression checks an S3 sink's compression (TB643).
func CheckSinkCompression(pipe, compression string) *Problem {
	switch compression {
	case "", "none", "gzip", "snappy":
		return nil
	}
	return &Problem{Code: TB643, Message: fmt.Sprintf("Pipe %q sink compression must be \"none\", \"gzip\", or \"snappy\".", pipe)}
}

package tinybird

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/tbls-dev/tbls/rules"
)

// kind returns the rules kind of a pipe, which decides the scopes it
// accepts.
func (p *Pipe) kind() rules.Kind {
	switch {
	case p.sink != nil:
		return rules.KindSinkPipe
	case p.opts.Materialized != nil:
		return rules.KindMaterializedView
	case p.opts.Copy != nil:
		return rules.KindCopyPipe
	case p.opts.Endpoint != nil:
		return rules.KindEndpoint
	}
	return rules.KindPipe
}

func (d *Datasource) label() string { return fmt.Sprintf("datasource %q", d.name) }
func (p *Pipe) label() string       { return fmt.Sprintf("%s %q", p.kind(), p.name) }

// checkTokens checks the grants of one resource: the form of each
// TokenAccess (TB205), its names (TB101, TB102), its scopes (TB201, TB202),
// inline permissions (TB203, TB204) and duplicates (TB206).
func checkTokens(l *problemList, pos position, resource string, kind rules.Kind, tokens []TokenAccess) {
	type grant struct{ token, scope string }
	seen := map[grant]bool{}
	reported := map[grant]bool{}
	note := func(field, token, scope string) {
		g := grant{token, scope}
		if seen[g] && !reported[g] {
			reported[g] = true
			l.add(pos, resource, field, rules.TB206, rules.DuplicateGrantMessage(token, scope))
		}
		seen[g] = true
	}
	for i, a := range tokens {
		field := fmt.Sprintf("Tokens[%d]", i)
		hasToken, hasName := !a.Token.IsZero(), a.Name != ""
		switch {
		case hasToken && hasName:
			l.add(pos, resource, field, rules.TB205, rules.MsgAccessBothForms)
			continue
		case !hasToken && !hasName:
			l.add(pos, resource, field, rules.TB205, rules.MsgAccessNoForm)
			continue
		}
		if hasToken {
			l.addRule(a.Token.pos, fmt.Sprintf("token %q", a.Token.name), "", rules.CheckName(rules.SubjectToken, a.Token.name))
			if a.Scope == "" {
				l.add(pos, resource, field, rules.TB205, rules.MsgAccessTokenNoScope)
				continue
			}
			l.addRule(pos, resource, field, rules.CheckScope(kind, string(a.Scope)))
			note(field, a.Token.name, string(a.Scope))
			continue
		}
		l.addRule(pos, resource, field, rules.CheckInlineTokenName(a.Name))
		if kind.IsPipe() {
			if len(a.Permissions) > 0 {
				l.add(pos, resource, field, rules.TB203, rules.MsgPipeInlinePerms)
			}
			note(field, a.Name, rules.ScopeRead)
			continue
		}
		if len(a.Permissions) == 0 {
			l.add(pos, resource, field, rules.TB204, rules.MsgDatasourceNoPerms)
		}
		for j, perm := range a.Permissions {
			pf := fmt.Sprintf("%s.Permissions[%d]", field, j)
			l.addRule(pos, resource, pf, rules.CheckScope(kind, string(perm)))
			note(pf, a.Name, string(perm))
		}
	}
}

// checkSchema checks a datasource's or pipe's columns: a type on each
// column, no name twice, and what the type constructors recorded.
func checkSchema(l *problemList, pos position, resource, field string, s Schema, defaults bool) {
	names := map[string]bool{}
	for i, c := range s {
		f := fmt.Sprintf("%s[%d]", field, i)
		if c.Name == "" {
			l.add(pos, resource, f, "", fmt.Sprintf("%s column %d has no name: give every column a name.", field, i))
		} else if names[c.Name] {
			l.add(pos, resource, f, "", fmt.Sprintf("Column %q appears twice in %s: column names must be unique.", c.Name, field))
		}
		names[c.Name] = true
		if c.Type.IsZero() {
			l.add(pos, resource, f, "", fmt.Sprintf("Column %q has no type: set Type, e.g. tinybird.String().", c.Name))
		}
		if c.Type.err != "" {
			l.add(pos, resource, f, "", fmt.Sprintf("Column %q: %s", c.Name, c.Type.err))
		}
		if defaults && c.Type.mods.hasDefault && !c.Type.mods.defaultIsExpr {
			if _, ok := defaultLiteral(c.Type.mods.defaultValue, c.Type.ch); !ok {
				l.add(pos, resource, f, "", fmt.Sprintf("Column %q: default value of type %T cannot be written in a datafile: use a string, number, bool, time.Time, nil, slice, map or struct, or DefaultExpr.", c.Name, c.Type.mods.defaultValue))
			}
		}
	}
}

func (d *Datasource) validate(l *problemList) {
	o, pos, res := d.options, d.pos, d.label()
	l.addRule(pos, res, "", rules.CheckName(rules.SubjectDatasource, d.name))
	if len(o.Schema) == 0 {
		l.add(pos, res, "Schema", "", fmt.Sprintf("Datasource %q has no columns: add at least one to Schema.", d.name))
	}
	checkSchema(l, pos, res, "Schema", o.Schema, true)
	d.validateEngine(l)
	n := 0
	for _, set := range []bool{o.Kafka != nil, o.S3 != nil, o.GCS != nil, o.DynamoDB != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		l.add(pos, res, "", "", "Datasource can only define one ingestion option: `kafka`, `s3`, `gcs`, or `dynamodb`.")
	}
	if o.Kafka != nil && o.Kafka.Connection == nil {
		l.add(pos, res, "Kafka.Connection", "", "Kafka ingestion has no Connection: set it to a DefineKafkaConnection result.")
	}
	if o.S3 != nil && o.S3.Connection == nil {
		l.add(pos, res, "S3.Connection", "", "S3 import has no Connection: set it to a DefineS3Connection result.")
	}
	if o.GCS != nil && o.GCS.Connection == nil {
		l.add(pos, res, "GCS.Connection", "", "GCS import has no Connection: set it to a DefineGCSConnection result.")
	}
	if o.DynamoDB != nil && o.DynamoDB.Connection == nil {
		l.add(pos, res, "DynamoDB.Connection", "", "DynamoDB import has no Connection: set it to a DefineDynamoDBConnection result.")
	}
	for i, ix := range o.Indexes {
		f := fmt.Sprintf("Indexes[%d]", i)
		switch {
		case ix.Name == "" || strings.IndexFunc(ix.Name, isJSSpace) >= 0:
			l.add(pos, res, f, "", fmt.Sprintf("Invalid datasource index name: %q. Index names must be non-empty and cannot contain whitespace.", ix.Name))
		case jsTrim(ix.Expr) == "":
			l.add(pos, res, f, "", fmt.Sprintf("Invalid datasource index %q: expr is required.", ix.Name))
		case jsTrim(ix.Type) == "":
			l.add(pos, res, f, "", fmt.Sprintf("Invalid datasource index %q: type is required.", ix.Name))
		case ix.Granularity <= 0:
			l.add(pos, res, f, "", fmt.Sprintf("Invalid datasource index %q: granularity must be a positive integer.", ix.Name))
		}
	}
	if o.Backfill != "" && o.Backfill != BackfillSkip {
		l.add(pos, res, "Backfill", "", fmt.Sprintf("Unknown Backfill %q: the only value is tinybird.BackfillSkip (\"skip\"); leave it empty to backfill.", o.Backfill))
	}
	checkTokens(l, pos, res, rules.KindDatasource, o.Tokens)
}

func (d *Datasource) validateEngine(l *problemList) {
	e, pos, res := d.options.Engine, d.pos, d.label()
	switch e.kind {
	case EngineCollapsingMergeTree, EngineVersionedCollapsingMergeTree:
		if e.sign == "" {
			l.add(pos, res, "Engine", "", fmt.Sprintf("%s needs Sign: the column holding 1 (state) or -1 (cancel).", e.kind))
		}
		if e.kind == EngineVersionedCollapsingMergeTree && e.version == "" {
			l.add(pos, res, "Engine", "", "VersionedCollapsingMergeTree needs Version: the column holding the row version.")
		}
	}
	for k, v := range e.settings {
		switch reflect.ValueOf(v).Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		default:
			l.add(pos, res, "Engine", "", fmt.Sprintf("Engine setting %q has a value of type %T: use a string, number or bool.", k, v))
		}
	}
}

func (p *Pipe) validate(l *problemList) {
	o, pos, res := p.opts, p.pos, p.label()
	l.addRule(pos, res, "", rules.CheckName(rules.SubjectPipe, p.name))
	if len(o.Nodes) == 0 {
		l.add(pos, res, "Nodes", "", fmt.Sprintf("Pipe %q must have at least one node.", p.name))
	}
	nodes := map[string]bool{}
	for i, n := range o.Nodes {
		f := fmt.Sprintf("Nodes[%d]", i)
		l.addRule(pos, res, f, rules.CheckName(rules.SubjectNode, n.Name))
		if n.Name != "" && nodes[n.Name] {
			l.add(pos, res, f, "", fmt.Sprintf("Pipe %q has two nodes named %q: node names must be unique within a pipe.", p.name, n.Name))
		}
		nodes[n.Name] = true
		if jsTrim(n.SQL) == "" {
			l.add(pos, res, f, "", fmt.Sprintf("Node %q has no SQL.", n.Name))
		}
	}
	if p.sink != nil {
		p.validateSink(l)
	} else {
		if (o.Endpoint != nil || o.Materialized != nil) && len(o.Output) == 0 {
			l.add(pos, res, "Output", "", fmt.Sprintf("Pipe %q must have an output schema defined when used as an endpoint or materialized view.", p.name))
		}
		n := 0
		for _, set := range []bool{o.Endpoint != nil, o.Materialized != nil, o.Copy != nil} {
			if set {
				n++
			}
		}
		if n > 1 {
			l.add(pos, res, "", "", fmt.Sprintf("Pipe %q can only have one of: endpoint, materialized, or copy configuration. A pipe must be at most one type.", p.name))
		}
	}
	checkSchema(l, pos, res, "Output", o.Output, false)
	if e := o.Endpoint; e != nil && e.Cache != nil {
		if ttl := e.Cache.TTL; ttl < 0 || ttl%time.Second != 0 {
			l.add(pos, res, "Cache.TTL", "", fmt.Sprintf("Cache TTL %s is not a whole, non-negative number of seconds: Tinybird caches by the second.", ttl))
		}
	}
	if m := o.Materialized; m != nil {
		if m.Datasource == nil {
			l.add(pos, res, "Datasource", "", fmt.Sprintf("Materialized view %q has no target Datasource: set it to the datasource the view writes into.", p.name))
		} else if len(o.Output) > 0 {
			for _, msg := range materializedSchemaProblems(p.name, o.Output, m.Datasource) {
				l.add(pos, res, "Output", "", msg)
			}
		}
		if m.DeploymentMethod != "" && m.DeploymentMethod != DeployAlter {
			l.add(pos, res, "DeploymentMethod", "", fmt.Sprintf("Unknown DeploymentMethod %q: the only value is tinybird.DeployAlter (\"alter\").", m.DeploymentMethod))
		}
	}
	if c := o.Copy; c != nil {
		if c.Datasource == nil {
			l.add(pos, res, "Datasource", "", fmt.Sprintf("Copy pipe %q has no target Datasource: set it to the datasource the pipe copies into.", p.name))
		}
		if c.Mode != "" && c.Mode != CopyAppend && c.Mode != CopyReplace {
			l.add(pos, res, "Mode", "", fmt.Sprintf("Unknown copy Mode %q: use tinybird.CopyAppend or tinybird.CopyReplace.", c.Mode))
		}
	}
	checkTokens(l, pos, res, p.kind(), o.Tokens)
}

func (p *Pipe) validateSink(l *problemList) {
	s, pos, res, name := p.sink, p.pos, p.label(), p.name
	add := func(field, msg string) { l.add(pos, res, field, "", msg) }
	switch {
	case s.Kafka != nil && s.S3 != nil:
		add("", fmt.Sprintf("Pipe %q sink sets both Kafka and S3: a sink pipe exports to one of them.", name))
	case s.Kafka == nil && s.S3 == nil:
		add("", fmt.Sprintf("Pipe %q sink sets neither Kafka nor S3: set the one the pipe exports to.", name))
	case s.Kafka != nil:
		k := s.Kafka
		if k.Connection == nil {
			add("Kafka.Connection", fmt.Sprintf("Pipe %q sink with topic requires a Kafka connection.", name))
		}
		if jsTrim(k.Topic) == "" {
			add("Kafka.Topic", fmt.Sprintf("Pipe %q sink topic cannot be empty.", name))
		}
		if jsTrim(k.Schedule) == "" {
			add("Kafka.Schedule", fmt.Sprintf("Pipe %q sink schedule cannot be empty.", name))
		}
	default:
		k := s.S3
		if k.Connection == nil {
			add("S3.Connection", fmt.Sprintf("Pipe %q S3 sink requires an S3 connection.", name))
		}
		if jsTrim(k.BucketURI) == "" {
			add("S3.BucketURI", fmt.Sprintf("Pipe %q sink bucketUri cannot be empty.", name))
		}
		if jsTrim(k.FileTemplate) == "" {
			add("S3.FileTemplate", fmt.Sprintf("Pipe %q sink fileTemplate cannot be empty.", name))
		}
		if jsTrim(k.Format) == "" {
			add("S3.Format", fmt.Sprintf("Pipe %q sink format cannot be empty.", name))
		}
		if jsTrim(k.Schedule) == "" {
			add("S3.Schedule", fmt.Sprintf("Pipe %q sink schedule cannot be empty.", name))
		}
		if k.Strategy != "" && k.Strategy != SinkCreateNew && k.Strategy != SinkReplace {
			add("S3.Strategy", fmt.Sprintf("Pipe %q sink strategy must be \"create_new\" or \"replace\".", name))
		}
		if k.Compression != "" && k.Compression != CompressionNone && k.Compression != CompressionGzip && k.Compression != CompressionSnappy {
			add("S3.Compression", fmt.Sprintf("Pipe %q sink compression must be \"none\", \"gzip\", or \"snappy\".", name))
		}
	}
}

// JavaScript's "." excludes every line terminator, Go's only \n.
const jsDot = `[^\n\r\x{2028}\x{2029}]`

var (
	reNullable     = regexp.MustCompile(`^Nullable\((` + jsDot + `+)\)$`)
	reLowCard      = regexp.MustCompile(`^LowCardinality\((` + jsDot + `+)\)$`)
	reLowCardNull  = regexp.MustCompile(`^LowCardinality\(Nullable\((` + jsDot + `+)\)\)$`)
	reDateTimeTZ   = regexp.MustCompile(`^DateTime\('[^']+'\)$`)
	reDateTime64TZ = regexp.MustCompile(`^DateTime64\((\d+),[` + jsSpaceClass + `]*'[^']+'\)$`)
	reSimpleAgg    = regexp.MustCompile(`^SimpleAggregateFunction\([^,]+,[` + jsSpaceClass + `]*(` + jsDot + `+)\)$`)
	reAgg          = regexp.MustCompile(`^AggregateFunction\([^,]+,[` + jsSpaceClass + `]*(` + jsDot + `+)\)$`)
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

func typesCompatible(output, target string) bool {
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

// materializedSchemaProblems is the TypeScript SDK's
// validateMaterializedSchema, returning its first error (it throws).
func materializedSchemaProblems(pipe string, output Schema, ds *Datasource) []string {
	target := ds.options.Schema
	var missing, extra []string
	for _, c := range target {
		if _, ok := output.Lookup(c.Name); !ok {
			missing = append(missing, c.Name)
		}
	}
	if len(missing) > 0 {
		return []string{fmt.Sprintf("Materialized view %q output schema is missing columns from target datasource %q: %s", pipe, ds.name, strings.Join(missing, ", "))}
	}
	for _, c := range output {
		if _, ok := target.Lookup(c.Name); !ok {
			extra = append(extra, c.Name)
		}
	}
	if len(extra) > 0 {
		return []string{fmt.Sprintf("Materialized view %q output schema has columns not in target datasource %q: %s", pipe, ds.name, strings.Join(extra, ", "))}
	}
	for _, c := range output {
		tc, _ := target.Lookup(c.Name)
		if !typesCompatible(c.Type.ch, tc.Type.ch) {
			return []string{fmt.Sprintf("Materialized view %q column %q type mismatch: output has %q but target datasource %q expects %q", pipe, c.Name, c.Type.ch, ds.name, tc.Type.ch)}
		}
	}
	return nil
}

func validateConnection(l *problemList, c Connection) {
	res := fmt.Sprintf("%s connection %q", c.ConnectionType(), c.Name())
	l.addRule(c.position(), res, "", rules.CheckName(rules.SubjectConnection, c.Name()))
	for _, msg := range c.problems() {
		l.add(c.position(), res, "", "", msg)
	}
}

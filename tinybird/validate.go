package tinybird

import (
	"fmt"
	"reflect"

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

// ruleColumns returns a schema as the rules see it. JSON paths are left
// out when the datafile omits them.
func ruleColumns(s Schema, jsonPaths bool) []rules.Column {
	cols := make([]rules.Column, len(s))
	for i, c := range s {
		cols[i] = rules.Column{Name: c.Name, Type: c.Type.ch}
		if jsonPaths {
			cols[i].JSONPath = c.jsonPath()
		}
	}
	return cols
}

// ruleEngine returns an engine as the rules see it.
func ruleEngine(e Engine) rules.Engine {
	_, allowNullable := e.settings["allow_nullable_key"]
	return rules.Engine{
		Kind: string(e.kind), SortingKey: e.sortingKey, PrimaryKey: e.primaryKey,
		PartitionKey: e.partitionKey, TTL: e.ttl, Ver: e.ver, IsDeleted: e.isDeleted,
		Sign: e.sign, Version: e.version, SummingColumns: e.columns, AllowNullableKey: allowNullable,
	}
}

// locatedField returns the option a rules finding is about: "Schema[2]",
// "Engine.SortingKey[0]", "Nodes[1]". list is the option holding the
// columns.
func locatedField(list string, f rules.Located) string {
	var name string
	switch f.Field {
	case rules.FieldColumns:
		name = list
	case rules.FieldNodes:
		name = "Nodes"
	case "":
		return list
	default:
		name = "Engine." + string(f.Field)
	}
	if f.Index >= 0 {
		name += fmt.Sprintf("[%d]", f.Index)
	}
	return name
}

func addLocated(l *problemList, pos position, resource, list string, fs []rules.Located) {
	for _, f := range fs {
		l.add(pos, resource, locatedField(list, f), f.Code, f.Message)
	}
}

// checkDefaults checks what the type constructors recorded and the
// default values of a datasource's columns (TB507).
func checkDefaults(l *problemList, pos position, resource string, s Schema) {
	for i, c := range s {
		f := fmt.Sprintf("Schema[%d]", i)
		if c.Type.err != "" {
			l.add(pos, resource, f, rules.TB507, rules.DefaultProblem(c.Name, c.Type.err).Message)
		}
		if c.Type.mods.hasDefault && !c.Type.mods.defaultIsExpr {
			if _, ok := defaultLiteral(c.Type.mods.defaultValue, c.Type.ch); !ok {
				p := rules.DefaultProblem(c.Name, fmt.Sprintf("default value of type %T cannot be written in a datafile: use a string, number, bool, time.Time, nil, slice, map or struct, or DefaultExpr.", c.Type.mods.defaultValue))
				l.add(pos, resource, f, p.Code, p.Message)
			}
		}
	}
}

// connector returns the connector whose columns (Kafka's __timestamp, …)
// the datasource has besides its Schema, which engine keys may name.
func (d *Datasource) connector() string {
	switch {
	case d.options.Kafka != nil:
		return rules.ConnectorKafka
	case d.options.DynamoDB != nil:
		return rules.ConnectorDynamoDB
	}
	return rules.ConnectorNone
}

func (d *Datasource) validate(l *problemList) {
	o, pos, res := d.options, d.pos, d.label()
	l.addRule(pos, res, "", rules.CheckName(rules.SubjectDatasource, d.name))
	if len(o.Schema) == 0 {
		l.add(pos, res, "Schema", rules.TB501, rules.NoColumnsMessage(d.name))
	}
	cols := ruleColumns(o.Schema, !o.OmitJSONPaths)
	addLocated(l, pos, res, "Schema", rules.CheckColumns("Schema", cols))
	checkDefaults(l, pos, res, o.Schema)
	addLocated(l, pos, res, "Engine", rules.CheckEngine(ruleEngine(o.Engine), rules.WithConnectorColumns(d.connector(), cols)))
	for k, v := range o.Engine.settings {
		switch reflect.ValueOf(v).Kind() {
		case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		default:
			p := rules.EngineSettingProblem(k, fmt.Sprintf("%T", v))
			l.add(pos, res, "Engine", p.Code, p.Message)
		}
	}
	n := 0
	for _, set := range []bool{o.Kafka != nil, o.S3 != nil, o.GCS != nil, o.DynamoDB != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		p := rules.ManyIngestions()
		l.add(pos, res, "", p.Code, p.Message)
	}
	for _, in := range []struct {
		option string
		set    bool
		conn   bool
	}{
		{"Kafka", o.Kafka != nil, o.Kafka != nil && o.Kafka.Connection != nil},
		{"S3", o.S3 != nil, o.S3 != nil && o.S3.Connection != nil},
		{"GCS", o.GCS != nil, o.GCS != nil && o.GCS.Connection != nil},
		{"DynamoDB", o.DynamoDB != nil, o.DynamoDB != nil && o.DynamoDB.Connection != nil},
	} {
		if in.set && !in.conn {
			p := rules.IngestionNoConnection(in.option)
			l.add(pos, res, in.option+".Connection", p.Code, p.Message)
		}
	}
	for i, ix := range o.Indexes {
		l.addRule(pos, res, fmt.Sprintf("Indexes[%d]", i), rules.CheckIndex(rules.Index{Name: ix.Name, Expr: ix.Expr, Type: ix.Type, Granularity: int64(ix.Granularity)}))
	}
	l.addRule(pos, res, "Backfill", rules.CheckBackfill(string(o.Backfill)))
	checkTokens(l, pos, res, rules.KindDatasource, o.Tokens)
}

func (p *Pipe) validate(l *problemList) {
	o, pos, res := p.opts, p.pos, p.label()
	l.addRule(pos, res, "", rules.CheckName(rules.SubjectPipe, p.name))
	nodes := make([]rules.Node, len(o.Nodes))
	for i, n := range o.Nodes {
		nodes[i] = rules.Node{Name: n.Name, SQL: n.SQL}
	}
	addLocated(l, pos, res, "Nodes", rules.CheckNodes(p.name, nodes))
	add := func(field string, pr rules.Problem) { l.add(pos, res, field, pr.Code, pr.Message) }
	if p.sink != nil {
		p.validateSink(l)
	} else {
		if (o.Endpoint != nil || o.Materialized != nil) && len(o.Output) == 0 {
			add("Output", rules.PipeNoOutput(p.name))
		}
		n := 0
		for _, set := range []bool{o.Endpoint != nil, o.Materialized != nil, o.Copy != nil} {
			if set {
				n++
			}
		}
		if n > 1 {
			add("", rules.PipeManyTypes(p.name))
		}
	}
	// A materialized view's or copy pipe's output is its target's schema,
	// whose columns are checked with the datasource.
	if p.defineFunc == "DefinePipe" || p.defineFunc == "DefineEndpoint" {
		addLocated(l, pos, res, "Output", rules.CheckOutputColumns("Output", ruleColumns(o.Output, false)))
	}
	if e := o.Endpoint; e != nil && e.Cache != nil {
		l.addRule(pos, res, "Cache.TTL", rules.CheckCacheTTL(int64(e.Cache.TTL), e.Cache.TTL.String()))
	}
	if m := o.Materialized; m != nil {
		if m.Datasource == nil {
			add("Datasource", rules.MaterializedNoTarget(p.name))
		} else if len(o.Output) > 0 {
			l.addRule(pos, res, "Output", rules.CheckMaterializedSchema(p.name, ruleColumns(o.Output, false), m.Datasource.name, ruleColumns(m.Datasource.options.Schema, false)))
		}
		if m.DeploymentMethod != "" && m.DeploymentMethod != DeployAlter {
			add("DeploymentMethod", rules.UnknownDeploymentMethod(string(m.DeploymentMethod)))
		}
	}
	if c := o.Copy; c != nil {
		if c.Datasource == nil {
			add("Datasource", rules.CopyNoTarget(p.name))
		}
		l.addRule(pos, res, "Mode", rules.CheckCopyMode(string(c.Mode)))
	}
	checkTokens(l, pos, res, p.kind(), o.Tokens)
}

func (p *Pipe) validateSink(l *problemList) {
	s, pos, res, name := p.sink, p.pos, p.label(), p.name
	add := func(field string, pr rules.Problem) { l.add(pos, res, field, pr.Code, pr.Message) }
	switch {
	case s.Kafka != nil && s.S3 != nil:
		add("", rules.SinkBothTargets(name))
	case s.Kafka == nil && s.S3 == nil:
		add("", rules.SinkNoTarget(name))
	case s.Kafka != nil:
		k := s.Kafka
		if k.Connection == nil {
			add("Kafka.Connection", rules.SinkNoConnection(name, "kafka"))
		}
		if jsTrim(k.Topic) == "" {
			add("Kafka.Topic", rules.SinkEmpty(name, "topic"))
		}
		if jsTrim(k.Schedule) == "" {
			add("Kafka.Schedule", rules.SinkEmpty(name, "schedule"))
		}
	default:
		k := s.S3
		if k.Connection == nil {
			add("S3.Connection", rules.SinkNoConnection(name, "s3"))
		}
		for _, f := range []struct{ field, setting, value string }{
			{"S3.BucketURI", "bucketUri", k.BucketURI}, {"S3.FileTemplate", "fileTemplate", k.FileTemplate},
			{"S3.Format", "format", k.Format}, {"S3.Schedule", "schedule", k.Schedule},
		} {
			if jsTrim(f.value) == "" {
				add(f.field, rules.SinkEmpty(name, f.setting))
			}
		}
		l.addRule(pos, res, "S3.Strategy", rules.CheckSinkStrategy(name, string(k.Strategy)))
		l.addRule(pos, res, "S3.Compression", rules.CheckSinkCompression(name, string(k.Compression)))
	}
}

func validateConnection(l *problemList, c Connection) {
	res := fmt.Sprintf("%s connection %q", c.ConnectionType(), c.Name())
	l.addRule(c.position(), res, "", rules.CheckName(rules.SubjectConnection, c.Name()))
	l.addRule(c.position(), res, "", c.problem())
}

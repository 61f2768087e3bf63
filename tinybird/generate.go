package tinybird

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Datafile returns the text of the datasource's .datasource datafile,
// byte-identical to generateDatasource(ds).content of @tinybirdco/sdk
// 0.0.84 for the same definition. It does not validate: call
// (*Project).Validate first (WriteDatafiles does).
func (d *Datasource) Datafile() string {
	o := d.options
	var parts []string
	if o.Description != "" {
		parts = append(parts, "DESCRIPTION >\n    "+o.Description, "")
	}
	parts = append(parts, schemaBlock(o.Schema, !o.OmitJSONPaths), "")
	parts = append(parts, o.Engine.clause())
	if len(o.Indexes) > 0 {
		lines := []string{"INDEXES >"}
		for _, ix := range o.Indexes {
			lines = append(lines, "    "+ix.Name+" "+ix.Expr+" TYPE "+ix.Type+" GRANULARITY "+strconv.Itoa(ix.Granularity))
		}
		parts = append(parts, "", strings.Join(lines, "\n"))
	}
	if o.Backfill == BackfillSkip {
		parts = append(parts, "", "BACKFILL skip")
	}
	if k := o.Kafka; k != nil {
		lines := []string{"KAFKA_CONNECTION_NAME " + connName(k.Connection), "KAFKA_TOPIC " + k.Topic}
		if k.GroupID != "" {
			lines = append(lines, "KAFKA_GROUP_ID "+k.GroupID)
		}
		if k.AutoOffsetReset != "" {
			lines = append(lines, "KAFKA_AUTO_OFFSET_RESET "+k.AutoOffsetReset)
		}
		if k.StoreRawValue != nil {
			v := "False"
			if *k.StoreRawValue {
				v = "True"
			}
			lines = append(lines, "KAFKA_STORE_RAW_VALUE "+v)
		}
		parts = append(parts, "", strings.Join(lines, "\n"))
	}
	if s := o.S3; s != nil {
		parts = append(parts, "", importBlock(connName(s.Connection), s.BucketURI, s.Schedule, s.FromTimestamp))
	}
	if g := o.GCS; g != nil {
		parts = append(parts, "", importBlock(connName(g.Connection), g.BucketURI, g.Schedule, g.FromTimestamp))
	}
	if dd := o.DynamoDB; dd != nil {
		parts = append(parts, "", "IMPORT_CONNECTION_NAME "+connName(dd.Connection)+"\nIMPORT_TABLE_ARN "+dd.TableARN+"\nIMPORT_EXPORT_BUCKET "+dd.ExportBucket)
	}
	if fq := jsTrim(o.ForwardQuery); fq != "" {
		lines := []string{"FORWARD_QUERY >"}
		for _, l := range crlfSplit.Split(fq, -1) {
			lines = append(lines, "    "+l)
		}
		parts = append(parts, "", strings.Join(lines, "\n"))
	}
	if lines := datasourceTokenLines(o.Tokens); len(lines) > 0 {
		parts = append(parts, "", strings.Join(lines, "\n"))
	}
	if len(o.SharedWith) > 0 {
		lines := []string{"SHARED_WITH >"}
		for i, w := range o.SharedWith {
			suffix := ""
			if i < len(o.SharedWith)-1 {
				suffix = ","
			}
			lines = append(lines, "    "+w+suffix)
		}
		parts = append(parts, "", strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n")
}

var crlfSplit = regexp.MustCompile(`\r?\n`)

// connName is a connection's name; a nil connection is reported by
// Validate, and writes an empty name here rather than panicking.
func connName(c Connection) string {
	switch c := c.(type) {
	case *KafkaConnection:
		if c != nil {
			return c.name
		}
	case *S3Connection:
		if c != nil {
			return c.name
		}
	case *GCSConnection:
		if c != nil {
			return c.name
		}
	case *DynamoDBConnection:
		if c != nil {
			return c.name
		}
	}
	return ""
}

func importBlock(conn, uri, schedule, from string) string {
	lines := []string{"IMPORT_CONNECTION_NAME " + conn, "IMPORT_BUCKET_URI " + uri}
	if schedule != "" {
		lines = append(lines, "IMPORT_SCHEDULE "+schedule)
	}
	if from != "" {
		lines = append(lines, "IMPORT_FROM_TIMESTAMP "+from)
	}
	return strings.Join(lines, "\n")
}

func schemaBlock(s Schema, jsonPaths bool) string {
	lines := make([]string, 0, len(s)+1)
	lines = append(lines, "SCHEMA >")
	for i, c := range s {
		line := columnLine(c, jsonPaths)
		if i < len(s)-1 {
			line += ","
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func columnLine(c Column, jsonPaths bool) string {
	t := c.Type
	parts := []string{"    " + c.Name + " " + t.ch}
	if jsonPaths {
		path := c.jsonPath()
		if path == "" {
			path = "$." + c.Name
		}
		parts = append(parts, "`json:"+path+"`")
	}
	if t.mods.hasDefault {
		if t.mods.defaultIsExpr {
			parts = append(parts, "DEFAULT "+t.mods.defaultExpr)
		} else {
			lit, _ := defaultLiteral(t.mods.defaultValue, t.ch)
			parts = append(parts, "DEFAULT "+lit)
		}
	}
	if t.mods.codec != "" {
		parts = append(parts, "CODEC("+t.mods.codec+")")
	}
	return strings.Join(parts, " ")
}

// defaultLiteral writes a column default as the TypeScript SDK's
// formatDefaultValue does. It reports false for a value it cannot write
// (Validate reports those).
func defaultLiteral(v any, chType string) (string, bool) {
	if t, ok := v.(time.Time); ok {
		iso := t.UTC().Format("2006-01-02T15:04:05.000Z")
		if strings.HasPrefix(chType, "Date") && !strings.Contains(chType, "Time") {
			return "'" + iso[:10] + "'", true
		}
		return "'" + strings.Replace(iso, "T", " ", 1)[:19] + "'", true
	}
	if v == nil {
		return "NULL", true
	}
	// Go's named string, bool and number types are JavaScript's primitives.
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return "'" + strings.ReplaceAll(rv.String(), "'", `\'`) + "'", true
	case reflect.Bool:
		if rv.Bool() {
			return "1", true
		}
		return "0", true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return jsString(v), true
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return "NULL", true
		}
		return defaultLiteral(rv.Elem().Interface(), chType)
	}
	s, ok := jsonStringify(v)
	if !ok {
		return "'" + strings.ReplaceAll(jsString(v), "'", `\'`) + "'", false
	}
	return s, true
}

func datasourceTokenLines(tokens []TokenAccess) []string {
	var lines []string
	for _, a := range tokens {
		if !a.Token.IsZero() {
			lines = append(lines, "TOKEN "+a.Token.name+" "+string(a.Scope))
			continue
		}
		for _, perm := range a.Permissions {
			lines = append(lines, "TOKEN "+a.Name+" "+string(perm))
		}
	}
	return lines
}

func pipeTokenLines(tokens []TokenAccess) []string {
	lines := make([]string, 0, len(tokens))
	for _, a := range tokens {
		if !a.Token.IsZero() {
			lines = append(lines, "TOKEN "+a.Token.name+" "+string(a.Scope))
		} else {
			lines = append(lines, "TOKEN "+a.Name+" READ")
		}
	}
	return lines
}

// Datafile returns the text of the pipe's .pipe datafile, byte-identical to
// generatePipe(p).content of @tinybirdco/sdk 0.0.84 for the same definition.
// It does not validate: call (*Project).Validate first (WriteDatafiles does).
func (p *Pipe) Datafile() string {
	o := p.opts
	var parts []string
	if o.Description != "" {
		parts = append(parts, "DESCRIPTION >\n    "+o.Description, "")
	}
	for i, n := range o.Nodes {
		parts = append(parts, nodeText(n, o.Params))
		if i < len(o.Nodes)-1 {
			parts = append(parts, "")
		}
	}
	if e := o.Endpoint; e != nil {
		text := "TYPE endpoint"
		if e.Cache != nil && e.Cache.Enabled {
			ttl := int64(60)
			if e.Cache.TTL != 0 {
				ttl = int64(e.Cache.TTL / time.Second)
			}
			text += "\nCACHE " + strconv.FormatInt(ttl, 10)
		}
		parts = append(parts, "", text)
	}
	if m := o.Materialized; m != nil {
		text := "TYPE MATERIALIZED\nDATASOURCE " + dsName(m.Datasource)
		if m.DeploymentMethod == DeployAlter {
			text += "\nDEPLOYMENT_METHOD alter"
		}
		parts = append(parts, "", text)
	}
	if c := o.Copy; c != nil {
		text := "TYPE COPY\nTARGET_DATASOURCE " + dsName(c.Datasource)
		if c.Schedule != "" {
			text += "\nCOPY_SCHEDULE " + c.Schedule
		}
		if c.Mode != "" {
			text += "\nCOPY_MODE " + string(c.Mode)
		}
		parts = append(parts, "", text)
	}
	if s := p.sink; s != nil {
		var lines []string
		switch {
		case s.Kafka != nil:
			lines = []string{"TYPE sink", "EXPORT_CONNECTION_NAME " + connName(s.Kafka.Connection),
				"EXPORT_KAFKA_TOPIC " + s.Kafka.Topic, "EXPORT_SCHEDULE " + s.Kafka.Schedule}
		case s.S3 != nil:
			k := s.S3
			lines = []string{"TYPE sink", "EXPORT_CONNECTION_NAME " + connName(k.Connection),
				"EXPORT_BUCKET_URI " + k.BucketURI, "EXPORT_FILE_TEMPLATE " + k.FileTemplate,
				"EXPORT_SCHEDULE " + k.Schedule, "EXPORT_FORMAT " + k.Format}
			if k.Strategy != "" {
				lines = append(lines, "EXPORT_STRATEGY "+string(k.Strategy))
			}
			if k.Compression != "" {
				lines = append(lines, "EXPORT_COMPRESSION "+string(k.Compression))
			}
		}
		if lines != nil {
			parts = append(parts, "", strings.Join(lines, "\n"))
		}
	}
	if lines := pipeTokenLines(o.Tokens); len(lines) > 0 {
		parts = append(parts, "", strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n")
}

func dsName(d *Datasource) string {
	if d == nil {
		return ""
	}
	return d.name
}

var (
	dynamicVar   = regexp.MustCompile(`\{\{[^}]+\}\}`)
	dynamicBlock = regexp.MustCompile(`\{%[^%]+%\}`)
)

func nodeText(n Node, params Params) string {
	parts := []string{"NODE " + n.Name}
	if n.Description != "" {
		parts = append(parts, "DESCRIPTION >", "    "+n.Description)
	}
	parts = append(parts, "SQL >")
	if dynamicVar.MatchString(n.SQL) || dynamicBlock.MatchString(n.SQL) {
		parts = append(parts, "    %")
	}
	sql := jsTrim(applyParamMetadata(n.SQL, params))
	for _, line := range strings.Split(sql, "\n") {
		parts = append(parts, "    "+line)
	}
	return strings.Join(parts, "\n")
}

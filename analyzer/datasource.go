package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// Datasource checks datasources and connections: columns, types, JSON
// paths, engine keys and columns, indexes, ingestion (TB501–TB540).
var Datasource = newAnalyzer(rules.AnalyzerDatasource, runDatasource)

func runDatasource(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerDatasource)
	defer r.finish()
	idx := index(pass)
	ev := &evaluator{pass: pass, idx: idx}
	for n := range idx.nodes.all {
		if n.call == nil || len(n.call.Args) != 2 {
			continue
		}
		switch n.name {
		case "DefineDatasource":
			checkDatasource(ev, r, n.call)
		case "DefineS3Connection", "DefineGCSConnection", "DefineDynamoDBConnection":
			checkConnection(ev, r, n.name, n.call.Args[1])
		}
	}
	return nil, nil
}

// optionsLit returns the options literal e denotes, written in the call or
// held in a package-level variable, with its struct type.
func optionsLit(ev *evaluator, e ast.Expr) (*ast.CompositeLit, *types.Struct, bool) {
	lit, ok := ev.follow(e).(*ast.CompositeLit)
	if !ok {
		return nil, nil, false
	}
	st := structOf(infoOf(ev.pass), lit)
	return lit, st, st != nil
}

// litAt is where to report a problem of a whole options literal: its type
// name, or the literal when the type is elided.
func litAt(lit *ast.CompositeLit) analysis.Range {
	if lit.Type != nil {
		return lit.Type
	}
	return lit
}

// checkDatasource checks the options of a DefineDatasource call.
func checkDatasource(ev *evaluator, r *reporter, call *ast.CallExpr) {
	info := infoOf(ev.pass)
	name, nameOK := constString(info, call.Args[0])
	lit, st, ok := optionsLit(ev, call.Args[1])
	if !ok || sdkType(info.TypeOf(lit)) != "DatasourceOptions" {
		return
	}
	fields := map[string]field{}
	eachField(st, lit, func(n string, f field) { fields[n] = f })

	// Columns.
	var schema staticSchema
	schemaOK := true
	if f, set := fields["Schema"]; set {
		schema, schemaOK = ev.schemaOf(f.value)
	}
	jsonPaths := true
	if f, set := fields["OmitJSONPaths"]; set {
		tv, ok := info.Types(f.value)
		switch {
		case !ok || tv.Value == nil:
			jsonPaths = false // unknown: no path is judged
		default:
			jsonPaths = tv.Value.String() == "false"
		}
	}
	if schemaOK && len(schema.cols) == 0 && nameOK {
		at := litAt(lit)
		if f, set := fields["Schema"]; set {
			at = f.elt
		}
		r.report(at, &rules.Problem{Code: rules.TB501, Message: rules.NoColumnsMessage(name)})
	}
	if schemaOK {
		checkSchemaColumns(ev, r, schema, "Schema", jsonPaths, false)
	}

	// Engine.
	if f, set := fields["Engine"]; set && schemaOK {
		se, known := ev.engineOf(f.value)
		if known && schema.known() {
			for _, l := range rules.CheckEngine(se.e, rules.WithConnectorColumns(connectorOf(info, fields), schema.ruleColumns(false))) {
				at, fixes := engineAt(ev.pass, se, l)
				r.report(at, &l.Problem, fixes...)
			}
		}
		for _, b := range se.badSettings {
			p := rules.EngineSettingProblem(b.key, b.typ)
			r.report(b.elt, &p)
		}
	}

	// Indexes.
	if f, set := fields["Indexes"]; set {
		if list, ok := ev.follow(f.value).(*ast.CompositeLit); ok {
			for _, elt := range list.Elts {
				checkIndex(ev, r, elt)
			}
		}
	}

	// Ingestion.
	var ingestions []string
	for _, opt := range []string{"Kafka", "S3", "GCS", "DynamoDB"} {
		f, set := fields[opt]
		if !set || isNilValue(info, f.value) {
			continue
		}
		cfg, ok := addressedLit(ev, f.value)
		if !ok {
			continue // perhaps nil: not counted
		}
		ingestions = append(ingestions, opt)
		cst := structOf(info, cfg)
		conn, set := fieldOf(cst, cfg, "Connection")
		if !set || isNilValue(info, conn.value) {
			p := rules.IngestionNoConnection(opt)
			at := analysis.Range(f.elt)
			if set {
				at = conn.elt
			}
			r.report(at, &p)
		}
	}
	if len(ingestions) > 1 {
		p := rules.ManyIngestions()
		r.report(fields[ingestions[1]].elt, &p)
	}

	if f, set := fields["Backfill"]; set {
		if s, ok := constString(info, f.value); ok {
			if p := rules.CheckBackfill(s); p != nil {
				r.report(f.value, p)
			}
		}
	}
}

// addressedLit returns the composite literal of &T{…}, written there or
// held in a package-level variable.
func addressedLit(ev *evaluator, e ast.Expr) (*ast.CompositeLit, bool) {
	u, ok := ev.follow(e).(*ast.UnaryExpr)
	if !ok || u.Op != token.AND {
		return nil, false
	}
	lit, ok := ast.Unparen(u.X).(*ast.CompositeLit)
	return lit, ok
}

// checkSchemaColumns reports the column problems of a schema; output
// selects the checks of a pipe's output.
func checkSchemaColumns(ev *evaluator, r *reporter, s staticSchema, list string, jsonPaths, output bool) {
	cols := s.ruleColumns(jsonPaths)
	var found []rules.Located
	if output {
		found = rules.CheckOutputColumns(list, cols)
	} else {
		found = rules.CheckColumns(list, cols)
	}
	for _, l := range found {
		if !s.keep(l) {
			continue
		}
		var fixes []analysis.SuggestedFix
		if l.Code == rules.TB503 && s.lit != nil {
			fixes = append(fixes, removeFix(ev.pass, "Remove the duplicate column", s.lit, l.Index))
		}
		r.report(s.at(l), &l.Problem, fixes...)
	}
	if output {
		return
	}
	for _, c := range s.cols {
		if c.emptyDefaultAt != nil {
			p := rules.DefaultProblem(nameOr(c), rules.EmptyDefaultExpr)
			r.report(c.emptyDefaultAt, &p)
		}
	}
}

func nameOr(c staticColumn) string {
	if c.nameOK {
		return c.name
	}
	return "?"
}

// engineAt returns where an engine finding is reported, and its fixes.
func engineAt(pass *analysis.Pass, se staticEngine, l rules.Located) (analysis.Range, []analysis.SuggestedFix) {
	var at ast.Expr
	if list, ok := se.lists[l.Field]; ok && l.Index >= 0 && l.Index < len(list.elts) {
		at = list.elts[l.Index]
	} else if e, ok := se.fields[l.Field]; ok {
		at = e
	}
	if at == nil {
		return se.call, nil
	}
	var fixes []analysis.SuggestedFix
	if l.Code == rules.TB510 && l.Suggest != "" {
		if fix, ok := columnFix(at, l); ok {
			fixes = append(fixes, fix)
		}
	}
	return at, fixes
}

// columnFix renames the unknown column a TB510 finding names to its
// suggestion, inside a string literal that names it once as a word.
func columnFix(at ast.Expr, l rules.Located) (analysis.SuggestedFix, bool) {
	lit, ok := ast.Unparen(at).(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return analysis.SuggestedFix{}, false
	}
	val, err := strconv.Unquote(lit.Value)
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	unknown, ok := unknownColumn(l.Message)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	i, n := wordIndex(val, unknown)
	if n != 1 {
		return analysis.SuggestedFix{}, false
	}
	fixed := val[:i] + l.Suggest + val[i+len(unknown):]
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Use column %q", l.Suggest),
		TextEdits: []analysis.TextEdit{{Pos: lit.Pos(), End: lit.End(), NewText: []byte(strconv.Quote(fixed))}},
	}, true
}

// unknownColumn reads the column a TB510 message names: its first quoted
// string.
func unknownColumn(msg string) (string, bool) {
	i := strings.IndexByte(msg, '"')
	if i < 0 {
		return "", false
	}
	s, err := strconv.QuotedPrefix(msg[i:])
	if err != nil {
		return "", false
	}
	name, err := strconv.Unquote(s)
	return name, err == nil
}

// wordIndex returns where word occurs in s as a whole identifier, and how
// many times it does.
func wordIndex(s, word string) (at, n int) {
	at = -1
	isWord := func(c byte) bool {
		return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	for i := 0; i+len(word) <= len(s); i++ {
		if s[i:i+len(word)] != word {
			continue
		}
		if i > 0 && isWord(s[i-1]) || i+len(word) < len(s) && isWord(s[i+len(word)]) {
			continue
		}
		if n == 0 {
			at = i
		}
		n++
	}
	return at, n
}

// checkIndex checks one Index literal of constants.
func checkIndex(ev *evaluator, r *reporter, elt ast.Expr) {
	info := infoOf(ev.pass)
	lit, ok := ev.follow(elt).(*ast.CompositeLit)
	if !ok || sdkType(info.TypeOf(lit)) != "Index" {
		return
	}
	st := structOf(info, lit)
	var ix rules.Index
	known := true
	eachField(st, lit, func(name string, f field) {
		switch name {
		case "Name", "Expr", "Type":
			s, ok := constString(info, f.value)
			if !ok {
				known = false
			}
			switch name {
			case "Name":
				ix.Name = s
			case "Expr":
				ix.Expr = s
			default:
				ix.Type = s
			}
		case "Granularity":
			v, ok := constInt64(info, f.value)
			known = known && ok
			ix.Granularity = v
		}
	})
	if !known {
		return
	}
	if p := rules.CheckIndex(ix); p != nil {
		r.report(elt, p)
	}
}

// checkConnection checks the options of a Define…Connection call (TB540).
func checkConnection(ev *evaluator, r *reporter, fn string, opts ast.Expr) {
	lit, st, ok := optionsLit(ev, opts)
	if !ok {
		return
	}
	vals := map[string]string{}
	known := true
	eachField(st, lit, func(name string, f field) {
		s, ok := ev.str(f.value)
		if !ok {
			known = false
		}
		vals[name] = s
	})
	if !known {
		return
	}
	var p *rules.Problem
	switch fn {
	case "DefineS3Connection":
		p = rules.S3Credentials(vals["ARN"], vals["AccessKey"], vals["Secret"])
	case "DefineGCSConnection":
		p = rules.GCSCredentials(vals["ServiceAccountCredentialsJSON"])
	case "DefineDynamoDBConnection":
		p = rules.DynamoDBSettings(vals["Region"], vals["ARN"])
	}
	if p != nil {
		r.report(litAt(lit), p)
	}
}

// connectorOf returns the connector whose columns a datasource of these
// options has besides its Schema: Kafka or DynamoDB when that field is set
// to something other than nil, none when neither field is set, and
// unknown when one is set to a value that may be nil.
func connectorOf(info *TypesInfo, fields map[string]field) string {
	for _, c := range []struct{ field, connector string }{{"Kafka", rules.ConnectorKafka}, {"DynamoDB", rules.ConnectorDynamoDB}} {
		f, set := fields[c.field]
		switch {
		case !set || isNilValue(info, f.value):
			continue
		case isNonNil(f.value):
			return c.connector
		default:
			return rules.ConnectorUnknown
		}
	}
	return rules.ConnectorNone
}

// isNonNil reports whether e is certainly not nil: the address of a
// composite literal.
func isNonNil(e ast.Expr) bool {
	u, ok := ast.Unparen(e).(*ast.UnaryExpr)
	if !ok {
		return false
	}
	_, lit := ast.Unparen(u.X).(*ast.CompositeLit)
	return lit
}

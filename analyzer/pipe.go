package analyzer

import (
	"go/ast"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// Pipe checks pipes: nodes, output, the pipe's type, cache, materialized
// views, copy and sink pipes (TB601–TB643).
var Pipe = newAnalyzer(rules.AnalyzerPipe, runPipe)

// pipeFuncs are the SDK's pipe Define functions, with their options type.
var pipeFuncs = map[string]string{
	"DefinePipe": "PipeOptions", "DefineEndpoint": "EndpointOptions",
	"DefineMaterializedView": "MaterializedViewOptions", "DefineCopyPipe": "CopyPipeOptions",
	"DefineSinkPipe": "SinkPipeOptions",
}

func runPipe(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerPipe)
	defer r.finish()
	idx := index(pass)
	ev := &evaluator{pass: pass, idx: idx}
	for n := range idx.nodes.all {
		if n.call == nil || len(n.call.Args) != 2 {
			continue
		}
		if want, ok := pipeFuncs[n.name]; ok {
			checkPipe(ev, r, n.name, want, n.call)
		}
	}
	return nil, nil
}

// checkPipe checks the options of a pipe's Define call. The checks whose
// messages name the pipe need its name to be constant.
func checkPipe(ev *evaluator, r *reporter, fn, optsType string, call *ast.CallExpr) {
	info := infoOf(ev.pass)
	name, nameOK := constString(info, call.Args[0])
	lit, st, ok := optionsLit(ev, call.Args[1])
	if !ok || sdkType(info.TypeOf(lit)) != optsType || !nameOK {
		return
	}
	fields := map[string]field{}
	eachField(st, lit, func(n string, f field) { fields[n] = f })
	set := func(name string) (field, bool) {
		f, ok := fields[name]
		if !ok || isNilValue(info, f.value) {
			return field{}, false
		}
		return f, true
	}
	report := func(at analysis.Range, p rules.Problem) { r.report(at, &p) }

	// Nodes.
	nodesField, hasNodes := fields["Nodes"]
	switch {
	case !hasNodes || isNilValue(info, nodesField.value):
		at := litAt(lit)
		if hasNodes {
			at = nodesField.elt
		}
		report(at, rules.CheckNodes(name, nil)[0].Problem)
	default:
		if list, ok := ev.follow(nodesField.value).(*ast.CompositeLit); ok {
			checkNodes(ev, r, name, list)
		}
	}

	// Output, and the pipe's type.
	outputField, hasOutput := fields["Output"]
	var output staticSchema
	outputOK := true
	if hasOutput {
		output, outputOK = ev.schemaOf(outputField.value)
	}
	materialized := fn == "DefineMaterializedView"
	var target ast.Expr // a materialized view's Datasource field
	var cfgs = map[string]*ast.CompositeLit{}
	if fn == "DefinePipe" {
		for _, k := range []string{"Endpoint", "Materialized", "Copy"} {
			f, ok := set(k)
			if !ok {
				continue
			}
			cfg, ok := addressedLit(ev, f.value)
			if !ok {
				continue // perhaps nil: not judged
			}
			cfgs[k] = cfg
		}
		_, endpoint := cfgs["Endpoint"]
		_, materialized = cfgs["Materialized"]
		n := 0
		for range cfgs {
			n++
		}
		if n > 1 {
			report(litAt(lit), rules.PipeManyTypes(name))
		}
		if (endpoint || materialized) && outputOK && len(output.cols) == 0 {
			at := litAt(lit)
			if hasOutput {
				at = outputField.elt
			}
			report(at, rules.PipeNoOutput(name))
		}
	}
	if fn == "DefineEndpoint" && outputOK && len(output.cols) == 0 {
		at := litAt(lit)
		if hasOutput {
			at = outputField.elt
		}
		report(at, rules.PipeNoOutput(name))
	}
	if (fn == "DefinePipe" || fn == "DefineEndpoint") && hasOutput && outputOK {
		checkSchemaColumns(ev, r, output, "Output", false, true)
	}

	// Endpoint cache.
	var cache ast.Expr
	switch fn {
	case "DefineEndpoint":
		if f, ok := set("Cache"); ok {
			cache = f.value
		}
	case "DefinePipe":
		if cfg := cfgs["Endpoint"]; cfg != nil {
			est := structOf(info, cfg)
			if f, ok := fieldOf(est, cfg, "Cache"); ok && !isNilValue(info, f.value) {
				cache = f.value
			}
		}
	}
	if cache != nil {
		if c, ok := addressedLit(ev, cache); ok {
			cst := structOf(info, c)
			if f, ok := fieldOf(cst, c, "TTL"); ok {
				if ns, ok := constInt64(info, f.value); ok {
					if p := rules.CheckCacheTTL(ns, time.Duration(ns).String()); p != nil {
						r.report(f.value, p)
					}
				}
			}
		}
	}

	// Materialized views and copy pipes: the target and its settings.
	// DefinePipe carries them in its Materialized and Copy configs, which
	// Validate checks both when both are set.
	type targetCfg struct {
		lit    *ast.CompositeLit
		fields map[string]field
		mv     bool
	}
	var targets []targetCfg
	switch fn {
	case "DefineMaterializedView", "DefineCopyPipe":
		targets = append(targets, targetCfg{lit, fields, materialized})
	case "DefinePipe":
		for _, k := range []string{"Materialized", "Copy"} {
			cfg := cfgs[k]
			if cfg == nil {
				continue
			}
			tst := structOf(info, cfg)
			tf := map[string]field{}
			eachField(tst, cfg, func(n string, f field) { tf[n] = f })
			targets = append(targets, targetCfg{cfg, tf, k == "Materialized"})
		}
	}
	for _, tc := range targets {
		f, ok := tc.fields["Datasource"]
		if ok && tc.mv {
			target = f.value
		}
		if !ok || isNilValue(info, f.value) {
			at := litAt(tc.lit)
			if ok {
				at = f.elt
			}
			if tc.mv {
				report(at, rules.MaterializedNoTarget(name))
				if fn == "DefineMaterializedView" {
					// Its output is the target's schema: none.
					report(at, rules.PipeNoOutput(name))
				}
			} else {
				report(at, rules.CopyNoTarget(name))
			}
		}
		if f, ok := tc.fields["DeploymentMethod"]; ok && tc.mv {
			if s, ok := constString(info, f.value); ok && s != "" && s != "alter" {
				report(f.value, rules.UnknownDeploymentMethod(s))
			}
		}
		if f, ok := tc.fields["Mode"]; ok && !tc.mv {
			if s, ok := constString(info, f.value); ok {
				if p := rules.CheckCopyMode(s); p != nil {
					r.report(f.value, p)
				}
			}
		}
	}
	if fn == "DefinePipe" && materialized && target != nil && hasOutput && outputOK && output.known() && len(output.cols) > 0 {
		checkMaterializedOutput(ev, r, name, output, target, outputField.elt)
	}

	if fn == "DefineSinkPipe" {
		checkSink(ev, r, name, lit, fields)
	}
}

// checkNodes checks a Nodes literal. Unknown names and SQL count as
// distinct and present, so that only what is certain is reported; node
// names themselves (TB103) are the resourcename analyzer's.
func checkNodes(ev *evaluator, r *reporter, pipe string, list *ast.CompositeLit) {
	info := infoOf(ev.pass)
	nodes := make([]rules.Node, len(list.Elts))
	nameAt := make([]ast.Expr, len(list.Elts))
	sqlAt := make([]ast.Expr, len(list.Elts))
	for i, elt := range list.Elts {
		nodes[i] = rules.Node{Name: "_tbvet_unknown_node_" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)), SQL: "SELECT"}
		nameAt[i], sqlAt[i] = elt, elt
		lit, ok := ev.follow(elt).(*ast.CompositeLit)
		if !ok || sdkType(info.TypeOf(lit)) != "Node" {
			continue
		}
		st := structOf(info, lit)
		nodes[i].SQL = "" // left out: empty
		eachField(st, lit, func(name string, f field) {
			switch name {
			case "Name":
				nameAt[i] = f.value
				if s, ok := constString(info, f.value); ok {
					nodes[i].Name = s
				}
			case "SQL":
				sqlAt[i] = f.value
				s, ok := constString(info, f.value)
				if !ok {
					s = "SELECT"
				}
				nodes[i].SQL = s
			}
		})
	}
	for _, l := range rules.CheckNodes(pipe, nodes) {
		switch l.Code {
		case rules.TB601:
			r.report(list, &l.Problem)
		case rules.TB602:
			r.report(nameAt[l.Index], &l.Problem)
		case rules.TB603:
			r.report(sqlAt[l.Index], &l.Problem)
		}
	}
}

// checkMaterializedOutput checks a materialized view's Output against its
// target datasource, when the target is a package-level variable defined
// with constant columns (TB621).
func checkMaterializedOutput(ev *evaluator, r *reporter, pipe string, output staticSchema, target ast.Expr, at ast.Node) {
	call, ok := ev.follow(target).(*ast.CallExpr)
	if !ok || sdkFunc(infoOf(ev.pass), call) != "DefineDatasource" || len(call.Args) != 2 {
		return
	}
	dsName, ok := constString(infoOf(ev.pass), call.Args[0])
	if !ok {
		return
	}
	lit, st, ok := optionsLit(ev, call.Args[1])
	if !ok {
		return
	}
	f, ok := fieldOf(st, lit, "Schema")
	if !ok {
		return
	}
	schema, ok := ev.schemaOf(f.value)
	if !ok || !schema.known() {
		return
	}
	if p := rules.CheckMaterializedSchema(pipe, output.ruleColumns(false), dsName, schema.ruleColumns(false)); p != nil {
		r.report(at, p)
	}
}

// checkSink checks a SinkPipeOptions literal (TB640–TB643).
func checkSink(ev *evaluator, r *reporter, pipe string, lit *ast.CompositeLit, fields map[string]field) {
	info := infoOf(ev.pass)
	report := func(at analysis.Range, p rules.Problem) { r.report(at, &p) }
	var cfgs = map[string]*ast.CompositeLit{}
	var unknown bool
	for _, k := range []string{"Kafka", "S3"} {
		f, ok := fields[k]
		if !ok || isNilValue(info, f.value) {
			continue
		}
		cfg, ok := addressedLit(ev, f.value)
		if !ok {
			unknown = true
			continue
		}
		cfgs[k] = cfg
	}
	switch {
	case unknown:
		return
	case len(cfgs) == 2:
		report(fields["S3"].elt, rules.SinkBothTargets(pipe))
		return
	case len(cfgs) == 0:
		report(litAt(lit), rules.SinkNoTarget(pipe))
		return
	}
	kind, cfg := "Kafka", cfgs["Kafka"]
	if cfg == nil {
		kind, cfg = "S3", cfgs["S3"]
	}
	st := structOf(info, cfg)
	cf := map[string]field{}
	eachField(st, cfg, func(n string, f field) { cf[n] = f })
	if f, ok := cf["Connection"]; !ok || isNilValue(info, f.value) {
		at := litAt(cfg)
		if ok {
			at = f.elt
		}
		target := "kafka"
		if kind == "S3" {
			target = "s3"
		}
		report(at, rules.SinkNoConnection(pipe, target))
	}
	empty := func(fieldName, setting string) {
		f, ok := cf[fieldName]
		if !ok {
			report(litAt(cfg), rules.SinkEmpty(pipe, setting))
			return
		}
		if s, ok := constString(info, f.value); ok && isBlankJS(s) {
			report(f.value, rules.SinkEmpty(pipe, setting))
		}
	}
	if kind == "Kafka" {
		empty("Topic", "topic")
		empty("Schedule", "schedule")
		return
	}
	empty("BucketURI", "bucketUri")
	empty("FileTemplate", "fileTemplate")
	empty("Format", "format")
	empty("Schedule", "schedule")
	if f, ok := cf["Strategy"]; ok {
		if s, ok := constString(info, f.value); ok {
			if p := rules.CheckSinkStrategy(pipe, s); p != nil {
				r.report(f.value, p)
			}
		}
	}
	if f, ok := cf["Compression"]; ok {
		if s, ok := constString(info, f.value); ok {
			if p := rules.CheckSinkCompression(pipe, s); p != nil {
				r.report(f.value, p)
			}
		}
	}
}

// isBlankJS reports whether s is empty once JavaScript's trim() is applied.
func isBlankJS(s string) bool {
	for _, r := range s {
		if !isJSSpace(r) {
			return false
		}
	}
	return true
}

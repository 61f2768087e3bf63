package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/tbls-dev/tbls/rules"
)

// Project checks the resources of a package as a project: a resource name
// defined twice, a datasource and a pipe with one name (among resources
// held in package-level variables), and nil entries in ProjectOptions
// (TB701–TB703).
var Project = newAnalyzer(rules.AnalyzerProject, runProject)

// definition is a Define call with a constant name.
type definition struct {
	subject rules.Subject
	name    string
	at      ast.Expr // the name argument
	test    bool     // in a _test.go file
}

func runProject(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerProject)
	defer r.finish()
	idx := index(pass)
	ev := &evaluator{pass: pass, idx: idx}
	type key struct {
		subject rules.Subject
		name    string
	}
	defs := make(map[key][]definition, len(idx.inits))
	var order []definition
	// Only resources held in package-level variables are compared: a
	// Define call in a function body (a test building a project of its
	// own, a constructor called with other options) may never meet the
	// others in one project.
	topLevel := make(map[ast.Expr]bool, len(idx.inits))
	for _, init := range idx.inits {
		topLevel[ast.Unparen(init)] = true
	}
	for n := range idx.nodes.all {
		if n.call == nil {
			continue
		}
		if n.name == "DefineProject" {
			checkProjectLists(ev, r, n.call)
			continue
		}
		subject, ok := defineSubjects[n.name]
		if !ok || len(n.call.Args) == 0 {
			continue
		}
		name, ok := constString(infoOf(pass), n.call.Args[0])
		if !ok || !topLevel[n.call] {
			continue
		}
		d := definition{subject: subject, name: name, at: n.call.Args[0], test: strings.HasSuffix(pass.Fset.Position(n.call.Pos()).Filename, "_test.go")}
		defs[key{subject, name}] = append(defs[key{subject, name}], d)
		order = append(order, d)
	}
	where := func(e ast.Expr) string {
		p := pass.Fset.Position(e.Pos())
		return fmt.Sprintf("%s:%d", filepath.Base(p.Filename), p.Line)
	}
	// other returns a definition of defs, other than d, in a file of the
	// same kind (test files are compared with test files only).
	other := func(d definition, defs []definition) (definition, bool) {
		for _, o := range defs {
			if o.at != d.at && o.test == d.test {
				return o, true
			}
		}
		return definition{}, false
	}
	for _, d := range order {
		// Reported at every definition: Validate reports the one a
		// project lists last, which the package cannot tell.
		if o, ok := other(d, defs[key{d.subject, d.name}]); ok {
			p := rules.DuplicateResource(d.subject, d.name, where(o.at))
			r.report(d.at, &p)
		}
		if d.subject == rules.SubjectPipe {
			if o, ok := other(d, defs[key{rules.SubjectDatasource, d.name}]); ok {
				p := rules.DatasourcePipeClash(d.name, where(o.at))
				r.report(d.at, &p)
			}
		}
	}
	return nil, nil
}

// checkProjectLists reports nil entries of a DefineProject call's lists
// (TB701).
func checkProjectLists(ev *evaluator, r *reporter, call *ast.CallExpr) {
	if len(call.Args) != 1 {
		return
	}
	info := infoOf(ev.pass)
	lit, st, ok := optionsLit(ev, call.Args[0])
	if !ok || sdkType(info.TypeOf(lit)) != "ProjectOptions" {
		return
	}
	eachField(st, lit, func(name string, f field) {
		list, ok := ev.follow(f.value).(*ast.CompositeLit)
		if !ok {
			return
		}
		t := info.TypeOf(list)
		if t == nil {
			return
		}
		if _, isSlice := t.Underlying().(*types.Slice); !isSlice {
			return
		}
		for i, elt := range list.Elts {
			if _, kv := elt.(*ast.KeyValueExpr); kv {
				return // indexed elements: positions differ
			}
			if isNilValue(info, elt) {
				p := rules.NilResource(name, i)
				r.report(elt, &p)
			}
		}
	})
}

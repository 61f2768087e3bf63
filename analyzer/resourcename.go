package analyzer

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/tbls-dev/tbls/rules"
)

// ResourceName checks datasource, pipe, node and connection names: TB103 for names that
// break the pattern, TB104 for reserved names.
var ResourceName = newAnalyzer(rules.AnalyzerResourceName, runResourceName)

// defineSubjects maps the SDK's Define functions whose first argument is a
// resource name to the subject of that name.
var defineSubjects = map[string]rules.Subject{
	"DefineDatasource":         rules.SubjectDatasource,
	"DefinePipe":               rules.SubjectPipe,
	"DefineEndpoint":           rules.SubjectPipe,
	"DefineMaterializedView":   rules.SubjectPipe,
	"DefineCopyPipe":           rules.SubjectPipe,
	"DefineSinkPipe":           rules.SubjectPipe,
	"DefineKafkaConnection":    rules.SubjectConnection,
	"DefineS3Connection":       rules.SubjectConnection,
	"DefineGCSConnection":      rules.SubjectConnection,
	"DefineDynamoDBConnection": rules.SubjectConnection,
}

func runResourceName(pass *analysis.Pass) (any, error) {
	r := newReporter(pass, rules.AnalyzerResourceName)
	defer r.finish()
	if !usesSDK(pass.Pkg) {
		return nil, nil
	}
	insp := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range insp.Root().Preorder((*ast.CallExpr)(nil), (*ast.CompositeLit)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.CallExpr:
			subject, ok := defineSubjects[sdkFunc(pass.TypesInfo, n)]
			if !ok || len(n.Args) == 0 {
				continue
			}
			checkName(pass, r, subject, n.Args[0])
		case *ast.CompositeLit:
			if litType(pass.TypesInfo, n) != "Node" {
				continue
			}
			if f, ok := fields(pass.TypesInfo, n)["Name"]; ok {
				checkName(pass, r, rules.SubjectNode, f.value)
			}
		}
	}
	return nil, nil
}

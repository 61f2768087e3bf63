package analyzer

import (
	"golang.org/x/tools/go/analysis"

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
	for n := range index(pass).nodes.all {
		switch {
		case n.call != nil:
			subject, ok := defineSubjects[n.name]
			if !ok || len(n.call.Args) == 0 {
				continue
			}
			checkName(pass, r, subject, n.call.Args[0])
		case n.lit != nil && n.name == "Node":
			if f, ok := fieldOf(n.st, n.lit, "Name"); ok {
				checkName(pass, r, rules.SubjectNode, f.value)
			}
		}
	}
	return nil, nil
}

package report

import (
	"github.com/tbls-dev/tbls/rules"

	"fmt"
	"io"
	"strings"
)

// WriteGitHub writes one GitHub Actions workflow command per diagnostic:
//
//	::error file=schema.go,line=12,col=34,endLine=12,endColumn=45,title=TB201::Scope APPEND …
//
// (::warning for warnings). GitHub turns them into annotations on the
// changed lines of a pull request. file is relative to BaseDir, which should
// be the repository root (GitHub resolves it against the checkout). The
// message goes without its leading code, which is the title. Values are
// escaped as the runner's toolkit does: %, \r and \n in the message; also
// : and , in properties.
func WriteGitHub(w io.Writer, diags []Diagnostic, opts Options) error {
	var b strings.Builder
	for _, d := range sorted(diags) {
		file, _ := relPath(opts.BaseDir, d.File)
		cmd := "warning"
		if d.Level() == rules.Error {
			cmd = "error"
		}
		end := d.End
		if end.Line == 0 {
			end = d.Start
		}
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d", cmd,
			escapeProperty(file), d.Start.Line, d.Start.Column, end.Line, end.Column)
		if d.Code != "" {
			fmt.Fprintf(&b, ",title=%s", escapeProperty(string(d.Code)))
		}
		fmt.Fprintf(&b, "::%s\n", escapeData(d.BareMessage()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command property's value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

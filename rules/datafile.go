package rules

import (
	"fmt"
	"strings"
)

// Decisions and messages for Tinybird datafiles (.datasource, .pipe), used by
// the datafile checker of tbls. A datafile is read by the Tinybird CLI, which
// is more lenient than the SDKs in places (it upper-cases a permission, it
// accepts quoted token names with spaces); there the checker reports a
// warning rather than an error, and these functions say which.

// TokenArityMessage is the TB205 message for a datafile TOKEN line with n
// arguments, n != 2, in the spirit of the CLI's own "TOKEN takes two params:
// token name and permission".
func TokenArityMessage(n int) string {
	if n < 2 {
		return fmt.Sprintf("TOKEN takes two params: token name and permission, e.g. TOKEN app_read READ; found %d. Quote a name that contains spaces: TOKEN \"read api token\" READ.", n)
	}
	return fmt.Sprintf("TOKEN takes two params: token name and permission, found %d: the Tinybird CLI refuses the line. Quote a name that contains spaces (TOKEN \"read api token\" READ), or remove the extra words.", n)
}

// Messages of structural TB205 findings on datafile TOKEN lines.
const (
	// MsgTokenHashComment is appended to the arity message when a # glued to
	// a word cut the line short.
	MsgTokenHashComment = " Note: # starts a comment, even inside a word; quote a name that contains #."
	// MsgTokenBlock is the message for "TOKEN >", which the CLI refuses.
	MsgTokenBlock = "TOKEN does not take a block (TOKEN >): write one line per grant, TOKEN <name> <scope>."
)

// UnterminatedQuoteMessage is the TB205 message for a TOKEN line whose quote
// (' or ") is never closed: the CLI cannot split such a line.
func UnterminatedQuoteMessage(quote byte) string {
	return fmt.Sprintf("TOKEN line has an unterminated %c quote: the Tinybird CLI cannot split it into token name and permission. Close the quote.", quote)
}

// CheckDatafileTokenName checks the token name of a datafile TOKEN line
// against NamePattern (TB101). Tinybird accepts any name in a datafile,
// quoted names with spaces included, but the SDKs refuse such a name, so the
// finding is a warning: the grant works, yet cannot be declared with an SDK
// as written. It returns nil when the name is valid.
func CheckDatafileTokenName(name string) (*Problem, Severity) {
	if ValidName(name) {
		return nil, 0
	}
	msg := InvalidNameMessage(SubjectToken, name) + " Tinybird accepts it in a datafile, but the SDKs refuse it; rename the token to declare it with an SDK."
	return &Problem{Code: TB101, Message: msg}, Warning
}

// IsSharedDatasourceName reports whether a datasource name is that of a
// datasource shared from another workspace, "<workspace>.<name>": a file
// pulled as ws.events.datasource, which pipes query as ws.events. The
// classic CLI's is_shared_datasource tests only for a dot ("dot are not
// allowed in regular datasources").
func IsSharedDatasourceName(name string) bool {
	return strings.Contains(name, ".")
}

// CheckDatafileName checks the name a datafile gives its resource, which is
// the file name without its extension (TB103, TB104). It returns nil when the
// name is fine, and for a shared datasource's "<workspace>.<name>": the name
// is the other workspace's to choose, and renaming the file would break the
// pipes that read it.
func CheckDatafileName(subject Subject, name string) *Problem {
	if subject == SubjectDatasource && IsSharedDatasourceName(name) {
		return nil
	}
	p := CheckName(subject, name)
	if p == nil {
		return nil
	}
	p.Message += " The name comes from the file name: rename the file."
	return p
}

// DatafileScopeProblem is a finding on the permission of a datafile TOKEN
// line, with the severity to report it at and the scope to write instead.
type DatafileScopeProblem struct {
	Problem
	Severity Severity
	// Suggest is the scope to replace the permission with, "" when no single
	// scope is the obvious fix.
	Suggest string
}

// CheckDatafileScope checks the permission of a datafile TOKEN line granted
// on a resource of the given kind, as the Tinybird CLI reads it. scope is the
// permission without quotes, quoted whether it was written in quotes.
//
// The CLI upper-cases a bare permission, so "read" is accepted: that is a
// TB202 warning suggesting READ, the spelling of the SDKs and the docs. A
// quoted permission is compared quotes included and refused: a TB202 error.
// Any other value is a TB202 error, and a known scope a pipe does not accept
// is TB201. It returns nil when the permission is fine.
func CheckDatafileScope(kind Kind, scope string, quoted bool) *DatafileScopeProblem {
	upper := strings.ToUpper(scope)
	if !quoted && kind == KindDatasource && (upper == "CREATE" || upper == "DROP") {
		// The classic CLI passes any permission on as DATASOURCES:<P>:<ds>
		// (tinybird/datafile.py, manage_tokens), and Tinybird's own starter
		// kits grant CREATE so; the Forward CLI refuses it ("Invalid
		// permission: CREATE. Only READ and APPEND are supported").
		msg := fmt.Sprintf("Scope %s works with the classic Tinybird CLI (as DATASOURCES:%s), but the Forward CLI and the SDKs accept only READ and APPEND: the file cannot move to Tinybird Forward as written.", upper, upper)
		return &DatafileScopeProblem{Problem: Problem{Code: TB202, Message: msg}, Severity: Warning}
	}
	if !quoted && KnownScope(upper) {
		if !ScopeAllowed(kind, upper) {
			p := CheckScope(kind, upper)
			return &DatafileScopeProblem{Problem: *p, Severity: severity(p.Code), Suggest: onlyScope(kind)}
		}
		if upper != scope {
			msg := fmt.Sprintf("Scope %q is written in lower case: the Tinybird CLI upper-cases it, but the SDKs and Tinybird's docs spell it %s. Use %s.", scope, upper, upper)
			return &DatafileScopeProblem{Problem: Problem{Code: TB202, Message: msg}, Severity: Warning, Suggest: upper}
		}
		return nil
	}
	candidate := scope
	if n, ok := NormalizeScope(scope); ok {
		candidate = n
	}
	suggest := onlyScope(kind)
	if ScopeAllowed(kind, candidate) {
		suggest = candidate
	}
	var msg string
	if quoted {
		msg = fmt.Sprintf("Scope %q is quoted: the Tinybird CLI compares the permission as written, quotes included, and refuses it. Write the scope without quotes: %s accepts %s.", scope, kind.withArticle(), orList(Scopes(kind)))
	} else {
		msg = CheckScope(kind, scope).Message
	}
	return &DatafileScopeProblem{Problem: Problem{Code: TB202, Message: msg}, Severity: Error, Suggest: suggest}
}

// onlyScope returns the scope kind accepts when it accepts exactly one.
func onlyScope(kind Kind) string {
	if s := Scopes(kind); len(s) == 1 {
		return s[0]
	}
	return ""
}

// severity returns the severity the check table gives code.
func severity(code Code) Severity {
	if c, ok := checksByCode[code]; ok {
		return c.Severity
	}
	return Error
}

// ColumnNoTypeMessage is the TB504 message for a SCHEMA column of a
// datafile that has neither a type nor a DEFAULT (the CLI's "Column name and
// either type or DEFAULT are required").
func ColumnNoTypeMessage(column string) string {
	return fmt.Sprintf("Column %q has no type: the Tinybird CLI requires a type or a DEFAULT, e.g. `%s` String.", column, column)
}

// TypeRunsOnMessage is the TB506 message for a SCHEMA column whose type
// runs onto the next line, where another column starts: a comma is missing
// between them, and the CLI reads both lines as one type.
func TypeRunsOnMessage(column, typ string) string {
	return fmt.Sprintf("A comma is missing after column %q (%s): the next line starts another column, and the CLI reads both lines as one invalid type.", column, typ)
}

// Node problems of a pipe datafile, in the Forward CLI's words where it has
// them (tinybird/datafile/common.py, Datafile.validate); the codes are the
// schema checks'.

// MsgManyNodeTypes is TB605 on a second endpoint, materialized, copy or sink
// node of a pipe.
const MsgManyNodeTypes = "Multiple non-standard nodes in pipe. There can only be one: a pipe is one endpoint, materialized view, copy or sink pipe; move this node to a pipe of its own."

// MaterializedNodeNoTarget is TB620 for a materialized node without
// DATASOURCE.
func MaterializedNodeNoTarget(node string) string {
	return fmt.Sprintf("Materialized node %q has no DATASOURCE: name the datasource it writes to (DATASOURCE <name>).", node)
}

// CopyNodeNoTarget is TB630 for a copy node without TARGET_DATASOURCE.
func CopyNodeNoTarget(node string) string {
	return fmt.Sprintf("Copy node %q has no TARGET_DATASOURCE: name the datasource it copies into.", node)
}

// CheckDatafileCopyMode checks a copy node's COPY_MODE (TB631), as both
// CLIs do: append or replace, in any case.
func CheckDatafileCopyMode(mode string) *Problem {
	if strings.EqualFold(mode, "append") || strings.EqualFold(mode, "replace") {
		return nil
	}
	return &Problem{Code: TB631, Message: fmt.Sprintf("COPY node mode must be append or replace, not %q.", mode)}
}

// engineFieldDirectives are the datafile directives of the engine's fields,
// as CheckEngine's messages name them for Go code.
var engineFieldDirectives = []struct{ goName, directive string }{
	{"IsDeleted", "ENGINE_IS_DELETED"},
	{"Version", "ENGINE_VERSION"},
	{"Ver", "ENGINE_VER"},
	{"Sign", "ENGINE_SIGN"},
	{"Summing columns", "ENGINE_SUMMING_COLUMNS"},
}

// DatafileEngineMessage rewords a CheckEngine message for a datafile: the
// engine's columns are named by their directives (ENGINE_VER, not Ver).
func DatafileEngineMessage(msg string) string {
	for _, f := range engineFieldDirectives {
		if rest, ok := strings.CutPrefix(msg, f.goName+" names column"); ok {
			return f.directive + " names column" + rest
		}
		if i := strings.Index(msg, " needs "+f.goName+":"); i >= 0 {
			return msg[:i] + " needs " + f.directive + msg[i+len(" needs "+f.goName):]
		}
	}
	return msg
}

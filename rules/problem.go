package rules

import "fmt"

// Problem is one finding of a rule: the check's code and a message that says
// what is wrong and what to do. Front ends add where it is.
type Problem struct {
	Code    Code
	Message string
}

// String returns the code and the message: "TB101 Invalid token name: …".
func (p Problem) String() string { return string(p.Code) + " " + p.Message }

// CheckName checks a name of the given subject against NamePattern (TB101 for
// a token, TB103 for the others), then, for datasources, pipes and nodes,
// against the reserved names (TB104; for nodes, the SQL keywords only: see
// IsReservedNodeName). It returns nil when the name is fine.
func CheckName(subject Subject, name string) *Problem {
	if !ValidName(name) {
		code := TB103
		if subject == SubjectToken {
			code = TB101
		}
		return &Problem{Code: code, Message: InvalidNameMessage(subject, name)}
	}
	if (subject == SubjectDatasource || subject == SubjectPipe) && IsReserved(name) ||
		subject == SubjectNode && IsReservedNodeName(name) {
		return &Problem{Code: TB104, Message: ReservedNameMessage(subject, name)}
	}
	return nil
}

// CheckInlineTokenName checks the name of an inline token (TokenAccess.Name,
// TB102).
func CheckInlineTokenName(name string) *Problem {
	if ValidName(name) {
		return nil
	}
	return &Problem{Code: TB102, Message: InvalidNameMessage(SubjectToken, name)}
}

// Messages of the checks whose finding is structural rather than a value
// that fails a rule. Front ends wrap them in a Problem with the matching code.
const (
	MsgAccessBothForms     = "TokenAccess sets both Token and Name: use Token with Scope to grant a defined token, or Name (with Permissions on a datasource) for an inline token, not both."
	MsgAccessNoForm        = "TokenAccess sets neither Token nor Name: set Token and Scope to grant a defined token, or Name for an inline token."
	MsgAccessTokenNoScope  = "TokenAccess grants Token without a Scope: set Scope to READ (or APPEND on a datasource)."
	MsgPipeInlinePerms     = "Permissions on an inline token of a pipe are ignored: pipe inline tokens are always READ. Remove Permissions."
	MsgDatasourceNoPerms   = "Inline datasource token has no Permissions, so no TOKEN line is generated and the token gets no access. Add Permissions, e.g. []tinybird.Scope{tinybird.Read}."
	MsgDirectiveNoReason   = "tbvet:ignore directive has no reason: say why the finding is wrong here, e.g. //tbvet:ignore TB201 read by the billing job."
	MsgDirectiveUnknown    = "tbvet:ignore directive names unknown check %q: run tbvet help to list the checks."
	MsgDirectiveSilentNone = "tbvet:ignore directive for %s silences nothing here: remove it."
)

// DuplicateGrantMessage is the TB206 message for a token granted the same
// scope twice on one resource.
func DuplicateGrantMessage(token, scope string) string {
	return fmt.Sprintf("Token %q is granted %s twice on this resource: remove the duplicate.", token, scope)
}

// DuplicateTokenMessage is the TB301 message for a token name defined twice
// in one package; where is the other definition's position.
func DuplicateTokenMessage(name, where string) string {
	return fmt.Sprintf("Token %q is also defined at %s: both define the same Tinybird token. Define it once and share the variable.", name, where)
}

// UnusedTokenMessage is the TB302 message for a token no resource grants.
func UnusedTokenMessage(name string) string {
	return fmt.Sprintf("Token %q is granted on no resource, so a deploy never creates it: grant it in a Tokens list, or remove it.", name)
}

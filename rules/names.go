package rules

import (
	"fmt"
	"strconv"
	"strings"
)

// NamePattern is the regular expression every token, datasource, pipe, node
// and connection name must match. It is the TypeScript SDK's
// (src/schema/token.ts and its siblings). ValidName implements it without the
// regexp package, because the language server calls it on every keystroke.
const NamePattern = `^[a-zA-Z_][a-zA-Z0-9_]*$`

// Subject says what a name belongs to. It is the noun used in messages, in
// the TypeScript SDK's wording ("Invalid token name: …").
type Subject string

// The subjects whose names follow NamePattern.
const (
	SubjectToken      Subject = "token"
	SubjectDatasource Subject = "datasource"
	SubjectPipe       Subject = "pipe"
	SubjectNode       Subject = "node"
	SubjectConnection Subject = "connection"
)

// ValidName reports whether name matches NamePattern.
func ValidName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// InvalidNameMessage is the message for a name that breaks NamePattern, word
// for word the TypeScript SDK's, e.g.
//
//	Invalid token name: "app-read". Must start with a letter or underscore and contain only alphanumeric characters and underscores.
func InvalidNameMessage(subject Subject, name string) string {
	return fmt.Sprintf("Invalid %s name: %q. Must start with a letter or underscore and contain only alphanumeric characters and underscores.", subject, name)
}

// RenameTitle is the title of the quick fix that renames old, a name of
// subject, to proposed (from ProposeName), in Go and in datafiles alike.
// Tinybird knows a static token by its name, so renaming one makes the next
// deploy grant a new token and the old one lose access: an application
// still holding the old token's value breaks. A token's title says so,
// because an editor applies a quick fix on its title alone.
func RenameTitle(subject Subject, old, proposed string) string {
	if subject != SubjectToken {
		return fmt.Sprintf("Rename the %s to %s", subject, proposed)
	}
	if strings.ContainsAny(old, " \t") {
		old = strconv.Quote(old)
	}
	return fmt.Sprintf("Rename the token to %s (a new token: %s loses access on deploy)", proposed, old)
}

// ProposeName returns a valid name close to name, for quick fixes: every byte
// that NamePattern does not allow becomes '_' (a multi-byte character becomes
// a single '_'), and a leading digit gets a '_' prefix. It returns false when
// name is empty or already valid, since there is nothing to propose then.
func ProposeName(name string) (string, bool) {
	if name == "" || ValidName(name) {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(name) + 1)
	if c := name[0]; '0' <= c && c <= '9' {
		b.WriteByte('_')
	}
	for _, r := range name {
		switch {
		case r == '_', 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String(), true
}

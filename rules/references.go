package rules

import "strings"

// Decisions and messages for references between the resources of a
// project (TB7xx), which only a view of the whole project can check: tbls
// reports them, from the language server and tbls check.

// IsProjectCheck reports whether code is a check of the whole project
// (TB7xx), reported by tbls rather than by an analyzer of one package.
func IsProjectCheck(code Code) bool { return strings.HasPrefix(string(code), "TB7") }

// UnknownReferenceMessage is the TB710 message for a reference to name,
// read as what ("table" for an SQL reference, "target datasource" for a
// materialized view's or copy pipe's target), that the project does not
// define; nearest is the closest defined name, "" when none is close.
func UnknownReferenceMessage(what, name, nearest string) string {
	msg := "Unknown " + what + " \"" + name + "\": no datasource, pipe or node of the project has this name."
	if nearest != "" {
		msg += " Did you mean \"" + nearest + "\"?"
	} else {
		msg += " Define it, or fix the name."
	}
	return msg
}

// UnknownReferenceFix is the message of TB710's fix.
func UnknownReferenceFix(nearest string) string { return "Change the name to " + nearest }

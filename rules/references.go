package rules

import "strings"

// Decisions and messages for references between the resources of a
// project across Go and datafiles (TB710 on), which only a view of the whole
// workspace can check: tbls reports them, from the language server and tbls
// check, rather than an analyzer of one package.

// IsWorkspaceCheck reports whether code is checked over the whole workspace
// (Go and datafiles) by tbls rather than by an analyzer (TB710 on): such a
// check has no Analyzer in the table. TB701-TB709 are the project
// analyzer's, which sees one package.
func IsWorkspaceCheck(code Code) bool { return code >= TB710 && code < "TB800" }

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

// IsTableFunction reports whether name is one of the table functions
// Tinybird enables (ENABLED_TABLE_FUNCTIONS), ignoring case: numbers(10)
// reads no resource.
func IsTableFunction(name string) bool { return containsFold(enabledTableFunctions, name) }

// IsSystemTable reports whether name is one of the system tables Tinybird
// exposes (ENABLED_SYSTEM_TABLES), ignoring case: FROM one reads no
// resource.
func IsSystemTable(name string) bool { return containsFold(enabledSystemTables, name) }

func containsFold(words []string, name string) bool {
	for _, w := range words {
		if strings.EqualFold(w, name) {
			return true
		}
	}
	return false
}

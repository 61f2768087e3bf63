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

// NearestName returns the candidate closest to name by edit distance,
// ignoring case, when it is close enough to be a slip (at most a third of
// the name's length, and 1 for names of 3 to 5 bytes; a name shorter than
// that only matches in another case); "" otherwise. Ties go to the first
// candidate in order.
func NearestName(name string, candidates []string) string {
	limit := len(name) / 3
	if limit < 1 && len(name) >= 3 {
		limit = 1
	}
	best, bestD := "", limit+1
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		if d := editDistance(lower, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment) between a and b, in bytes: a swap of two letters counts one.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

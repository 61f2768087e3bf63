package rules

import (
	"strconv"
	"strings"
)

// NearestName returns the candidate that name is most likely a slip for:
// one equal to it but for case, else the one nearest by edit distance
// (a swap of two letters counts one) when it is within a third of the
// name's length, at least 1 for names of 3 bytes or more and at most 2,
// and no other candidate is as near. It returns "" otherwise, and never
// name itself: a fix that guesses between two names, or renames a short
// name into another short name, is worse than none.
func NearestName(name string, candidates []string) string {
	limit := min(len(name)/3, 2)
	if limit < 1 && len(name) >= 3 {
		limit = 1
	}
	best, bestD, ties := "", limit+1, 0
	lower := strings.ToLower(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		if strings.EqualFold(c, name) {
			return c
		}
		switch d := editDistance(lower, strings.ToLower(c)); {
		case d < bestD:
			best, bestD, ties = c, d, 0
		case d == bestD && best != "" && c != best:
			ties++
		}
	}
	if ties > 0 {
		return ""
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

// suggestion is the sentence a message ends with when a column is nearly
// named.
func suggestion(name string, names []string) string {
	if n := NearestName(name, names); n != "" {
		return " Did you mean " + strconv.Quote(n) + "?"
	}
	return ""
}

// Package suggest finds the known word a user most likely meant when they
// typed an unknown one: a command, a flag, a report format or a config key.
// Every "did you mean" of the CLI and the config reader comes from here, so
// they agree on what counts as close.
package suggest

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"
)

// Closest returns the candidate closest to input, or "" when none is close
// enough to be a likely typo. Close means: the same word in another case, a
// prefix of at least three letters ("pol" for "policies"), or an edit
// distance (insertions, deletions, substitutions; a swap of two letters
// counts as two) of at most 2, or a quarter of the word's length for words of
// eight letters or more. Ties go to the candidate listed first.
func Closest(input string, candidates []string) string {
	in := strings.ToLower(strings.TrimSpace(input))
	if in == "" {
		return ""
	}
	best, bestDist := "", -1
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if lc == in {
			return c
		}
		d := levenshtein.ComputeDistance(in, lc)
		if len(in) >= 3 && strings.HasPrefix(lc, in) {
			d = min(d, 1)
		}
		if d <= allowed(in) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// allowed is the largest edit distance still read as a typo of word.
func allowed(word string) int {
	n := len([]rune(word))
	switch {
	case n <= 2:
		return 1
	case n < 8:
		return 2
	}
	return max(2, n/4)
}

// Hint is " (did you mean X?)" for the closest candidate, with X formatted
// by format (e.g. "%q" or "--%s"), or "" when no candidate is close.
func Hint(input string, candidates []string, format string) string {
	c := Closest(input, candidates)
	if c == "" {
		return ""
	}
	return " (did you mean " + fmt.Sprintf(format, c) + "?)"
}

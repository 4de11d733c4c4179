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
// distance (insertions, deletions, substitutions; a swap of two neighbouring
// letters counts as one) of at most a quarter of the word's length, and at
// least 1. The cap grows with the word because two edits in a short word make
// another word, not a typo: "tcsh" is two letters from "bash", and "bash" is
// not what a tcsh user meant. Ties go to the candidate listed first.
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
		if (len(in) >= 3 && strings.HasPrefix(lc, in)) || swapped(in, lc) {
			d = min(d, 1)
		}
		if d <= allowed(in) && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// allowed is the largest edit distance still read as a typo of word: 1 up
// to seven letters, then a quarter of its length.
func allowed(word string) int { return max(1, len([]rune(word))/4) }

// swapped reports whether a and b differ only by two neighbouring letters
// swapped ("scna" and "scan"), which Levenshtein counts as two edits.
func swapped(a, b string) bool {
	x, y := []rune(a), []rune(b)
	if len(x) != len(y) {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	return i+1 < len(x) && x[i] == y[i+1] && x[i+1] == y[i] && string(x[i+2:]) == string(y[i+2:])
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

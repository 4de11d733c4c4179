// Package english writes counts in English: "1 run", "2 runs", "1 policy",
// "1,500 policies". Every message and report that counts something uses it,
// so none says "1 runs" or "1 have".
package english

import (
	"fmt"
	"strings"
)

// Count returns n and noun, the noun in the plural unless n is 1: "1
// finding", "2 findings", "1 policy", "3 policies", "16,833 findings". A
// noun of several words is pluralized on its last word ("report file").
func Count(n int, noun string) string {
	return Thousands(n) + " " + Noun(n, noun)
}

// Noun is noun in the plural unless n is 1 ("policy", "policies").
func Noun(n int, noun string) string {
	switch {
	case n == 1:
		return noun
	case strings.HasSuffix(noun, "y") && !strings.HasSuffix(noun, "ay") && !strings.HasSuffix(noun, "ey"):
		return strings.TrimSuffix(noun, "y") + "ies"
	}
	return noun + "s"
}

// Verb is "has" for one, "have" for any other count.
func Verb(n int) string {
	if n == 1 {
		return "has"
	}
	return "have"
}

// Thousands writes n with comma separators: 16833 → "16,833".
func Thousands(n int) string {
	if n < 0 {
		return "-" + Thousands(-n)
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

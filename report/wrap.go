package report

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// wrap breaks s into lines of at most limit display columns, between words
// only: a word longer than a line (a long ARI, a URL) stays whole on a line
// of its own, never split. The first line is prefixed with first, the others
// with rest (a hanging indent); limit includes the prefixes.
func wrap(s, first, rest string, limit int) []string {
	words := strings.Fields(s)
	var lines []string
	line, lineWidth := first, displayWidth(first)
	empty := true
	for _, w := range words {
		ww := displayWidth(w)
		if !empty && lineWidth+1+ww > limit {
			lines = append(lines, line)
			line, lineWidth, empty = rest, displayWidth(rest), true
		}
		if !empty {
			line += " "
			lineWidth++
		}
		line += w
		lineWidth += ww
		empty = false
	}
	return append(lines, strings.TrimRight(line, " "))
}

// displayWidth is the number of terminal columns s takes: wide and
// full-width characters (CJK, most emoji) take two, combining marks none.
func displayWidth(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "\x1b[") { // a style of the text writer: no width
			if j := strings.IndexByte(s[i:], 'm'); j > 0 {
				i += j + 1
				continue
			}
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || r == '\u200d' || (r >= '\ufe00' && r <= '\ufe0f'):
		case r >= 0x1f000 || width.LookupRune(r).Kind() == width.EastAsianWide || width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Wrap breaks s into lines of at most limit display columns between words,
// as the text report does (a word longer than limit keeps a line of its own,
// never split). Other terminal outputs (the policies table) use it so that
// every table atlcheck prints wraps the same way.
func Wrap(s string, limit int) []string { return wrap(s, "", "", limit) }

// DisplayWidth is the number of terminal columns s takes (wide characters
// count two, combining marks none).
func DisplayWidth(s string) int { return displayWidth(s) }

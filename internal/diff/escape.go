package diff

import "strings"

// mdTextEscaper makes a value inert in Markdown text and in table cells:
// characters that start emphasis, links, code spans or table cells get a
// backslash, HTML is entity-encoded, line breaks become <br>.
var mdTextEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", "<br>",
)

// mdText escapes s for Markdown text, inside or outside a table cell. Other
// control characters are shown as Go escapes.
func mdText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = quote(l)
	}
	return mdTextEscaper.Replace(strings.Join(lines, "\n"))
}

// mdCodeCell is mdCode for a table cell: "|" is escaped too, which GitHub
// removes again before it renders the span.
func mdCodeCell(s string) string {
	return strings.ReplaceAll(mdCode(s), "|", `\|`)
}

// mdCode renders s as an inline code span that no content can close early:
// the fence is longer than any run of backticks in s, and control characters
// (newlines too) are shown as Go escapes. The empty string stays empty.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = quote(s)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		s = " " + s + " "
	}
	return fence + s + fence
}

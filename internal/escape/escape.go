// Package escape makes untrusted values (resource names, messages from the
// snapshot) inert in terminal text and in GitHub-flavoured Markdown, so a
// hostile name cannot forge lines, break a table, inject HTML or drive a
// terminal. The report writers and the diff share it.
package escape

import (
	"strconv"
	"strings"
	"unicode"
)

// Control replaces control characters (newlines, tabs, ESC…), Unicode's
// line and paragraph separators (U+2028, U+2029: line breaks to YAML), bidi
// controls and Unicode non-characters with Go escapes such as \n, \x1b and
// \u202e, so a hostile resource name cannot forge lines, reorder text or
// drive a terminal.
func Control(s string) string {
	if !strings.ContainsFunc(s, unsafeRune) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unsafeRune(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// unsafeRune reports whether r must not be printed as is.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Bidi_Control, unicode.Zl, unicode.Zp) || r == 0xFFFE || r == 0xFFFF
}

// mdTextEscaper makes a value inert in Markdown text and in table cells:
// characters that start emphasis, links, code spans or table cells get a
// backslash, HTML is entity-encoded, line breaks become <br>.
var mdTextEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "\n", "<br>",
)

// MDText escapes s for Markdown text, inside or outside a table cell. A word
// that GitHub would turn into a mention, an issue reference or a link
// (@user, #1, owner/repo#3, https://…, www.…, a@b.example) is shown as a code
// span instead, where GitHub turns nothing into anything. Line breaks become
// <br>; other control characters are shown as Go escapes.
func MDText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = mdWords(Control(l))
	}
	return strings.Join(lines, "<br>")
}

// MDCodeCell is MDCode for a table cell: "|" is escaped too, which GitHub
// removes again before it renders the span.
func MDCodeCell(s string) string {
	return strings.ReplaceAll(MDCode(s), "|", `\|`)
}

// MDCode renders s as an inline code span that no content can close early:
// the fence is longer than any run of backticks in s, and control characters
// (newlines too) are shown as Go escapes.
func MDCode(s string) string {
	if s == "" {
		return ""
	}
	s = Control(s)
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

// MDFence returns a code fence longer than any run of backticks in s.
func MDFence(s string) string {
	longest := 0
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimLeft(line, " ")
		n := len(line) - len(strings.TrimLeft(line, "`"))
		longest = max(longest, n)
	}
	return strings.Repeat("`", max(3, longest+1))
}

// MDRow writes one table row of already-escaped cells.
func MDRow(b *strings.Builder, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

// TableCells counts the cells of a GitHub-flavoured Markdown table row the
// way GitHub splits it: every "|" not escaped with a backslash delimits a
// cell. Tests use it to check that escaped values keep a table's shape.
func TableCells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		if row[i] == '|' && (i == 0 || row[i-1] != '\\') {
			n++
		}
	}
	return n - 1
}

// RaggedRow returns the first row of a Markdown table in md whose cell count
// differs from its table's header row (a value that added a column, or a row
// cut in the middle), and false when every table holds together.
func RaggedRow(md string) (string, bool) {
	want := 0
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = 0
			continue
		}
		if want == 0 {
			want = TableCells(line)
		} else if TableCells(line) != want || !strings.HasSuffix(line, "|") {
			return line, true
		}
	}
	return "", false
}

// WithoutCodeSpans returns md with its inline code spans removed, the way
// GitHub pairs backtick runs: what is left is the text GitHub renders as
// Markdown. Tests use it to check that no live link, mention or HTML is left
// outside a code span.
func WithoutCodeSpans(md string) string {
	var b strings.Builder
	for i := 0; i < len(md); {
		if md[i] == '\\' && i+1 < len(md) {
			b.WriteString(md[i : i+2])
			i += 2
			continue
		}
		if md[i] != '`' {
			b.WriteByte(md[i])
			i++
			continue
		}
		n := 0
		for i+n < len(md) && md[i+n] == '`' {
			n++
		}
		fence := md[i : i+n]
		end := -1
		for j := i + n; j < len(md); {
			k := strings.Index(md[j:], fence)
			if k < 0 {
				break
			}
			k += j
			if (k+n == len(md) || md[k+n] != '`') && (k == 0 || md[k-1] != '`') {
				end = k
				break
			}
			j = k + 1
			for j < len(md) && md[j] == '`' {
				j++
			}
		}
		if end < 0 {
			b.WriteString(fence)
			i += n
			continue
		}
		i = end + n
	}
	return b.String()
}

package escape

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
)

// The functions here keep text that came from outside (vendor app names, key
// labels, error bodies, file names) inert where each writer sends it: a log
// or terminal, GitHub-flavoured Markdown, a SARIF message, a GitHub Actions
// workflow command. Every writer calls them, never its own copy.

// Log makes text safe to print on a terminal or in a CI log (stderr): every
// control character but the line break is shown as a Go escape (so ANSI and
// OSC sequences, BEL, bidi controls do nothing), and no line can start a
// GitHub Actions workflow command: a line whose first non-blank characters
// are "::" gets its first ":" shown as \x3a (the runner reads commands such
// as ::error or ::add-mask:: from the start of any line of a step's output).
func Log(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", `\r`).Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		l = Control(l)
		if rest := strings.TrimLeftFunc(l, unicode.IsSpace); strings.HasPrefix(rest, "::") {
			l = l[:len(l)-len(rest)] + `\x3a` + rest[1:]
		}
		lines[i] = l
	}
	return strings.Join(lines, "\n")
}

// linkish reports whether GitHub could turn a word of Markdown text into a
// mention (@user, @org/team), an issue or pull request reference (#1,
// owner/repo#3, GH-3) or a link (https://…, www.…, an email address), all of
// which GitHub leaves alone inside a code span.
func linkish(word string) bool {
	lower := strings.ToLower(word)
	if strings.ContainsAny(word, "@#") || strings.Contains(lower, "://") || strings.Contains(lower, "www.") {
		return true
	}
	i := strings.Index(lower, "gh-")
	return i >= 0 && i+3 < len(lower) && lower[i+3] >= '0' && lower[i+3] <= '9'
}

// mdWords escapes one line of Markdown text word by word: a word GitHub could
// turn into a mention, a reference or a link becomes a code span, every
// other word is backslash- and entity-escaped.
func mdWords(line string) string {
	var b strings.Builder
	for len(line) > 0 {
		i := strings.IndexFunc(line, unicode.IsSpace)
		if i == 0 {
			j := strings.IndexFunc(line, func(r rune) bool { return !unicode.IsSpace(r) })
			if j < 0 {
				j = len(line)
			}
			b.WriteString(line[:j])
			line = line[j:]
			continue
		}
		if i < 0 {
			i = len(line)
		}
		word := line[:i]
		if linkish(word) {
			// Punctuation around the word stays outside the code span.
			core := strings.TrimLeft(word, `("'<`)
			lead := word[:len(word)-len(core)]
			core = strings.TrimRight(core, `.,;:!?)"'>`)
			trail := word[len(lead)+len(core):]
			if !linkish(core) {
				core, lead, trail = word, "", ""
			}
			b.WriteString(mdTextEscaper.Replace(lead) + MDCodeCell(core) + mdTextEscaper.Replace(trail))
		} else {
			b.WriteString(mdTextEscaper.Replace(word))
		}
		line = line[i:]
	}
	return b.String()
}

// sarifTextEscaper keeps a SARIF plain-text message from holding embedded
// links: SARIF 2.1.0 §3.11.6 reads [text](target) in a message as a link
// (GitHub code scanning renders them), and a backslash escapes "[", "]" and
// itself.
var sarifTextEscaper = strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`)

// SARIFText escapes text from outside for a SARIF message's "text":
// brackets and backslashes get a backslash, so no embedded link is formed,
// and control characters other than line breaks are shown as Go escapes.
func SARIFText(s string) string {
	lines := strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s), "\n")
	for i, l := range lines {
		lines[i] = Control(l)
	}
	return sarifTextEscaper.Replace(strings.Join(lines, "\n"))
}

// workflowData escapes a GitHub Actions workflow command's message the way
// the runner unescapes it.
var workflowData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

// workflowProperty escapes a workflow command property value: as data, plus
// ":" and ",", which delimit properties.
var workflowProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

// WorkflowData escapes a workflow command's message (::error …::message):
// line breaks and "%" as the runner expects, then every other control
// character (ESC, BEL, bidi controls) as a Go escape, so the annotation can
// neither end early nor drive the log viewer.
func WorkflowData(s string) string { return Control(workflowData.Replace(s)) }

// WorkflowProperty escapes a workflow command property (file=, title=).
func WorkflowProperty(s string) string { return Control(workflowProperty.Replace(s)) }

// hiddenRune reports whether r changes how text around it is shown without
// being a C0 control: bidi controls, C1 controls, non-characters. Data
// formats keep such runes (they are data) but write them as escapes.
func hiddenRune(r rune) bool {
	return r >= 0x80 && unsafeRune(r)
}

// JSONControls rewrites the bidi controls, C1 controls and non-characters
// that encoding/json leaves raw in a JSON document as \u escapes: the
// document decodes to the same values, and shown in a terminal or a viewer
// it cannot reorder or hide text. (encoding/json escapes C0 controls itself.)
func JSONControls(doc []byte) []byte { return replaceHidden(doc, `\u%04x`) }

// XMLControls does the same for an XML document, as character references;
// CDATA sections must hold none of these runes (write them with Control).
func XMLControls(doc []byte) []byte { return replaceHidden(doc, "&#x%X;") }

func replaceHidden(doc []byte, format string) []byte {
	if !bytes.ContainsFunc(doc, hiddenRune) {
		return doc
	}
	var b bytes.Buffer
	b.Grow(len(doc) + 16)
	for _, r := range string(doc) {
		if hiddenRune(r) {
			fmt.Fprintf(&b, format, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.Bytes()
}

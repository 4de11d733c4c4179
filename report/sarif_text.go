package report

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/escape"
)

// GitHub shows a result's message as the alert's title, "only the first
// sentence … when visible space is limited". A message whose first sentence
// is long (a policy listing every admin, an error body echoed by a server)
// gets a short sentence of its own in front: the policy title and the
// resource. The whole message is capped; the JSON report keeps it in full.
const (
	// maxTitleRunes is the longest first sentence a message may start with.
	maxTitleRunes = 120
	// maxMessageRunes caps a result's message text.
	maxMessageRunes = 2000
	// maxResourceRunes caps the resource named in a result's properties.
	maxResourceRunes = 1000
)

// shortMessage returns msg so that its first sentence is at most
// maxTitleRunes long, prefixing "title: resource." when it is not, and caps
// the whole text at maxMessageRunes. The result is escaped as SARIF message
// text (escape.SARIFText): a vendor's app name cannot embed a link.
func shortMessage(msg, title, resource string) string {
	return capMessage(escape.SARIFText(msg), escape.SARIFText(title), escape.SARIFText(resource))
}

// sarifMessage is a notification's message text, escaped like a result's.
func sarifMessage(s string) sarifText { return sarifText{Text: escape.SARIFText(s)} }

func capMessage(msg, title, resource string) string {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		msg = title
	}
	if first := firstSentence(msg); first == "" || utf8.RuneCountInString(first) > maxTitleRunes {
		lead := strings.TrimRight(title, ". ")
		if resource != "" {
			lead += ": " + oneLine(resource)
		}
		lead = truncateRunes(lead, maxTitleRunes-1)
		msg = lead + ". " + msg
	}
	if utf8.RuneCountInString(msg) > maxMessageRunes {
		const note = " … (shortened; the JSON report has the whole message)"
		msg = truncateRunes(msg, maxMessageRunes-utf8.RuneCountInString(note)) + note
	}
	return msg
}

// firstSentence is msg up to the end of its first sentence: a ".", "!" or
// "?" followed by white space or the end, or a line break.
func firstSentence(msg string) string {
	for i, r := range msg {
		switch {
		case r == '\n' || r == '\r':
			return strings.TrimSpace(msg[:i])
		case r == '.' || r == '!' || r == '?':
			rest := msg[i+1:]
			next, _ := utf8.DecodeRuneInString(rest)
			if rest == "" || unicode.IsSpace(next) {
				return msg[:i+1]
			}
		}
	}
	return msg
}

// oneLine replaces line breaks and ". " (which would end the sentence early)
// so a resource stays inside the title.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", ". ", ".\u00a0").Replace(s)
}

// truncateRunes cuts s to at most n runes, ending with "…" when it was cut.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return "…"
	}
	i, count := 0, 0
	for j := range s {
		if count == n-1 {
			i = j
			break
		}
		count++
	}
	return s[:i] + "…"
}

// truncateUTF16 cuts s to at most n UTF-16 code units, mark (counted too)
// included when it was cut; a rune is never split.
func truncateUTF16(s string, n int, mark string) string {
	units := func(s string) int {
		c := 0
		for _, r := range s {
			c += utf16.RuneLen(r)
		}
		return c
	}
	if units(s) <= n {
		return s
	}
	room := n - units(mark)
	c := 0
	for i, r := range s {
		if c+utf16.RuneLen(r) > room {
			return s[:i] + mark
		}
		c += utf16.RuneLen(r)
	}
	return s
}

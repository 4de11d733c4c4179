package escape

import (
	"strings"
	"testing"
)

// Issue 12 row 7: nothing printed to a terminal or log can drive it or start
// a workflow command.
func TestLog(t *testing.T) {
	in := "title\n::error file=a::pwned\x1b]0;owned\x07\n  ::add-mask::secret\r\n\u202eok \x1b[31mred\u009b"
	want := "title\n\\x3a:error file=a::pwned\\x1b]0;owned\\a\n  \\x3a:add-mask::secret\n\\u202eok \\x1b[31mred\\u009b"
	if got := Log(in); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for _, line := range strings.Split(Log(in), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") || strings.ContainsAny(line, "\x1b\x07\r\u202e\u009b") {
			t.Errorf("line %q is not inert", line)
		}
	}
	if got := Log("plain: a::b"); got != "plain: a::b" {
		t.Errorf("an inner :: was changed: %q", got)
	}
}

// Issue 12 row 16: no untrusted text becomes a mention, a reference or a link
// in Markdown. GitHub makes none of them inside a code span.
func TestMDTextNeutralisesMentionsReferencesLinks(t *testing.T) {
	hostile := []string{"@security-team", "@acme/secops", "#1", "owner/repo#3", "GH-12", "https://evil.example/x",
		"http://evil.example", "www.evil.example", "[click](https://evil.example)", "ops@vendor.example", "(@admin)."}
	in := "Key " + strings.Join(hostile, " and ") + " end"
	out := MDText(in)
	rendered := WithoutCodeSpans(out)
	for _, h := range []string{"@", "#", "://", "www.", "gh-", "GH-"} {
		if strings.Contains(rendered, h) {
			t.Errorf("%q is live outside a code span in %q", h, out)
		}
	}
	for _, h := range hostile {
		if !strings.Contains(out, strings.Trim(h, "().")) {
			t.Errorf("%q is not shown (in a code span) in %q", h, out)
		}
	}
	if want := "(`@admin`)."; !strings.Contains(out, want) {
		t.Errorf("punctuation should stay outside the span: %q lacks %q", out, want)
	}
	if got := MDText("plain words, 3 GHz and a.b"); got != "plain words, 3 GHz and a.b" {
		t.Errorf("harmless text changed: %q", got)
	}
	if got := TableCells("| " + MDText("a|@b|c") + " |"); got != 1 {
		t.Errorf("a code span split the cell: %d cells", got)
	}
}

func TestSARIFText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"App [click](https://evil.example)", `App \[click\](https://evil.example)`},
		{`a\b [1](0)`, `a\\b \[1\](0)`},
		// Control's escapes get their backslash doubled: a SARIF viewer shows \x1b.
		{"line\nnext\x1b\u202e", "line\nnext\\\\x1b\\\\u202e"},
	}
	for _, tt := range tests {
		if got := SARIFText(tt.in); got != tt.want {
			t.Errorf("SARIFText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWithoutCodeSpans(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a `b` c", "a  c"},
		{"a ``b`c`` d", "a  d"},
		{"a \\`b` c", "a \\`b` c"},
		{"unclosed `x", "unclosed `x"},
	}
	for _, tt := range tests {
		if got := WithoutCodeSpans(tt.in); got != tt.want {
			t.Errorf("WithoutCodeSpans(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

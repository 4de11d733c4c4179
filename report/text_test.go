package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func renderText(t *testing.T, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteWith(&buf, "text", fixtureRun(), opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTextSummaryAndGateFirst(t *testing.T) {
	out := renderText(t, Options{})
	summary, gate, first := strings.Index(out, "\nSummary:"), strings.Index(out, "\nGate:     FAILED: 4 findings at or above high (exit 1)\n"), strings.Index(out, "\n[")
	if summary < 0 || gate < 0 || first < 0 || !(summary < gate && gate < first) {
		t.Errorf("want the summary, then the gate verdict, then the findings (at %d, %d, %d):\n%s", summary, gate, first, out)
	}
	if n := strings.Index(out, "Not evaluated (1)"); n < 0 || n > first {
		t.Errorf("the policies not evaluated must come before the findings:\n%s", out)
	}
}

func TestTextGroupsByPolicyWithRemediationOnce(t *testing.T) {
	out := renderText(t, Options{})
	if n := strings.Count(out, "Fix ATL-KEY-001."); n != 1 {
		t.Errorf("remediation of ATL-KEY-001 said %d times, want once for its 2 findings:\n%s", n, out)
	}
	want := "[HIGH] ATL-KEY-001 Admin API keys must have scopes (2 findings)\n  Fix: Fix ATL-KEY-001.\n" +
		"  - clé-🔑-ключ: API key clé-🔑-ключ has no scopes\n  - key-0001: API key key-0001 has no scopes\n"
	if !strings.Contains(out, want) {
		t.Errorf("want the group\n%s\nin\n%s", want, out)
	}
	if strings.Index(out, "[CRITICAL]") > strings.Index(out, "[HIGH]") || strings.Index(out, "[HIGH]") > strings.Index(out, "[LOW]") {
		t.Errorf("groups not ordered by severity:\n%s", out)
	}
}

// TestTextWrapsWithoutBreakingWords checks every width: no line is wider
// than the limit unless it is one word that cannot fit, and every word of
// every message reaches the output whole.
func TestTextWrapsWithoutBreakingWords(t *testing.T) {
	run := fixtureRun()
	long := "ari:cloud:confluence::site/a3c1e5f7-2b4d-4f68-9a0c-1e3f5a7b9c2d"
	run.Findings[0].Message = "Approved domain acme-corp.example grants the role ari:cloud:identity::role/product/admin on " + long + " to everyone who joins, which is far more than any newcomer should get on day one"
	for _, width := range []int{40, 60, 80, 132} {
		var buf bytes.Buffer
		if err := WriteWith(&buf, "text", run, Options{Width: width}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, line := range strings.Split(out, "\n") {
			if w := displayWidth(line); w > width && len(strings.Fields(line)) > 2 {
				t.Errorf("width %d: line of %d columns: %q", width, w, line)
			}
		}
		words := strings.Fields(out)
		for _, f := range run.Findings {
			if f.Suppressed {
				continue // shown with its exception's reason instead
			}
			for _, w := range strings.Fields(quoteControl(f.Message)) {
				if !containsWord(words, w) && !containsWord(words, w+":") {
					t.Errorf("width %d: word %q of a message was broken or lost", width, w)
				}
			}
		}
	}
}

func containsWord(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	plain := renderText(t, Options{})
	if strings.Contains(plain, "\x1b") {
		t.Error("escape sequences without Color")
	}
	coloured := renderText(t, Options{Color: true})
	for _, want := range []string{"\x1b[1m\x1b[31mFAILED\x1b[0m", "\x1b[1m\x1b[35m[CRITICAL]\x1b[0m", "\x1b[36m[LOW]\x1b[0m"} {
		if !strings.Contains(coloured, want) {
			t.Errorf("coloured output lacks %q", want)
		}
	}
	if got := stripANSI(coloured); got != plain {
		t.Errorf("colour changed the text or its wrapping:\n%s", lineDiff([]byte(plain), []byte(got)))
	}
}

// TestTextASCIIDecorations: everything the writer adds is ASCII, so the
// report stays readable in any log; non-ASCII comes only from values.
func TestTextASCIIDecorations(t *testing.T) {
	run := emptyRun()
	run.OrgName = "Empty"
	out := string(render(t, "text", run))
	for i, r := range out {
		if r >= utf8.RuneSelf {
			t.Fatalf("non-ASCII %q at %d in a report without non-ASCII values:\n%s", r, i, out)
		}
	}
}

func TestTextEscapesControlCharacters(t *testing.T) {
	run := fixtureRun()
	run.Findings[0].Resource = "org\x1b[2J\u202eevil"
	out := string(render(t, "text", run))
	if strings.ContainsAny(out, "\x1b\u202e\r") {
		t.Errorf("control characters reached the terminal output: %q", out)
	}
	if !strings.Contains(out, `  - org\x1b[2J\u202eevil: Only 1 org admin`) {
		t.Errorf("escaped resource missing:\n%s", out)
	}
	for _, want := range []string{"Suppressed (1): accepted risks, not counted\n  ATL-KEY-002 key-legacy: Legacy CI key", "Not evaluated (1)", "\n  ATL-EXT-001 External users need a policy: external_users: no source"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestQuoteControl(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ünïcode 🔑", "plain ünïcode 🔑"},
		{"a\nb\tc\r", `a\nb\tc\r`},
		{"\x1b[31m", `\x1b[31m`},
		{"\u202egnp.exe", `\u202egnp.exe`},
		{"\x7f\u0085", `\x7f\u0085`},
	}
	for _, tt := range tests {
		if got := quoteControl(tt.in); got != tt.want {
			t.Errorf("quoteControl(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTextEmptyRun(t *testing.T) {
	out := string(render(t, "text", emptyRun()))
	for _, unwanted := range []string{"[", "Suppressed", "Not evaluated ("} {
		if strings.Contains(out, unwanted) {
			t.Errorf("clean run output has %q:\n%s", unwanted, out)
		}
	}
	if !strings.Contains(out, "No findings.") || !strings.Contains(out, "Gate:     passed: no findings at or above high (exit 0)\n") {
		t.Errorf("clean run output lacks the verdict:\n%s", out)
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		limit int
		want  []string
	}{
		{"a b c", 80, []string{"> a b c"}},
		{"aaaa bbbb cccc", 11, []string{"> aaaa bbbb", "  cccc"}},
		{"x " + strings.Repeat("y", 30) + " z", 12, []string{"> x", "  " + strings.Repeat("y", 30), "  z"}},
		{"鍵鍵鍵 鍵鍵", 10, []string{"> 鍵鍵鍵", "  鍵鍵"}},
		{"", 10, []string{">"}},
	}
	for _, tt := range tests {
		got := wrap(tt.in, "> ", "  ", tt.limit)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

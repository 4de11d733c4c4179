package report

import (
	"strings"
	"testing"
)

func TestTextOneLinePerFinding(t *testing.T) {
	run := fixtureRun()
	run.Findings[0].Resource = "org\x1b[2J\u202eevil"
	out := string(render(t, "text", run))
	if strings.ContainsAny(out, "\x1b\u202e\r") {
		t.Errorf("control characters reached the terminal output: %q", out)
	}
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "[") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 6 {
		t.Fatalf("got %d finding lines, want 6 (unsuppressed):\n%s", len(lines), out)
	}
	if want := `[CRITICAL] ATL-ACC-001 org\x1b[2J\u202eevil — Only 1 org admin`; lines[0] != want {
		t.Errorf("got %q, want %q", lines[0], want)
	}
	for _, want := range []string{"Suppressed:\n  ATL-KEY-002 key-legacy", "Not evaluated:\n  ATL-EXT-001",
		"Gate failed: 4 findings at or above high (exit 1)\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q", want)
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
	for _, unwanted := range []string{"[", "Suppressed:", "Not evaluated:"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("clean run output has %q:\n%s", unwanted, out)
		}
	}
	if !strings.Contains(out, "No findings.") || !strings.HasSuffix(out, "Gate passed: no findings at or above high (exit 0)\n") {
		t.Errorf("clean run output lacks the verdict:\n%s", out)
	}
}

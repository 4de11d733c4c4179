package report

import (
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/escape"

	"github.com/atlcheck/atlcheck/internal/model"
)

var cellCount = escape.TableCells

func TestMarkdownTablesHoldTogether(t *testing.T) {
	run := fixtureRun()
	run.OrgName = "<img src=x onerror=alert(1)>"
	run.Findings[0].Resource = "a\\|b `c` ``d`` <img src=x>\r\n| x | y |"
	run.Findings[0].Message = "[click](https://evil.example) <img src=x> **bold** ~~gone~~ a\\|b\n| x |"
	out := string(render(t, "markdown", run))
	// HTML may only appear inside code spans, which GitHub shows as text.
	if n, code := strings.Count(out, "<img"), strings.Count(out, "<img src=x>\\r\\n"); n != code {
		t.Errorf("raw <img> outside a code span: %d of %d", n-code, n)
	}
	if strings.Contains(escape.WithoutCodeSpans(out), "[click](") {
		t.Error("a link from a message was not escaped")
	}
	if want := "| ```a\\\\|b `c` ``d`` <img src=x>\\r\\n\\| x \\| y \\|``` |"; !strings.Contains(out, want) {
		t.Errorf("resource cell not escaped as %s:\n%s", want, out)
	}
	if row, bad := escape.RaggedRow(out); bad {
		t.Errorf("row does not fit its table: %s", row)
	}
}

func TestMDCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "`plain`"},
		{"a`b", "``a`b``"},
		{"``x", "``` ``x ```"},
		{"a\nb\x1b", "`a\\nb\\x1b`"},
		{" lead", "`  lead `"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := mdCode(tt.in); got != tt.want {
			t.Errorf("mdCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := mdCodeCell("a|b"), "`a\\|b`"; got != want {
		t.Errorf("mdCodeCell(%q) = %q, want %q", "a|b", got, want)
	}
}

func TestMDText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text.", "plain text."},
		{"a|b", `a\|b`},
		{"<b>&", "&lt;b&gt;&amp;"},
		{"x\r\ny\nz", "x<br>y<br>z"},
		{"*_[]`~\\", "\\*\\_\\[\\]\\`\\~\\\\"},
		{"esc\x1b[31m", "esc\\\\x1b\\[31m"},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMarkdownSections(t *testing.T) {
	full := string(render(t, "markdown", fixtureRun()))
	for _, want := range []string{"❌ **Gate failed:** 4 findings at or above high", "## Not evaluated",
		"## Suppressed", "secops@example.com", "2026-03-31", "<details>", "### 🔴 Critical ATL-ACC-001: At least two org admins (1 finding)", "**Remediation:** Fix ATL-KEY-001."} {
		if !strings.Contains(full, want) {
			t.Errorf("full report lacks %q", want)
		}
	}
	if strings.Index(full, "### 🔴 Critical") > strings.Index(full, "### 🟠 High") {
		t.Error("critical findings are not listed before high ones")
	}
	if n := strings.Count(full, "Fix ATL-KEY-001."); n != 1 {
		t.Errorf("the remediation of a policy with 2 findings appears %d times, want once", n)
	}
	empty := string(render(t, "markdown", emptyRun()))
	for _, unwanted := range []string{"## Suppressed", "## Not evaluated", "###"} {
		if strings.Contains(empty, unwanted) {
			t.Errorf("empty report has %q", unwanted)
		}
	}
	if !strings.Contains(empty, "No findings.") || !strings.Contains(empty, "✅ **Gate passed:**") {
		t.Errorf("empty report lacks the clean verdict:\n%s", empty)
	}
}

func TestMDGate(t *testing.T) {
	tests := []struct {
		gate model.Gate
		want string
	}{
		{model.Gate{FailOn: model.SeverityHigh, Failed: true, Count: 1}, "❌ **Gate failed:** 1 finding at or above high"},
		{model.Gate{FailOn: model.SeverityLow}, "✅ **Gate passed:** no findings at or above low"},
		{model.Gate{}, "➖ **Gate off:** `--fail-on none`"},
	}
	for _, tt := range tests {
		if got := mdGate(tt.gate); got != tt.want {
			t.Errorf("mdGate(%+v) = %q, want %q", tt.gate, got, tt.want)
		}
	}
}

func TestMarkdownShowsFilters(t *testing.T) {
	run := fixtureRun()
	run.Filters = []string{"findings below high are not shown (--min-severity high)"}
	md := string(render(t, "markdown", run))
	if !strings.Contains(md, "🔎 **Filter:** findings below high are not shown (--min-severity high)") ||
		strings.Index(md, "Filter:") > strings.Index(md, "## Summary") {
		t.Errorf("the filter is not stated before the summary:\n%s", md[:600])
	}
}

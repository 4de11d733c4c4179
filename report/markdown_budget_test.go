package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

func renderMarkdown(t *testing.T, run *model.Run, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := writeMarkdown(&buf, run, opts); err != nil {
		t.Fatalf("writeMarkdown: %v", err)
	}
	return buf.String()
}

// checkTables fails when a table row has another cell count than its header:
// a row cut in the middle.
func checkTables(t *testing.T, md string) {
	t.Helper()
	if row, bad := escape.RaggedRow(md); bad {
		t.Fatalf("row cut: %q", row)
	}
}

func TestMarkdownBudgetCutsLeastSevereGroups(t *testing.T) {
	run := manyFindingsRun(map[model.Severity]int{model.SeverityCritical: 20, model.SeverityHigh: 30,
		model.SeverityMedium: 400, model.SeverityLow: 500, model.SeverityInfo: 600})
	full := renderMarkdown(t, run, Options{})
	budget := 8000
	md := renderMarkdown(t, run, Options{MaxBytes: budget, FullReport: "artifact atlcheck-report"})
	if len(md) > budget || len(md) >= len(full) {
		t.Fatalf("%d bytes, want at most %d (full: %d)", len(md), budget, len(full))
	}
	checkTables(t, md)
	for _, want := range []string{"## Summary", "### 🔴 Critical ATL-T1-001", "### 🟠 High ATL-T2-001"} {
		if !strings.Contains(md, want) {
			t.Errorf("cut report lacks %q", want)
		}
	}
	if strings.Contains(md, "ATL-T5-001 (600 info)") == false || strings.Contains(md, "### ⚪ Info") {
		t.Errorf("the info group is not left out and named")
	}
	lines := strings.Split(strings.TrimSpace(md), "\n")
	last := lines[len(lines)-1]
	for _, want := range []string{"Left out to stay within 8,000 bytes", "finding groups (1,500 findings)",
		"ATL-T3-001 (400 medium), ATL-T4-001 (500 low), ATL-T5-001 (600 info)", "the effective parameters",
		"The whole report: artifact atlcheck-report."} {
		if !strings.Contains(last, want) {
			t.Errorf("last line lacks %q:\n%s", want, last)
		}
	}
}

func TestMarkdownBudgetTrimsAHugeFirstGroup(t *testing.T) {
	run := manyFindingsRun(map[model.Severity]int{model.SeverityHigh: 5000, model.SeverityLow: 10})
	md := renderMarkdown(t, run, Options{MaxBytes: PRCommentMaxChars - 1})
	if n := utf8.RuneCountInString(md); n >= PRCommentMaxChars || len(md) >= PRCommentMaxChars {
		t.Fatalf("%d characters, %d bytes: over a PR comment", n, len(md))
	}
	checkTables(t, md)
	if !strings.Contains(md, "| `r-0000` |") || strings.Contains(md, "| `r-4999` |") {
		t.Error("the first rows are not kept, or the last not cut")
	}
	if !strings.Contains(md, "more; the last line of this report says where they are._") ||
		!strings.Contains(md, "of the 5,000 findings of ATL-T2-001 (5,000 high)") {
		t.Errorf("the trimmed group is not explained:\n%s", md[len(md)-600:])
	}
}

func TestMarkdownBudgetUnusedWhenItFits(t *testing.T) {
	run := fixtureRun()
	if got, want := renderMarkdown(t, run, Options{MaxBytes: 1 << 20}), renderMarkdown(t, run, Options{}); got != want {
		t.Error("a budget that fits changed the report")
	}
	if strings.Contains(renderMarkdown(t, run, Options{}), "Left out") {
		t.Error("an uncut report says something was left out")
	}
}

func TestMarkdownBudgetTooSmall(t *testing.T) {
	var buf bytes.Buffer
	err := writeMarkdown(&buf, fixtureRun(), Options{MaxBytes: 200})
	if err == nil || !strings.Contains(err.Error(), "limit of 200") || buf.Len() != 0 {
		t.Errorf("got %v and %d bytes, want an error naming the limit and no output", err, buf.Len())
	}
}

func TestMarkdownKeepsNotEvaluated(t *testing.T) {
	run := fixtureRun()
	md := renderMarkdown(t, run, Options{MaxBytes: 2500})
	if !strings.Contains(md, "ATL-EXT-001") || len(md) > 2500 {
		t.Errorf("%d bytes; the not-evaluated policy must survive the cut:\n%s", len(md), md)
	}
}

func TestMarkdownSecondGrouping(t *testing.T) {
	Groupings["test-pair"] = func(run *model.Run) []Group {
		g := GroupByPolicy(run)
		pair := Group{Key: "CTRL-1", Title: "A control", Severity: g[1].Severity, Remediation: "Do both.",
			Policies: append(g[1].Policies, g[2].Policies...), Findings: append(g[1].Findings, g[2].Findings...)}
		return []Group{pair}
	}
	defer delete(Groupings, "test-pair")
	md := renderMarkdown(t, fixtureRun(), Options{GroupBy: "test-pair"})
	for _, want := range []string{"### 🟠 High CTRL-1: A control (3 findings)", "**Remediation:** Do both.",
		"| Policy | Severity | Resource | Message |", "| ATL-KEY-001 | high | `key-0001` |"} {
		if !strings.Contains(md, want) {
			t.Errorf("grouped report lacks %q", want)
		}
	}
	checkTables(t, md)
	var buf bytes.Buffer
	if err := writeMarkdown(&buf, fixtureRun(), Options{GroupBy: "nope"}); err == nil || !strings.Contains(err.Error(), "policy") {
		t.Errorf("unknown grouping: %v", err)
	}
}

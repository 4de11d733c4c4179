package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// Reporting of a comparison with a baseline (--baseline): which findings are
// new since the earlier run, and which of its findings are fixed now.
//
// SARIF results carry baselineState "new" or "unchanged". Fixed findings are
// not emitted as "absent" results: GitHub code scanning opens an alert for
// every result whatever its kind or baselineState, so an absent result would
// reopen the alert it should close. GitHub closes an alert by itself when the
// next upload no longer contains it; the fixed findings are listed in the run's
// properties (atlcheck/fixed) instead.

// newFindings returns the unsuppressed findings that are new since the baseline.
func newFindings(run *model.Run) []model.Finding {
	var out []model.Finding
	for _, f := range run.Findings {
		if f.BaselineState == model.BaselineNew && !f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

// mdBaseline adds what changed since the baseline to the Markdown header:
// the counts, and per policy how many findings are new and fixed. The new
// findings are marked in the groups' tables; the fixed ones are listed after
// the findings.
func mdBaseline(b *strings.Builder, run *model.Run) {
	if run.Baseline == nil {
		return
	}
	ref := run.Baseline
	fmt.Fprintf(b, "\nCompared with %s (collected %s): %s new, %s unchanged, %s fixed", mdCode(ref.Path),
		mdText(timestamp(ref.CollectedAt)), thousands(ref.New), thousands(ref.Unchanged), thousands(ref.Fixed))
	if ref.Unverified > 0 {
		fmt.Fprintf(b, ", %s not re-checked (their policy did not run, was not evaluated, or its area was collected only in part)", thousands(ref.Unverified))
	}
	b.WriteString(".\n")
	type change struct{ newCount, fixed int }
	changes := map[string]*change{}
	var order []string
	add := func(id string) *change {
		if changes[id] == nil {
			changes[id] = &change{}
			order = append(order, id)
		}
		return changes[id]
	}
	for _, f := range newFindings(run) {
		add(f.PolicyID).newCount++
	}
	for _, f := range run.Fixed {
		add(f.PolicyID).fixed++
	}
	if len(order) == 0 {
		b.WriteString("\nNo new and no fixed findings.\n")
		return
	}
	titles := map[string]model.Policy{}
	for _, p := range run.Policies {
		titles[p.Policy.ID] = p.Policy
	}
	slices.Sort(order)
	b.WriteString("\n### Since last run\n\n| Policy | Title | 🆕 New | Fixed |\n| --- | --- | ---: | ---: |\n")
	for _, id := range order {
		c := changes[id]
		mdRow(b, mdText(id), mdText(titles[id].Title), thousands(c.newCount), thousands(c.fixed))
	}
}

// jsonBaselineRef is the JSON report's "baseline" object.
type jsonBaselineRef struct {
	Path        string `json:"path"`
	CollectedAt string `json:"collected_at"`
	New         int    `json:"new"`
	Unchanged   int    `json:"unchanged"`
	Fixed       int    `json:"fixed"`
	Unverified  int    `json:"unverified"`
}

// jsonBaseline fills the baseline parts of the JSON report.
func jsonBaseline(r *jsonReport, run *model.Run) {
	r.Fixed = append(make([]model.Finding, 0, len(run.Fixed)), run.Fixed...)
	r.Unverified = append(make([]model.Finding, 0, len(run.Unverified)), run.Unverified...)
	if ref := run.Baseline; ref != nil {
		r.Baseline = &jsonBaselineRef{Path: ref.Path, CollectedAt: timestamp(ref.CollectedAt),
			New: ref.New, Unchanged: ref.Unchanged, Fixed: ref.Fixed, Unverified: ref.Unverified}
	}
}

// sarifFixed is the run property that lists fixed findings.
type sarifFixed struct {
	RuleID      string `json:"ruleId"`
	Resource    string `json:"resource"`
	Fingerprint string `json:"fingerprint"`
}

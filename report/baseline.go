package report

import (
	"fmt"
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

// mdBaseline opens the Markdown report with what changed since the baseline.
func mdBaseline(b *strings.Builder, run *model.Run) {
	if run.Baseline == nil {
		return
	}
	ref := run.Baseline
	fmt.Fprintf(b, "\nCompared with %s (collected %s): %d new, %d unchanged, %d fixed.\n",
		mdCode(ref.Path), mdText(timestamp(ref.CollectedAt)), ref.New, ref.Unchanged, ref.Fixed)
	added := newFindings(run)
	b.WriteString("\n## New since last run\n\n")
	if len(added) == 0 {
		b.WriteString("No new findings.\n")
	} else {
		mdFindingTable(b, added)
	}
	b.WriteString("\n## Fixed since last run\n\n")
	if len(run.Fixed) == 0 {
		b.WriteString("Nothing fixed.\n")
	} else {
		mdFindingTable(b, run.Fixed)
	}
}

func mdFindingTable(b *strings.Builder, findings []model.Finding) {
	b.WriteString("| Severity | Policy | Resource | Message |\n| --- | --- | --- | --- |\n")
	for _, f := range findings {
		mdRow(b, severityIcons[f.Severity]+" "+f.Severity.String(), mdText(f.PolicyID), mdCodeCell(f.Resource), mdText(f.Message))
	}
}

// jsonBaselineRef is the JSON report's "baseline" object.
type jsonBaselineRef struct {
	Path        string `json:"path"`
	CollectedAt string `json:"collected_at"`
	New         int    `json:"new"`
	Unchanged   int    `json:"unchanged"`
	Fixed       int    `json:"fixed"`
}

// jsonBaseline fills the baseline parts of the JSON report.
func jsonBaseline(r *jsonReport, run *model.Run) {
	r.Fixed = make([]jsonFinding, 0, len(run.Fixed))
	for _, f := range run.Fixed {
		r.Fixed = append(r.Fixed, jsonFindingOf(f))
	}
	if ref := run.Baseline; ref != nil {
		r.Baseline = &jsonBaselineRef{Path: ref.Path, CollectedAt: timestamp(ref.CollectedAt),
			New: ref.New, Unchanged: ref.Unchanged, Fixed: ref.Fixed}
	}
}

// sarifFixed is the run property that lists fixed findings.
type sarifFixed struct {
	RuleID      string `json:"ruleId"`
	Resource    string `json:"resource"`
	Fingerprint string `json:"fingerprint"`
}

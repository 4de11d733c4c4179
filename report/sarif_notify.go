package report

import (
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// partialNotification says why a run carries findings forward.
func partialNotification(g runGroup, carried int) sarifNotification {
	return sarifNotification{Level: "warning", Message: sarifMessage(fmt.Sprintf(
		"This run's data is incomplete: %s. Its findings are those of the parts that were read, and %s of the last run "+
			"that could not be re-checked are carried forward, so their alerts stay open.", g.partial, plural(carried, "finding")))}
}

// sarifNotifications are a written run's tool notifications: the policies it
// folded into aggregates, so nothing is dropped silently.
func sarifNotifications(g runGroup, findings []model.Finding, folded map[string]bool, budget int) []sarifNotification {
	counts := map[string]int{}
	var order []string
	for _, f := range findings {
		if !folded[f.PolicyID] || f.Suppressed {
			continue
		}
		if counts[f.PolicyID] == 0 {
			order = append(order, f.PolicyID)
		}
		counts[f.PolicyID]++
	}
	if len(order) == 0 {
		return nil
	}
	total := 0
	parts := make([]string, len(order))
	for i, id := range order {
		total += counts[id]
		parts[i] = fmt.Sprintf("%s (%s)", id, thousands(counts[id]))
	}
	return []sarifNotification{{
		Level: "warning",
		Message: sarifText{Text: fmt.Sprintf("%s findings of %s are folded into one aggregate result each, "+
			"to keep the report within %s results: %s. The JSON report lists every finding.",
			thousands(total), plural(len(order), "policy"), thousands(budget), strings.Join(parts, ", "))},
	}}
}

// withheldNotifications go on the general run, one per run left out: which
// category, why, and that GitHub keeps its alerts as they were.
func withheldNotifications(run *model.Run, p sarifPlan) []sarifNotification {
	var out []sarifNotification
	for i, g := range p.groups {
		if g.withheld == "" {
			continue
		}
		out = append(out, sarifNotification{Level: "warning", Message: sarifMessage(withheldMessage(run, p, i))})
	}
	return out
}

// withheldMessage says which run is left out, why, where its findings are
// uploaded instead and what would upload the run itself.
func withheldMessage(run *model.Run, p sarifPlan, i int) string {
	g := p.groups[i]
	findings := countWritable(p.byGroup[i], p.includeSuppressed)
	ids := make([]string, len(g.policies))
	for j, pr := range g.policies {
		ids[j] = pr.Policy.ID
	}
	msg := fmt.Sprintf("Run %s is left out of this report, so GitHub code scanning keeps its alerts "+
		"as they were (none is closed): %s. Its policies: %s.", sarifCategory(run.OrgID, g.key), g.withheld, strings.Join(ids, ", "))
	inc := p.groups[len(p.groups)-1]
	if findings > 0 {
		verb := "are"
		if findings == 1 {
			verb = "is"
		}
		if g.key != incompleteRunKey && inc.withheld == "" {
			msg += fmt.Sprintf(" Its %s %s uploaded in run %s instead, so new ones open alerts now.",
				plural(findings, "finding"), verb, sarifCategory(run.OrgID, incompleteRunKey))
		} else {
			msg += fmt.Sprintf(" Its %s %s not uploaded; the JSON report lists them.", plural(findings, "finding"), verb)
		}
	}
	switch {
	case g.key == incompleteRunKey:
		msg += " With --baseline (the last run's JSON report) it is uploaded, and new findings of the runs left out open alerts the same night."
	case anyNoSource(g.policies):
	case run.Baseline == nil:
		msg += " With --baseline (the last run's JSON report) this run is uploaded, or its findings are: what was read " +
			"updates the alerts, and the last run's findings that could not be re-checked are carried forward."
	default:
		msg += " Its alerts that were fixed close once the area is read whole again: the baseline " +
			"cannot tell which of its alerts are still open."
	}
	return msg
}

// incompleteNotification says what the incomplete run holds.
func incompleteNotification(run *model.Run, p sarifPlan) sarifNotification {
	g := p.groups[len(p.groups)-1]
	if g.partial == "" {
		return sarifNotification{Level: "note", Message: sarifMessage("Every run of this report is written, so this run " +
			"holds no finding; it is uploaded so that the alerts it opened earlier close, or stay open in their own run.")}
	}
	return sarifNotification{Level: "warning", Message: sarifMessage("The runs left out keep their own alerts, and none " +
		"is closed that could not be checked; the findings here are facts (found in what was read), so new ones open alerts now.")}
}

// noSource reports whether a policy was not evaluated because an area it
// needs has no data source (not configured, not on the plan): nothing to
// carry forward, since it has no findings to re-check.
func noSource(p model.PolicyResult) bool {
	return p.Status == model.StatusNotEvaluated && !p.AreaFailed
}

// countWritable counts the findings that would be results.
func countWritable(findings []model.Finding, includeSuppressed bool) int {
	n := 0
	for _, f := range findings {
		if !f.Suppressed || includeSuppressed {
			n++
		}
	}
	return n
}

// sarifRunProperties describe the run: the areas it needs, how suppressed
// findings were handled, and the baseline comparison.
func sarifRunProperties(run *model.Run, g runGroup, findings []model.Finding) map[string]any {
	props := map[string]any{
		"atlcheck/areas": nonNil(g.areas),
		"atlcheck/suppressedFindings": "omitted: GitHub code scanning does not act on SARIF suppressions " +
			"and would open an alert for each; the JSON, Markdown and HTML reports list them with reason, owner and expiry",
	}
	if ref := run.Baseline; ref != nil {
		mine, known := policySet(g.policies), policySet(run.Policies)
		var fixed []sarifFixed
		n := 0
		for _, f := range run.Fixed {
			if mine[f.PolicyID] || (g.key == generalRunKey && !known[f.PolicyID]) {
				n++
				if len(fixed) < maxFixedListed {
					fixed = append(fixed, sarifFixed{RuleID: f.PolicyID, Resource: truncateRunes(f.Resource, maxResourceRunes), Fingerprint: f.Fingerprint})
				}
			}
		}
		props["atlcheck/baseline"] = ref.Path
		props["atlcheck/fixed"] = nonNil(fixed)
		props["atlcheck/fixedCount"] = n
	}
	return props
}

// maxFixedListed caps the fixed findings a run's properties list.
const maxFixedListed = 1000

// nonNil turns a nil slice into an empty one, so JSON shows [] and not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// severityIcons and statusIcons label severities and policy statuses.
var (
	severityIcons = map[model.Severity]string{
		model.SeverityCritical: "🔴", model.SeverityHigh: "🟠", model.SeverityMedium: "🟡",
		model.SeverityLow: "🔵", model.SeverityInfo: "⚪",
	}
	statusIcons = map[model.Status]string{
		model.StatusPass: "✅", model.StatusFail: "❌", model.StatusNotEvaluated: "⚠️", model.StatusSuppressed: "🔕",
	}
)

// WriteMarkdown renders run as GitHub-flavoured Markdown for pull-request
// comments and job summaries: the gate verdict and counts, a table of every
// policy, the findings by severity, the policies not evaluated, the
// suppressed findings and the effective parameters. Every value from the run
// is escaped, so a hostile resource name cannot break a table or inject HTML.
func WriteMarkdown(w io.Writer, run *model.Run) error {
	var b strings.Builder
	org := mdCode(run.OrgID)
	if run.OrgName != "" {
		org = mdText(run.OrgName) + " (" + org + ")"
	}
	fmt.Fprintf(&b, "# atlcheck report: %s\n\n", org)
	b.WriteString(mdGate(run.Gate) + "\n\n")
	snap := "not written to a file"
	if run.Snapshot.Path != "" {
		snap = mdCode(run.Snapshot.Path)
	}
	fmt.Fprintf(&b, "Snapshot: %s · collected %s · %s\n", snap, mdText(timestamp(run.Snapshot.CollectedAt)),
		mdText(toolLabel(run.Tool)))
	mdSummary(&b, run.Summary)
	mdBaseline(&b, run)
	mdPolicies(&b, run.Policies)
	mdFindings(&b, run)
	mdNotEvaluated(&b, run.Policies)
	mdSuppressed(&b, run.Findings)
	mdUnusedExceptions(&b, run.UnusedExceptions)
	if err := mdParameters(&b, run.Parameters); err != nil {
		return err
	}
	return writeAll(w, "markdown", []byte(b.String()))
}

// mdGate is the verdict line, e.g. "❌ **Gate failed:** 3 findings at or
// above high".
func mdGate(g model.Gate) string {
	switch {
	case g.FailOn == model.SeverityUnknown:
		return "➖ **Gate off:** `--fail-on none`"
	case g.Failed:
		return fmt.Sprintf("❌ **Gate failed:** %s at or above %s", g.Counts(), g.FailOnName())
	}
	return "✅ **Gate passed:** no findings at or above " + g.FailOnName()
}

func mdSummary(b *strings.Builder, s model.Summary) {
	b.WriteString("\n## Summary\n\n| Severity | Findings |\n| --- | ---: |\n")
	for _, sev := range model.Severities {
		mdRow(b, severityIcons[sev]+" "+severityTitle(sev), strconv.Itoa(s.Count(sev)))
	}
	fmt.Fprintf(b, "\n🔕 Suppressed: %d · ⚠️ Not evaluated: %d\n", s.Suppressed, s.NotEvaluated)
}

func mdPolicies(b *strings.Builder, policies []model.PolicyResult) {
	b.WriteString("\n## Policies\n\n| ID | Severity | Title | Status | Reason |\n| --- | --- | --- | --- | --- |\n")
	for _, p := range policies {
		status := statusIcons[p.Status] + " " + strings.ReplaceAll(string(p.Status), "_", " ")
		if p.Status == model.StatusFail || p.Status == model.StatusSuppressed {
			status += fmt.Sprintf(" (%d)", p.Findings)
		}
		mdRow(b, mdText(p.Policy.ID), p.Policy.Severity.String(), mdText(p.Policy.Title),
			strings.TrimSpace(status), mdText(p.Reason))
	}
}

// mdFindings writes the unsuppressed findings grouped by policy, most severe
// first: each group's title, severity and remediation once, then one row per
// resource.
func mdFindings(b *strings.Builder, run *model.Run) {
	b.WriteString("\n## Findings\n")
	groups := Failing(GroupByPolicy(run))
	if len(groups) == 0 {
		b.WriteString("\nNo findings.\n")
	}
	for _, g := range groups {
		mdGroup(b, g)
	}
}

// mdGroup writes one group: a heading, the remediation and a table of its
// findings.
func mdGroup(b *strings.Builder, g Group) {
	fmt.Fprintf(b, "\n### %s %s %s: %s (%d)\n\n", severityIcons[g.Severity], severityTitle(g.Severity),
		mdText(g.Key), mdText(g.Title), len(g.Findings))
	if g.Remediation != "" {
		fmt.Fprintf(b, "**Remediation:** %s\n\n", mdText(g.Remediation))
	}
	b.WriteString("| Resource | Message |\n| --- | --- |\n")
	for _, f := range g.Findings {
		mdRow(b, mdCodeCell(f.Resource), mdText(f.Message))
	}
}

func mdNotEvaluated(b *strings.Builder, policies []model.PolicyResult) {
	header := false
	for _, p := range policies {
		if p.Status != model.StatusNotEvaluated {
			continue
		}
		if !header {
			b.WriteString("\n## Not evaluated\n\n")
			header = true
		}
		fmt.Fprintf(b, "- **%s** %s: %s\n", mdText(p.Policy.ID), mdText(p.Policy.Title),
			mdText(cmp.Or(p.Reason, "no reason given")))
	}
}

func mdSuppressed(b *strings.Builder, findings []model.Finding) {
	header := false
	for _, f := range findings {
		if !f.Suppressed {
			continue
		}
		if !header {
			b.WriteString("\n## Suppressed\n\n| Policy | Resource | Reason | Owner | Expires | Ticket |\n")
			b.WriteString("| --- | --- | --- | --- | --- | --- |\n")
			header = true
		}
		s := model.Suppression{Reason: "no exception recorded"}
		if f.Suppression != nil {
			s = *f.Suppression
		}
		mdRow(b, mdText(f.PolicyID), mdCodeCell(f.Resource), mdText(s.Reason), mdText(s.Owner),
			mdText(s.Expires), mdText(s.Ticket))
	}
}

// mdUnusedExceptions lists unexpired exceptions that matched nothing.
func mdUnusedExceptions(b *strings.Builder, unused []model.ExceptionRef) {
	if len(unused) == 0 {
		return
	}
	b.WriteString("\n## Unused exceptions\n\nThese exceptions matched no finding and can be removed.\n\n")
	b.WriteString("| Policy | Resource | Owner | Expires | Config line |\n| --- | --- | --- | --- | ---: |\n")
	for _, e := range unused {
		mdRow(b, mdText(e.Policy), mdCodeCell(e.Resource), mdText(e.Owner), mdText(e.Expires), strconv.Itoa(e.Line))
	}
}

// mdParameters writes the effective parameters as JSON in a collapsed block.
func mdParameters(b *strings.Builder, params map[string]any) error {
	if params == nil {
		params = map[string]any{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(params); err != nil {
		return fmt.Errorf("encode parameters: %w", err)
	}
	fence := mdFence(buf.String())
	fmt.Fprintf(b, "\n<details>\n<summary>Effective parameters</summary>\n\n%sjson\n%s%s\n\n</details>\n",
		fence, buf.String(), fence)
	return nil
}

// severityTitle is "Critical", "High"…
func severityTitle(s model.Severity) string {
	name := s.String()
	return strings.ToUpper(name[:1]) + name[1:]
}

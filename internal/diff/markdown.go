package diff

import (
	"fmt"
	"strings"
)

// kindLabels and riskLabels label kinds and risks in Markdown.
var (
	kindLabels = map[Kind]string{Added: "➕ added", Removed: "➖ removed", Changed: "✏️ changed"}
	riskLabels = map[Risk]string{RiskIncreased: "🔺 increased", RiskDecreased: "🔻 decreased", RiskNeutral: "neutral"}
)

// renderMarkdown is GitHub-flavoured Markdown for pull-request comments and
// issues: a header, the summary, one table per area and the parts not
// compared. Every value from a snapshot is escaped, so a hostile name cannot
// break a table or inject HTML or links.
func renderMarkdown(r *Result) ([]byte, error) {
	var b strings.Builder
	org := mdCode(r.Org.ID)
	if r.Org.Name != "" {
		org = mdText(r.Org.Name) + " (" + org + ")"
	}
	fmt.Fprintf(&b, "# Drift of %s\n\n", org)
	fmt.Fprintf(&b, "- Old: %s, collected %s\n", mdPath(r.Old.Path), timestamp(r.Old.CollectedAt))
	fmt.Fprintf(&b, "- New: %s, collected %s\n\n", mdPath(r.New.Path), timestamp(r.New.CollectedAt))
	fmt.Fprintf(&b, "**%s.**\n", summaryLine(r.Summary))
	area := ""
	for _, c := range r.Changes {
		if c.Area != area {
			area = c.Area
			fmt.Fprintf(&b, "\n## %s\n\n| Change | Resource | Summary | Risk |\n|---|---|---|---|\n", mdCode(area))
		}
		mdRow(&b, kindLabels[c.Kind], mdCodeCell(c.Resource), mdSummary(c), riskLabels[c.Risk])
	}
	if len(r.NotCompared) > 0 {
		b.WriteString("\n## Not compared\n\n| Area | Site | Reason |\n|---|---|---|\n")
		for _, n := range r.NotCompared {
			mdRow(&b, mdCodeCell(n.Area), mdCodeCell(n.Resource), mdText(n.Reason))
		}
	}
	return []byte(b.String()), nil
}

// mdSummary is the summary cell: the sentence, then one line per field.
func mdSummary(c Change) string {
	cell := mdText(c.Summary)
	for _, f := range c.Fields {
		cell += fmt.Sprintf("<br>%s: %s → %s", mdCodeCell(f.Name), mdCodeCell(valueText(f.Old)), mdCodeCell(valueText(f.New)))
	}
	return cell
}

func mdPath(path string) string {
	if path == "" {
		return "not from a file"
	}
	return mdCode(path)
}

// mdRow writes one table row of already-escaped cells.
func mdRow(b *strings.Builder, cells ...string) {
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + c + " |")
	}
	b.WriteString("\n")
}

package fleet

import (
	"fmt"
	"github.com/atlcheck/atlcheck/internal/english"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/escape"
)

// maxCell bounds what one value may take of a table cell, so a fleet of
// hundreds of orgs fits GitHub's 1 MiB step summary.
const maxCell = 200

// Markdown renders the summary as GitHub-flavoured Markdown for a job
// summary or an issue: the verdict, totals, a row per org, the worst
// findings. Every value from a report is escaped.
func Markdown(s *Summary) []byte {
	var b strings.Builder
	b.WriteString("# atlcheck fleet report\n\n")
	fmt.Fprintf(&b, "%s\n\n", Verdict(s))
	t := s.Totals
	fmt.Fprintf(&b, "%s\n\n", counts(s))
	b.WriteString("| Org | Report | Gate | Critical | High | Medium | Low | Info | Suppressed | Not evaluated | Snapshot age |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, r := range s.Rows {
		c := cells(r)
		escape.MDRow(&b, mdOrg(r), reportIcons[r.Report]+" "+c.Report, c.Gate, c.Counts[0], c.Counts[1], c.Counts[2], c.Counts[3], c.Counts[4], c.Counts[5], escape.MDText(clip(c.Areas)), c.Age)
	}
	escape.MDRow(&b, "**Total**", "", fmt.Sprintf("%d failed", t.GateFailed), fmt.Sprint(t.Critical), fmt.Sprint(t.High), fmt.Sprint(t.Medium), fmt.Sprint(t.Low), fmt.Sprint(t.Info), fmt.Sprint(t.Suppressed), "", "")
	if len(s.Worst) > 0 {
		b.WriteString("\n## Worst findings across orgs\n\n| Severity | Policy | Org | Resource | Message |\n| --- | --- | --- | --- | --- |\n")
		for _, f := range s.Worst {
			escape.MDRow(&b, f.Severity.String(), escape.MDText(clip(f.PolicyID)), escape.MDText(clip(orgName(f.OrgName, f.OrgID))), escape.MDCodeCell(clip(f.Resource)), escape.MDText(clip(f.Message)))
		}
		if s.More > 0 {
			fmt.Fprintf(&b, "\n…and %d more unsuppressed findings: see each org's report.\n", s.More)
		}
	}
	for _, r := range s.Rows {
		if r.Report == ReportUnreadable {
			fmt.Fprintf(&b, "\n- %s: %s", escape.MDCode(clip(r.File)), escape.MDText(clip(r.Error)))
		}
	}
	if t.Unreadable > 0 {
		b.WriteString("\n")
	}
	for _, n := range s.Notes {
		fmt.Fprintf(&b, "\n> %s\n", escape.MDText(clip(n)))
	}
	return []byte(b.String())
}

var reportIcons = map[string]string{ReportCurrent: "✅", ReportStale: "⏰", ReportMissing: "❓", ReportUnreadable: "⛔"}

// counts is the line under the verdict.
func counts(s *Summary) string {
	t := s.Totals
	line := fmt.Sprintf("%s: %d current, %d stale, %d missing", english.Count(t.Orgs, "org"), t.Current, t.Stale, t.Missing)
	if t.Unreadable > 0 {
		line += fmt.Sprintf("; %d unreadable %s", t.Unreadable, english.Noun(t.Unreadable, "report file"))
	}
	return line + fmt.Sprintf(". A report is stale when its snapshot is older than %s (as of %s).", Duration(s.MaxAge), stamp(s.GeneratedAt))
}

// Verdict is the one-line fleet verdict in Markdown, with its emoji.
func Verdict(s *Summary) string {
	icon := "✅"
	if s.Failed() {
		icon = "❌"
	}
	return fmt.Sprintf("%s **%s:** %s", icon, verdictHead(s), verdictReason(s))
}

// verdictHead is "Fleet passed" or "Fleet failed".
func verdictHead(s *Summary) string {
	if s.Failed() {
		return "Fleet failed"
	}
	return "Fleet passed"
}

// verdictReason is what the verdict rests on, after "Fleet passed:" or
// "Fleet failed:".
func verdictReason(s *Summary) string {
	t := s.Totals
	switch {
	case !s.Failed() && t.Orgs == 1:
		return "its one org has a current report and passed its gate."
	case !s.Failed():
		return fmt.Sprintf("every one of %d orgs has a current report and passed its gate.", t.Orgs)
	}
	var parts []string
	if t.GateFailed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed the gate", t.GateFailed))
	}
	if n := t.Stale + t.Missing + t.Unreadable; n > 0 {
		parts = append(parts, fmt.Sprintf("%d without a current report", n))
	}
	return strings.Join(parts, ", ") + "."
}

// rowCells are a row's values as plain text, shared by Markdown and HTML.
type rowCells struct {
	Report, Gate, Areas, Age string
	Counts                   [6]string
}

func cells(r Row) rowCells {
	c := rowCells{Report: r.Report, Gate: "—", Areas: "—", Age: "—", Counts: [6]string{"—", "—", "—", "—", "—", "—"}}
	if !r.InFleet {
		c.Report += " (not in the fleet file)"
	}
	if r.Run == nil {
		return c
	}
	// The gate in the words of every other report: what it counted,
	// findings and policies whose area failed alike.
	c.Gate = r.Run.Gate.Verdict()
	u := r.Run.Summary
	for i, n := range []int{u.Critical, u.High, u.Medium, u.Low, u.Info, u.Suppressed} {
		c.Counts[i] = fmt.Sprint(n)
	}
	switch {
	case !r.AreasKnown:
		c.Areas = english.Count(u.NotEvaluated, "policy") + " (areas not in this report)"
	case len(r.NotEvaluated) == 0:
		c.Areas = "none"
	default:
		c.Areas = strings.Join(r.NotEvaluated, ", ")
	}
	if r.AgeKnown {
		c.Age = Duration(r.Age)
	} else {
		c.Age = "unknown"
	}
	return c
}

func mdOrg(r Row) string {
	if r.Report == ReportUnreadable {
		return escape.MDCodeCell(clip(r.File))
	}
	return escape.MDText(clip(r.Label())) + " " + escape.MDCodeCell(clip(r.ID))
}

func orgName(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

// Duration renders an age as "3h", "2d 4h" or "12m".
func Duration(d time.Duration) string {
	neg := ""
	if d < 0 {
		neg, d = "-", -d
	}
	switch {
	case d >= 24*time.Hour:
		days := d / (24 * time.Hour)
		if h := (d - days*24*time.Hour) / time.Hour; h > 0 {
			return fmt.Sprintf("%s%dd %dh", neg, days, h)
		}
		return fmt.Sprintf("%s%dd", neg, days)
	case d >= time.Hour:
		return fmt.Sprintf("%s%dh", neg, d/time.Hour)
	default:
		return fmt.Sprintf("%s%dm", neg, d/time.Minute)
	}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// clip shortens s to maxCell characters.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= maxCell {
		return s
	}
	return string(r[:maxCell-1]) + "…"
}

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

// maxCellRunes caps a message in a Markdown table; the JSON report has it whole.
const maxCellRunes = 300

// WriteMarkdown renders run as GitHub-flavoured Markdown with the default
// options (no size cap, findings grouped by policy).
func WriteMarkdown(w io.Writer, run *model.Run) error {
	return writeMarkdown(w, run, Options{})
}

// writeMarkdown renders run as GitHub-flavoured Markdown for pull-request
// comments and job summaries. It leads with what matters: the verdict and
// the counts, what the audit log recorded since the last run, then the
// findings in groups (most severe first, each with its remediation once), then the policies not evaluated and those that passed,
// then the suppressed findings, what the baseline says is fixed, unused
// exceptions and the effective parameters. With opts.MaxBytes the document
// is cut to fit (markdown_budget.go). Every value from the run is escaped,
// so a hostile resource name cannot break a table or inject HTML.
func writeMarkdown(w io.Writer, run *model.Run, opts Options) error {
	group, ok := Groupings[cmp.Or(opts.GroupBy, "policy")]
	if !ok {
		return fmt.Errorf("unknown grouping %q (want %s)", opts.GroupBy, strings.Join(groupingNames(), ", "))
	}
	var doc mdDoc
	if err := mdHeader(&doc, run, opts); err != nil {
		return err
	}
	if opts.GroupBy == "control" {
		doc.keep(mdControls(run)) // the compliance view (controls.go)
	}
	mdSinceLastRun(&doc, run)
	mdFindings(&doc, run, group(run))
	mdPolicyLists(&doc, run)
	mdSuppressed(&doc, run.Findings)
	mdFixed(&doc, run)
	mdUnusedExceptions(&doc, run.UnusedExceptions)
	if err := mdParameters(&doc, run.Parameters); err != nil {
		return err
	}
	out, err := doc.fit(opts.MaxBytes, opts.FullReport)
	if err != nil {
		return err
	}
	return writeAll(w, "markdown", []byte(out))
}

// mdHeader is the part that is never cut: title, verdict, snapshot, counts,
// the baseline comparison and, with a SARIF report, the code scanning
// categories it leaves out.
func mdHeader(doc *mdDoc, run *model.Run, opts Options) error {
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
	for _, f := range run.Filters {
		fmt.Fprintf(&b, "\n🔎 **Filter:** %s\n", mdText(f))
	}
	mdSummary(&b, run)
	mdBaseline(&b, run)
	if opts.CodeScanning {
		if err := mdCodeScanning(&b, run, opts.SARIF); err != nil {
			return err
		}
	}
	doc.keep(b.String())
	return nil
}

// isAre is "1 finding is" or "3 findings are".
func isAre(n int, word string) string {
	return plural(n, word) + " " + isAreVerb(n)
}

// isAreVerb is "is" for one, else "are".
func isAreVerb(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// mdCodeScanning says which code scanning categories the SARIF report leaves
// out (GitHub keeps their alerts as they were) or carries forward, so a
// category that stays behind is seen on the run's page.
func mdCodeScanning(b *strings.Builder, run *model.Run, opts SARIFOptions) error {
	cats, err := SARIFCategories(run, opts)
	if err != nil {
		return err
	}
	var out, carried []string
	baseline, incWritten := false, false
	findings := 0
	for _, c := range cats {
		switch {
		case c.Group == incompleteRunKey:
			incWritten = c.Withheld == ""
			if c.Withheld != "" {
				out = append(out, mdCode(c.Category)+" (the findings of the categories left out)")
				baseline = true
			}
		case c.Withheld != "":
			out = append(out, mdCode(c.Category)+" ("+mdText(c.Withheld)+")")
			findings += c.Findings
			baseline = baseline || c.NeedsBaseline
		case c.Carried > 0:
			carried = append(carried, fmt.Sprintf("%s (%s)", mdCode(c.Category), plural(c.Carried, "finding")))
		}
	}
	if len(out) > 0 {
		their := "their"
		if len(out) == 1 {
			their = "its"
		}
		fmt.Fprintf(b, "\n⚠️ **Code scanning:** %s not uploaded in this run, so GitHub keeps %s alerts as they were "+
			"(none is closed, fixed ones included): %s.", isAre(len(out), "category"), their, strings.Join(out, "; "))
		switch {
		case findings > 0 && incWritten:
			fmt.Fprintf(b, " Their %s, found in what was read, %s uploaded under %s instead, so new ones are alerts now.",
				plural(findings, "finding"), isAreVerb(findings), mdCode(sarifCategory(run.OrgID, incompleteRunKey)))
		case findings > 0:
			fmt.Fprintf(b, " Their %s, found in what was read, %s not uploaded: new ones open no alert yet.",
				plural(findings, "finding"), isAreVerb(findings))
		}
		if baseline {
			b.WriteString(" Pass `--baseline` (the last run's JSON report; the action's `baseline` input) so that what was read " +
				"is uploaded and the rest is carried forward.")
		}
		b.WriteString("\n")
	}
	if len(carried) > 0 {
		fmt.Fprintf(b, "\n↪️ **Code scanning:** findings not re-checked in this run are carried forward from the baseline, "+
			"so their alerts stay open: %s.\n", strings.Join(carried, ", "))
	}
	return nil
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

func mdSummary(b *strings.Builder, run *model.Run) {
	s := run.Summary
	b.WriteString("\n## Summary\n\n| Severity | Findings |\n| --- | ---: |\n")
	for _, sev := range model.Severities {
		mdRow(b, severityIcons[sev]+" "+severityTitle(sev), thousands(s.Count(sev)))
	}
	counts := map[model.Status]int{}
	for _, p := range run.Policies {
		counts[p.Status]++
	}
	fmt.Fprintf(b, "\nPolicies: ❌ %d failed, ✅ %d passed, ⚠️ %d not evaluated, 🔕 %d with suppressed findings only. "+
		"Suppressed findings: %s.\n", counts[model.StatusFail], counts[model.StatusPass],
		counts[model.StatusNotEvaluated], counts[model.StatusSuppressed], thousands(s.Suppressed))
}

// mdFindings writes the unsuppressed findings in groups, most severe first:
// each group's title, severity and remediation once, then one row per
// finding. Each group is a block the size budget can leave out whole.
func mdFindings(doc *mdDoc, run *model.Run, groups []Group) {
	doc.keep("\n## Findings\n")
	groups = Failing(groups)
	if len(groups) == 0 {
		doc.keep("\nNo findings.\n")
	}
	baseline := run.Baseline != nil
	for _, g := range groups {
		doc.group(mdGroupBlock(g, baseline))
	}
}

// mdGroupBlock renders one group as a heading, its remediation and a table;
// a group of several policies (e.g. one control) has a policy column too.
func mdGroupBlock(g Group, baseline bool) mdBlock {
	var head strings.Builder
	name := mdText(g.Key)
	if g.Title != "" && g.Title != g.Key {
		name += ": " + mdText(g.Title)
	}
	fmt.Fprintf(&head, "\n### %s %s %s (%s)\n\n", severityIcons[g.Severity], severityTitle(g.Severity), name,
		plural(len(g.Findings), "finding"))
	if g.Remediation != "" {
		fmt.Fprintf(&head, "**Remediation:** %s\n\n", mdText(g.Remediation))
	}
	multi := len(g.Policies) > 1
	cols := []string{"Resource", "Message"}
	if multi {
		cols = append([]string{"Policy", "Severity"}, cols...)
	}
	if baseline {
		cols = append(cols, "Since last run")
	}
	head.WriteString("| " + strings.Join(cols, " | ") + " |\n|" + strings.Repeat(" --- |", len(cols)) + "\n")
	rows := make([]string, len(g.Findings))
	for i, f := range g.Findings {
		cells := []string{mdCodeCell(f.Resource), mdText(truncateRunes(f.Message, maxCellRunes))}
		if multi {
			cells = append([]string{mdText(f.PolicyID), f.Severity.String()}, cells...)
		}
		if baseline {
			cells = append(cells, baselineCell(f.BaselineState))
		}
		var row strings.Builder
		mdRow(&row, cells...)
		rows[i] = row.String()
	}
	return mdBlock{head: head.String(), rows: rows, what: groupLabel(g), findings: len(g.Findings), severity: g.Severity}
}

// groupLabel names a group in the note of what was left out, e.g.
// "ATL-TOK-001 (6,209 medium)".
func groupLabel(g Group) string {
	return fmt.Sprintf("%s (%s %s)", g.Key, thousands(len(g.Findings)), g.Severity)
}

func baselineCell(state string) string {
	switch state {
	case model.BaselineNew:
		return "🆕 new"
	case model.BaselineUnchanged:
		return "unchanged"
	}
	return ""
}

// mdPolicyLists lists the policies not evaluated (with why) and those that
// passed; both are short, one line per policy.
func mdPolicyLists(doc *mdDoc, run *model.Run) {
	if ne := PoliciesWithStatus(run, model.StatusNotEvaluated); len(ne) > 0 {
		var b strings.Builder
		b.WriteString("\n## Not evaluated\n\nThese policies could not be checked; their risks are unknown, not absent.\n\n")
		for _, p := range ne {
			fmt.Fprintf(&b, "- ⚠️ **%s** %s (%s): %s\n", mdText(p.Policy.ID), mdText(p.Policy.Title), p.Policy.Severity,
				mdText(cmp.Or(p.Reason, "no reason given")))
		}
		doc.keep(b.String())
	}
	if passed := PoliciesWithStatus(run, model.StatusPass); len(passed) > 0 {
		var b strings.Builder
		b.WriteString("\n## Passed\n\n")
		for _, p := range passed {
			fmt.Fprintf(&b, "- ✅ **%s** %s", mdText(p.Policy.ID), mdText(p.Policy.Title))
			if p.Reason != "" {
				fmt.Fprintf(&b, " (%s)", mdText(p.Reason))
			}
			b.WriteString("\n")
		}
		doc.keepLast(b.String(), fmt.Sprintf("the list of passed policies (%d)", len(passed)))
	}
}

func mdSuppressed(doc *mdDoc, findings []model.Finding) {
	var rows []string
	for _, f := range findings {
		if !f.Suppressed {
			continue
		}
		s := model.Suppression{Reason: "no exception recorded"}
		if f.Suppression != nil {
			s = *f.Suppression
		}
		var row strings.Builder
		mdRow(&row, mdText(f.PolicyID), mdCodeCell(f.Resource), mdText(s.Reason), mdText(s.Owner),
			mdText(s.Expires), mdText(s.Ticket))
		rows = append(rows, row.String())
	}
	if len(rows) == 0 {
		return
	}
	head := "\n## Suppressed\n\nAccepted risks (exceptions in the config file); they do not count for the gate.\n\n" +
		"| Policy | Resource | Reason | Owner | Expires | Ticket |\n| --- | --- | --- | --- | --- | --- |\n"
	doc.extra(head+strings.Join(rows, ""), fmt.Sprintf("the suppressed findings (%s)", thousands(len(rows))))
}

// mdFixed lists the baseline's findings that are gone now, and those that
// could not be re-checked.
func mdFixed(doc *mdDoc, run *model.Run) {
	if run.Baseline == nil {
		return
	}
	table := func(title, intro string, findings []model.Finding, what string) {
		if len(findings) == 0 {
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "\n## %s\n\n%s| Severity | Policy | Resource | Message |\n| --- | --- | --- | --- |\n", title, intro)
		for _, f := range findings {
			mdRow(&b, severityIcons[f.Severity]+" "+f.Severity.String(), mdText(f.PolicyID), mdCodeCell(f.Resource),
				mdText(truncateRunes(f.Message, maxCellRunes)))
		}
		doc.extra(b.String(), fmt.Sprintf("%s (%s)", what, thousands(len(findings))))
	}
	table("Fixed since last run", "", run.Fixed, "the findings fixed since the last run")
	table("Not re-checked since last run", "These findings of the last run could not be checked again "+
		"(their policy did not run or was not evaluated, or its area was collected only in part): "+
		"they are not known to be fixed.\n\n",
		run.Unverified, "the findings not re-checked since the last run")
}

// mdUnusedExceptions lists unexpired exceptions that matched nothing.
func mdUnusedExceptions(doc *mdDoc, unused []model.ExceptionRef) {
	if len(unused) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString("\n## Unused exceptions\n\nThese exceptions matched no finding and can be removed.\n\n")
	b.WriteString("| Policy | Resource | Owner | Expires | Config line |\n| --- | --- | --- | --- | ---: |\n")
	for _, e := range unused {
		mdRow(&b, mdText(e.Policy), mdCodeCell(e.Resource), mdText(e.Owner), mdText(e.Expires), strconv.Itoa(e.Line))
	}
	doc.extra(b.String(), fmt.Sprintf("the unused exceptions (%d)", len(unused)))
}

// mdParameters writes the effective parameters as JSON in a collapsed block.
func mdParameters(doc *mdDoc, params map[string]any) error {
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
	doc.extra(fmt.Sprintf("\n<details>\n<summary>Effective parameters</summary>\n\n%sjson\n%s%s\n\n</details>\n",
		fence, buf.String(), fence), "the effective parameters")
	return nil
}

// severityTitle is "Critical", "High"…
func severityTitle(s model.Severity) string {
	name := s.String()
	return strings.ToUpper(name[:1]) + name[1:]
}

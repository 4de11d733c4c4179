package report

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// WriteText renders run as the terminal report with the defaults: no colour,
// 80 columns.
func WriteText(w io.Writer, run *model.Run) error { return writeText(w, run, Options{}) }

// writeText renders the terminal report: the summary and the gate verdict
// first, then what changed since the baseline, the policies that could not be
// evaluated, what the audit log recorded since the last run, the findings grouped by policy (most severe first) with the
// remediation said once per policy, the suppressed findings with their
// exception, the unused exceptions and the passed policies.
//
// Lines are wrapped between words to opts.Width columns (80 when 0); a word
// longer than that (a long ARI) is never split. Everything atlcheck itself
// writes is ASCII; values from the org keep their characters, with control
// and bidi characters shown as escapes (\n, \x1b, \u202e), so a resource name
// cannot forge lines or drive the terminal. ANSI colours only with
// opts.Color.
func writeText(w io.Writer, run *model.Run, opts Options) error {
	t := &textWriter{width: cmp.Or(opts.Width, 80), color: opts.Color}
	groups := GroupByPolicy(run)
	t.header(run, len(Failing(groups)))
	t.baseline(run)
	t.notEvaluated(run)
	t.sinceLastRun(run)
	t.findings(Failing(groups), run.Baseline != nil)
	t.suppressed(groups)
	t.unusedExceptions(run.UnusedExceptions)
	t.passed(run)
	return writeAll(w, "text", []byte(t.b.String()))
}

// textWriter accumulates the text report.
type textWriter struct {
	b     strings.Builder
	width int
	color bool
}

// ANSI styles, used only when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiMag    = "\x1b[35m"
	ansiCyan   = "\x1b[36m"
)

var severityStyle = map[model.Severity]string{
	model.SeverityCritical: ansiBold + ansiMag, model.SeverityHigh: ansiBold + ansiRed,
	model.SeverityMedium: ansiYellow, model.SeverityLow: ansiCyan, model.SeverityInfo: ansiDim,
}

// style wraps s in an ANSI style when colour is on.
func (t *textWriter) style(code, s string) string {
	if !t.color || code == "" {
		return s
	}
	return code + s + ansiReset
}

// para writes s wrapped, the first line after first, the rest indented by
// indent spaces. Prefixes may hold ANSI codes (not counted in the width).
func (t *textWriter) para(first string, indent int, s string) {
	plain := stripANSI(first)
	lines := wrap(s, plain, strings.Repeat(" ", indent), t.width)
	lines[0] = first + strings.TrimPrefix(lines[0], plain)
	for _, l := range lines {
		t.b.WriteString(l + "\n")
	}
}

func (t *textWriter) heading(s string) {
	t.b.WriteString("\n")
	for _, l := range wrap(s, "", "  ", t.width) {
		t.b.WriteString(t.style(ansiBold, l) + "\n")
	}
}

// header writes the org, the snapshot, the summary (failing is the number of
// policies with findings shown), the gate verdict and the filters.
func (t *textWriter) header(run *model.Run, failing int) {
	t.para(t.style(ansiBold, "atlcheck report:")+" ", 2, quoteControl(orgLabel(run)))
	snap := quoteControl(cmp.Or(run.Snapshot.Path, "(not written to a file)"))
	t.para("Snapshot: ", 2, fmt.Sprintf("%s, collected %s, by %s", snap, timestamp(run.Snapshot.CollectedAt), quoteControl(toolLabel(run.Tool))))
	s := run.Summary
	open := s.Critical + s.High + s.Medium + s.Low + s.Info
	t.b.WriteString("\n")
	t.para(t.style(ansiBold, "Summary:")+"  ", 10, fmt.Sprintf("%s in %d of %s: %s; %d suppressed; %s not evaluated",
		plural(open, "finding"), failing, plural(len(run.Policies), "policy"), severityCounts(t, s), s.Suppressed,
		plural(s.NotEvaluated, "policy")))
	t.para(t.style(ansiBold, "Gate:")+"     ", 10, t.gate(run))
	for _, f := range run.Filters {
		t.para(t.style(ansiBold, "Filter:")+"   ", 10, quoteControl(f))
	}
}

// severityCounts is "1 critical, 16 high, …", coloured by severity.
func severityCounts(t *textWriter, s model.Summary) string {
	parts := make([]string, 0, len(model.Severities))
	for _, sev := range model.Severities {
		n := s.Count(sev)
		part := fmt.Sprintf("%d %s", n, sev)
		if n > 0 {
			part = t.style(severityStyle[sev], part)
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// gate is the verdict, e.g. "FAILED: 17 findings at or above high (exit 1)".
func (t *textWriter) gate(run *model.Run) string {
	g := run.Gate
	what := "finding"
	if g.NewOnly {
		what = "new finding"
	}
	switch {
	case g.FailOn == model.SeverityUnknown:
		return fmt.Sprintf("off (--fail-on none), exit %d", run.ExitCode)
	case g.Failed:
		return t.style(ansiBold+ansiRed, "FAILED") + fmt.Sprintf(": %s at or above %s (exit %d)", g.Counts(), g.FailOnName(), run.ExitCode)
	}
	return t.style(ansiBold+ansiGreen, "passed") + fmt.Sprintf(": no %ss at or above %s (exit %d)", what, g.FailOnName(), run.ExitCode)
}

// baseline summarises the comparison with the baseline and lists what is
// new and what was fixed.
func (t *textWriter) baseline(run *model.Run) {
	ref := run.Baseline
	if ref == nil {
		return
	}
	t.heading(fmt.Sprintf("Since %s (collected %s): %d new, %d unchanged, %d fixed",
		quoteControl(ref.Path), timestamp(ref.CollectedAt), ref.New, ref.Unchanged, ref.Fixed))
	for _, f := range newFindings(run) {
		t.para("  new   "+t.severityLabel(f.Severity)+" ", 4, f.PolicyID+" "+quoteControl(f.Resource))
	}
	for _, f := range run.Fixed {
		t.para("  fixed "+t.severityLabel(f.Severity)+" ", 4, f.PolicyID+" "+quoteControl(f.Resource))
	}
}

// notEvaluated lists the policies whose data is missing: they are not passes.
func (t *textWriter) notEvaluated(run *model.Run) {
	list := PoliciesWithStatus(run, model.StatusNotEvaluated)
	if len(list) == 0 {
		return
	}
	t.heading(fmt.Sprintf("Not evaluated (%d): their data is missing, so these are not passes", len(list)))
	for _, p := range list {
		t.para("  "+t.style(ansiYellow, p.Policy.ID)+" ", 4, quoteControl(p.Policy.Title)+": "+quoteControl(cmp.Or(p.Reason, "no reason given")))
	}
}

func (t *textWriter) severityLabel(s model.Severity) string {
	return t.style(severityStyle[s], "["+strings.ToUpper(s.String())+"]")
}

// findings writes each failing group: the policy, its remediation once, then
// one line per resource with its message.
func (t *textWriter) findings(groups []Group, baseline bool) {
	if len(groups) == 0 {
		t.heading("No findings.")
		return
	}
	for _, g := range groups {
		t.b.WriteString("\n")
		t.para(t.severityLabel(g.Severity)+" "+t.style(ansiBold, g.Key)+" ", 2,
			quoteControl(g.Title)+" ("+plural(len(g.Findings), "finding")+")")
		if g.Remediation != "" {
			t.para("  "+t.style(ansiGreen, "Fix:")+" ", 7, quoteControl(g.Remediation))
		}
		for _, f := range g.Findings {
			mark := ""
			if baseline && f.BaselineState == model.BaselineNew {
				mark = t.style(ansiBold, "(new) ")
			}
			t.para("  - "+mark, 6, quoteControl(f.Resource)+": "+quoteControl(f.Message))
		}
	}
}

// suppressed lists the suppressed findings with their exception.
func (t *textWriter) suppressed(groups []Group) {
	n := 0
	for _, g := range groups {
		n += len(g.Suppressed)
	}
	if n == 0 {
		return
	}
	t.heading(fmt.Sprintf("Suppressed (%d): accepted risks, not counted", n))
	for _, g := range groups {
		for _, f := range g.Suppressed {
			reason := "no exception recorded"
			if f.Suppression != nil {
				reason = suppressionText(f.Suppression)
			}
			t.para("  "+g.Key+" ", 4, quoteControl(f.Resource)+": "+quoteControl(reason))
		}
	}
}

// unusedExceptions lists unexpired exceptions that matched nothing.
func (t *textWriter) unusedExceptions(unused []model.ExceptionRef) {
	if len(unused) == 0 {
		return
	}
	t.heading(fmt.Sprintf("Unused exceptions (%d): they matched no finding; remove them", len(unused)))
	for _, e := range unused {
		t.para("  "+quoteControl(e.Policy)+" ", 4, fmt.Sprintf("%s: owner %s, expires %s (config line %d)",
			quoteControl(e.Resource), quoteControl(cmp.Or(e.Owner, "unknown")), quoteControl(e.Expires), e.Line))
	}
}

// passed lists the ids of the policies that passed, so the reader sees what
// was checked.
func (t *textWriter) passed(run *model.Run) {
	list := PoliciesWithStatus(run, model.StatusPass)
	if len(list) == 0 {
		return
	}
	ids := make([]string, 0, len(list))
	for _, p := range list {
		ids = append(ids, quoteControl(p.Policy.ID))
	}
	t.heading(fmt.Sprintf("Passed (%d):", len(list)))
	t.para("  ", 2, strings.Join(ids, ", "))
}

// stripANSI removes the escape sequences this writer adds.
func stripANSI(s string) string {
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], 'm')
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+1:]
	}
}

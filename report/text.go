package report

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// WriteText renders run as the terminal default: a header, the unsuppressed
// findings grouped by severity ("[HIGH] ATL-KEY-001 resource — message"), the
// suppressed findings, the policies that were not evaluated, then a one-line
// summary and the gate verdict. Control characters in values are shown as
// escapes (\n, \x1b) so a resource name cannot forge lines or drive the
// terminal. There are no colours.
func WriteText(w io.Writer, run *model.Run) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", quoteControl(toolLabel(run.Tool)), quoteControl(orgLabel(run)))
	snap := cmp.Or(quoteControl(run.Snapshot.Path), "(not written to a file)")
	fmt.Fprintf(&b, "Snapshot: %s, collected %s\n", snap, timestamp(run.Snapshot.CollectedAt))
	textFindings(&b, run.Findings)
	textSuppressed(&b, run.Findings)
	textNotEvaluated(&b, run.Policies)
	textUnusedExceptions(&b, run.UnusedExceptions)
	textBaseline(&b, run)
	s := run.Summary
	fmt.Fprintf(&b, "\n%s: %d critical, %d high, %d medium, %d low, %d info; %d suppressed; %d not evaluated\n",
		plural(len(run.Policies), "policy"), s.Critical, s.High, s.Medium, s.Low, s.Info,
		s.Suppressed, s.NotEvaluated)
	fmt.Fprintf(&b, "Gate %s (exit %d)\n", gateVerdict(run.Gate), run.ExitCode)
	return writeAll(w, "text", []byte(b.String()))
}

// textFindings lists unsuppressed findings, a blank line between severities.
func textFindings(b *strings.Builder, findings []model.Finding) {
	last := model.Severity(-1)
	n := 0
	for _, f := range findings {
		if f.Suppressed {
			continue
		}
		if f.Severity != last {
			b.WriteString("\n")
			last = f.Severity
		}
		n++
		fmt.Fprintf(b, "[%s] %s %s — %s\n", strings.ToUpper(f.Severity.String()), f.PolicyID,
			quoteControl(f.Resource), quoteControl(f.Message))
	}
	if n == 0 {
		b.WriteString("\nNo findings.\n")
	}
}

// textSuppressed lists suppressed findings with their exception.
func textSuppressed(b *strings.Builder, findings []model.Finding) {
	header := false
	for _, f := range findings {
		if !f.Suppressed {
			continue
		}
		if !header {
			b.WriteString("\nSuppressed:\n")
			header = true
		}
		reason := "no exception recorded"
		if f.Suppression != nil {
			reason = suppressionText(f.Suppression)
		}
		fmt.Fprintf(b, "  %s %s — %s\n", f.PolicyID, quoteControl(f.Resource), quoteControl(reason))
	}
}

// textNotEvaluated lists the policies that could not be evaluated and why.
func textNotEvaluated(b *strings.Builder, policies []model.PolicyResult) {
	header := false
	for _, p := range policies {
		if p.Status != model.StatusNotEvaluated {
			continue
		}
		if !header {
			b.WriteString("\nNot evaluated:\n")
			header = true
		}
		fmt.Fprintf(b, "  %s %s — %s\n", p.Policy.ID, quoteControl(p.Policy.Title),
			quoteControl(cmp.Or(p.Reason, "no reason given")))
	}
}

// textUnusedExceptions lists unexpired exceptions that matched nothing.
func textUnusedExceptions(b *strings.Builder, unused []model.ExceptionRef) {
	if len(unused) == 0 {
		return
	}
	b.WriteString("\nUnused exceptions (matched no finding; clean up):\n")
	for _, e := range unused {
		fmt.Fprintf(b, "  %s %s — owner %s, expires %s (config line %d)\n", quoteControl(e.Policy),
			quoteControl(e.Resource), quoteControl(cmp.Or(e.Owner, "unknown")), quoteControl(e.Expires), e.Line)
	}
}

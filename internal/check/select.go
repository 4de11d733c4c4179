package check

import (
	"fmt"
	"path"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/suggest"
)

// PolicyFilter chooses the policies a run evaluates (--policy, --skip-policy):
// a policy runs when it matches one of Include (or Include is empty) and none
// of Exclude. Patterns are globs (* any run of characters, ? one, [..] a
// class), compared without regard to case.
type PolicyFilter struct {
	Include []string
	Exclude []string
}

// Keep reports whether the policy id runs.
func (f PolicyFilter) Keep(id string) bool {
	return (len(f.Include) == 0 || matchAny(f.Include, id)) && !matchAny(f.Exclude, id)
}

// Validate returns an error for a malformed pattern or one that matches none
// of ids (a typo would otherwise silently run everything, or nothing).
func (f PolicyFilter) Validate(ids []string) error {
	for _, set := range []struct {
		flag     string
		patterns []string
	}{{"--policy", f.Include}, {"--skip-policy", f.Exclude}} {
		for _, p := range set.patterns {
			if _, err := path.Match(strings.ToUpper(p), ""); err != nil {
				return fmt.Errorf("%s %q is not a valid pattern: %w", set.flag, p, err)
			}
			if !matchAny([]string{p}, ids...) {
				return fmt.Errorf("%s %q matches no policy%s (see 'atlcheck policies')", set.flag, p, suggest.Hint(p, ids, "%s"))
			}
		}
	}
	return nil
}

// note describes the filter for the reports, "" when it keeps everything.
func (f PolicyFilter) note(kept, total int) string {
	if len(f.Include)+len(f.Exclude) == 0 {
		return ""
	}
	var parts []string
	if len(f.Include) > 0 {
		parts = append(parts, "--policy "+strings.Join(f.Include, ", "))
	}
	if len(f.Exclude) > 0 {
		parts = append(parts, "--skip-policy "+strings.Join(f.Exclude, ", "))
	}
	return fmt.Sprintf("%s: %d of %d policies evaluated; the others are left out of this report and the gate",
		strings.Join(parts, "; "), kept, total)
}

// matchAny reports whether any of patterns matches any of ids.
func matchAny(patterns []string, ids ...string) bool {
	for _, p := range patterns {
		for _, id := range ids {
			if ok, _ := path.Match(strings.ToUpper(p), strings.ToUpper(id)); ok {
				return true
			}
		}
	}
	return false
}

// hideBelow leaves out of the run the findings (and fixed findings) less
// severe than min, for --min-severity: the summary counts what is shown, the
// gate and the exit code stay what the whole run decided. The run's Filters
// say how many were left out.
func hideBelow(run *model.Run, min model.Severity) {
	if min == model.SeverityUnknown || min == model.SeverityInfo {
		return
	}
	keep := func(fs []model.Finding) ([]model.Finding, int) {
		out := fs[:0:0]
		for _, f := range fs {
			if f.Severity.AtLeast(min) {
				out = append(out, f)
			}
		}
		return out, len(fs) - len(out)
	}
	var hidden, hiddenFixed int
	run.Findings, hidden = keep(run.Findings)
	run.Fixed, hiddenFixed = keep(run.Fixed)
	s := model.Summary{NotEvaluated: run.Summary.NotEvaluated}
	for _, f := range run.Findings {
		if f.Suppressed {
			s.Suppressed++
		} else {
			addCount(&s, f.Severity)
		}
	}
	run.Summary = s
	note := fmt.Sprintf("--min-severity %s: %d finding(s) below %s not shown", min, hidden, min)
	if hiddenFixed > 0 {
		note += fmt.Sprintf(", nor %d fixed one(s)", hiddenFixed)
	}
	if run.Gate.FailOn != model.SeverityUnknown && !run.Gate.FailOn.AtLeast(min) {
		note += fmt.Sprintf("; the gate (--fail-on %s) still counts every finding", run.Gate.FailOnName())
	}
	run.Filters = append(run.Filters, note)
}

package check

import (
	"time"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/model"
)

// ApplyExceptions marks the findings that an unexpired exception covers as
// suppressed (they stay in the report), lists the unexpired exceptions that
// matched nothing, and recomputes statuses, summary and gate. now is the
// snapshot time, so a snapshot evaluates the same forever; an exception
// applies through the whole of its expiry day (UTC). Expired exceptions
// suppress nothing; the ATL-EXC policies report them.
func ApplyExceptions(run *model.Run, exceptions []config.Exception, now time.Time) {
	used := make([]bool, len(exceptions))
	for i := range run.Findings {
		f := &run.Findings[i]
		for j := range exceptions {
			e := &exceptions[j]
			if !now.Before(e.ExpiresAt()) || !e.Matches(f.PolicyID, f.Resource) {
				continue
			}
			used[j] = true
			f.Suppressed = true
			f.Suppression = &model.Suppression{Reason: e.Reason, Owner: e.Owner, Ticket: e.Ticket, Expires: e.Expires}
			break
		}
	}
	run.UnusedExceptions = nil
	ran := make(map[string]bool, len(run.Policies))
	for _, p := range run.Policies {
		ran[p.Policy.ID] = true
	}
	for j, e := range exceptions {
		if !used[j] && now.Before(e.ExpiresAt()) && ran[e.Policy] {
			run.UnusedExceptions = append(run.UnusedExceptions, model.ExceptionRef{
				Policy: e.Policy, Resource: e.Resource, Owner: e.Owner, Expires: e.Expires, Line: e.Line,
			})
		}
	}
	finish(run)
}

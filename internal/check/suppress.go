package check

import (
	"slices"

	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/model"
)

// suppress marks the findings that an unexpired exception covers as
// suppressed (they stay in the report) and lists the unexpired exceptions
// that matched nothing. Which exceptions have expired is the policies'
// definition (lib.exceptions, evaluated with the snapshot's collected_at as
// "now"): expired ones suppress nothing, and ATL-EXC-001 reports them. The
// first matching exception in file order wins.
func suppress(run *model.Run, exceptions []config.Exception, expired []int) {
	live := func(j int) bool { return !slices.Contains(expired, j) }
	used := make([]bool, len(exceptions))
	for i := range run.Findings {
		f := &run.Findings[i]
		for j := range exceptions {
			e := &exceptions[j]
			if !live(j) || !e.Matches(f.PolicyID, f.Resource) {
				continue
			}
			used[j] = true
			f.Suppressed = true
			f.Suppression = &model.Suppression{Reason: e.Reason, Owner: e.Owner, Ticket: e.Ticket, Expires: e.Expires}
			break
		}
	}
	run.UnusedExceptions = nil
	for j, e := range exceptions {
		if !used[j] && live(j) {
			run.UnusedExceptions = append(run.UnusedExceptions, model.ExceptionRef{
				Policy: e.Policy, Resource: e.Resource, Owner: e.Owner, Expires: e.Expires, Line: e.Line,
			})
		}
	}
}

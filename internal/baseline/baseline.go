// Package baseline compares a run with an earlier one: it reads a previous
// JSON report and classifies every finding as new, unchanged or fixed by its
// fingerprint (a hash of policy id and resource, stable across runs).
package baseline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/report"
)

// Baseline is the findings of an earlier JSON report.
type Baseline struct {
	Path        string
	OrgID       string
	CollectedAt time.Time
	Findings    []model.Finding
	// Unverified are the findings the earlier run could not re-check and
	// carried from its own baseline: still the last known state, so they
	// are carried again (or fixed, once checked) like its findings.
	Unverified []model.Finding
	// Unknown are the policies whose findings the earlier report did not
	// know (not checked, and no baseline of its own knew them).
	Unknown map[string]bool
}

// Knows reports whether the baseline knows every finding of the policy id
// as last seen: a policy it does not list (new since) has none.
func (b *Baseline) Knows(id string) bool { return !b.Unknown[id] }

// Load reads a JSON report written by `atlcheck check|scan --format json`.
func Load(path string) (*Baseline, error) {
	data, err := inputfile.ReadData(context.Background(), path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a JSON report's bytes through the JSON report's own reader
// (report.ReadJSONFindings); path names it in errors. Its findings are the
// report's model.Finding values, marked absent until a run finds them
// again. The stored fingerprint is never trusted (an entry could carry
// another finding's fingerprint to hide it): it is recomputed. The old
// snapshot's line and column and the suppression details are dropped: they
// described another file.
func Parse(path string, data []byte) (*Baseline, error) {
	run, err := report.ReadJSONFindings("baseline "+path, data)
	if err != nil {
		return nil, err
	}
	if len(run.Filters) > 0 {
		// A filtered report lacks findings that still exist: they would all
		// read as new next time, or the selected ones as fixed.
		return nil, fmt.Errorf("baseline %s is a filtered report (%s); write the baseline without --policy, --skip-policy and --min-severity",
			path, strings.Join(run.Filters, "; "))
	}
	b := &Baseline{Path: path, OrgID: run.OrgID, CollectedAt: run.Snapshot.CollectedAt, Findings: run.Findings,
		Unverified: run.Unverified, Unknown: map[string]bool{}}
	for _, list := range [][]model.Finding{b.Findings, b.Unverified} {
		for i := range list {
			f := &list[i]
			f.Fingerprint = model.Fingerprint(f.PolicyID, f.Resource)
			f.BaselineState = model.BaselineAbsent
			f.Line, f.Column, f.Suppression = 0, 0, nil
		}
	}
	for _, p := range run.Policies {
		if !p.FindingsKnown {
			b.Unknown[p.Policy.ID] = true
		}
	}
	return b, nil
}

// Apply classifies the run's findings against the baseline and lists the
// fixed ones: the baseline's findings of evaluated policies that are gone. It
// refuses a baseline of another organization, and one that names none.
// check.Evaluate calls it, after the exceptions and before the statuses and
// the gate are computed; nothing else should.
func Apply(run *model.Run, b *Baseline) error {
	if b.OrgID == "" {
		return fmt.Errorf("baseline %s names no org_id: a baseline must be a JSON report on the same org (%s)", b.Path, run.OrgID)
	}
	if b.OrgID != run.OrgID {
		return fmt.Errorf("baseline %s is a report on org %s, not %s", b.Path, b.OrgID, run.OrgID)
	}
	// The last known state: the baseline's findings, and those it could not
	// re-check itself (carried from its own baseline).
	prior := make([]model.Finding, 0, len(b.Findings)+len(b.Unverified))
	before := make(map[string]bool, len(b.Findings)+len(b.Unverified))
	for _, list := range [][]model.Finding{b.Findings, b.Unverified} {
		for _, f := range list {
			if !before[f.Fingerprint] {
				before[f.Fingerprint] = true
				prior = append(prior, f)
			}
		}
	}
	ref := &model.BaselineRef{Path: b.Path, CollectedAt: b.CollectedAt}
	now := make(map[string]bool, len(run.Findings))
	for i := range run.Findings {
		f := &run.Findings[i]
		now[f.Fingerprint] = true
		if before[f.Fingerprint] {
			f.BaselineState = model.BaselineUnchanged
			ref.Unchanged++
		} else {
			f.BaselineState = model.BaselineNew
			ref.New++
		}
	}
	// A finding is fixed only when its policy ran and was evaluated over
	// complete data: the findings of a policy left out (--skip-policy), not
	// evaluated (its area failed) or evaluated over an area collected in part
	// are unknown now, not gone.
	checked := checkedPolicies(run)
	run.Fixed, run.Unverified = nil, nil
	for _, f := range prior {
		switch {
		case now[f.Fingerprint]:
		case !checked[f.PolicyID]:
			run.Unverified = append(run.Unverified, f)
		default:
			run.Fixed = append(run.Fixed, f)
		}
	}
	ref.Fixed, ref.Unverified = len(run.Fixed), len(run.Unverified)
	run.Baseline = ref
	for i := range run.Policies {
		pr := &run.Policies[i]
		pr.FindingsKnown = checked[pr.Policy.ID] || b.Knows(pr.Policy.ID)
	}
	return nil
}

// checkedPolicies are the policies whose missing findings are fixed: those
// that ran, were evaluated, and need no area that is incomplete (a site whose
// apps could not be read may still have the app). A policy left out of the
// run (--skip-policy) is not checked.
func checkedPolicies(run *model.Run) map[string]bool {
	out := make(map[string]bool, len(run.Policies))
	for _, p := range run.Policies {
		out[p.Policy.ID] = run.Checked(p)
	}
	return out
}

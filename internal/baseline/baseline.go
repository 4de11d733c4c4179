// Package baseline compares a run with an earlier one: it reads a previous
// JSON report and classifies every finding as new, unchanged or fixed by its
// fingerprint (a hash of policy id and resource, stable across runs).
package baseline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/model"
)

// Baseline is the findings of an earlier JSON report.
type Baseline struct {
	Path        string
	OrgID       string
	CollectedAt time.Time
	Findings    []model.Finding
}

// previous is the part of the JSON report (docs/reports.md) a baseline needs.
type previous struct {
	Tool *struct {
		Name string `json:"name"`
	} `json:"tool"`
	OrgID    string `json:"org_id"`
	Snapshot struct {
		CollectedAt *time.Time `json:"collected_at"`
	} `json:"snapshot"`
	Findings *[]struct {
		PolicyID    string `json:"policy_id"`
		Severity    string `json:"severity"`
		Title       string `json:"title"`
		Resource    string `json:"resource"`
		Message     string `json:"message"`
		Remediation string `json:"remediation"`
		Path        string `json:"path"`
		Suppressed  bool   `json:"suppressed"`
		Fingerprint string `json:"fingerprint"`
	} `json:"findings"`
}

// Load reads a JSON report written by `atlcheck check|scan --format json`.
func Load(path string) (*Baseline, error) {
	data, err := inputfile.Read(context.Background(), path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return Parse(path, data)
}

// Parse reads a JSON report's bytes; path names it in errors.
func Parse(path string, data []byte) (*Baseline, error) {
	var p previous
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&p); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("baseline %s: invalid JSON at byte %d: %w", path, se.Offset, err)
		}
		return nil, fmt.Errorf("baseline %s: %w", path, err)
	}
	if p.Tool == nil || p.Tool.Name != "atlcheck" || p.Findings == nil {
		return nil, fmt.Errorf("baseline %s: not an atlcheck JSON report (write one with --format json)", path)
	}
	b := &Baseline{Path: path, OrgID: p.OrgID}
	if p.Snapshot.CollectedAt != nil {
		b.CollectedAt = *p.Snapshot.CollectedAt
	}
	for i, f := range *p.Findings {
		sev, err := model.ParseSeverity(f.Severity)
		if err != nil {
			return nil, fmt.Errorf("baseline %s: findings[%d]: %w", path, i, err)
		}
		// The stored fingerprint is never trusted: an entry could carry
		// another finding's fingerprint to hide it. It is recomputed.
		fp := model.Fingerprint(f.PolicyID, f.Resource)
		b.Findings = append(b.Findings, model.Finding{
			PolicyID: f.PolicyID, Severity: sev, Title: f.Title, Resource: f.Resource, Message: f.Message,
			Remediation: f.Remediation, Path: f.Path, Suppressed: f.Suppressed, Fingerprint: fp,
			BaselineState: model.BaselineAbsent,
		})
	}
	return b, nil
}

// Apply classifies the run's findings against the baseline and lists the
// fixed ones: the baseline's findings of evaluated policies that are gone. It
// refuses a baseline of another organization, and one that names none.
func Apply(run *model.Run, b *Baseline) error {
	if b.OrgID == "" {
		return fmt.Errorf("baseline %s names no org_id: a baseline must be a JSON report on the same org (%s)", b.Path, run.OrgID)
	}
	if b.OrgID != run.OrgID {
		return fmt.Errorf("baseline %s is a report on org %s, not %s", b.Path, b.OrgID, run.OrgID)
	}
	before := make(map[string]bool, len(b.Findings))
	for _, f := range b.Findings {
		before[f.Fingerprint] = true
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
	for _, f := range b.Findings {
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
	return nil
}

// checkedPolicies are the policies whose missing findings are fixed: those
// that ran, were evaluated, and need no area that is incomplete (a site whose
// apps could not be read may still have the app). A policy left out of the
// run (--skip-policy) is not checked.
func checkedPolicies(run *model.Run) map[string]bool {
	incomplete := map[string]bool{}
	for _, a := range run.Areas {
		if !a.Complete() {
			incomplete[a.Name] = true
		}
	}
	out := make(map[string]bool, len(run.Policies))
	for _, p := range run.Policies {
		out[p.Policy.ID] = p.Status != model.StatusNotEvaluated &&
			!slices.ContainsFunc(p.Policy.Requires, func(area string) bool { return incomplete[area] })
	}
	return out
}

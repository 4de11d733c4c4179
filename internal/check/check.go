// Package check turns a validated snapshot, the compiled policies, the
// config and an optional baseline into a finished run (Evaluate, the one
// entry point): one status per policy, located and fingerprinted findings in
// a stable order with suppressions and baseline states, the summary and the
// CI gate.
package check

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
)

// Options describe one check run.
type Options struct {
	// SnapshotPath is the snapshot file as it should appear in reports ("" if none).
	SnapshotPath string
	// FailOn is the gate threshold; model.SeverityUnknown means never fail.
	FailOn model.Severity
	Tool   model.Tool
	// Parameters are the effective policy parameters, for the reports;
	// Evaluate sets them from the config.
	Parameters map[string]any
	// Policies chooses the policies the run evaluates; the zero value keeps all.
	Policies PolicyFilter
	// NewOnly makes the gate count only findings new since the baseline.
	NewOnly bool
	// MinSeverity leaves less severe findings out of the report (the gate
	// still counts them); model.SeverityUnknown shows everything.
	MinSeverity model.Severity
}

// newRun assembles the run from one evaluation: the area states, each
// policy's status and the located findings. It returns, by policy id, the
// reason a policy that would pass is not evaluated instead (its areas hold
// unreadable items). Evaluate finishes the run.
func newRun(ctx context.Context, engine *policies.Engine, res *policies.Result, doc *snapshot.Document, opts Options) (*model.Run, map[string]string, error) {
	snap := doc.Header
	run := &model.Run{
		Tool:       opts.Tool,
		OrgID:      snap.Org.ID,
		OrgName:    snap.Org.Name,
		Snapshot:   model.SnapshotRef{Path: opts.SnapshotPath, SHA256: doc.SHA256, CollectedAt: snap.CollectedAt},
		Parameters: opts.Parameters,
		Gate:       model.Gate{FailOn: opts.FailOn},
	}
	states := areaStates(res.Facts)
	run.Areas = areaResults(states)
	markPartial(run.Areas, snap, states)
	run.Attestations = attestations(snap)
	skipped := map[string]bool{}
	unreadable := map[string]string{}
	all := engine.Policies()
	for _, p := range all {
		if !opts.Policies.Keep(p.ID) {
			skipped[p.ID] = true
			continue
		}
		pr := model.PolicyResult{Policy: p, Status: model.StatusPass, Reason: cmp.Or(res.Notes[p.ID], areaNotes(p, states))}
		if reason, failed := notEvaluatedReason(p, states); reason != "" {
			pr.Status, pr.Reason, pr.AreaFailed = model.StatusNotEvaluated, reason, failed
			skipped[p.ID] = true
		} else if ne, ok := res.NotEvaluated[p.ID]; ok {
			// The policy itself says it cannot be evaluated (e.g. an
			// audit-log signal the org's actions do not carry).
			pr.Status, pr.Reason, pr.AreaFailed = model.StatusNotEvaluated, ne.Reason, ne.AreaFailed
			skipped[p.ID] = true
		} else if reason := unreadableReason(p, states); reason != "" {
			unreadable[p.ID] = reason
		}
		run.Policies = append(run.Policies, pr)
	}
	var err error
	if run.Findings, err = findings(ctx, res.Findings, skipped, doc); err != nil {
		return nil, nil, err
	}
	if note := opts.Policies.note(len(run.Policies), len(all)); note != "" {
		run.Filters = append(run.Filters, note)
	}
	return run, unreadable, nil
}

// unreadableReason says which areas of p hold unreadable items, or "": the
// items the collector could not read might have failed the policy, so it
// cannot pass.
func unreadableReason(p model.Policy, states map[string]policies.AreaState) string {
	var reasons []string
	for _, area := range p.Requires {
		if n := states[area].Unreadable; n > 0 {
			reasons = append(reasons, fmt.Sprintf("%s has %d unreadable %s (ATL-COL-003)", area, n, pluralItems(n)))
		}
	}
	return strings.Join(reasons, "; ")
}

func pluralItems(n int) string {
	if n == 1 {
		return "item"
	}
	return "items"
}

// areaNotes joins the notes of the areas a policy requires.
func areaNotes(p model.Policy, states map[string]policies.AreaState) string {
	var notes []string
	for _, area := range p.Requires {
		if n := states[area].Note; n != "" && !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	return strings.Join(notes, "; ")
}

// findings keeps the findings of evaluated policies, once per fingerprint,
// and locates them in the snapshot file (read again if doc let go of it).
func findings(ctx context.Context, all []model.Finding, skipped map[string]bool, doc *snapshot.Document) ([]model.Finding, error) {
	seen := map[string]bool{}
	var out []model.Finding
	var pointers []string
	for _, f := range all {
		if skipped[f.PolicyID] || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		out = append(out, f)
		pointers = append(pointers, f.Path)
	}
	if len(out) == 0 {
		return nil, nil
	}
	data, err := doc.Data(ctx)
	if err != nil {
		return nil, err
	}
	positions := snapshot.Locate(data, pointers)
	for i := range out {
		pos, ok := positions[out[i].Path]
		if !ok || out[i].Path == "" {
			pos = snapshot.Position{Line: 1, Column: 1}
		}
		out[i].Line, out[i].Column = pos.Line, pos.Column
	}
	return out, nil
}

// finish sorts, sets each policy's status from its findings, and computes the
// summary and the gate, once every finding is suppressed and classified. A
// policy that would pass but has a reason in unreadable is not evaluated
// instead, and counts for the gate like one whose area failed.
func finish(run *model.Run, unreadable map[string]string) {
	sort.SliceStable(run.Findings, func(i, j int) bool {
		a, b := run.Findings[i], run.Findings[j]
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		if a.PolicyID != b.PolicyID {
			return a.PolicyID < b.PolicyID
		}
		return a.Resource < b.Resource
	})
	open, suppressed := map[string]int{}, map[string]int{}
	run.Summary = model.Summary{}
	run.Gate.Count, run.Gate.NotEvaluated = 0, 0
	for _, f := range run.Findings {
		if f.Suppressed {
			suppressed[f.PolicyID]++
			run.Summary.Suppressed++
			continue
		}
		open[f.PolicyID]++
		addCount(&run.Summary, f.Severity)
		if run.Gate.FailOn != model.SeverityUnknown && f.Severity.AtLeast(run.Gate.FailOn) &&
			(!run.Gate.NewOnly || f.BaselineState == model.BaselineNew) {
			run.Gate.Count++
		}
	}
	for i := range run.Policies {
		pr := &run.Policies[i]
		if pr.Status != model.StatusNotEvaluated {
			pr.Findings = open[pr.Policy.ID] + suppressed[pr.Policy.ID]
			switch {
			case open[pr.Policy.ID] > 0:
				pr.Status = model.StatusFail
			case suppressed[pr.Policy.ID] > 0:
				pr.Status = model.StatusSuppressed
			case unreadable[pr.Policy.ID] != "":
				// Items that could not be read are a partial failure of the area.
				pr.Status, pr.Reason, pr.AreaFailed = model.StatusNotEvaluated, unreadable[pr.Policy.ID], true
			default:
				pr.Status = model.StatusPass
			}
		}
		if pr.Status == model.StatusNotEvaluated {
			run.Summary.NotEvaluated++
			// Unknown is not safe: a policy whose area failed counts at its own
			// severity (a policy whose area has no source does not).
			if pr.AreaFailed && run.Gate.FailOn != model.SeverityUnknown && pr.Policy.Severity.AtLeast(run.Gate.FailOn) {
				run.Gate.NotEvaluated++
			}
		}
	}
	run.Gate.Failed = run.Gate.Count > 0 || run.Gate.NotEvaluated > 0
	run.ExitCode = 0
	if run.Gate.Failed {
		run.ExitCode = 1
	}
}

func addCount(s *model.Summary, sev model.Severity) {
	switch sev {
	case model.SeverityCritical:
		s.Critical++
	case model.SeverityHigh:
		s.High++
	case model.SeverityMedium:
		s.Medium++
	case model.SeverityLow:
		s.Low++
	case model.SeverityInfo:
		s.Info++
	}
}

// areaResults lists the area states for the reports, sorted by name.
func areaResults(states map[string]policies.AreaState) []model.AreaResult {
	out := make([]model.AreaResult, 0, len(states))
	for name, st := range states {
		out = append(out, model.AreaResult{Name: name, Collected: st.Collected, Reason: st.Reason})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// attestations lists the areas of snap that an admin attested, in registry order.
func attestations(snap *snapshot.Snapshot) []model.AttestationRef {
	var out []model.AttestationRef
	for _, d := range snapshot.Registry {
		if a := d.Attestation(snap); a != nil && a.AttestedBy != "" && a.AttestedAt != nil {
			out = append(out, model.AttestationRef{Area: d.Name, AttestedBy: a.AttestedBy, AttestedAt: a.AttestedAt.UTC()})
		}
	}
	return out
}

// notEvaluatedReason says why a policy cannot be evaluated, or "", and
// whether one of its areas failed (rather than having no source).
func notEvaluatedReason(p model.Policy, states map[string]policies.AreaState) (string, bool) {
	var reasons []string
	failed := false
	for _, area := range p.Requires {
		if st := states[area]; !st.Collected {
			reasons = append(reasons, fmt.Sprintf("%s %s", area, st.Reason))
			failed = failed || st.Failed
		}
	}
	return strings.Join(reasons, "; "), failed
}

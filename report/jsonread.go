package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/atlcheck/atlcheck/internal/fileerr"
	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/model"
)

// ReadJSON parses a JSON report written by WriteJSON back into a run, for
// the commands that read reports (fleet report, history). It decodes into
// the same struct the writer encodes, so the two cannot drift apart. A
// document that is not an atlcheck JSON report, or one whose severities or
// statuses are unknown, is an error naming name: a value that cannot be read
// is never read as a clean result.
func ReadJSON(name string, data []byte) (*model.Run, error) { return readJSON(name, data, true) }

// ReadJSONFindings reads the parts of a JSON report a baseline needs (its
// tool, org, snapshot time and findings) the same way; the summary, gate
// and policies may be absent.
func ReadJSONFindings(name string, data []byte) (*model.Run, error) {
	return readJSON(name, data, false)
}

func readJSON(name string, file []byte, whole bool) (*model.Run, error) {
	data := inputfile.TrimBOM(file)
	var r jsonReport
	var probe struct {
		Summary  *json.RawMessage `json:"summary"`
		Gate     *json.RawMessage `json:"gate"`
		Findings *json.RawMessage `json:"findings"`
		Policies *json.RawMessage `json:"policies"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fileerr.JSON(name, data, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&r); err != nil {
		return nil, fileerr.JSON(name, data, err)
	}
	if r.Tool.Name != "atlcheck" || probe.Findings == nil || whole && (probe.Summary == nil || probe.Gate == nil || probe.Policies == nil) {
		return nil, fmt.Errorf("%s: not an atlcheck JSON report (write one with --format json)", name)
	}
	run := &model.Run{
		Tool:       model.Tool{Name: r.Tool.Name, Version: r.Tool.Version, Commit: r.Tool.Commit, PolicyDigest: r.Tool.PolicyDigest},
		OrgID:      r.OrgID,
		OrgName:    r.OrgName,
		Snapshot:   model.SnapshotRef{SHA256: r.Snapshot.SHA256},
		Parameters: r.Parameters,
		Summary:    model.Summary(r.Summary),
		Gate:       model.Gate{Failed: r.Gate.Failed, Count: r.Gate.Count, NotEvaluated: r.Gate.NotEvaluated, NewOnly: r.Gate.NewOnly},
	}
	if r.Snapshot.Path != nil {
		run.Snapshot.Path = *r.Snapshot.Path
	}
	if s := r.Snapshot.CollectedAt; s != nil {
		t, err := time.Parse(time.RFC3339Nano, *s)
		if err != nil {
			return nil, fmt.Errorf("%s: snapshot.collected_at %q is not an RFC 3339 time", name, *s)
		}
		run.Snapshot.CollectedAt = t
	}
	if probe.Gate != nil && r.Gate.FailOn != "none" {
		sev, err := model.ParseSeverity(r.Gate.FailOn)
		if err != nil {
			return nil, fmt.Errorf("%s: gate.fail_on: %w", name, err)
		}
		run.Gate.FailOn = sev
	}
	for i, p := range r.Policies {
		sev, err := model.ParseSeverity(p.Severity)
		if err != nil {
			return nil, fmt.Errorf("%s: policies[%d]: %w", name, i, err)
		}
		switch st := model.Status(p.Status); st {
		case model.StatusPass, model.StatusFail, model.StatusNotEvaluated, model.StatusSuppressed:
		default:
			return nil, fmt.Errorf("%s: policies[%d]: unknown status %q", name, i, p.Status)
		}
		known := model.Status(p.Status) != model.StatusNotEvaluated
		if p.FindingsKnown != nil {
			known = *p.FindingsKnown
		}
		run.Policies = append(run.Policies, model.PolicyResult{
			Policy: model.Policy{ID: p.ID, Title: p.Title, Severity: sev, SARIFGroup: p.SARIFGroup},
			Status: model.Status(p.Status), Reason: p.Reason, AreaFailed: p.AreaFailed, FindingsKnown: known,
		})
	}
	var err error
	if run.Findings, err = readFindings(name, "findings", r.Findings); err != nil {
		return nil, err
	}
	if run.Fixed, err = readFindings(name, "fixed", r.Fixed); err != nil {
		return nil, err
	}
	if run.Unverified, err = readFindings(name, "unverified", r.Unverified); err != nil {
		return nil, err
	}
	run.Areas = r.Areas
	run.Filters = r.Filters
	for i, a := range r.Attestations {
		at, err := time.Parse(time.RFC3339Nano, a.AttestedAt)
		if err != nil {
			return nil, fmt.Errorf("%s: attestations[%d].attested_at %q is not an RFC 3339 time", name, i, a.AttestedAt)
		}
		run.Attestations = append(run.Attestations, model.AttestationRef{Area: a.Area, AttestedBy: a.AttestedBy, AttestedAt: at})
	}
	for _, e := range r.UnusedExceptions {
		run.UnusedExceptions = append(run.UnusedExceptions, model.ExceptionRef{
			Policy: e.Policy, Resource: e.Resource, Owner: e.Owner, Expires: e.Expires, Line: e.Line})
	}
	if b := r.Baseline; b != nil {
		ref := &model.BaselineRef{Path: b.Path, New: b.New, Unchanged: b.Unchanged, Fixed: b.Fixed}
		ref.CollectedAt, _ = time.Parse(time.RFC3339Nano, b.CollectedAt) // "unknown" stays zero
		run.Baseline = ref
	}
	return run, nil
}

// readFindings checks and completes findings read back: a finding without a
// severity is refused (the decoder already refused an unknown one), and a
// report written before fingerprints existed gets them computed.
func readFindings(name, field string, in []model.Finding) ([]model.Finding, error) {
	out := make([]model.Finding, 0, len(in))
	for i, f := range in {
		if f.Severity == model.SeverityUnknown {
			return nil, fmt.Errorf("%s: %s[%d]: no severity", name, field, i)
		}
		if f.Fingerprint == "" {
			f.Fingerprint = model.Fingerprint(f.PolicyID, f.Resource)
		}
		out = append(out, f)
	}
	return out, nil
}

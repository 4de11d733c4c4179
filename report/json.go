package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

// jsonReport is the JSON report. Its field names are a public interface,
// documented in docs/reports.md: add fields, never rename or remove them.
// Arrays are [] and objects {} when empty, never null.
type jsonReport struct {
	Tool       jsonTool       `json:"tool"`
	OrgID      string         `json:"org_id"`
	OrgName    string         `json:"org_name"`
	Snapshot   jsonSnapshot   `json:"snapshot"`
	Parameters map[string]any `json:"parameters"`
	Summary    jsonSummary    `json:"summary"`
	Gate       jsonGate       `json:"gate"`
	Policies   []jsonPolicy   `json:"policies"`
	// Findings are model.Finding as is: its JSON field names are the
	// report's (one finding type from evaluation to every writer).
	Findings []model.Finding `json:"findings"`
	// UnusedExceptions are unexpired exceptions that matched no finding.
	UnusedExceptions []jsonException `json:"unused_exceptions"`
	// Baseline is null unless --baseline was given; Fixed lists the baseline's
	// findings that are gone now (baseline_state "absent").
	Baseline *jsonBaselineRef `json:"baseline"`
	Fixed    []model.Finding  `json:"fixed"`
	// Areas is every snapshot area with whether it was evaluated (added for
	// fleet report; a report without it reads as areas unknown).
	Areas []model.AreaResult `json:"areas"`
	// Attestations say who attested which area and when; [] when none.
	Attestations []jsonAttestation `json:"attestations"`
	// Filters say what the run left out (--policy, --skip-policy,
	// --min-severity); [] when nothing.
	Filters []string `json:"filters"`
	// Unverified lists the baseline's findings that are gone now but could
	// not be checked (their area was not collected in full): not fixed.
	Unverified []model.Finding `json:"unverified"`
	// SinceLastRun is the audit-log window the snapshot read, with each
	// signal's outcome and the events of its findings; null when the
	// snapshot read no audit log (added with the audit log).
	SinceLastRun *jsonSince `json:"since_last_run"`
}

// jsonSince is model.AuditWindow with the report's timestamps.
type jsonSince struct {
	From          string            `json:"from"`
	To            string            `json:"to"`
	Basis         string            `json:"basis"`
	RequestedFrom *string           `json:"requested_from"`
	Signals       []jsonSinceSignal `json:"signals"`
}

type jsonSinceSignal struct {
	ID       string           `json:"id"`
	PolicyID string           `json:"policy_id"`
	Title    string           `json:"title"`
	Status   string           `json:"status"`
	Reason   string           `json:"reason"`
	Findings int              `json:"findings"`
	Events   []jsonSinceEvent `json:"events"`
}

type jsonSinceEvent struct {
	ID string `json:"id"`
	// Time is null when the finding's event could not be read back.
	Time        *string `json:"time"`
	Action      string  `json:"action"`
	Actor       string  `json:"actor"`
	ActorID     string  `json:"actor_id"`
	Target      string  `json:"target"`
	Message     string  `json:"message"`
	Fingerprint string  `json:"fingerprint"`
	Suppressed  bool    `json:"suppressed"`
}

type jsonAttestation struct {
	Area       string `json:"area"`
	AttestedBy string `json:"attested_by"`
	AttestedAt string `json:"attested_at"`
}

type jsonException struct {
	Policy   string `json:"policy"`
	Resource string `json:"resource"`
	Owner    string `json:"owner"`
	Expires  string `json:"expires"`
	Line     int    `json:"line"`
}

type jsonTool struct {
	Name         string `json:"name"`
	Version      string `json:"version"`
	Commit       string `json:"commit"`
	PolicyDigest string `json:"policy_digest"`
	// CustomPolicyDigest is present when custom policies were evaluated.
	CustomPolicyDigest string `json:"custom_policy_digest,omitempty"`
}

type jsonSnapshot struct {
	// Path is null when the snapshot was not written to a file.
	Path        *string `json:"path"`
	SHA256      string  `json:"sha256"`
	CollectedAt *string `json:"collected_at"`
}

type jsonSummary struct {
	Critical     int `json:"critical"`
	High         int `json:"high"`
	Medium       int `json:"medium"`
	Low          int `json:"low"`
	Info         int `json:"info"`
	Suppressed   int `json:"suppressed"`
	NotEvaluated int `json:"not_evaluated"`
}

type jsonGate struct {
	FailOn string `json:"fail_on"`
	Failed bool   `json:"failed"`
	Count  int    `json:"count"`
	// NotEvaluated counts policies at or above fail_on whose area failed.
	NotEvaluated int `json:"not_evaluated,omitempty"`
	// NewOnly is true when the gate counted only findings new since the
	// baseline (--fail-on-new-only).
	NewOnly bool `json:"new_only,omitempty"`
}

type jsonPolicy struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Severity string `json:"severity"`
	Status   string `json:"status"`
	Reason   string `json:"reason"`
	// AreaFailed marks a not_evaluated policy whose area failed.
	AreaFailed bool `json:"area_failed,omitempty"`
	// FindingsKnown says whether findings[] and unverified[] hold every
	// finding the policy is known to have (it was checked over complete
	// data, or the baseline knew the rest). A report read back without it
	// (written before it existed) counts an evaluated policy as known.
	FindingsKnown *bool `json:"findings_known"`
	// SARIFGroup names the SARIF run and code scanning category of the
	// policy's alerts (atlcheck/<org id>/<group>/).
	SARIFGroup string `json:"sarif_group"`
}

// WriteJSON renders run as an indented JSON document with the stable field
// names of docs/reports.md, followed by a newline.
func WriteJSON(w io.Writer, run *model.Run) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(buildJSON(run)); err != nil {
		return fmt.Errorf("encode json report: %w", err)
	}
	return writeAll(w, "json", escape.JSONControls(buf.Bytes()))
}

// buildJSON maps the run onto the report's documented shape.
func buildJSON(run *model.Run) jsonReport {
	r := jsonReport{
		Tool: jsonTool{Name: run.Tool.Name, Version: run.Tool.Version,
			Commit: run.Tool.Commit, PolicyDigest: run.Tool.PolicyDigest, CustomPolicyDigest: run.Tool.CustomPolicyDigest},
		OrgID:      run.OrgID,
		OrgName:    run.OrgName,
		Snapshot:   jsonSnapshot{SHA256: run.Snapshot.SHA256},
		Parameters: run.Parameters,
		Summary:    jsonSummary(run.Summary),
		Gate: jsonGate{FailOn: run.Gate.FailOnName(), Failed: run.Gate.Failed, Count: run.Gate.Count,
			NotEvaluated: run.Gate.NotEvaluated, NewOnly: run.Gate.NewOnly},
		Policies:         make([]jsonPolicy, 0, len(run.Policies)),
		Findings:         append(make([]model.Finding, 0, len(run.Findings)), run.Findings...),
		UnusedExceptions: make([]jsonException, 0, len(run.UnusedExceptions)),
		Areas:            append(make([]model.AreaResult, 0, len(run.Areas)), run.Areas...),
		Filters:          append([]string{}, run.Filters...),
		Attestations:     make([]jsonAttestation, 0, len(run.Attestations)),
	}
	for _, a := range run.Attestations {
		r.Attestations = append(r.Attestations, jsonAttestation{Area: a.Area, AttestedBy: a.AttestedBy, AttestedAt: timestamp(a.AttestedAt)})
	}
	if p := run.Snapshot.Path; p != "" {
		r.Snapshot.Path = &p
	}
	if t := run.Snapshot.CollectedAt; !t.IsZero() {
		s := timestamp(t)
		r.Snapshot.CollectedAt = &s
	}
	if r.Parameters == nil {
		r.Parameters = map[string]any{}
	}
	for _, p := range run.Policies {
		known := p.FindingsKnown
		r.Policies = append(r.Policies, jsonPolicy{ID: p.Policy.ID, Title: p.Policy.Title,
			Severity: p.Policy.Severity.String(), Status: string(p.Status), Reason: p.Reason, AreaFailed: p.AreaFailed,
			FindingsKnown: &known, SARIFGroup: sarifGroupOf(p.Policy)})
	}
	for _, e := range run.UnusedExceptions {
		r.UnusedExceptions = append(r.UnusedExceptions, jsonException{
			Policy: e.Policy, Resource: e.Resource, Owner: e.Owner, Expires: e.Expires, Line: e.Line})
	}
	jsonBaseline(&r, run)
	r.SinceLastRun = jsonSinceOf(run.SinceLastRun)
	return r
}

// jsonSinceOf maps the "since last run" section; nil without one.
func jsonSinceOf(w *model.AuditWindow) *jsonSince {
	if w == nil {
		return nil
	}
	out := &jsonSince{From: timestamp(w.From), To: timestamp(w.To), Basis: w.Basis, Signals: []jsonSinceSignal{}}
	if w.RequestedFrom != nil {
		t := timestamp(*w.RequestedFrom)
		out.RequestedFrom = &t
	}
	for _, s := range w.Signals {
		js := jsonSinceSignal{ID: s.ID, PolicyID: s.PolicyID, Title: s.Title, Status: string(s.Status), Reason: s.Reason,
			Findings: s.Findings, Events: make([]jsonSinceEvent, 0, len(s.Events))}
		for _, e := range s.Events {
			je := jsonSinceEvent{ID: e.ID, Action: e.Action, Actor: e.Actor, ActorID: e.ActorID, Target: e.Target,
				Message: e.Message, Fingerprint: e.Fingerprint, Suppressed: e.Suppressed}
			if !e.Time.IsZero() {
				t := timestamp(e.Time)
				je.Time = &t
			}
			js.Events = append(js.Events, je)
		}
		out.Signals = append(out.Signals, js)
	}
	return out
}

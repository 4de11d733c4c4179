// Package model holds the types that flow from the policy engine to the
// report writers: policies with their metadata, findings, per-policy results
// and the run summary. It knows nothing about HTTP, OPA or output formats.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Severity ranks a policy; Critical is the most severe.
type Severity int

// Severities from most to least severe. The zero value is not a severity.
const (
	SeverityUnknown Severity = iota
	SeverityCritical
	SeverityHigh
	SeverityMedium
	SeverityLow
	SeverityInfo
)

// Severities lists every severity, most severe first.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

var severityNames = map[Severity]string{
	SeverityCritical: "critical",
	SeverityHigh:     "high",
	SeverityMedium:   "medium",
	SeverityLow:      "low",
	SeverityInfo:     "info",
}

// String returns the lower-case name used in configs, Rego and reports.
func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return "unknown"
}

// ParseSeverity reads a severity name (any case).
func ParseSeverity(s string) (Severity, error) {
	for sev, name := range severityNames {
		if strings.EqualFold(s, name) {
			return sev, nil
		}
	}
	return SeverityUnknown, fmt.Errorf("unknown severity %q (want critical, high, medium, low or info)", s)
}

// AtLeast reports whether s is as severe as threshold or more.
func (s Severity) AtLeast(threshold Severity) bool {
	return s != SeverityUnknown && s <= threshold
}

// MarshalText writes the severity name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Status is the outcome of one policy in one run.
type Status string

// Policy statuses.
const (
	StatusPass         Status = "pass"
	StatusFail         Status = "fail"
	StatusNotEvaluated Status = "not_evaluated"
	StatusSuppressed   Status = "suppressed"
)

// Policy is a rule of the catalog with the metadata its Rego METADATA block
// carries.
type Policy struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Severity    Severity `json:"severity"`
	Remediation string   `json:"remediation"`
	References  []string `json:"references"`
	Tags        []string `json:"tags"`
	Requires    []string `json:"requires"`
	// SARIFGroup is the SARIF group whose run and code scanning category
	// (atlcheck/<org id>/<group>/) hold the policy's results: "general" for a
	// policy that needs no area, else the group of its areas introduced last
	// (internal/snapshot/sarifgroups.go). "" in a policy built by hand: the
	// SARIF writer then uses its first required area's name.
	SARIFGroup string `json:"sarif_group"`
	// Package is the Rego package that defines the rule, e.g. atlassian.app_access.
	Package string `json:"package"`
	// File is where the rule is defined: an embedded path for built-ins, the
	// file path for custom policies.
	File string `json:"file"`
	// Builtin is true for policies embedded in atlcheck.
	Builtin bool `json:"builtin"`
}

// Location is where a finding points in the snapshot file.
type Location struct {
	// Pointer is the RFC 6901 JSON Pointer of the offending value ("" for the document).
	Pointer string `json:"pointer"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
}

// Suppression records the accepted-risk exception that matched a finding.
type Suppression struct {
	Reason  string `json:"reason"`
	Owner   string `json:"owner"`
	Ticket  string `json:"ticket,omitempty"`
	Expires string `json:"expires"`
}

// Finding is one policy violation on one resource.
type Finding struct {
	PolicyID    string       `json:"policy_id"`
	Severity    Severity     `json:"severity"`
	Title       string       `json:"title"`
	Resource    string       `json:"resource"`
	Message     string       `json:"message"`
	Remediation string       `json:"remediation"`
	Path        string       `json:"path"`
	Line        int          `json:"line"`
	Column      int          `json:"column"`
	Suppressed  bool         `json:"suppressed"`
	Suppression *Suppression `json:"suppression,omitempty"`
	Fingerprint string       `json:"fingerprint"`
	// BaselineState is "new", "unchanged" or "absent" when a baseline was given.
	BaselineState string `json:"baseline_state,omitempty"`
}

// Baseline states of a finding, as SARIF names them.
const (
	BaselineNew       = "new"       // not in the baseline
	BaselineUnchanged = "unchanged" // in the baseline too
	BaselineAbsent    = "absent"    // in the baseline, gone now (fixed)
)

// BaselineRef describes the baseline a run was compared with.
type BaselineRef struct {
	// Path is the baseline report file as given.
	Path string `json:"path"`
	// CollectedAt is the baseline run's snapshot time.
	CollectedAt time.Time `json:"collected_at"`
	New         int       `json:"new"`
	Unchanged   int       `json:"unchanged"`
	Fixed       int       `json:"fixed"`
	Unverified  int       `json:"unverified"`
}

// Fingerprint is the stable identity of a finding: a hash of the policy id and
// the resource, never of positions or array indexes.
func Fingerprint(policyID, resource string) string {
	sum := sha256.Sum256([]byte(policyID + "\x00" + resource))
	return hex.EncodeToString(sum[:16])
}

// PolicyResult is the status of one policy in one run.
type PolicyResult struct {
	Policy   Policy `json:"-"`
	Status   Status `json:"status"`
	Reason   string `json:"reason,omitempty"`
	Findings int    `json:"findings"`
	// AreaFailed is true for a not_evaluated policy when an area it requires
	// failed (was not collected because of an error), not merely has no
	// source: the gate counts such a policy at its own severity.
	AreaFailed bool `json:"area_failed,omitempty"`
	// FindingsKnown is true when the run knows every finding the policy is
	// known to have: it was checked (Run.Checked), or it was not but the
	// baseline knew its findings, and those this run could not re-check are
	// in Run.Unverified. The SARIF report carries such findings forward; a
	// policy whose findings are not known holds its run back.
	FindingsKnown bool `json:"-"`
}

// Checked reports whether the run's findings of p are all of them: p was
// evaluated, and every area it requires was collected whole. A finding of an
// unchecked policy that is missing may only be unreadable.
func (r *Run) Checked(p PolicyResult) bool {
	if p.Status == StatusNotEvaluated {
		return false
	}
	for _, area := range p.Policy.Requires {
		for _, a := range r.Areas {
			if a.Name == area && !a.Complete() {
				return false
			}
		}
	}
	return true
}

// Tool identifies the atlcheck build that produced a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	// PolicyDigest is the sha256 of the embedded policy bundle.
	PolicyDigest string `json:"policy_digest,omitempty"`
	// CustomPolicyDigest is the sha256 of the custom policy files (--policies),
	// "" when none were given.
	CustomPolicyDigest string `json:"custom_policy_digest,omitempty"`
	InfoURI            string `json:"-"`
}

// SnapshotRef describes the snapshot a run evaluated.
type SnapshotRef struct {
	// Path is the snapshot file as given on the command line, or "" when the
	// snapshot was not written to a file.
	Path        string    `json:"path"`
	SHA256      string    `json:"sha256"`
	CollectedAt time.Time `json:"collected_at"`
}

// Summary counts unsuppressed findings by severity, plus suppressed findings
// and policies that could not be evaluated.
type Summary struct {
	Critical     int `json:"critical"`
	High         int `json:"high"`
	Medium       int `json:"medium"`
	Low          int `json:"low"`
	Info         int `json:"info"`
	Suppressed   int `json:"suppressed"`
	NotEvaluated int `json:"not_evaluated"`
}

// Count returns the number of unsuppressed findings of one severity.
func (s Summary) Count(sev Severity) int {
	switch sev {
	case SeverityCritical:
		return s.Critical
	case SeverityHigh:
		return s.High
	case SeverityMedium:
		return s.Medium
	case SeverityLow:
		return s.Low
	case SeverityInfo:
		return s.Info
	}
	return 0
}

// Gate is the CI verdict: whether any unsuppressed finding reached the threshold.
type Gate struct {
	// FailOn is the threshold; SeverityUnknown means "none" (never fail).
	FailOn Severity `json:"-"`
	Failed bool     `json:"failed"`
	// NewOnly makes the gate count only findings that are new since the baseline.
	NewOnly bool `json:"new_only,omitempty"`
	// Count is the number of findings at or above the threshold.
	Count int `json:"count"`
	// NotEvaluated is the number of policies at or above the threshold that
	// could not be evaluated because an area they require failed: what they
	// would have found is unknown, so they fail the gate too.
	NotEvaluated int `json:"not_evaluated,omitempty"`
}

// Counts says what the gate counted, e.g. "3 findings", "1 new finding" or
// "2 findings and 1 policy not evaluated (its area failed)".
func (g Gate) Counts() string {
	var parts []string
	if g.Count > 0 || g.NotEvaluated == 0 {
		what := "finding"
		if g.NewOnly {
			what = "new finding"
		}
		parts = append(parts, countOf(g.Count, what, what+"s"))
	}
	if g.NotEvaluated > 0 {
		parts = append(parts, countOf(g.NotEvaluated, "policy", "policies")+" not evaluated (area failed)")
	}
	return strings.Join(parts, " and ")
}

func countOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Verdict is the one-line CI verdict, e.g. "failed: 3 findings at or above
// high" or "failed: 1 policy not evaluated (area failed) at or above
// critical". It starts with "passed", "failed" or "off"; every report, the
// fleet report and the history word the gate with it.
func (g Gate) Verdict() string {
	switch {
	case g.FailOn == SeverityUnknown:
		return "off: --fail-on none"
	case g.Failed:
		return fmt.Sprintf("failed: %s at or above %s", g.Counts(), g.FailOnName())
	default:
		return fmt.Sprintf("passed: no findings at or above %s", g.FailOnName())
	}
}

// FailOnName is the threshold's name as given on the command line.
func (g Gate) FailOnName() string {
	if g.FailOn == SeverityUnknown {
		return "none"
	}
	return g.FailOn.String()
}

// Run is everything a report writer needs: it is the whole outcome of one
// evaluation of one snapshot.
type Run struct {
	Tool     Tool
	OrgID    string
	OrgName  string
	Snapshot SnapshotRef
	// Parameters are the effective policy parameters (defaults filled in).
	Parameters map[string]any
	Summary    Summary
	Policies   []PolicyResult
	Findings   []Finding
	Gate       Gate
	// ExitCode is the process exit code this run ends with (0 or 1).
	ExitCode int
	// UnusedExceptions are unexpired exceptions that matched no finding:
	// candidates for clean-up.
	UnusedExceptions []ExceptionRef
	// Baseline is set when the run was compared with an earlier report.
	Baseline *BaselineRef
	// Fixed are the baseline's findings that are gone now (BaselineState absent).
	Fixed []Finding
	// Areas says, per snapshot area (sorted by name), whether its data could
	// be evaluated, and if not, why.
	Areas []AreaResult
	// Attestations say who attested which area of the snapshot and when, for
	// the evidence block of a report; empty when nothing was attested.
	Attestations []AttestationRef
	// Filters say, in words, what the run leaves out (policies not selected
	// with --policy/--skip-policy, findings below --min-severity); empty when
	// nothing. Every report shows them, so a partial report reads as one.
	Filters []string
	// Unverified are the baseline's findings that are gone now but whose
	// policy could not check them all (not evaluated, or an area it needs
	// was collected in part): not known to be fixed.
	Unverified []Finding
	// SinceLastRun is the organization audit log's window the snapshot read
	// (what happened since the last run), nil when it read none.
	SinceLastRun *AuditWindow
}

// AuditWindow is the part of the organization audit log a run's snapshot
// read, and what each signal looked for in it gave: the reports' "since
// last run" section. Each signal's outcome is its policy's.
type AuditWindow struct {
	From time.Time
	To   time.Time
	// Basis says where From came from: "previous_snapshot" (the previous
	// run's collected_at), "since" (--since) or "default" (the longest
	// window, no previous run given).
	Basis string
	// RequestedFrom is the start asked for when the window was cut to
	// audit_log.max_window_days; nil when it was not.
	RequestedFrom *time.Time
	// Signals are the signals looked for, in the order they are read.
	Signals []AuditSignal
}

// SignalNotSelected is an AuditSignal's status when the run did not
// evaluate its policy (--policy, --skip-policy).
const SignalNotSelected Status = "not_selected"

// AuditSignal is one audit-log signal and its outcome in the run.
type AuditSignal struct {
	ID       string
	PolicyID string
	Title    string
	// Status is its policy's status, or SignalNotSelected.
	Status Status
	// Reason is its policy's reason (why it is not evaluated, a note).
	Reason string
	// Findings counts its policy's findings, suppressed ones included.
	Findings int
	// Events are its policy's findings the run shows (not those
	// --min-severity hides), oldest first, each with its event.
	Events []AuditEvent
}

// AuditEvent is one finding of an audit-log signal: the event it reports.
type AuditEvent struct {
	// ID is the event id (the finding's resource).
	ID   string
	Time time.Time
	// Action is the event action's display name (or its id).
	Action string
	// Actor names who did it: "Name (email)", the email, the name or the
	// account id; ActorID is the account id ("" when the event has none).
	Actor   string
	ActorID string
	// Target names what it was done to, "" when the event records nothing.
	Target string
	// Message is the finding's message; Fingerprint the finding's.
	Message     string
	Fingerprint string
	Suppressed  bool
}

// BasisText says where the window starts, in words.
func (w AuditWindow) BasisText() string {
	switch w.Basis {
	case "previous_snapshot":
		return "since the previous run's snapshot"
	case "since":
		return "since the time given with --since"
	}
	return "the longest window allowed (no previous run given)"
}

// AttestationRef records that an org admin attested one area of the snapshot.
type AttestationRef struct {
	Area       string    `json:"area"`
	AttestedBy string    `json:"attested_by"`
	AttestedAt time.Time `json:"attested_at"`
}

// AreaResult is the state of one snapshot area in a run.
type AreaResult struct {
	Name      string `json:"name"`
	Collected bool   `json:"collected"`
	// Reason is why the area cannot be evaluated ("was not collected: HTTP 403 …",
	// "has no data source: …"), "" when it was collected.
	Reason string `json:"reason"`
	// Partial says what part of a collected area is missing (the sites
	// whose installed apps could not be read), "" when none is. Such an area
	// is evaluated, but a finding missing from it may only be unreadable.
	Partial string `json:"partial,omitempty"`
}

// Complete reports whether the area was collected whole.
func (a AreaResult) Complete() bool { return a.Collected && a.Partial == "" }

// Why says why the area is not complete ("" when it is).
func (a AreaResult) Why() string {
	switch {
	case !a.Collected:
		return a.Name + " " + a.Reason
	case a.Partial != "":
		return a.Name + " " + a.Partial
	}
	return ""
}

// ExceptionRef names an exception of the config file.
type ExceptionRef struct {
	Policy   string `json:"policy"`
	Resource string `json:"resource"`
	Owner    string `json:"owner"`
	Expires  string `json:"expires"`
	// Line is the exception's line in the config file.
	Line int `json:"line"`
}

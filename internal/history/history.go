// Package history keeps the trend of an org's findings over time: one JSON
// line per run (org, time, counts by severity, gate, policy digest, new and
// fixed since the org's previous run), appended by `atlcheck history add`
// and rendered by `atlcheck history show` as a table or an HTML page with an
// inline SVG chart.
package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/fileerr"
	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/model"
)

// Entry is one run of one org: one line of the history file. Its field
// names are a public interface (docs/history.md).
type Entry struct {
	OrgID   string `json:"org_id"`
	OrgName string `json:"org_name"`
	// CollectedAt is the snapshot's time: when the org was in this state.
	CollectedAt  time.Time     `json:"collected_at"`
	ToolVersion  string        `json:"tool_version"`
	PolicyDigest string        `json:"policy_digest"`
	Summary      model.Summary `json:"summary"`
	Gate         Gate          `json:"gate"`
	// New and Fixed count open (unsuppressed) findings that appeared or went
	// away since the org's previous entry; null for an org's first entry.
	New   *int `json:"new"`
	Fixed *int `json:"fixed"`
	// Open are the fingerprints of the open findings, sorted: what the next
	// entry's New and Fixed are counted against.
	Open []string `json:"open"`
}

// Gate is the run's CI verdict and what made it: findings at or above
// fail_on and, since they fail the gate too, policies at or above it that
// could not be evaluated because their area failed.
type Gate struct {
	FailOn string `json:"fail_on"`
	Failed bool   `json:"failed"`
	Count  int    `json:"count"`
	// NotEvaluated and NewOnly are left out when 0 or false, so an entry of
	// an ordinary run reads as it did before they were recorded.
	NotEvaluated int  `json:"not_evaluated,omitempty"`
	NewOnly      bool `json:"new_only,omitempty"`
}

// Verdict is the gate in the reports' words ("failed: 1 policy not
// evaluated (area failed) at or above critical").
func (g Gate) Verdict() string {
	m := model.Gate{Failed: g.Failed, Count: g.Count, NotEvaluated: g.NotEvaluated, NewOnly: g.NewOnly}
	if sev, err := model.ParseSeverity(g.FailOn); err == nil {
		m.FailOn = sev
	}
	return m.Verdict()
}

// FromRun makes the entry of a run read from a JSON report.
func FromRun(run *model.Run) (Entry, error) {
	if run.Snapshot.CollectedAt.IsZero() {
		return Entry{}, fmt.Errorf("the report has no snapshot.collected_at: a history entry needs the time the org was seen")
	}
	if run.OrgID == "" {
		return Entry{}, fmt.Errorf("the report names no org_id")
	}
	e := Entry{
		OrgID: run.OrgID, OrgName: run.OrgName, CollectedAt: run.Snapshot.CollectedAt.UTC(),
		ToolVersion: run.Tool.Version, PolicyDigest: run.Tool.PolicyDigest, Summary: run.Summary,
		Gate: Gate{FailOn: run.Gate.FailOnName(), Failed: run.Gate.Failed, Count: run.Gate.Count,
			NotEvaluated: run.Gate.NotEvaluated, NewOnly: run.Gate.NewOnly},
		Open: []string{},
	}
	for _, f := range run.Findings {
		if !f.Suppressed {
			e.Open = append(e.Open, f.Fingerprint)
		}
	}
	slices.Sort(e.Open)
	e.Open = slices.Compact(e.Open)
	return e, nil
}

// Read parses a history file strictly: every line one entry; name is used
// in errors, which give the line.
func Read(name string, r io.Reader) ([]Entry, error) {
	var out []Entry
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if line == 1 {
			b = inputfile.TrimBOM(b)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			var e Entry
			dec := json.NewDecoder(bytes.NewReader(b))
			dec.DisallowUnknownFields()
			if derr := dec.Decode(&e); derr != nil {
				return nil, &fileerr.Error{File: name, Line: line, Msg: "not a history entry: " + derr.Error()}
			}
			if e.OrgID == "" || e.CollectedAt.IsZero() || e.Open == nil {
				return nil, &fileerr.Error{File: name, Line: line, Msg: "not a history entry: org_id, collected_at and open are required"}
			}
			if _, err := model.ParseSeverity(e.Gate.FailOn); err != nil && e.Gate.FailOn != "none" {
				return nil, &fileerr.Error{File: name, Line: line, Msg: fmt.Sprintf("not a history entry: gate.fail_on %q is not a severity or none", e.Gate.FailOn)}
			}
			out = append(out, e)
		}
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
}

// Add appends e after the org's earlier entries, with New and Fixed counted
// against the org's latest one. It returns false (and entries unchanged)
// when the same run is already recorded; a run older than the org's latest
// entry is an error, since the history is in time order.
func Add(entries []Entry, e Entry) ([]Entry, bool, error) {
	var last *Entry
	for i := range entries {
		if entries[i].OrgID == e.OrgID {
			last = &entries[i]
		}
	}
	if last != nil {
		switch {
		case last.CollectedAt.Equal(e.CollectedAt) && last.PolicyDigest == e.PolicyDigest && slices.Equal(last.Open, e.Open):
			return entries, false, nil
		case !e.CollectedAt.After(last.CollectedAt):
			return nil, false, fmt.Errorf("the report on org %s was collected at %s, not after the history's latest entry for it (%s): add runs in time order",
				e.OrgID, e.CollectedAt.Format(time.RFC3339), last.CollectedAt.Format(time.RFC3339))
		}
		added, fixed := diffCount(last.Open, e.Open), diffCount(e.Open, last.Open)
		e.New, e.Fixed = &added, &fixed
	}
	return append(entries, e), true, nil
}

// diffCount counts the items of b that are not in a (both sorted).
func diffCount(a, b []string) int {
	n := 0
	for _, x := range b {
		if _, found := slices.BinarySearch(a, x); !found {
			n++
		}
	}
	return n
}

// Encode writes entries as JSON lines, bidi and C1 controls (from org names)
// as \u escapes.
func Encode(entries []Entry) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return nil, err
		}
	}
	return escape.JSONControls(buf.Bytes()), nil
}

// Org is one org's entries in time order.
type Org struct {
	ID, Name string
	Entries  []Entry
}

// ByOrg groups entries per org, in order of each org's first entry; an
// org's name is its latest one.
func ByOrg(entries []Entry) []Org {
	var out []Org
	idx := map[string]int{}
	for _, e := range entries {
		i, ok := idx[e.OrgID]
		if !ok {
			i = len(out)
			idx[e.OrgID] = i
			out = append(out, Org{ID: e.OrgID})
		}
		out[i].Entries = append(out[i].Entries, e)
		if e.OrgName != "" {
			out[i].Name = e.OrgName
		}
	}
	return out
}

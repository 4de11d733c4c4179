package fleet

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

// The JSON fleet report's field names are a public interface
// (docs/fleet.md): add fields, never rename or remove them.
type jsonFleet struct {
	Tool          jsonTool      `json:"tool"`
	GeneratedAt   string        `json:"generated_at"`
	MaxAgeSeconds int64         `json:"max_age_seconds"`
	Failed        bool          `json:"failed"`
	Totals        Totals        `json:"totals"`
	Orgs          []jsonOrg     `json:"orgs"`
	WorstFindings []jsonFinding `json:"worst_findings"`
	MoreFindings  int           `json:"more_findings"`
	Notes         []string      `json:"notes"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Commit  string `json:"commit"`
}

type jsonOrg struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// AtlassianName is the org's name in its report, "" without one.
	AtlassianName string `json:"atlassian_name"`
	Report        string `json:"report"`
	InFleet       bool   `json:"in_fleet"`
	File          string `json:"file"`
	Error         string `json:"error,omitempty"`
	// The rest is null when there is no readable report.
	CollectedAt  *string        `json:"collected_at"`
	AgeSeconds   *int64         `json:"age_seconds"`
	Gate         *jsonGate      `json:"gate"`
	Summary      *model.Summary `json:"summary"`
	NotEvaluated []string       `json:"not_evaluated_areas"`
	PolicyDigest *string        `json:"policy_digest"`
}

type jsonGate struct {
	FailOn string `json:"fail_on"`
	Failed bool   `json:"failed"`
	// Count is the findings at or above fail_on; NotEvaluated the policies
	// at or above it whose area failed, which fail the gate too.
	Count        int  `json:"count"`
	NotEvaluated int  `json:"not_evaluated"`
	NewOnly      bool `json:"new_only"`
	// Verdict is the gate in the reports' words.
	Verdict string `json:"verdict"`
}

type jsonFinding struct {
	OrgID       string `json:"org_id"`
	OrgName     string `json:"org_name"`
	PolicyID    string `json:"policy_id"`
	Severity    string `json:"severity"`
	Title       string `json:"title"`
	Resource    string `json:"resource"`
	Message     string `json:"message"`
	Fingerprint string `json:"fingerprint"`
}

// JSON renders the summary as an indented JSON document: the values exact,
// bidi and C1 controls written as \u escapes.
func JSON(s *Summary) ([]byte, error) {
	out := jsonFleet{
		Tool:          jsonTool{Name: "atlcheck", Version: s.Tool.Version, Commit: s.Tool.Commit},
		GeneratedAt:   stamp(s.GeneratedAt),
		MaxAgeSeconds: int64(s.MaxAge / time.Second),
		Failed:        s.Failed(),
		Totals:        s.Totals,
		Orgs:          make([]jsonOrg, 0, len(s.Rows)),
		WorstFindings: make([]jsonFinding, 0, len(s.Worst)),
		MoreFindings:  s.More,
		Notes:         append([]string{}, s.Notes...),
	}
	for _, r := range s.Rows {
		o := jsonOrg{ID: r.ID, Name: r.Name, AtlassianName: r.AtlassianName, Report: r.Report, InFleet: r.InFleet, File: r.File, Error: r.Error}
		if run := r.Run; run != nil {
			if r.AgeKnown {
				at, age := stamp(run.Snapshot.CollectedAt), int64(r.Age/time.Second)
				o.CollectedAt, o.AgeSeconds = &at, &age
			}
			g := run.Gate
			o.Gate = &jsonGate{FailOn: g.FailOnName(), Failed: g.Failed, Count: g.Count, NotEvaluated: g.NotEvaluated,
				NewOnly: g.NewOnly, Verdict: g.Verdict()}
			sum := run.Summary
			o.Summary = &sum
			digest := run.Tool.PolicyDigest
			o.PolicyDigest = &digest
			if r.AreasKnown {
				o.NotEvaluated = append([]string{}, r.NotEvaluated...)
			}
		}
		out.Orgs = append(out.Orgs, o)
	}
	for _, f := range s.Worst {
		out.WorstFindings = append(out.WorstFindings, jsonFinding{OrgID: f.OrgID, OrgName: f.OrgName, PolicyID: f.PolicyID,
			Severity: f.Severity.String(), Title: f.Title, Resource: f.Resource, Message: f.Message, Fingerprint: f.Fingerprint})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return escape.JSONControls(buf.Bytes()), nil
}

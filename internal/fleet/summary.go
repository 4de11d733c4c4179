package fleet

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/model"
)

// Report states: whether an org's row rests on a report that is recent
// enough to trust.
const (
	ReportCurrent    = "current"    // read, and collected within the maximum age
	ReportStale      = "stale"      // read, but older than the maximum age (or of unknown age)
	ReportMissing    = "missing"    // an org of the fleet file with no report
	ReportUnreadable = "unreadable" // a file that is not a readable atlcheck JSON report
)

// Input is one report file as the command read it: a run, or the error that
// kept it from being one.
type Input struct {
	Path string
	Run  *model.Run
	Err  error
}

// Row is one org (or one unreadable file) of the fleet report.
type Row struct {
	// Name is the org's label: the fleet file's name for an org it lists,
	// the report's org name otherwise.
	ID, Name string
	// AtlassianName is the org's name in its report (what Atlassian calls
	// it); "" when there is no readable report.
	AtlassianName string
	// Report is one of the Report* states.
	Report string
	// InFleet is false for a report on an org the fleet file does not list.
	InFleet bool
	// File is the report the row rests on, "" when missing.
	File string
	// Error says why the file could not be read.
	Error string
	// Run is the report's run; nil when missing or unreadable.
	Run *model.Run
	// Age is how old the snapshot was at the report's time; AgeKnown is
	// false when the report has no collection time.
	Age      time.Duration
	AgeKnown bool
	// NotEvaluated lists the areas whose policies could not be evaluated;
	// AreasKnown is false for a report written before reports named them.
	NotEvaluated []string
	AreasKnown   bool
}

// Totals add up the fleet. Finding counts are over every readable report,
// stale ones included.
type Totals struct {
	Orgs       int `json:"orgs"`
	Current    int `json:"current"`
	Stale      int `json:"stale"`
	Missing    int `json:"missing"`
	Unreadable int `json:"unreadable"`
	GateFailed int `json:"gate_failed"`
	model.Summary
}

// OrgFinding is a finding with the org it was found in.
type OrgFinding struct {
	OrgID, OrgName string
	model.Finding
}

// Summary is the whole fleet report.
type Summary struct {
	Tool        model.Tool
	GeneratedAt time.Time
	MaxAge      time.Duration
	Rows        []Row
	Totals      Totals
	// Worst are the most severe unsuppressed findings across orgs; More
	// counts the ones left out.
	Worst []OrgFinding
	More  int
	// Notes are remarks on the input, such as a second report on one org.
	Notes []string
}

// Options shape a summary.
type Options struct {
	// Expected are the fleet file's orgs; nil when no fleet file was given.
	Expected []Entry
	Now      time.Time
	MaxAge   time.Duration
	// Top is how many worst findings to list.
	Top  int
	Tool model.Tool
}

// Failed reports whether the fleet gate fails: an org's gate failed, or an
// org has no current report.
func (s *Summary) Failed() bool {
	t := s.Totals
	return t.GateFailed > 0 || t.Stale > 0 || t.Missing > 0 || t.Unreadable > 0
}

// Summarize builds the fleet report: a row per expected org (missing ones
// too), per report on an org the fleet does not list, and per unreadable
// file. Of two reports on one org the later snapshot counts.
func Summarize(inputs []Input, opts Options) *Summary {
	s := &Summary{Tool: opts.Tool, GeneratedAt: opts.Now, MaxAge: opts.MaxAge}
	latest := map[string]Input{}
	var order []string
	var unreadable []Row
	for _, in := range inputs {
		if in.Err != nil || in.Run == nil {
			msg := "no report"
			if in.Err != nil {
				msg = in.Err.Error()
			}
			unreadable = append(unreadable, Row{Report: ReportUnreadable, File: in.Path, Error: msg})
			continue
		}
		id := in.Run.OrgID
		prev, seen := latest[id]
		if !seen {
			order = append(order, id)
			latest[id] = in
			continue
		}
		keep, drop := prev, in
		if in.Run.Snapshot.CollectedAt.After(prev.Run.Snapshot.CollectedAt) {
			keep, drop = in, prev
		}
		latest[id] = keep
		s.Notes = append(s.Notes, "Two reports on org "+id+": "+keep.Path+" is used, "+drop.Path+" (an earlier snapshot) is not.")
	}
	used := map[string]bool{}
	for _, e := range opts.Expected {
		in, ok := latest[e.ID]
		if !ok {
			s.Rows = append(s.Rows, Row{ID: e.ID, Name: e.Name, Report: ReportMissing, InFleet: true})
			continue
		}
		used[e.ID] = true
		r := rowOf(in, opts)
		r.InFleet = true
		// The fleet file's name labels the row (docs/fleet.md): two orgs
		// both called "Acme" in Atlassian stay apart.
		r.Name = cmp.Or(e.Name, r.Name)
		s.Rows = append(s.Rows, r)
	}
	var extra []Row
	for _, id := range order {
		if !used[id] {
			r := rowOf(latest[id], opts)
			r.InFleet = opts.Expected == nil
			extra = append(extra, r)
		}
	}
	slices.SortStableFunc(extra, func(a, b Row) int { return cmp.Compare(a.ID, b.ID) })
	s.Rows = append(append(s.Rows, extra...), unreadable...)
	s.total()
	s.worst(opts.Top)
	return s
}

func rowOf(in Input, opts Options) Row {
	run := in.Run
	r := Row{ID: run.OrgID, Name: run.OrgName, AtlassianName: run.OrgName, File: in.Path, Run: run, Report: ReportStale}
	if t := run.Snapshot.CollectedAt; !t.IsZero() {
		r.Age, r.AgeKnown = opts.Now.Sub(t), true
		if r.Age <= opts.MaxAge {
			r.Report = ReportCurrent
		}
	}
	if run.Areas != nil {
		r.AreasKnown = true
		for _, a := range run.Areas {
			if !a.Collected {
				r.NotEvaluated = append(r.NotEvaluated, a.Name)
			}
		}
	}
	return r
}

// Label is the row's org name as reports show it: the fleet file's name,
// followed by the name in Atlassian when that is another one ("Acme EU
// (Atlassian name: Acme Europe GmbH)").
func (r Row) Label() string {
	if other := r.OtherName(); other != "" {
		return r.Name + " (Atlassian name: " + other + ")"
	}
	return r.Name
}

// OtherName is the org's name in Atlassian when it is not the row's name
// (compared without case and surrounding spaces), "" otherwise.
func (r Row) OtherName() string {
	a := strings.TrimSpace(r.AtlassianName)
	if a == "" || strings.EqualFold(a, strings.TrimSpace(r.Name)) {
		return ""
	}
	return r.AtlassianName
}

func (s *Summary) total() {
	t := &s.Totals
	for _, r := range s.Rows {
		t.Orgs++
		switch r.Report {
		case ReportCurrent:
			t.Current++
		case ReportStale:
			t.Stale++
		case ReportMissing:
			t.Missing++
		case ReportUnreadable:
			t.Unreadable++
		}
		if r.Run == nil {
			continue
		}
		if r.Run.Gate.Failed {
			t.GateFailed++
		}
		u := r.Run.Summary
		t.Critical += u.Critical
		t.High += u.High
		t.Medium += u.Medium
		t.Low += u.Low
		t.Info += u.Info
		t.Suppressed += u.Suppressed
		t.NotEvaluated += u.NotEvaluated
	}
	// An unreadable file is not an org; it is counted on its own.
	t.Orgs -= t.Unreadable
}

// worst keeps the top most severe unsuppressed findings: by severity, policy
// id, the org's place in the report, then resource.
func (s *Summary) worst(top int) {
	type ranked struct {
		f   OrgFinding
		row int
	}
	var all []ranked
	for i, r := range s.Rows {
		if r.Run == nil {
			continue
		}
		for _, f := range r.Run.Findings {
			if !f.Suppressed {
				all = append(all, ranked{OrgFinding{OrgID: r.ID, OrgName: r.Name, Finding: f}, i})
			}
		}
	}
	slices.SortStableFunc(all, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.f.Severity, b.f.Severity), cmp.Compare(a.f.PolicyID, b.f.PolicyID),
			cmp.Compare(a.row, b.row), cmp.Compare(a.f.Resource, b.f.Resource))
	})
	n := min(max(top, 0), len(all))
	for _, r := range all[:n] {
		s.Worst = append(s.Worst, r.f)
	}
	s.More = len(all) - n
}

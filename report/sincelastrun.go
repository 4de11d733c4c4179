package report

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// The "since last run" section of the Markdown, HTML and text reports: the
// organization audit log's window that the snapshot read (from, to, where
// the start came from), each signal with its outcome (findings, passed, not
// evaluated with the reason), and the events of the findings with actor,
// time and target. It is bounded whatever the audit log held: each signal
// lists at most maxSinceEvents events (a busy token-use day does not push an
// admin grant out) and says how many more there are; the findings groups and
// the JSON report have them all.

// maxSinceEvents is how many events of one signal the section lists.
const maxSinceEvents = 5

// Cell caps of the events table (the message of each finding has the whole text).
const (
	maxSinceActorRunes  = 120
	maxSinceTargetRunes = 200
)

// sinceSignal is one signal's row and the events it lists.
type sinceSignal struct {
	model.AuditSignal
	// Icon and Outcome say the outcome: "❌", "2 findings".
	Icon, Outcome string
	// Open are the unsuppressed events of the run, Listed the first of
	// them the section lists.
	Open, Listed []model.AuditEvent
}

// sinceSignals are the section's signals with their outcome in words.
func sinceSignals(w *model.AuditWindow) []sinceSignal {
	out := make([]sinceSignal, 0, len(w.Signals))
	for _, s := range w.Signals {
		v := sinceSignal{AuditSignal: s}
		for _, e := range s.Events {
			if !e.Suppressed {
				v.Open = append(v.Open, e)
			}
		}
		v.Listed = v.Open[:min(len(v.Open), maxSinceEvents)]
		switch s.Status {
		case model.StatusFail:
			v.Icon, v.Outcome = statusIcons[s.Status], plural(s.Findings, "finding")
			if n := s.Findings - len(v.Open); n > 0 {
				v.Outcome += fmt.Sprintf(" (%s suppressed or not shown)", thousands(n))
			}
			if s.Reason != "" { // e.g. its events were read only in part
				v.Outcome += " (" + s.Reason + ")"
			}
		case model.StatusSuppressed:
			v.Icon, v.Outcome = statusIcons[s.Status], plural(s.Findings, "finding")+", all suppressed (accepted risks)"
		case model.StatusPass:
			v.Icon, v.Outcome = statusIcons[s.Status], "passed: nothing in the window"
			if s.Reason != "" {
				v.Outcome += " (" + s.Reason + ")"
			}
		case model.StatusNotEvaluated:
			v.Icon, v.Outcome = statusIcons[s.Status], "not evaluated: "+cmp.Or(s.Reason, "no reason given")
		default:
			v.Icon, v.Outcome = "➖", "not checked: "+cmp.Or(s.Reason, "its policy did not run")
		}
		out = append(out, v)
	}
	return out
}

// sinceWindowText says which part of the audit log was read, and that it
// was cut when it was.
func sinceWindowText(w *model.AuditWindow) (window, capped string) {
	window = fmt.Sprintf("The organization audit log from %s to %s (%s).", timestamp(w.From), timestamp(w.To), w.BasisText())
	if r := w.RequestedFrom; r != nil {
		capped = fmt.Sprintf("The start asked for, %s, is further back than audit_log.max_window_days allows: "+
			"what happened before %s is not read (ATL-COL-002).", timestamp(*r), timestamp(w.From))
	}
	return window, capped
}

// mdSinceLastRun writes the section: the window and the signals' outcomes
// are kept (one row per signal, each cell capped), the events table is a
// block the size budget may leave out whole.
func mdSinceLastRun(doc *mdDoc, run *model.Run) {
	w := run.SinceLastRun
	if w == nil {
		return
	}
	var b strings.Builder
	window, capped := sinceWindowText(w)
	fmt.Fprintf(&b, "\n## Since last run: audit log\n\n%s\n", mdText(window))
	if capped != "" {
		fmt.Fprintf(&b, "\n⚠️ %s\n", mdText(capped))
	}
	b.WriteString("\n| Signal | Policy | Outcome |\n| --- | --- | --- |\n")
	signals := sinceSignals(w)
	listed, open := 0, 0
	for _, s := range signals {
		mdRow(&b, mdText(s.Title), mdText(s.PolicyID), s.Icon+" "+mdText(truncateRunes(s.Outcome, maxCellRunes)))
		listed += len(s.Listed)
		open += len(s.Open)
	}
	doc.keep(b.String())
	if listed == 0 {
		return
	}
	var t strings.Builder
	t.WriteString("\n| Time | Policy | Actor | Action | Target |\n| --- | --- | --- | --- | --- |\n")
	var more []string
	for _, s := range signals {
		for _, e := range s.Listed {
			mdRow(&t, mdText(timestamp(e.Time)), mdText(s.PolicyID), mdText(truncateRunes(e.Actor, maxSinceActorRunes)),
				mdText(truncateRunes(e.Action, maxSinceActorRunes)),
				mdText(truncateRunes(sinceTarget(e), maxSinceTargetRunes)))
		}
		if n := len(s.Open) - len(s.Listed); n > 0 {
			more = append(more, fmt.Sprintf("%s more of %s", thousands(n), mdText(s.PolicyID)))
		}
	}
	if len(more) > 0 {
		fmt.Fprintf(&t, "\n_… and %s: every one is in the findings below._\n", strings.Join(more, ", "))
	}
	doc.extra(t.String(), fmt.Sprintf("the audit-log events since the last run (%s of %s)", thousands(listed), thousands(open)))
}

// htmlSince is the HTML report's section.
type htmlSince struct {
	Window, Capped string
	Signals        []htmlSinceSignal
}

type htmlSinceSignal struct {
	Title, PolicyID, Status, Outcome, FindingsAnchor string
	Events                                           []htmlSinceEvent
	More                                             int
}

type htmlSinceEvent struct{ Time, Actor, Action, Target string }

// htmlSinceOf is the section for the HTML template, nil without one.
func htmlSinceOf(run *model.Run) *htmlSince {
	w := run.SinceLastRun
	if w == nil {
		return nil
	}
	window, capped := sinceWindowText(w)
	out := &htmlSince{Window: quoteControl(window), Capped: quoteControl(capped)}
	for _, s := range sinceSignals(w) {
		h := htmlSinceSignal{Title: quoteControl(s.Title), PolicyID: quoteControl(s.PolicyID),
			Status: cmp.Or(string(s.Status), "not_selected"), Outcome: quoteControl(s.Outcome),
			FindingsAnchor: anchor("findings", s.PolicyID), More: len(s.Open) - len(s.Listed)}
		if s.Status != model.StatusFail {
			h.FindingsAnchor = ""
		}
		for _, e := range s.Listed {
			h.Events = append(h.Events, htmlSinceEvent{Time: timestamp(e.Time), Actor: quoteControl(e.Actor),
				Action: quoteControl(e.Action), Target: quoteControl(sinceTarget(e))})
		}
		out.Signals = append(out.Signals, h)
	}
	return out
}

// sinceTarget is the target cell: the finding's whole message when its
// event could not be read back, "no target recorded" when it names none.
func sinceTarget(e model.AuditEvent) string {
	if e.Action == "" && e.Time.IsZero() {
		return e.Message
	}
	return cmp.Or(e.Target, "no target recorded")
}

// sinceLastRun writes what the audit log recorded since the last run: the
// window, each signal's outcome, and the first events of its findings.
func (t *textWriter) sinceLastRun(run *model.Run) {
	w := run.SinceLastRun
	if w == nil {
		return
	}
	window, capped := sinceWindowText(w)
	t.heading("Since last run: audit log")
	t.para("  ", 2, window)
	if capped != "" {
		t.para("  "+t.style(ansiYellow, "Window cut:")+" ", 4, capped)
	}
	for _, s := range sinceSignals(w) {
		style := map[model.Status]string{model.StatusFail: ansiRed, model.StatusNotEvaluated: ansiYellow, model.StatusPass: ansiGreen}[s.Status]
		t.para("  "+t.style(style, s.PolicyID)+" ", 4, quoteControl(s.Title)+": "+quoteControl(s.Outcome))
		for _, e := range s.Listed {
			if e.Action == "" && e.Time.IsZero() { // not read back: the finding's message says it all
				t.para("    ", 6, quoteControl(truncateRunes(e.Message, maxCellRunes)))
				continue
			}
			t.para("    "+timestamp(e.Time)+" ", 6, quoteControl(truncateRunes(e.Actor, maxSinceActorRunes))+": "+
				quoteControl(truncateRunes(e.Action, maxSinceActorRunes))+": "+quoteControl(truncateRunes(sinceTarget(e), maxSinceTargetRunes)))
		}
		if n := len(s.Open) - len(s.Listed); n > 0 {
			t.para("    ", 6, fmt.Sprintf("... and %s more: every one is in the findings below", thousands(n)))
		}
	}
}

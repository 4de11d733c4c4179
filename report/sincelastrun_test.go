package report

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/model"
)

// sinceRun is the fixture with an audit-log window (cut to the cap) and
// a signal of every outcome: findings (a hostile actor, more events than
// the section lists, one whose event could not be read back), suppressed,
// not evaluated, passed and not selected.
func sinceRun() *model.Run {
	run := fixtureRun()
	at := func(h, m int) time.Time { return time.Date(2025, 4, 30, h, m, 0, 0, time.UTC) }
	requested := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	logPolicy := func(id, title string, sev model.Severity, status model.Status, reason string, n int) model.PolicyResult {
		return model.PolicyResult{Policy: model.Policy{ID: id, Title: title, Severity: sev, Package: "atlassian.audit_log",
			Requires: []string{"audit_log"}, Remediation: "Review " + id + ".", Builtin: true}, Status: status, Reason: reason, Findings: n}
	}
	unmapped := "audit log: the org's event-actions list has no action that carries it (looked for \"App successful installation\", …)"
	run.Policies = append(run.Policies,
		logPolicy("ATL-LOG-001", "An org admin role was granted since the last run", model.SeverityHigh, model.StatusFail, "", 1),
		logPolicy("ATL-LOG-002", "An admin API key was created since the last run", model.SeverityMedium, model.StatusSuppressed, "", 1),
		logPolicy("ATL-LOG-003", "An app was installed or updated since the last run", model.SeverityMedium, model.StatusNotEvaluated, unmapped, 0),
		logPolicy("ATL-LOG-005", "An API token was used by an external or departed account since the last run", model.SeverityHigh, model.StatusFail, "", 7))
	event := func(policy, id string, t time.Time, action, actor, target string) (model.Finding, model.AuditEvent) {
		msg := fmt.Sprintf("%s by %s at %s: %s", action, actor, timestamp(t), target)
		f := model.Finding{PolicyID: policy, Severity: model.SeverityHigh, Title: policy, Resource: id, Message: msg,
			Remediation: "Review " + policy + ".", Path: "/audit_log/items/0", Line: 90, Column: 5, Fingerprint: model.Fingerprint(policy, id)}
		return f, model.AuditEvent{ID: id, Time: t, Action: action, Actor: actor, ActorID: "acc-" + id, Target: target,
			Message: msg, Fingerprint: f.Fingerprint}
	}
	grant, grantEvent := event("ATL-LOG-001", "ev-1", at(9, 15), "Granted organization admin role",
		"Mallory <img src=x onerror=alert(1)> | admin", "user Tom Becker (acc-4)")
	key, keyEvent := event("ATL-LOG-002", "ev-2", at(10, 0), "Created API key", "Marcus Chen (marcus@acme.example)", "api-key ops-temp (key-9)")
	key.Severity, key.Suppressed = model.SeverityMedium, true
	key.Suppression = &model.Suppression{Reason: "Planned rotation", Owner: "secops@example.com", Expires: "2026-01-31"}
	keyEvent.Suppressed = true
	var tokenFindings []model.Finding
	var tokenEvents []model.AuditEvent
	for i := range 6 {
		f, e := event("ATL-LOG-005", fmt.Sprintf("ev-t%d", i), at(11, i), "API token used",
			"Olivia Grant (olivia@acme.example)", "api-token quarterly-reporting (tok-3)")
		tokenFindings, tokenEvents = append(tokenFindings, f), append(tokenEvents, e)
	}
	lost, _ := event("ATL-LOG-005", "ev-lost", at(12, 0), "API token used", "acc-77", "")
	// Oldest first: an event not read back has no time.
	tokenFindings = append([]model.Finding{lost}, tokenFindings...)
	tokenEvents = append([]model.AuditEvent{{ID: "ev-lost", Message: lost.Message, Fingerprint: lost.Fingerprint}}, tokenEvents...)
	run.Findings = append(append(append([]model.Finding{}, run.Findings[:1]...), append([]model.Finding{grant}, tokenFindings...)...),
		append(run.Findings[1:], key)...)
	run.Summary.High += 8
	run.Summary.Suppressed++
	run.Summary.NotEvaluated++
	run.Gate.Count += 8
	run.SinceLastRun = &model.AuditWindow{From: time.Date(2025, 4, 24, 10, 30, 0, 0, time.UTC),
		To: time.Date(2025, 5, 1, 10, 30, 0, 0, time.UTC), Basis: "previous_snapshot", RequestedFrom: &requested,
		Signals: []model.AuditSignal{
			{ID: "org_admin_granted", PolicyID: "ATL-LOG-001", Title: "Org admin roles granted", Status: model.StatusFail,
				Findings: 1, Events: []model.AuditEvent{grantEvent}},
			{ID: "api_key_created", PolicyID: "ATL-LOG-002", Title: "Admin API keys created", Status: model.StatusSuppressed,
				Findings: 1, Events: []model.AuditEvent{keyEvent}},
			{ID: "app_installed", PolicyID: "ATL-LOG-003", Title: "Apps installed or updated to new permissions",
				Status: model.StatusNotEvaluated, Reason: unmapped, Events: []model.AuditEvent{}},
			{ID: "org_policy_changed", PolicyID: "ATL-LOG-004", Title: "Org policies disabled, deleted or edited",
				Status: model.SignalNotSelected, Reason: "its policy is not selected in this run (--policy, --skip-policy)",
				Events: []model.AuditEvent{}},
			{ID: "api_token_used", PolicyID: "ATL-LOG-005", Title: "API tokens used by external or departed accounts",
				Status: model.StatusFail, Findings: 7, Events: tokenEvents},
		}}
	return run
}

// passingSince is a window in which every signal passed.
func passingSince() *model.Run {
	run := emptyRun()
	run.SinceLastRun = &model.AuditWindow{From: time.Date(2025, 4, 30, 0, 0, 0, 0, time.UTC),
		To: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Basis: "since",
		Signals: []model.AuditSignal{{ID: "org_admin_granted", PolicyID: "ATL-LOG-001", Title: "Org admin roles granted",
			Status: model.StatusPass, Events: []model.AuditEvent{}}}}
	return run
}

func TestSinceLastRunGolden(t *testing.T) {
	for _, format := range []string{"markdown", "html", "json", "text"} {
		t.Run(format, func(t *testing.T) {
			golden(t, "since"+goldenExt[format], render(t, format, sinceRun()))
		})
	}
}

// TestSinceLastRunMarkdown: every signal has its outcome, the events have
// their actor, time and target, a signal lists at most maxSinceEvents and
// says how many more, values are escaped, and a window that passed says so.
func TestSinceLastRunMarkdown(t *testing.T) {
	md := renderMarkdown(t, sinceRun(), Options{})
	checkTables(t, md)
	for _, want := range []string{
		"## Since last run: audit log",
		"The organization audit log from 2025-04-24T10:30:00Z to 2025-05-01T10:30:00Z (since the previous run's snapshot).",
		"⚠️ The start asked for, 2025-04-01T00:00:00Z, is further back than audit\\_log.max\\_window\\_days allows",
		"| Org admin roles granted | ATL-LOG-001 | ❌ 1 finding |",
		"| ATL-LOG-002 | 🔕 1 finding, all suppressed (accepted risks) |",
		"| ATL-LOG-003 | ⚠️ not evaluated: audit log: the org's event-actions list has no action that carries it",
		"| ATL-LOG-004 | ➖ not checked: its policy is not selected in this run",
		"| ATL-LOG-005 | ❌ 7 findings |",
		"| 2025-04-30T09:15:00Z | ATL-LOG-001 | Mallory &lt;img src=x onerror=alert(1)&gt; \\| admin | Granted organization admin role | user Tom Becker (acc-4) |",
		"| unknown | ATL-LOG-005 |  |  | API token used by acc-77 at 2025-04-30T12:00:00Z:  |",
		"_… and 2 more of ATL-LOG-005: every one is in the findings below._",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	if n := strings.Count(md, "| ATL-LOG-005 | Olivia Grant"); n != maxSinceEvents-1 { // and the one not read back
		t.Errorf("%d ATL-LOG-005 events listed, want %d", n, maxSinceEvents)
	}
	if strings.Contains(md, "| ATL-LOG-002 | Marcus Chen") {
		t.Error("a suppressed event is listed as open")
	}
	if at, findings := strings.Index(md, "## Since last run: audit log"), strings.Index(md, "## Findings"); at < 0 || at > findings {
		t.Error("the section must come before the findings")
	}
	if md := renderMarkdown(t, passingSince(), Options{}); !strings.Contains(md, "| ATL-LOG-001 | ✅ passed: nothing in the window |") ||
		!strings.Contains(md, "(since the time given with --since)") || strings.Contains(md, "| Time |") {
		t.Errorf("a passing window:\n%s", md)
	}
	if md := renderMarkdown(t, fixtureRun(), Options{}); strings.Contains(md, "audit log") {
		t.Error("a run that read no audit log has a section")
	}
}

// TestSinceLastRunWithinBudgets: however many events the audit log held,
// the section stays bounded, and the Markdown report fits a PR comment and
// a step summary with the window and every signal's outcome kept.
func TestSinceLastRunWithinBudgets(t *testing.T) {
	run := sinceRun()
	sig := &run.SinceLastRun.Signals[4]
	var busy []model.AuditEvent
	for i := range 20000 {
		id := fmt.Sprintf("ev-busy-%05d", i)
		text := "x"
		if i < maxSinceEvents*len(run.SinceLastRun.Signals) {
			text = strings.Repeat("ü<|", 400) // the listed ones as long as a hostile API makes them
		}
		msg := "API token used by " + text
		busy = append(busy, model.AuditEvent{ID: id, Time: time.Date(2025, 4, 30, 0, 0, i%60, 0, time.UTC),
			Action: "API token used " + text, Actor: text, Target: text, Message: msg, Fingerprint: model.Fingerprint("ATL-LOG-005", id)})
		run.Findings = append(run.Findings, model.Finding{PolicyID: "ATL-LOG-005", Severity: model.SeverityHigh, Resource: id,
			Message: msg, Fingerprint: model.Fingerprint("ATL-LOG-005", id)})
	}
	sig.Events = append(busy, sig.Events...) // the long ones are listed
	sig.Findings += 20000
	full := renderMarkdown(t, run, Options{})
	start := strings.Index(full, "## Since last run: audit log")
	section := full[start : start+strings.Index(full[start:], "## Findings")]
	if len(section) > 24<<10 {
		t.Errorf("the section is %d bytes with 20,000 events, want it bounded (under 24 KiB)", len(section))
	}
	for _, budget := range []int{PRCommentMaxChars - 1, StepSummaryMaxBytes} {
		md := renderMarkdown(t, run, Options{MaxBytes: budget})
		if len(md) > budget || utf8.RuneCountInString(md) > budget {
			t.Fatalf("budget %d: %d bytes", budget, len(md))
		}
		checkTables(t, md)
		for _, want := range []string{"The organization audit log from 2025-04-24T10:30:00Z", "| ATL-LOG-003 | ⚠️ not evaluated",
			"| ATL-LOG-005 | ❌ 20,007 findings |"} {
			if !strings.Contains(md, want) {
				t.Errorf("budget %d: lacks %q", budget, want)
			}
		}
	}
}

// TestSinceLastRunFailingSignalReadInPart: a signal whose events were read
// only in part still shows its findings, and says that there may be more
// (its policy's reason); before, "❌ 4 findings" read as the whole count.
func TestSinceLastRunFailingSignalReadInPart(t *testing.T) {
	reason := "audit log: read only in part: the page cap (audit_log.max_pages = 6) was reached; these findings are from the part read, there may be more"
	w := &model.AuditWindow{Signals: []model.AuditSignal{{ID: "api_token_used", PolicyID: "ATL-LOG-005", Title: "API tokens used",
		Status: model.StatusFail, Reason: reason, Findings: 4, Events: make([]model.AuditEvent, 4)}}}
	got := sinceSignals(w)[0].Outcome
	if want := "4 findings (" + reason + ")"; got != want {
		t.Errorf("outcome %q, want %q", got, want)
	}
}

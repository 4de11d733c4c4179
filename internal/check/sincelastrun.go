package check

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/atlcheck/atlcheck/internal/auditlog"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// sinceLastRun is the reports' "since last run" section of a finished run:
// the audit-log window the snapshot read and, per signal, its policy's
// outcome with the events of its findings (actor, time, target). It is nil
// when the snapshot read no window (--no-audit-log, or a snapshot written
// before atlcheck read the audit log: the policies say why then), and when
// the run selects none of the signals' policies.
func sinceLastRun(doc *snapshot.Document, run *model.Run) *model.AuditWindow {
	w := doc.Header.AuditLog.Window
	if w.From == nil || w.To == nil {
		return nil
	}
	out := &model.AuditWindow{From: w.From.UTC(), To: w.To.UTC(), Basis: w.Basis}
	if r := w.RequestedFrom; r != nil {
		t := r.UTC()
		out.RequestedFrom = &t
	}
	results := map[string]model.PolicyResult{}
	for _, p := range run.Policies {
		results[p.Policy.ID] = p
	}
	items := auditItems(doc.Input)
	selected := false
	for _, s := range auditlog.Signals {
		sig := model.AuditSignal{ID: s.ID, PolicyID: s.PolicyID, Title: s.Title, Events: []model.AuditEvent{}}
		pr, ok := results[s.PolicyID]
		if !ok {
			sig.Status = model.SignalNotSelected
			sig.Reason = "its policy is not selected in this run (--policy, --skip-policy)"
			out.Signals = append(out.Signals, sig)
			continue
		}
		selected = true
		sig.Status, sig.Reason, sig.Findings = pr.Status, pr.Reason, pr.Findings
		for _, f := range run.Findings {
			if f.PolicyID == s.PolicyID {
				sig.Events = append(sig.Events, auditEventOf(f, items))
			}
		}
		slices.SortStableFunc(sig.Events, func(a, b model.AuditEvent) int {
			return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.ID, b.ID))
		})
		out.Signals = append(out.Signals, sig)
	}
	if !selected { // --policy left every signal out: the report says nothing of the audit log
		return nil
	}
	return out
}

// auditItems is the policy input's audit_log.items, nil when it has none.
func auditItems(input ast.Value) *ast.Array {
	root, ok := input.(ast.Object)
	if !ok {
		return nil
	}
	area := root.Get(ast.StringTerm(snapshot.AreaAuditLog))
	if area == nil {
		return nil
	}
	obj, ok := area.Value.(ast.Object)
	if !ok {
		return nil
	}
	if items := obj.Get(ast.StringTerm("items")); items != nil {
		arr, _ := items.Value.(*ast.Array)
		return arr
	}
	return nil
}

// auditEventOf is finding f with the event it reports, found by its path
// (/audit_log/items/N) and checked by id; a finding whose event cannot be
// found keeps only its message.
func auditEventOf(f model.Finding, items *ast.Array) model.AuditEvent {
	ev := model.AuditEvent{ID: f.Resource, Message: f.Message, Fingerprint: f.Fingerprint, Suppressed: f.Suppressed}
	e, ok := auditEventAt(items, f.Path)
	if !ok || e.ID != f.Resource {
		return ev
	}
	ev.Time = e.Time.UTC()
	ev.Action = cmp.Or(e.ActionName, e.Action)
	ev.Actor = e.Actor.Text()
	if e.Actor != nil {
		ev.ActorID = e.Actor.ID
	}
	var targets []string
	for _, t := range e.Targets {
		targets = append(targets, objectText(t))
	}
	ev.Target = strings.Join(targets, ", ")
	return ev
}

// auditEventAt decodes the event at a finding's path.
func auditEventAt(items *ast.Array, path string) (snapshot.AuditEvent, bool) {
	var e snapshot.AuditEvent
	n, err := strconv.Atoi(strings.TrimPrefix(path, "/"+snapshot.AreaAuditLog+"/items/"))
	if items == nil || err != nil || n < 0 || n >= items.Len() {
		return e, false
	}
	v, err := ast.JSON(items.Elem(n).Value)
	if err != nil {
		return e, false
	}
	b, err := json.Marshal(v)
	if err != nil {
		return e, false
	}
	return e, json.Unmarshal(b, &e) == nil
}

// objectText names a target as the audit-log policies do: "type name (id)".
func objectText(o snapshot.AuditObject) string {
	switch {
	case o.Name != "" && o.Type != "":
		return fmt.Sprintf("%s %s (%s)", o.Type, o.Name, o.ID)
	case o.Name != "":
		return fmt.Sprintf("%s (%s)", o.Name, o.ID)
	case o.Type != "":
		return o.Type + " " + o.ID
	}
	return o.ID
}

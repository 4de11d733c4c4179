package diff

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// auditLog lists the audit-log events of the new snapshot that the old one
// does not have: what happened since the last run, each as an added
// resource worded with its action, actor, time and target. They are neutral
// here: the ATL-LOG-* policies say which of them matter. An event only in the
// old snapshot fell out of the window; it is not undone and not listed. A
// signal that could be read and no longer can (or the other way round) is a
// change of its own.
func (c *comparer) auditLog() {
	const area = snapshot.AreaAuditLog
	seen := map[string]bool{}
	for _, e := range c.old.AuditLog.Items {
		seen[e.ID] = true
	}
	for _, e := range c.new.AuditLog.Items {
		if !seen[e.ID] {
			c.added(area, e.ID, fmt.Sprintf("Audit log: %s by %s at %s%s.", cmp.Or(e.ActionName, e.Action), e.Actor.Text(),
				e.Time.UTC().Format(time.RFC3339), targetsText(e.Targets)), RiskNeutral)
		}
	}
	old := map[string]snapshot.AuditSignal{}
	for _, s := range c.old.AuditLog.Signals {
		old[s.ID] = s
	}
	for _, n := range c.new.AuditLog.Signals {
		o, ok := old[n.ID]
		if !ok || readable(o) == readable(n) {
			continue
		}
		b := newBuilder(area, "signal:"+n.ID, "Audit-log signal "+n.ID)
		if readable(n) {
			b.set("complete", false, true, RiskDecreased, "read completely again")
		} else {
			b.set("complete", true, false, RiskIncreased, "no longer read completely: "+cmp.Or(n.Note, "not read"))
		}
		c.emit(b.change())
	}
}

// readable reports whether a signal's events were all read.
func readable(s snapshot.AuditSignal) bool { return s.Complete && len(s.Actions) > 0 }

// targetsText is ": user Tom (id), …" for an event's targets, "" without one.
func targetsText(targets []snapshot.AuditObject) string {
	var parts []string
	for _, t := range targets {
		parts = append(parts, strings.TrimSpace(t.Type+" "+nameAndID(t.Name, t.ID)))
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, ", ")
}

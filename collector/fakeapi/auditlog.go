package fakeapi

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The organization audit log (swagger.v3.json, getEventActions and
// getEvents; contract Part C.7). The event-actions catalogue is the actions
// the snapshot's signals were mapped to plus fillerActions (so a signal the
// snapshot records without an action finds none here either); /events
// filters the snapshot's events by action and by time (epoch milliseconds),
// newest first, and pages them (limit 1–500, default 30; links.next a full
// URL, meta.next the cursor). Both paths keep the documented rate limit
// (Options.EventsRateLimit, see spend): past it they answer 429 {code,
// message} with X-RateLimit-Limit, -Remaining and -Reset (an ISO-8601 time),
// no Retry-After.

// fillerActions are actions of an org's catalogue that carry no signal.
var fillerActions = []snapshot.EventAction{
	{ID: "user_logged_in", DisplayName: "Logged in to account", Group: "Atlassian accounts"},
	{ID: "group_created", DisplayName: "Created group", Group: "Group management"},
	{ID: "user_added_to_group", DisplayName: "Added user to group", Group: "Group management"},
	{ID: "user_product_access_granted", DisplayName: "Granted product access", Group: "Product access"},
	{ID: "api_key_revoked", DisplayName: "Revoked API key", Group: "Organization"},
	{ID: "app_uninstalled", DisplayName: "App successful uninstallation", Group: "App actions"},
}

// defaultEventsLimit is /events' page size when none is asked for.
const defaultEventsLimit = 30

// eventActions serves GET …/event-actions: the catalogue, not paged.
func (s *Server) eventActions(w http.ResponseWriter, r *http.Request) {
	if !onlyParams(w, r) {
		return
	}
	seen := map[string]bool{}
	data := []any{}
	add := func(a snapshot.EventAction) {
		if seen[a.ID] {
			return
		}
		seen[a.ID] = true
		data = append(data, map[string]any{"id": a.ID, "type": "event-actions",
			"attributes": map[string]any{"displayName": a.DisplayName, "groupDisplayName": a.Group}})
	}
	for _, sig := range s.snap.AuditLog.Signals {
		for _, a := range sig.Actions {
			add(a)
		}
	}
	for _, a := range fillerActions {
		add(a)
	}
	s.writeJSON(w, map[string]any{"data": data})
}

// events serves GET …/events, within the rate limit.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	if !onlyParams(w, r, "cursor", "q", "from", "to", "action", "actor", "ip", "product", "location", "limit") {
		return
	}
	q := r.URL.Query()
	from, okFrom := epochParam(q.Get("from"), 0)
	to, okTo := epochParam(q.Get("to"), 1<<62)
	if !okFrom || !okTo || from > to {
		writeError(w, r, http.StatusBadRequest, "ADMIN-400-3", "from and to must be UNIX epoch times in milliseconds, from not after to")
		return
	}
	if e := s.signalError(q.Get("action")); e != nil {
		serveRecorded(w, r, e)
		return
	}
	var events []snapshot.AuditEvent
	for _, e := range s.snap.AuditLog.Items {
		ms := e.Time.UnixMilli()
		if (q.Get("action") == "" || e.Action == q.Get("action")) && ms >= from && ms <= to {
			events = append(events, e)
		}
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Time.After(events[j].Time) })
	p := getPaging(r, nextFullURL, "limit", false)
	start, end, links, ok := s.window(w, r, len(events), p)
	if !ok {
		return
	}
	data := []any{}
	for _, e := range events[start:end] {
		data = append(data, eventItem(origin(r)+r.URL.Path, e))
	}
	size := defaultEventsLimit
	if p.sizeGiven {
		size = p.size
	}
	meta := map[string]any{"page_size": size}
	if next, _ := links["next"].(string); next != "" {
		if u := next[strings.Index(next, "cursor=")+len("cursor="):]; u != "" {
			meta["next"] = strings.SplitN(u, "&", 2)[0]
		}
	}
	s.writeJSON(w, map[string]any{"data": data, "links": links, "meta": meta})
}

// signalError is the error the snapshot records for the signal that action
// carries, nil when none.
func (s *Server) signalError(action string) *snapshot.AreaError {
	for _, sig := range s.snap.AuditLog.Signals {
		for _, a := range sig.Actions {
			if a.ID == action && sig.Error != nil {
				return sig.Error
			}
		}
	}
	return nil
}

// epochParam reads epoch milliseconds (digits only); def when absent.
func epochParam(v string, def int64) (int64, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n >= 0
}

// eventItem renders one event as the API does.
func eventItem(base string, e snapshot.AuditEvent) map[string]any {
	attrs := map[string]any{"time": e.Time.UTC().Format("2006-01-02T15:04:05.000Z"), "action": e.Action,
		"context": objects(e.Targets), "container": objects(e.Containers)}
	if a := e.Actor; a != nil {
		actor := map[string]any{"id": a.ID}
		setText(actor, "name", a.Name)
		setText(actor, "email", a.Email)
		if a.AuthType != "" {
			auth := map[string]any{"authType": a.AuthType}
			setText(auth, "tokenId", a.TokenID)
			setText(auth, "tokenLabel", a.TokenLabel)
			actor["auth"] = auth
		}
		if a.OnBehalfOf != nil {
			actor["onBehalfOf"] = person(a.OnBehalfOf, "")
		}
		attrs["actor"] = actor
	}
	if l := e.Location; l != nil {
		loc := map[string]any{}
		setText(loc, "ip", l.IP)
		setText(loc, "city", l.City)
		setText(loc, "countryName", l.Country)
		attrs["location"] = loc
	}
	return map[string]any{"id": e.ID, "type": "events", "attributes": attrs, "links": map[string]any{"self": base + "/" + e.ID}}
}

// objects renders an event's context or container.
func objects(list []snapshot.AuditObject) []any {
	out := []any{}
	for _, o := range list {
		m := map[string]any{"id": o.ID}
		setText(m, "type", o.Type)
		attrs := map[string]any{}
		setText(attrs, "name", o.Name)
		setText(attrs, "role", o.Role)
		if len(attrs) > 0 {
			m["attributes"] = attrs
		}
		out = append(out, m)
	}
	return out
}

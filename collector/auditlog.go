package collector

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/auditlog"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// The organization audit log (Organizations API, swagger.v3.json copies of
// 2026-06-11 to 2026-08-21; contract Part C.7), scope read:events:admin:
//
//   - GET /v1/orgs/{orgId}/event-actions (getEventActions): {data[{id, type,
//     attributes{displayName, groupDisplayName}}]}, not paged;
//   - GET /v1/orgs/{orgId}/events (getEvents): query cursor, q, from, to
//     (epoch milliseconds, as strings), action, actor, ip, product, location,
//     limit (1–500, default 30); {data[{id, type, attributes{time, action,
//     actor{id, name, email, auth{authType, tokenId, tokenLabel},
//     onBehalfOf}, context[], container[], location{ip, city, countryName}},
//     links}], links{self, next, prev} (URLs), meta{next, page_size}}. Its
//     rate limit is 10 requests a minute per user and per API path.
//
// atlcheck asks /events once per action that carries a signal, filtered by
// action and time, rather than paging the whole stream (/events-stream),
// whose volume includes every product event of a Guard org: a handful of
// requests per run. The rate limit is kept by the client's limiter, which
// paces the path by its X-RateLimit-Remaining and -Reset answers (see
// limiter), and the pages are capped (MaxPages), so the read is bounded.
const (
	endpointEventActions = "/admin/v1/orgs/{orgId}/event-actions"
	endpointEvents       = "/admin/v1/orgs/{orgId}/events"
)

// Defaults of AuditLogOptions.
const (
	// DefaultAuditWindow is the longest window read: the audit_log.max_window_days default.
	DefaultAuditWindow = 7 * 24 * time.Hour
	// DefaultAuditPages caps the pages of events read per run: the audit_log.max_pages default.
	DefaultAuditPages = 20
	// eventsPageSize is the largest page /events allows.
	eventsPageSize = 500
)

// AuditLogOptions say which part of the organization audit log is read and
// how fast.
type AuditLogOptions struct {
	// Off skips the audit log: the area has no source.
	Off bool
	// Since is the start of the window: the previous run's collected_at or
	// --since. Zero means MaxWindow before the collection time.
	Since time.Time
	// Basis says where Since came from: snapshot.WindowPreviousSnapshot or
	// snapshot.WindowSince.
	Basis string
	// PreviousOrgID, when set, must be the collected org's id: the previous
	// snapshot is of another org otherwise (a *ConfigError).
	PreviousOrgID string
	// MaxWindow caps the window; 0 means DefaultAuditWindow.
	MaxWindow time.Duration
	// MaxPages caps the pages of events per run; 0 means DefaultAuditPages.
	MaxPages int
}

// auditDefaults fills the zero audit log options.
func auditDefaults(o AuditLogOptions) AuditLogOptions {
	if o.MaxWindow <= 0 {
		o.MaxWindow = DefaultAuditWindow
	}
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultAuditPages
	}
	return o
}

// auditWindow is the window to read at now: from Since (or MaxWindow back),
// never further back than MaxWindow (the start asked for is kept), never
// after now.
func auditWindow(o AuditLogOptions, now time.Time) snapshot.AuditWindow {
	from, basis := o.Since.UTC(), o.Basis
	if o.Since.IsZero() {
		from, basis = now.Add(-o.MaxWindow), snapshot.WindowDefault
	}
	w := snapshot.AuditWindow{Basis: basis, MaxPages: o.MaxPages}
	if earliest := now.Add(-o.MaxWindow); from.Before(earliest) {
		asked := from
		w.RequestedFrom, from = &asked, earliest
	}
	from = minTime(from, now)
	w.From, w.To = &from, &now
	return w
}

func minTime(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}

// auditLog reads the audit-log signals since the last run: the org's event
// actions, mapped to the signals by display name, then each mapped action's
// events in the window, most important signals first, within the page cap.
// A signal without a mapped action, or whose events could not all be read,
// says why; a 403 or any other failure of the event-actions list leaves the
// area not collected.
func (r *run) auditLog(ctx context.Context) snapshot.AuditLogArea {
	ctx = withAreaBudget(ctx, r.opts.MaxAreaBytes) // all the signals' pages together
	const area = snapshot.AreaAuditLog
	o := r.opts.AuditLog
	now := r.opts.Now().UTC()
	out := snapshot.AuditLogArea{Signals: []snapshot.AuditSignal{}, Items: []snapshot.AuditEvent{}}
	if o.Off {
		out.Area = snapshot.Area{Source: snapshot.SourceNone, CollectedAt: &now,
			Error: &snapshot.AreaError{Message: msgAuditLogOff}}
		r.progress.AreaDone(area, Summary{Err: errors.New(msgAuditLogOff)})
		return out
	}
	out.Window = auditWindow(o, now)
	r.progress.AreaStarted(area)
	t := &tracker{area: area, progress: r.progress}
	actions, err := r.c.eventActions(ctx, r.orgID)
	if err != nil {
		fatal := r.checkFatal(area, err)
		out.Area = notCollected(snapshot.SourceAPI, r.opts.Now(), err)
		switch why := notAvailable(err); {
		case why != "" && !fatal: // a refusal that names the plan
			out.Area = unavailable(r.opts.Now(), err, why)
		case statusOf(err) == http.StatusForbidden:
			out.Area.Error.Message += "; " + hintAuditLog403
		}
		if fatal || ctx.Err() == nil {
			r.progress.AreaDone(area, Summary{Err: errors.New(out.Area.Error.Message)})
		}
		return out
	}
	names := map[string]string{}
	for _, a := range actions {
		names[a.ID] = a.DisplayName
	}
	budget := out.Window.MaxPages
	set := newItemSet[snapshot.AuditEvent]()
	var tooLarge error
	mapped := auditlog.Map(actions)
	// Each mapped action is at least one events request: within the path's
	// budget (about 10 a minute) they need no pacing (limiter.expect).
	requests := 0
	for _, m := range mapped {
		requests += len(m.Actions)
	}
	r.c.limit.expect(endpointEvents, min(requests, budget))
	for _, m := range mapped {
		sig, err := r.readSignal(ctx, m, out.Window, names, &budget, t, set)
		out.Signals = append(out.Signals, sig)
		if tooLarge = err; err != nil {
			break
		}
	}
	out.Window.Pages = out.Window.MaxPages - budget
	var unreadable []snapshot.UnreadableItem
	out.Items, unreadable = set.result()
	// In time order, whatever order the API used (it documents none).
	slices.SortStableFunc(out.Items, func(a, b snapshot.AuditEvent) int {
		return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.ID, b.ID))
	})
	if err := cmp.Or(interrupted(ctx), tooLarge); err != nil {
		out.Area = notCollected(snapshot.SourceAPI, r.opts.Now(), err)
		if tooLarge != nil {
			r.progress.AreaDone(area, Summary{Items: len(out.Items), Pages: t.pages, Err: tooLarge})
		}
		return out
	}
	out.Area = collected(snapshot.SourceAPI, r.opts.Now())
	out.Area.Unreadable = unreadable
	sum := Summary{Items: len(out.Items), Pages: t.pages, Unreadable: len(unreadable), Note: signalNote(out.Signals)}
	r.progress.AreaDone(area, sum)
	return out
}

// msgAuditLogOff is the reason the audit log has no source with --no-audit-log.
const msgAuditLogOff = "the audit log was not read (--no-audit-log)"

// hintAuditLog403 explains a 403 of the audit log.
const hintAuditLog403 = "reading the audit log needs the read:events:admin scope; its coverage depends on the plan (Atlassian Guard)"

// readSignal reads the events of every action that carries one signal,
// within the remaining page budget, into set. Its error is ErrAreaTooLarge
// (the area's answers went past Options.MaxAreaBytes: the whole area is not
// collected); every other failure is the signal's.
func (r *run) readSignal(ctx context.Context, m auditlog.Mapping, w snapshot.AuditWindow, names map[string]string,
	budget *int, t *tracker, set *itemSet[snapshot.AuditEvent]) (snapshot.AuditSignal, error) {
	sig := snapshot.AuditSignal{ID: m.Signal.ID, Actions: []snapshot.EventAction{}, Complete: true}
	for _, a := range m.Actions {
		sig.Actions = append(sig.Actions, snapshot.EventAction{ID: a.ID, DisplayName: a.DisplayName, Group: a.Group})
	}
	if len(m.Actions) == 0 {
		sig.Complete = false
		sig.Note = fmt.Sprintf("the org's event-actions list has no action that carries it (looked for the display names %s)",
			quoted(m.Signal.Names))
		return sig, nil
	}
	for _, a := range m.Actions {
		if *budget <= 0 {
			sig.Complete = false
			sig.Note = fmt.Sprintf("not read in full: the page cap (audit_log.max_pages = %d) was reached before action %s", w.MaxPages, a.ID)
			return sig, nil
		}
		pages, err := r.c.events(ctx, r.orgID, a.ID, w, *budget, func(items []json.RawMessage) {
			t.page(len(items))
			for _, raw := range items {
				set.add(raw, decodeEvent(m.Signal.ID, a.ID, names))
			}
		})
		*budget -= pages
		switch {
		case errors.Is(err, ErrAreaTooLarge):
			sig.Complete, sig.Error = false, areaError(err)
			sig.Note = "its events could not be read: " + sig.Error.Message
			return sig, err
		case errors.Is(err, ErrPageCap):
			sig.Complete = false
			sig.Note = fmt.Sprintf("read only in part: the page cap (audit_log.max_pages = %d) was reached in the events of action %s; later pages were not read", w.MaxPages, a.ID)
			return sig, nil
		case err != nil:
			r.checkFatal(snapshot.AreaAuditLog, err)
			sig.Complete, sig.Error = false, areaError(err)
			sig.Note = "its events could not be read: " + sig.Error.Message
			if why := notAvailable(err); why != "" {
				sig.Note = "its events could not be read: " + why
			} else if statusOf(err) == http.StatusForbidden {
				sig.Note += "; " + hintAuditLog403
			}
			return sig, nil
		}
	}
	return sig, nil
}

// signalNote summarizes the signals for the progress line.
func signalNote(signals []snapshot.AuditSignal) string {
	unmapped, partial := 0, 0
	for _, s := range signals {
		switch {
		case len(s.Actions) == 0:
			unmapped++
		case !s.Complete:
			partial++
		}
	}
	note := plural(len(signals), "signal")
	if unmapped > 0 {
		note += fmt.Sprintf(", %d without an action in the org's list", unmapped)
	}
	if partial > 0 {
		note += fmt.Sprintf(", %d read in part", partial)
	}
	return note
}

// quoted renders names as "a", "b" or "c".
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// eventActions lists the org's event actions.
func (c *client) eventActions(ctx context.Context, orgID string) ([]auditlog.Action, error) {
	req, err := c.newRequest(ctx, call{method: http.MethodGet, endpoint: endpointEventActions, url: c.apiURL(endpointEventActions, orgID)})
	if err != nil {
		return nil, err
	}
	var page auditlog.ActionsPage
	if err := c.do(ctx, req, &page); err != nil {
		return nil, err
	}
	if page.Data == nil {
		return nil, &RequestError{Method: http.MethodGet, Endpoint: endpointEventActions, Status: http.StatusOK,
			Err: errors.New("response has no data list")}
	}
	return page.Actions(), nil
}

// events pages through one action's events in the window, at most maxPages
// pages (ErrPageCap beyond), handing each page to onPage. It returns the
// pages read.
func (c *client) events(ctx context.Context, orgID, action string, w snapshot.AuditWindow, maxPages int,
	onPage func(items []json.RawMessage)) (int, error) {
	u := c.apiURL(endpointEvents, orgID)
	q := url.Values{}
	q.Set("action", action)
	q.Set("from", strconv.FormatInt(w.From.UnixMilli(), 10))
	q.Set("to", strconv.FormatInt(w.To.UnixMilli(), 10))
	u.RawQuery = q.Encode()
	p := pager{method: http.MethodGet, endpoint: endpointEvents, url: u, sizeParam: "limit", size: eventsPageSize, maxPages: maxPages}
	return paginate(ctx, c, p, func(items []json.RawMessage) error {
		onPage(items)
		return nil
	})
}

// authTypes are the documented actor.auth.authType values (EventActorModel).
var authTypes = []string{"container-token", "api-token", "connect-token", "auth-token-for-2LO", "auth-token-for-3LO"}

// decodeEvent reads one event of action (asked for signal). Its id, time,
// action and actor are required: an event the policies could not place in
// time or attribute to someone is unreadable, not skipped. An event whose
// action is not the one asked for is unreadable too. The free-form
// attributes of its context and container are read where they are strings.
func decodeEvent(signal, action string, names map[string]string) decodeFunc[snapshot.AuditEvent] {
	return func(r *reader) (snapshot.AuditEvent, string) {
		e := snapshot.AuditEvent{ID: r.id("id"), Signal: signal}
		attrs := r.obj("attributes")
		if attrs == nil {
			r.fail("attributes", "the event has no attributes")
			return e, e.ID
		}
		e.Action = attrs.str("action")
		switch {
		case e.Action == "" && r.ok():
			attrs.fail("action", "the event has no action")
		case e.Action != action && r.ok():
			attrs.fail("action", "the event's action %q is not the one asked for (%q)", e.Action, action)
		}
		e.ActionName = names[e.Action]
		if at := attrs.time("time"); at != nil {
			e.Time = *at
		} else if r.ok() {
			attrs.fail("time", "the event has no time")
		}
		if a := attrs.obj("actor"); a != nil {
			e.Actor = &snapshot.AuditActor{ID: a.str("id"), Name: a.str("name"), Email: a.str("email"), OnBehalfOf: a.person("onBehalfOf")}
			if auth := a.obj("auth"); auth != nil {
				e.Actor.AuthType = auth.enum(authTypes, "authType")
				e.Actor.TokenID, e.Actor.TokenLabel = auth.str("tokenId"), auth.str("tokenLabel")
			}
		} else if r.ok() {
			attrs.fail("actor", "the event has no actor")
		}
		for _, o := range attrs.list("context") {
			e.Targets = append(e.Targets, auditObject(o))
		}
		for _, o := range attrs.list("container") {
			e.Containers = append(e.Containers, auditObject(o))
		}
		if l := attrs.obj("location"); l != nil {
			e.Location = &snapshot.Location{IP: l.str("ip"), City: l.str("city"), Country: l.str("countryName")}
		}
		return e, e.ID
	}
}

// auditObject reads an entity of an event's context or container: its id
// and type, and from its free-form attributes a name and a role when they
// are strings.
func auditObject(o *reader) snapshot.AuditObject {
	obj := snapshot.AuditObject{ID: o.str("id"), Type: o.str("type")}
	if attrs := o.raw("attributes"); attrs != nil {
		var m map[string]json.RawMessage
		if json.Unmarshal(attrs, &m) == nil {
			obj.Name = firstString(m, "name", "displayName", "email", "key", "label")
			obj.Role = firstString(m, "role", "roleId", "roleName")
		}
	}
	return obj
}

// firstString returns the first of keys whose value is a non-empty string.
func firstString(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		var s string
		if json.Unmarshal(m[k], &s) == nil && strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}

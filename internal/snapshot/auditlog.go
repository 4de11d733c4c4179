package snapshot

import (
	"cmp"
	"time"
)

// AuditLogArea holds what the organization audit log recorded since the last
// run for the signals atlcheck looks for (internal/auditlog): the window that
// was read, what each signal was mapped to, and the matching events.
type AuditLogArea struct {
	Area
	// Window is the time span that was read.
	Window AuditWindow `json:"window" doc:"the time span read"`
	// Signals say, per signal, which of the org's actions carry it and
	// whether its events were read completely.
	Signals []AuditSignal `json:"signals" schema:"nullable" doc:"per signal: the org's actions that carry it and whether its events were read completely"`
	Items   []AuditEvent  `json:"items"`
}

// Bases of an audit-log window: where its start came from.
const (
	WindowPreviousSnapshot = "previous_snapshot" // the previous run's collected_at (--previous)
	WindowSince            = "since"             // --since
	WindowDefault          = "default"           // neither: the longest window allowed
)

// AuditWindow is the time span of an audit-log read.
type AuditWindow struct {
	From  *time.Time `json:"from,omitempty" doc:"the start of the window read (events at or after it)"`
	To    *time.Time `json:"to,omitempty" doc:"the end of the window (the collection time)"`
	Basis string     `json:"basis,omitempty" schema:"enum=previous_snapshot|since|default" doc:"where the start came from: the previous run's snapshot (--previous), --since, or neither (the longest window allowed)"`
	// RequestedFrom is set when the start was moved forward to the cap.
	RequestedFrom *time.Time `json:"requested_from,omitempty" doc:"the start that was asked for, when it was further back than audit_log.max_window_days allows (the window was capped)"`
	MaxPages      int        `json:"max_pages,omitempty" schema:"minimum=0" doc:"the most pages of events read in one run (audit_log.max_pages)"`
	Pages         int        `json:"pages,omitempty" schema:"minimum=0" doc:"the pages of events read"`
}

// AuditSignal is what one signal was mapped to and how its events were read.
type AuditSignal struct {
	ID      string        `json:"id" schema:"required,minLength=1" doc:"the signal, e.g. org_admin_granted"`
	Actions []EventAction `json:"actions" schema:"nullable" doc:"the org's event actions that carry the signal (matched by display name); none means it cannot be read"`
	// Complete is false when the events were not all read: no action
	// carries the signal, the page cap was reached, or a request failed.
	Complete bool       `json:"complete" doc:"whether every event of the window was read"`
	Error    *AreaError `json:"error,omitempty" doc:"why its events could not be read"`
	Note     string     `json:"note,omitempty" doc:"why the signal was not read completely, in words (e.g. no action of the org's event-actions list carries it)"`
}

// EventAction is one action of the org's event-actions list.
type EventAction struct {
	ID          string `json:"id" schema:"required,minLength=1" doc:"the action id events carry"`
	DisplayName string `json:"display_name,omitempty" doc:"its display name"`
	Group       string `json:"group,omitempty" doc:"its group's display name"`
}

// AuditEvent is one event of the audit log that carries a signal.
type AuditEvent struct {
	ID         string        `json:"id" schema:"required,minLength=1" doc:"the event id"`
	Signal     string        `json:"signal" schema:"required" doc:"the signal the event carries"`
	Action     string        `json:"action" schema:"required" doc:"the action id"`
	ActionName string        `json:"action_name,omitempty" doc:"the action's display name"`
	Time       time.Time     `json:"time" schema:"required" doc:"when it happened"`
	Actor      *AuditActor   `json:"actor,omitempty" doc:"who did it"`
	Targets    []AuditObject `json:"targets,omitempty" doc:"what it was done to (the event's context)"`
	Containers []AuditObject `json:"containers,omitempty" doc:"where it was done (the event's container: site, org)"`
	Location   *Location     `json:"location,omitempty" doc:"where it came from"`
}

// AuditActor is the actor of an event.
type AuditActor struct {
	ID    string `json:"id" schema:"required" doc:"the actor's account id"`
	Name  string `json:"name,omitempty" doc:"the display name"`
	Email string `json:"email,omitempty" doc:"the email address"`
	// AuthType is how the actor authenticated: api-token for an API token,
	// container-token, connect-token, auth-token-for-2LO or -3LO.
	AuthType   string `json:"auth_type,omitempty" schema:"enum=container-token|api-token|connect-token|auth-token-for-2LO|auth-token-for-3LO" doc:"how the actor authenticated (api-token: with an API token)"`
	TokenID    string `json:"token_id,omitempty" doc:"the token used, when one was"`
	TokenLabel string `json:"token_label,omitempty" doc:"its label"`
	// OnBehalfOf is the user an app acted for.
	OnBehalfOf *Person `json:"on_behalf_of,omitempty" doc:"the user the actor acted on behalf of"`
}

// Text names the actor as the audit-log policies and the diff do: "Name
// (email)", the email, the name or the account id; "an unknown actor" for
// none.
func (a *AuditActor) Text() string {
	switch {
	case a == nil:
		return "an unknown actor"
	case a.Name != "" && a.Email != "":
		return a.Name + " (" + a.Email + ")"
	}
	return cmp.Or(a.Email, a.Name, a.ID, "an unknown actor")
}

// AuditObject is one entity an event names (its context or container).
type AuditObject struct {
	ID   string `json:"id" schema:"required" doc:"the entity's id"`
	Type string `json:"type,omitempty" doc:"its type, e.g. user, role, api-key, app, policy, site"`
	Name string `json:"name,omitempty" doc:"its name, from its attributes (name, displayName, email, key or label)"`
	// Role is a role the event names for this entity (a role grant's role).
	Role string `json:"role,omitempty" doc:"a role named in its attributes (role, roleId or roleName), e.g. atlassian/org-admin"`
}

// Location is where an event came from, by IP address.
type Location struct {
	IP      string `json:"ip,omitempty" doc:"the IP address"`
	City    string `json:"city,omitempty" doc:"the city"`
	Country string `json:"country,omitempty" doc:"the country name"`
}

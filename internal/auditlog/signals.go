// Package auditlog knows the organization audit-log signals atlcheck looks
// for since the last run, and maps them to the org's own event action ids.
//
// Atlassian publishes no list of action ids: GET /admin/v1/orgs/{orgId}/event-actions
// lists, per org, the action ids with their display names
// (swagger.v3.json, getEventActions: data[{id, type, attributes{displayName,
// groupDisplayName}}]; contract Part C.7). So each signal is a set of display
// names, matched at run time without regard to case, spacing or
// punctuation, and this table is the one place that says which names mean
// what. The names come from Atlassian's "Audit log activities database"
// (support.atlassian.com/security-and-access-policies/docs/audit-log-activities-database:
// "App successful installation", "App update success", …) and the wording of
// the audit log in admin.atlassian.com, with the variants it has used; a
// signal none of whose names the org lists is reported as not evaluated, with
// the names that were looked for, never as nothing found.
package auditlog

import (
	"sort"
	"strings"
	"unicode"
)

// Signal is one kind of change atlcheck reports from the audit log.
type Signal struct {
	// ID names the signal in the snapshot (audit_log.signals[].id and
	// audit_log.items[].signal) and in its policy.
	ID string
	// PolicyID is the policy that reports the signal's events.
	PolicyID string
	// Title says what the signal is, for reports ("Org admin roles granted").
	Title string
	// Names are the event-action display names that carry the signal.
	Names []string
}

// Signals are the signals, in the order they are read: when the page cap is
// reached, the ones read first are the ones that are complete.
var Signals = []Signal{
	{ID: "org_admin_granted", PolicyID: "ATL-LOG-001", Title: "Org admin roles granted", Names: []string{
		"Granted organization admin role", "Granted org admin role", "Organization admin role granted",
		"Org admin role granted", "Added organization admin", "Added org admin", "Granted organization admin",
		// Role grants of any role: the policy keeps those that name the org admin role (or no role).
		"User granted role", "Granted role", "Role granted", "Assigned role", "Role assigned", "User role assigned",
	}},
	{ID: "api_key_created", PolicyID: "ATL-LOG-002", Title: "Admin API keys created", Names: []string{
		"Created API key", "API key created", "Created organization API key", "Organization API key created",
		"Created admin API key", "Admin API key created",
	}},
	{ID: "app_installed", PolicyID: "ATL-LOG-003", Title: "Apps installed or updated to new permissions", Names: []string{
		"App successful installation", "App installed", "Installed app", "App update success", "App updated",
		"Updated app", "App permissions updated", "Updated app permissions", "App scopes updated", "Approved app update",
	}},
	{ID: "org_policy_changed", PolicyID: "ATL-LOG-004", Title: "Org policies disabled, deleted or edited", Names: []string{
		"Policy disabled", "Disabled policy", "Policy deleted", "Deleted policy", "Policy updated", "Updated policy",
		"Policy edited", "Edited policy", "Authentication policy updated", "Updated authentication policy",
		"Authentication policy deleted", "Deleted authentication policy", "Removed resource from policy",
	}},
	{ID: "api_token_used", PolicyID: "ATL-LOG-005", Title: "API tokens used by external or departed accounts", Names: []string{
		"API token used", "Used API token", "User API token used", "Authenticated with API token",
		"API token authentication",
	}},
}

// Action is one entry of an org's event-actions list.
type Action struct {
	ID          string
	DisplayName string
	Group       string
}

// ActionsPage is the body of GET /admin/v1/orgs/{orgId}/event-actions
// (swagger.v3.json, getEventActions): {data[{id, type, attributes{displayName,
// groupDisplayName}}]}, not paged. Data is nil when the body has no data list.
type ActionsPage struct {
	Data []struct {
		ID         string `json:"id"`
		Attributes struct {
			DisplayName      string `json:"displayName"`
			GroupDisplayName string `json:"groupDisplayName"`
		} `json:"attributes"`
	} `json:"data"`
}

// Actions are the page's actions that have an id, in the API's order.
func (p ActionsPage) Actions() []Action {
	out := make([]Action, 0, len(p.Data))
	for _, a := range p.Data {
		if strings.TrimSpace(a.ID) != "" {
			out = append(out, Action{ID: a.ID, DisplayName: a.Attributes.DisplayName, Group: a.Attributes.GroupDisplayName})
		}
	}
	return out
}

// Mapping is what an org's event-actions list gives one signal.
type Mapping struct {
	Signal Signal
	// Actions are the org's actions whose display name is one of the
	// signal's names, sorted by id; none means the signal cannot be read.
	Actions []Action
}

// Map matches the org's actions to every signal, in Signals order.
func Map(actions []Action) []Mapping {
	out := make([]Mapping, len(Signals))
	for i, s := range Signals {
		out[i].Signal = s
		names := map[string]bool{}
		for _, n := range s.Names {
			names[Normalize(n)] = true
		}
		seen := map[string]bool{}
		for _, a := range actions {
			if names[Normalize(a.DisplayName)] && !seen[a.ID] {
				seen[a.ID] = true
				out[i].Actions = append(out[i].Actions, a)
			}
		}
		sort.Slice(out[i].Actions, func(x, y int) bool { return out[i].Actions[x].ID < out[i].Actions[y].ID })
	}
	return out
}

// Normalize is the comparable form of a display name: lower case, letters
// and digits only, single spaces ("Created  API-key." → "created api key").
func Normalize(name string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
			continue
		}
		space = true
	}
	return b.String()
}

// Lookup returns the signal with an id.
func Lookup(id string) (Signal, bool) {
	for _, s := range Signals {
		if s.ID == id {
			return s, true
		}
	}
	return Signal{}, false
}

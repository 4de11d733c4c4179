# Package credentials holds the helpers shared by the admin API key and user
# API token policies: which items count as active, and how to name them.
# Revoked, blocked and expired items are not active and give no findings.
package lib.credentials

import data.lib.dates

# status is the item's status in upper case, "" when absent or null.
status(item) := upper(s) if {
	s := object.get(item, "status", null)
	is_string(s)
} else := ""

# inactive_statuses are the statuses that take an admin API key or a user
# API token out of use. Atlassian documents no key status at all (a listed
# key that has not expired is active) and ALLOWED/BLOCKED for tokens; any
# status not listed here, known or not, counts as active, so an unexpected
# value is never read as the safe one. The drift report asks these helpers
# (lib.facts), so it reads statuses the same way.
inactive_statuses := {"BLOCKED", "REVOKED", "EXPIRED", "DISABLED", "INACTIVE", "DELETED"}

# key_is_active holds for an admin API key whose status does not take it out
# of use and that has not expired.
key_is_active(key) if not key_inactive_reason(key)

# key_inactive_reason says why an admin API key is not active: "status
# REVOKED" or "expired on 2026-10-01"; undefined for an active key.
key_inactive_reason(key) := _inactive_reason(key)

# token_is_active holds for a user API token whose status does not take it
# out of use and that has not expired.
token_is_active(token) if not token_inactive_reason(token)

# token_inactive_reason says why a user API token is not active, like
# key_inactive_reason.
token_inactive_reason(token) := _inactive_reason(token)

_inactive_reason(item) := sprintf("status %s", [object.get(item, "status", "")]) if {
	status(item) in inactive_statuses
} else := sprintf("expired on %s", [dates.date(item.expires_at)]) if {
	dates.expired(object.get(item, "expires_at", null))
}

# name names a key or token for messages: "label (id)", or the id alone.
name(item) := sprintf("%s (%s)", [item.label, item.id]) if {
	is_string(item.label)
	item.label != ""
} else := item.id

# person names an embedded account reference: its email, else its name, else its id.
person(ref) := ref.email if {
	is_string(ref.email)
	ref.email != ""
} else := ref.name if {
	is_string(ref.name)
	ref.name != ""
} else := ref.id

# never_used holds when the item has no last-activity time.
never_used(item) if not dates.ns(object.get(item, "last_active_at", null))

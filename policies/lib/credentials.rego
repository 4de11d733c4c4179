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
# value is never read as the safe one. internal/diff uses the same list.
inactive_statuses := {"BLOCKED", "REVOKED", "EXPIRED", "DISABLED", "INACTIVE", "DELETED"}

# key_is_active holds for an admin API key whose status does not take it out
# of use and that has not expired.
key_is_active(key) if {
	not status(key) in inactive_statuses
	not dates.expired(object.get(key, "expires_at", null))
}

# token_is_active holds for a user API token whose status does not take it
# out of use and that has not expired.
token_is_active(token) if {
	not status(token) in inactive_statuses
	not dates.expired(object.get(token, "expires_at", null))
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

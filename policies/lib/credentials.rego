# Package credentials holds the helpers shared by the credential policies
# (admin API keys, user and service-account API tokens, service accounts,
# OAuth clients): which items count as active, and how to name them.
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

# in_use holds for an item (a key, token, service account or OAuth client)
# whose status does not take it out of use; an unknown status counts as in
# use, so an unexpected value is never read as the safe one.
in_use(item) if not status(item) in inactive_statuses

# out_of_use_reason says why a service account or OAuth client is out of
# use: "status INACTIVE"; undefined when it is in use.
out_of_use_reason(item) := sprintf("status %s", [object.get(item, "status", "")]) if not in_use(item)

# lifetime_problem says why an item's lifetime is a problem: no expiry date,
# or a lifetime (expiry minus creation) of more than max_days. Undefined when
# neither holds, or when the creation time is missing.
lifetime_problem(item, max_days) := "has no expiry date" if {
	not dates.ns(object.get(item, "expires_at", null))
} else := msg if {
	dates.span_exceeds(item.created_at, item.expires_at, max_days)
	msg := sprintf(
		"has a lifetime of %d days (created %s, expires %s), more than the %v-day maximum",
		[dates.days_between(item.created_at, item.expires_at), dates.date(item.created_at), dates.date(item.expires_at), max_days],
	)
}

# unused_problem says why an item counts as unused: last used more than days
# ago, or never used and created more than days ago.
unused_problem(item, days) := sprintf("was last used on %s, more than %v days ago", [dates.date(item.last_active_at), days]) if {
	dates.older_than(item.last_active_at, days)
} else := sprintf("has never been used since it was created on %s, more than %v days ago", [dates.date(item.created_at), days]) if {
	never_used(item)
	dates.older_than(item.created_at, days)
}

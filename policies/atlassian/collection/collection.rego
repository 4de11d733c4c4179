# Package collection reports gaps in the snapshot itself: areas (or sites)
# whose collection failed, areas without a data source, stale attestations and
# org sites the attestation does not cover. These policies require no area, so
# they are always evaluated.
package atlassian.collection

import data.lib.areas
import data.lib.dates
import data.lib.result

# METADATA
# title: An area could not be collected
# description: >-
#   Collecting an area (or the installed apps of one site) failed, for example
#   with a 403 because the API key lacks a scope or the org lacks a plan
#   feature. The policies that need the area are not evaluated, so its risks
#   are unknown rather than absent.
# custom:
#   id: ATL-COL-001
#   severity: high
#   remediation: >-
#     Read the error in the message. For 403s, give the org admin API key the
#     missing scope in admin.atlassian.com under Settings > API keys (the
#     scopes each area needs are listed in docs/collector.md; an unscoped key
#     is itself a finding, ATL-KEY-001), or give the site credentials admin
#     rights on the site; then collect again.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/intro/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/intro/
#   tags: [security, collection, nist:CA-7]
#   requires: []
deny contains finding if {
	some failure in _failures
	finding := result.fail(rego.metadata.rule(), failure)
}

# METADATA
# title: Part of the organization is not covered by a data source
# description: >-
#   An area has no data source (for example no attestation file or no site
#   credentials), an attestation is older than attestation.max_age_days, or an
#   org site is missing from the connected-apps attestation. Those settings
#   are unchecked or may no longer be true.
# custom:
#   id: ATL-COL-002
#   severity: medium
#   remediation: >-
#     Configure the missing source (site credentials, or an attestation file
#     covering every site and the external-user policies, and the approved
#     domains when their API is not available), re-check the settings in
#     admin.atlassian.com and update attested_at, then collect again.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/installing-and-managing-app-access/
#     - https://support.atlassian.com/security-and-access-policies/docs/set-api-token-access/
#   tags: [security, collection, nist:CA-7]
#   requires: []
deny contains finding if {
	some gap in _gaps
	finding := result.fail(rego.metadata.rule(), gap)
}

# METADATA
# title: An item the API returned could not be read
# description: >-
#   The API returned an item that atlcheck cannot read: a field of the wrong
#   type, an unknown status or access value, an item without its id, a null
#   item, a timestamp out of range, or the same item twice with different
#   content. The item is kept as received in the area's unreadable list and is
#   never read as the safe value, so no policy of its area passes until it can
#   be read.
# custom:
#   id: ATL-COL-003
#   severity: high
#   remediation: >-
#     Look at the item in the snapshot (the finding's path) and at the field the
#     message names. If Atlassian changed the API's response, update atlcheck
#     or report the shape; if the item is wrong in Atlassian's data, fix it in
#     admin.atlassian.com. Then collect again.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/intro/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/intro/
#   tags: [security, collection, nist:CA-7, nist:SI-10]
#   requires: []
deny contains finding if {
	some item in _unreadable
	finding := result.fail(rego.metadata.rule(), item)
}

# _areas is the snapshot's area registry (internal/snapshot/registry.go),
# handed to the policies as data: per area name its envelope's path and
# pointer, its source and whether it may be attested.
_areas := data.atlcheck.areas

_attested_areas := {name | some name, def in _areas; def.attestable}

_pointer(name) := _areas[name].pointer

# _failures: areas whose collection failed.
_failures contains {
	"resource": name,
	"path": _pointer(name),
	"message": sprintf("Area %s could not be collected: %s", [name, state.error]),
} if {
	some name, state in areas.states
	not state.collected
	not state.no_source
}

# _failures: sites whose installed apps could not be collected, when others were.
_failures contains {
	"resource": site.url,
	"path": sprintf("/connected_apps/installed/sites/%d", [i]),
	"message": sprintf("Installed apps of site %s could not be collected: %s", [site.url, areas.error_text(site)]),
} if {
	input.connected_apps.installed.collected == true
	some i, site in input.connected_apps.installed.sites
	site.collected == false
}

# _failures: sites whose installed apps were collected in part (one of the
# site's app managers did not answer).
_failures contains {
	"resource": site.url,
	"path": sprintf("/connected_apps/installed/sites/%d", [i]),
	"message": sprintf("Installed apps of site %s were collected only in part: %s", [site.url, areas.error_text(site)]),
} if {
	input.connected_apps.installed.collected == true
	some i, site in input.connected_apps.installed.sites
	site.collected == true
	is_object(site.error)
}

# _failures: service accounts whose API tokens could not be listed, when
# others' were.
_failures contains {
	"resource": sprintf("service_account_tokens#%s", [list.service_account_id]),
	"path": sprintf("/service_account_tokens/accounts/%d", [i]),
	"message": sprintf("API tokens of service account %s could not be listed: %s", [list.service_account_id, areas.error_text(list)]),
} if {
	input.service_account_tokens.collected == true
	some i, list in object.get(input.service_account_tokens, "accounts", [])
	list.collected == false
}

# _failures: audit-log signals whose events could not all be read (a request
# failed, or the page cap was reached): what is missing is unknown.
_failures contains {
	"resource": sprintf("audit_log#%s", [sig.id]),
	"path": sprintf("/audit_log/signals/%d", [i]),
	"message": sprintf("The audit log was read only in part for signal %s: %s", [sig.id, object.get(sig, "note", "not read completely")]),
} if {
	input.audit_log.collected == true
	some i, sig in object.get(input.audit_log, "signals", [])
	sig.complete != true
	count(object.get(sig, "actions", [])) > 0
}

# _unreadable: items an area holds as unreadable. The resource is the area and
# the item's id (or its index in the unreadable list when it has none).
_unreadable contains {
	"resource": sprintf("%s#%s", [name, _item_name(item, j)]),
	"path": sprintf("%s/unreadable/%d", [_pointer(name), j]),
	"message": sprintf("%s item %s could not be read%s: %s", [name, _item_label(item, j), _site_text(item), _problems_text(item)]),
} if {
	some name, _ in _areas
	area := areas.envelope(name)
	is_object(area)
	some j, item in object.get(area, "unreadable", [])
}

_item_name(item, j) := item.id if {
	is_string(item.id)
	item.id != ""
} else := sprintf("unreadable-%d", [j])

_item_label(item, j) := sprintf("%q", [item.id]) if {
	is_string(item.id)
	item.id != ""
} else := sprintf("#%d (no id)", [j])

_site_text(item) := sprintf(" on %s", [item.site]) if {
	is_string(item.site)
	item.site != ""
} else := ""

_problems_text(item) := concat("; ", [_problem_text(p) | some p in item.problems])

_problem_text(p) := sprintf("%s: %s", [p.field, p.reason]) if {
	p.field != ""
} else := p.reason

# _gaps: areas without a data source.
_gaps contains {
	"resource": name,
	"path": _pointer(name),
	"message": sprintf("Area %s %s", [name, state.reason]),
} if {
	some name, state in areas.states
	state.no_source
}

# _gaps: attested areas whose attestation is too old.
_gaps contains {
	"resource": name,
	"path": _pointer(name),
	"message": sprintf("The attestation of %s dates from %s, more than %v days ago", [name, dates.date(area.attested_at), max_age]),
} if {
	max_age := data.atlcheck.parameters.attestation.max_age_days
	some name in _attested_areas
	area := areas.envelope(name)
	area.source == "attestation"
	dates.older_than(area.attested_at, max_age)
}

# _gaps: org sites missing from the connected-apps attestation.
_gaps contains {
	"resource": site.url,
	"path": sprintf("/sites/items/%d", [i]),
	"message": sprintf("Site %s is missing from the connected-apps attestation, so its app settings are unchecked", [site.url]),
} if {
	input.sites.collected == true
	input.connected_apps.settings.collected == true
	attested := {_normalized(s.url) | some s in input.connected_apps.settings.sites}
	some i, site in input.sites.items
	not _normalized(site.url) in attested
}

# _gaps: audit-log signals that no action of the org's event-actions list
# carries: nothing can be read for them.
_gaps contains {
	"resource": sprintf("audit_log#%s", [sig.id]),
	"path": sprintf("/audit_log/signals/%d", [i]),
	"message": sprintf("The audit-log signal %s cannot be read: %s", [sig.id, object.get(sig, "note", "no action carries it")]),
} if {
	input.audit_log.collected == true
	some i, sig in object.get(input.audit_log, "signals", [])
	count(object.get(sig, "actions", [])) == 0
}

# _gaps: the audit-log window was cut to its cap (audit_log.max_window_days):
# the events between the start asked for and the start read were not read.
_gaps contains {
	"resource": "audit_log#window",
	"path": "/audit_log/window",
	"message": sprintf("The audit-log window was capped at %d days: the events from %s to %s (since the start asked for) were not read", [
		dates.days_between(w.from, w.to), w.requested_from, w.from,
	]),
} if {
	input.audit_log.collected == true
	w := input.audit_log.window
	is_string(w.requested_from)
}

_normalized(url) := lower(trim_right(url, "/"))

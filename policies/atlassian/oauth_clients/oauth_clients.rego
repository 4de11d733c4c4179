# Package oauth_clients checks the organization's OAuth 2.0 clients, the
# client credentials of its service accounts. Only clients in use count (a
# status that does not take them out of use; ACTIVE in Atlassian's example,
# an unknown value counts as in use).
package atlassian.oauth_clients

import data.lib.credentials
import data.lib.dates
import data.lib.result

# METADATA
# title: An OAuth client is stale
# description: >-
#   An OAuth client in use was last used more than oauth_clients.stale_days
#   ago or, as Atlassian reports no last use for OAuth clients, was last
#   updated (else created) more than that long ago. A client credential that
#   nobody rotates or touches is a long-lived secret with the service
#   account's access. A client without any time is not reported: the data does
#   not allow it.
# custom:
#   id: ATL-OAC-001
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open Directory > Service accounts, find the
#     service account that owns the OAuth 2.0 credential, confirm the
#     integration still needs it and rotate its client secret, or delete the
#     credential.
#   references:
#     - https://support.atlassian.com/user-management/docs/create-oauth-2-0-credential-for-service-accounts/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-oauth-client/
#   tags: [security, service-accounts, oauth, cis:5.3, nist:IA-5]
#   requires: [oauth_clients]
deny contains finding if {
	some i, client in input.oauth_clients.items
	credentials.in_use(client)
	problem := _stale_problem(client, _params.stale_days)
	finding := result.fail(rego.metadata.rule(), {
		"resource": client.client_id,
		"path": sprintf("/oauth_clients/items/%d", [i]),
		"message": sprintf("OAuth client %s %s", [_name(client), problem]),
	})
}

# notes: a client in use that carries no creation, update or last-use date
# cannot be told stale or fresh: with no finding, the policy is not
# evaluated (never a pass) and names the first such clients.
notes contains {"policy_id": "ATL-OAC-001", "status": "not_evaluated", "area_failed": false, "reason": reason} if {
	count(_dateless) > 0
	count(deny) == 0
	names := sort(_dateless)
	shown := array.slice(names, 0, 5)
	more := _more(count(names) - count(shown))
	reason := sprintf("OAuth client%s %s %s no creation, update or last-use date, so how long %s been unused cannot be checked%s", [
		_plural_s(count(names)), concat(", ", shown), _has(count(names)), _it_has(count(names)), more,
	])
}

_dateless contains _name(client) if {
	some client in input.oauth_clients.items
	credentials.in_use(client)
	every key in ["created_at", "updated_at", "last_used_at"] {
		not dates.ns(object.get(client, key, null))
	}
}

_plural_s(1) := ""

_plural_s(n) := "s" if n != 1

_has(1) := "has"

_has(n) := "have" if n != 1

_it_has(1) := "it has"

_it_has(n) := "they have" if n != 1

_more(0) := ""

_more(n) := sprintf(" (and %d more)", [n]) if n > 0

_params := data.atlcheck.parameters.oauth_clients

_name(client) := sprintf("%s (%s)", [client.name, client.client_id]) if {
	is_string(client.name)
	client.name != ""
} else := client.client_id

# _stale_problem uses the best time the data has: the last use when the API
# reports one, else the last update, else the creation.
_stale_problem(client, days) := sprintf("was last used on %s, more than %v days ago", [dates.date(client.last_used_at), days]) if {
	dates.older_than(client.last_used_at, days)
} else := sprintf("was last updated on %s, more than %v days ago (Atlassian reports no last use)", [dates.date(client.updated_at), days]) if {
	not dates.ns(object.get(client, "last_used_at", null))
	dates.older_than(client.updated_at, days)
} else := sprintf("has not changed since it was created on %s, more than %v days ago (Atlassian reports no last use)", [dates.date(client.created_at), days]) if {
	not dates.ns(object.get(client, "last_used_at", null))
	not dates.ns(object.get(client, "updated_at", null))
	dates.older_than(client.created_at, days)
}

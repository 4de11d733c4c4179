# Package service_accounts checks the organization's service accounts and
# their API tokens: credentials that belong to no person. Only service
# accounts and tokens in use count: a status that does not take them out of
# use (Atlassian documents no status values, so an unknown one counts as in
# use) and, for tokens, not expired at collection time. A service account
# whose token list the API returned empty has "none reported by the API",
# which is not proof that it has none (contract Part C.7): ATL-SVC-003 says
# so in its reason.
package atlassian.service_accounts

import data.lib.accounts
import data.lib.credentials
import data.lib.result

# METADATA
# title: A service account's creator is not an active org admin
# description: >-
#   A service account in use was created by an account that is not among the
#   managed accounts, is not active, or no longer holds the org admin role (or
#   the service account records no creator). Service accounts and their
#   credentials outlive the admin who created them, so nobody accountable may
#   own this one.
# custom:
#   id: ATL-SVC-001
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Directory > Service accounts, find who still
#     relies on the service account, record a current org admin as its owner in
#     its description, and rotate its credentials; delete it if nothing needs
#     it.
#   references:
#     - https://support.atlassian.com/user-management/docs/understand-service-accounts/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-service-account/
#   tags: [security, service-accounts, cis:5.3, nist:AC-2, nist:PS-4]
#   requires: [service_accounts, managed_accounts]
deny contains finding if {
	some i, sa in _in_use
	problem := _creator_problem(sa)
	finding := result.fail(rego.metadata.rule(), {
		"resource": sa.id,
		"path": _path(i),
		"message": sprintf("Service account %s %s", [_name(sa), problem]),
	})
}

# METADATA
# title: A service account has no description
# description: >-
#   A service account in use has no description, so nothing on record says
#   what it is for or who owns it. Unowned non-human accounts are the ones
#   that keep working long after the integration that needed them is gone.
# custom:
#   id: ATL-SVC-002
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open Directory > Service accounts, select the
#     account and write its purpose and owning team in its description; delete
#     it if nobody claims it.
#   references:
#     - https://support.atlassian.com/user-management/docs/understand-service-accounts/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-service-account/
#   tags: [security, service-accounts, nist:AC-2, nist:CM-8]
#   requires: [service_accounts]
deny contains finding if {
	some i, sa in _in_use
	trim_space(_text(object.get(sa, "description", ""))) == ""
	finding := result.fail(rego.metadata.rule(), {
		"resource": sa.id,
		"path": _path(i),
		"message": sprintf("Service account %s has no description: no purpose or owner is on record", [_name(sa)]),
	})
}

# METADATA
# title: A service-account API token never expires, lives too long or is unused
# description: >-
#   An active API token of a service account has no expiry date, or a
#   lifetime (expiry minus creation) of more than
#   service_accounts.token_max_lifetime_days, or was last used (or, never
#   used, created) more than service_accounts.token_unused_days ago. A
#   service-account token is a standing credential that no person's
#   offboarding revokes. Service accounts whose token list the API returned
#   empty are named in the reason: none reported is not proof of none.
# custom:
#   id: ATL-SVC-003
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Directory > Service accounts, select the
#     account, and under API tokens revoke the token; create a replacement with
#     an expiry within the allowed lifetime (or switch the integration to OAuth
#     2.0 client credentials), or just revoke it when it is unused.
#   references:
#     - https://support.atlassian.com/user-management/docs/manage-api-tokens-for-service-accounts/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-service-account/
#   tags: [security, service-accounts, api-tokens, cis:5.3, nist:IA-5, nist:AC-2]
#   requires: [service_account_tokens]
deny contains finding if {
	some i, token in _active_tokens
	problems := [p |
		some kind in ["lifetime", "unused"]
		p := _token_problem(token, kind)
	]
	count(problems) > 0
	finding := result.fail(rego.metadata.rule(), {
		"resource": token.id,
		"path": sprintf("/service_account_tokens/items/%d", [i]),
		"message": sprintf("API token %s of service account %s %s", [credentials.name(token), _owner(token), concat(" and ", problems)]),
	})
}

# notes: the service accounts whose token list was read and held no token.
notes contains {
	"policy_id": "ATL-SVC-003",
	"reason": sprintf(
		"No API token reported by the API for service account%s %s; an empty list is not proof of none (Atlassian's endpoint is experimental)",
		[_plural(count(_none_reported)), concat(", ", sort(_none_reported))],
	),
} if {
	count(_none_reported) > 0
}

_params := data.atlcheck.parameters.service_accounts

_token_problem(token, "lifetime") := credentials.lifetime_problem(token, _params.token_max_lifetime_days)

_token_problem(token, "unused") := credentials.unused_problem(token, _params.token_unused_days)

# _in_use holds the service accounts in use, by their index (a comprehension,
# built once).
_in_use := {i: sa |
	some i, sa in input.service_accounts.items
	credentials.in_use(sa)
}

_active_tokens := {i: token |
	some i, token in input.service_account_tokens.items
	credentials.token_is_active(token)
}

# _by_id indexes the service accounts by id, for naming a token's owner.
_by_id := {sa.id: sa | some sa in input.service_accounts.items}

_none_reported := {_owner_label(list.service_account_id) |
	some list in object.get(input.service_account_tokens, "accounts", [])
	list.collected == true
	list.reported == 0
}

_path(i) := sprintf("/service_accounts/items/%d", [i])

# _name names a service account: "display name (id)" or its id.
_name(sa) := sprintf("%s (%s)", [sa.display_name, sa.id]) if {
	is_string(sa.display_name)
	sa.display_name != ""
} else := sa.id

_owner(token) := _name(_by_id[token.service_account_id]) if {
	_by_id[token.service_account_id]
} else := token.service_account_id

_owner_label(id) := _name(_by_id[id]) if {
	_by_id[id]
} else := id

_creator_problem(sa) := "has no recorded creator, so no active org admin is accountable for it" if {
	not _creator_id(sa)
} else := accounts.creator_problem(_creator_id(sa), _creator_id(sa))

_creator_id(sa) := id if {
	id := sa.created_by_id
	is_string(id)
	id != ""
}

_text(s) := s if is_string(s)

_text(s) := "" if not is_string(s)

_plural(1) := ""

_plural(n) := "s" if n != 1

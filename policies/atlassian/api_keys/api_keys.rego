# Package api_keys checks the organization's admin API keys. Only active keys
# count: status ACTIVE (or absent, any case) and not expired at collection
# time; revoked and expired keys give no findings.
package atlassian.api_keys

import data.lib.accounts
import data.lib.credentials
import data.lib.dates
import data.lib.result

# METADATA
# title: An admin API key has no scopes
# description: >-
#   An active admin API key was created without scopes (no scopes listed, or a
#   key type that says unscoped). Such a key can call every organization admin
#   API, including user management, so a leak hands over the whole org.
# custom:
#   id: ATL-KEY-001
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Settings > API keys, create a key with only
#     the scopes the integration needs, switch the integration to it, then
#     revoke the unscoped key.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-key/
#   tags: [security, api-keys, cis:6.8, nist:AC-6]
#   requires: [api_keys]
deny contains finding if {
	some i, key in _active
	_unscoped(key)
	finding := result.fail(rego.metadata.rule(), {
		"resource": key.id,
		"path": _path(i),
		"message": sprintf("Admin API key %s has no scopes and can call every admin API of the organization", [credentials.name(key)]),
	})
}

# METADATA
# title: An admin API key lives too long
# description: >-
#   An active admin API key has no expiry date, or its lifetime (expiry minus
#   creation, unknown when the creation time is missing) is more than
#   api_keys.max_lifetime_days. Long-lived keys stay useful to an attacker
#   long after they leak.
# custom:
#   id: ATL-KEY-002
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Settings > API keys, create a replacement key
#     with an expiry within the allowed lifetime, switch the integration to it,
#     then revoke the long-lived key. Plan regular rotation.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-key/
#   tags: [security, api-keys, nist:IA-5, nist:AC-2]
#   requires: [api_keys]
deny contains finding if {
	some i, key in _active
	problem := credentials.lifetime_problem(key, _params.max_lifetime_days)
	finding := result.fail(rego.metadata.rule(), {
		"resource": key.id,
		"path": _path(i),
		"message": sprintf("Admin API key %s %s", [credentials.name(key), problem]),
	})
}

# METADATA
# title: An admin API key's creator is not an active org admin
# description: >-
#   An active admin API key was created by an account that is not among the
#   managed accounts, is not active, or no longer holds the org admin role (or
#   the key records no creator). Keys belong to the organization and keep
#   working after their creator leaves, so nobody accountable may own them.
# custom:
#   id: ATL-KEY-003
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Settings > API keys, find who still relies on
#     the key, have a current org admin create a replacement, then revoke the
#     orphaned key.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-key/
#   tags: [security, api-keys, cis:6.2, nist:AC-2, nist:PS-4]
#   requires: [api_keys, managed_accounts]
deny contains finding if {
	some i, key in _active
	problem := _creator_problem(key)
	finding := result.fail(rego.metadata.rule(), {
		"resource": key.id,
		"path": _path(i),
		"message": sprintf("Admin API key %s %s", [credentials.name(key), problem]),
	})
}

# METADATA
# title: An admin API key is unused
# description: >-
#   An active admin API key was last used more than api_keys.unused_days ago,
#   or was never used and was created more than that long ago. An unneeded key
#   is pure exposure.
# custom:
#   id: ATL-KEY-004
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open Settings > API keys and revoke the key if no
#     integration needs it any more.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-key/
#   tags: [security, api-keys, cis:5.3, nist:AC-2]
#   requires: [api_keys]
deny contains finding if {
	some i, key in _active
	problem := credentials.unused_problem(key, _params.unused_days)
	finding := result.fail(rego.metadata.rule(), {
		"resource": key.id,
		"path": _path(i),
		"message": sprintf("Admin API key %s %s", [credentials.name(key), problem]),
	})
}

# METADATA
# title: An admin API key expires soon
# description: >-
#   An active admin API key expires within api_keys.expiry_warning_days (the
#   last day included). Rotate it in time so the integration that uses it does
#   not break.
# custom:
#   id: ATL-KEY-005
#   severity: info
#   remediation: >-
#     In admin.atlassian.com open Settings > API keys, create a replacement key,
#     switch the integration to it before the expiry date, then revoke the old
#     key.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#   tags: [security, api-keys, nist:IA-5]
#   requires: [api_keys]
deny contains finding if {
	some i, key in _active
	dates.expires_within(key.expires_at, _params.expiry_warning_days)
	finding := result.fail(rego.metadata.rule(), {
		"resource": key.id,
		"path": _path(i),
		"message": sprintf("Admin API key %s expires on %s, within %v days", [credentials.name(key), dates.date(key.expires_at), _params.expiry_warning_days]),
	})
}

_params := data.atlcheck.parameters.api_keys

# _active holds the active keys, by their index in the snapshot (a
# comprehension, built once).
_active := {i: key |
	some i, key in input.api_keys.items
	credentials.key_is_active(key)
}

_path(i) := sprintf("/api_keys/items/%d", [i])

_unscoped(key) if not is_array(object.get(key, "scopes", null))

_unscoped(key) if key.scopes == []

_unscoped(key) if _key_type(key) in {"UNSCOPED", "WITHOUT_SCOPES", "WITHOUT_SCOPE", "NO_SCOPES", "NOT_SCOPED"}

_key_type(key) := replace(replace(upper(key.key_type), "-", "_"), " ", "_") if is_string(key.key_type)

_creator_problem(key) := "has no recorded creator, so no active org admin is accountable for it" if {
	not _creator_id(key)
} else := accounts.creator_problem(_creator_id(key), _creator_display(key))

_creator_display(key) := sprintf("%s (%s)", [key.created_by.name, _creator_id(key)]) if {
	is_string(key.created_by.name)
	key.created_by.name != ""
} else := _creator_id(key)

_creator_id(key) := id if {
	id := key.created_by.id
	is_string(id)
	id != ""
}

# Package api_tokens checks the user API tokens of the organization's
# accounts. Only active tokens count: status ALLOWED or ACTIVE (or absent, any
# case) and not expired at collection time; revoked, blocked and expired
# tokens give no findings.
package atlassian.api_tokens

import data.lib.accounts
import data.lib.credentials
import data.lib.result

# METADATA
# title: A user API token never expires or lives too long
# description: >-
#   An active user API token has no expiry date, or its lifetime (expiry minus
#   creation) is more than api_tokens.max_lifetime_days. A token carries its
#   owner's full product permissions and bypasses SSO and two-step
#   verification, so a long-lived one is a standing password.
# custom:
#   id: ATL-TOK-001
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Security > User security > API tokens (or
#     Directory > Users > the user > API tokens), revoke the token and ask its
#     owner to create a new one with an expiry within the allowed lifetime.
#   references:
#     - https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/
#     - https://support.atlassian.com/organization-administration/docs/view-user-api-tokens/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token/
#   tags: [security, api-tokens, nist:IA-5]
#   requires: [api_tokens]
deny contains finding if {
	some i, token in _active
	problem := credentials.lifetime_problem(token, _params.max_lifetime_days)
	finding := result.fail(rego.metadata.rule(), {
		"resource": token.id,
		"path": _path(i),
		"message": sprintf("API token %s %s", [_name(token), problem]),
	})
}

# METADATA
# title: An active user API token belongs to a departed account
# description: >-
#   An active user API token belongs to an account that is deactivated or
#   scheduled for deletion (by its status, or an account status of inactive
#   or closed); owners unknown to the organization give no finding. Tokens are
#   not revoked with the account, so a departed person's automation or a
#   stolen token may keep working.
# custom:
#   id: ATL-TOK-002
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Security > User security > API tokens, filter
#     by the owner and revoke the token; move any integration that still needs
#     access to a service account.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/view-user-api-tokens/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token/
#   tags: [security, api-tokens, cis:6.2, nist:AC-2, nist:PS-4]
#   requires: [api_tokens, managed_accounts]
deny contains finding if {
	some i, token in _active
	owner := accounts.by_id[token.user.id]
	accounts.is_gone(owner)
	finding := result.fail(rego.metadata.rule(), {
		"resource": token.id,
		"path": _path(i),
		"message": sprintf("API token %s is still active but its owner %s is %s", [_label(token), accounts.display(owner), accounts.gone_reason(owner)]),
	})
}

# METADATA
# title: A user API token is unused
# description: >-
#   An active user API token was last used more than api_tokens.unused_days
#   ago, or was never used and was created more than that long ago. An unused
#   token is exposure without benefit.
# custom:
#   id: ATL-TOK-003
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open Security > User security > API tokens and
#     revoke the token, or ask its owner to revoke it at
#     id.atlassian.com/manage-profile/security/api-tokens.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/view-user-api-tokens/
#     - https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/
#   tags: [security, api-tokens, cis:5.3, nist:AC-2]
#   requires: [api_tokens]
deny contains finding if {
	some i, token in _active
	problem := credentials.unused_problem(token, _params.unused_days)
	finding := result.fail(rego.metadata.rule(), {
		"resource": token.id,
		"path": _path(i),
		"message": sprintf("API token %s %s", [_name(token), problem]),
	})
}

# METADATA
# title: A user API token has no scopes although scoped tokens are in use
# description: >-
#   An active user API token has no scopes, so it can do everything its owner
#   can, in every product, while other tokens of the organization show that
#   scoped tokens are available (Atlassian added scopes to user API tokens;
#   the list reports them as scopes[]). A scoped token limits what a leaked
#   token can do. Without any scoped token in the organization the policy
#   gives no finding: scopes may not be available there.
# custom:
#   id: ATL-TOK-004
#   severity: medium
#   remediation: >-
#     Ask the token's owner to create a scoped token at
#     id.atlassian.com/manage-profile/security/api-tokens ("Create API token
#     with scopes") with only the scopes the integration needs, then revoke
#     this one in admin.atlassian.com under Security > User security > API
#     tokens.
#   references:
#     - https://support.atlassian.com/atlassian-account/docs/manage-api-tokens-for-your-atlassian-account/
#     - https://developer.atlassian.com/cloud/admin/api-access/rest/api-group-api-token/
#   tags: [security, api-tokens, cis:6.8, nist:AC-6]
#   requires: [api_tokens]
deny contains finding if {
	_scoped > 0
	some i, token in _active
	count(object.get(token, "scopes", [])) == 0
	finding := result.fail(rego.metadata.rule(), {
		"resource": token.id,
		"path": _path(i),
		"message": sprintf("API token %s has no scopes, so it carries its owner's full power, though %d %s of the organization %s scoped", [
			_name(token), _scoped, _tokens_word(_scoped), _is_are(_scoped),
		]),
	})
}

_params := data.atlcheck.parameters.api_tokens

# _scoped counts the organization's tokens with scopes, active or not: they
# show that scoped tokens are available.
_scoped := count([token | some token in input.api_tokens.items; count(object.get(token, "scopes", [])) > 0])

_tokens_word(1) := "token"

_tokens_word(n) := "tokens" if n != 1

_is_are(1) := "is"

_is_are(n) := "are" if n != 1

# _active holds the active tokens, by their index in the snapshot (a
# comprehension, built once).
_active := {i: token |
	some i, token in input.api_tokens.items
	credentials.token_is_active(token)
}

_path(i) := sprintf("/api_tokens/items/%d", [i])

# _label names the token alone; _name adds its owner.
_label(token) := credentials.name(token)

_name(token) := sprintf("%s of %s", [credentials.name(token), credentials.person(token.user)]) if {
	is_string(token.user.id)
} else := credentials.name(token)

# Package accounts checks the organization's admins among the managed
# accounts. An account is active when its status is active (any case); an org
# admin holds the atlassian/org-admin role.
package atlassian.accounts

import data.lib.accounts
import data.lib.auth
import data.lib.domains
import data.lib.result

# METADATA
# title: An org admin has two-step verification off
# description: >-
#   An active org admin has two-step verification (MFA) turned off, or the
#   snapshot records no MFA status for them (mfa_enabled false or absent): an
#   admin whose MFA cannot be confirmed is treated as unprotected. A phished
#   password then gives full control of the organization. Where the admin's
#   authentication policy is known and enforces single sign-on or requires
#   two-step verification, ATL-ACC-005 reports them instead, at a lower
#   severity.
# custom:
#   id: ATL-ACC-001
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Security > Authentication policies and
#     enforce two-step verification (or SSO with MFA at the identity provider)
#     in the policy that covers admins; ask the admin to enrol at
#     id.atlassian.com/manage-profile/security.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/intro/
#     - https://support.atlassian.com/security-and-access-policies/docs/understand-authentication-policies/
#   tags: [security, accounts, cis:6.5, nist:IA-2]
#   requires: [managed_accounts]
deny contains finding if {
	some i, account in _active_admins
	not account.mfa_enabled == true
	not auth.covered(account.account_id)
	finding := result.fail(rego.metadata.rule(), {
		"resource": account.account_id,
		"path": _path(i),
		"message": sprintf("Org admin %s %s", [accounts.display(account), _mfa_problem(account)]),
	})
}

# METADATA
# title: An org admin has two-step verification off, but their policy enforces SSO or two-step verification
# description: >-
#   An active org admin has two-step verification turned off (or no recorded
#   status), but the authentication policy they are in enforces single
#   sign-on (the identity provider then decides the second step) or requires
#   two-step verification (they must set it up at their next login). The
#   exposure depends on the identity provider or on the next login, so it is
#   reported at a lower severity than ATL-ACC-001, with the reason.
# custom:
#   id: ATL-ACC-005
#   severity: medium
#   remediation: >-
#     Check that the identity provider requires MFA for this admin (SSO), or
#     that the admin has logged in and enrolled since two-step verification
#     was required; ask the admin to enrol at
#     id.atlassian.com/manage-profile/security.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/understand-authentication-policies/
#     - https://developer.atlassian.com/cloud/admin/control/rest/api-group-authentication-policies/
#   tags: [security, accounts, cis:6.5, nist:IA-2]
#   requires: [managed_accounts, authentication_policies, authentication_policy_members]
deny contains finding if {
	some i, account in _active_admins
	not account.mfa_enabled == true
	policy := auth.policy_of(account.account_id)
	protection := auth.protection(policy)
	finding := result.fail(rego.metadata.rule(), {
		"resource": account.account_id,
		"path": _path(i),
		"message": sprintf("Org admin %s %s, but their authentication policy %s %s", [accounts.display(account), _mfa_problem(account), auth.name(policy), protection]),
	})
}

# METADATA
# title: A departed account still holds an admin role
# description: >-
#   An account that is deactivated or scheduled for deletion (by its status, or
#   an account status of inactive or closed) still holds a role ending in
#   admin. Reactivating or restoring the account would bring back its admin
#   rights, and the admin list no longer reflects who really administers the
#   organization.
# custom:
#   id: ATL-ACC-002
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Directory > Users, select the account and
#     remove its admin roles (Organization admin, Site admin, User access
#     admin), then finish the deletion or leave it deactivated.
#   references:
#     - https://developer.atlassian.com/cloud/admin/user-management/delete-managed-account/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/intro/
#   tags: [security, accounts, cis:6.2, cis:5.3, nist:AC-2, nist:PS-4]
#   requires: [managed_accounts]
deny contains finding if {
	some i in _admin_role_holders
	account := input.managed_accounts.items[i]
	accounts.is_gone(account)
	roles := accounts.admin_roles(account)
	count(roles) > 0
	finding := result.fail(rego.metadata.rule(), {
		"resource": account.account_id,
		"path": _path(i),
		"message": sprintf("Account %s is %s but still holds %s", [accounts.display(account), accounts.gone_reason(account), concat(", ", roles)]),
	})
}

# METADATA
# title: The number of org admins is outside the allowed range
# description: >-
#   The number of active org admins is below admins.min (one lost or locked-out
#   admin leaves nobody to run the organization) or above admins.max (every
#   extra admin widens the attack surface).
# custom:
#   id: ATL-ACC-003
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Directory > Users, filter by the Organization
#     admin role, and remove the role from people who do not need it, or grant
#     it to a second trusted person.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/intro/
#   tags: [security, accounts, cis:5.4, nist:AC-6, nist:AC-2]
#   requires: [managed_accounts]
deny contains finding if {
	problem := _admin_count_problem(count(_active_org_admins), data.atlcheck.parameters.admins)
	finding := result.fail(rego.metadata.rule(), {
		"resource": input.org.id,
		"path": "/managed_accounts",
		"message": sprintf("The organization has %s", [problem]),
	})
}

# METADATA
# title: An org admin is unmanaged or uses an unverified email domain
# description: >-
#   An active org admin is an unmanaged account, or their email address is on a
#   domain the organization has not verified. The organization cannot enforce
#   its authentication policies on, or take back, an account it does not
#   manage.
# custom:
#   id: ATL-ACC-004
#   severity: medium
#   remediation: >-
#     Give the admin role to an account on a verified domain: in
#     admin.atlassian.com verify the domain under Settings > Domains and claim
#     its accounts, or grant the role to the person's managed account under
#     Directory > Users and remove it from the unmanaged one.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/intro/
#   tags: [security, accounts, cis:6.7, cis:5.1, nist:AC-2]
#   requires: [managed_accounts, verified_domains]
deny contains finding if {
	some i, account in _active_admins
	problems := array.concat(_unmanaged_problem(account), _domain_problem(account))
	count(problems) > 0
	finding := result.fail(rego.metadata.rule(), {
		"resource": account.account_id,
		"path": _path(i),
		"message": sprintf("Org admin %s %s", [accounts.display(account), concat(" and ", problems)]),
	})
}

_path(i) := sprintf("/managed_accounts/items/%d", [i])

# _active_admins holds the active org admins by their index in the snapshot,
# computed once for every admin policy.
_active_admins := {i: account |
	some i, account in input.managed_accounts.items
	accounts.org_admin_role in account.roles # cheap filter: few accounts are admins
	accounts.is_active_org_admin(account)
}

# _admin_role_holders holds the indexes of the accounts with a role ending in
# "admin" (an inline test, so the rare admins are found without a function
# call per account on a large org).
_admin_role_holders contains i if {
	some i, account in input.managed_accounts.items
	some role in account.roles
	is_string(role)
	endswith(lower(role), "admin")
}

_active_org_admins := {account.account_id | some account in _active_admins}

_mfa_problem(account) := "has two-step verification turned off" if {
	account.mfa_enabled == false
} else := "has no recorded two-step verification status"

_admin_count_problem(n, limits) := sprintf("%d active org %s, fewer than the minimum of %v", [n, _admins_word(n), limits.min]) if {
	n < limits.min
} else := sprintf("%d active org %s, more than the maximum of %v", [n, _admins_word(n), limits.max]) if {
	n > limits.max
}

_admins_word(1) := "admin"

_admins_word(n) := "admins" if n != 1

_unmanaged_problem(account) := ["is an unmanaged account"] if {
	is_string(account.claim_status)
	lower(account.claim_status) == "unmanaged"
} else := []

_domain_problem(account) := [sprintf("uses an email address on %s, which is not a verified domain", [domain])] if {
	domain := domains.of_email(account.email)
	not domains.is_verified(domain)
} else := []

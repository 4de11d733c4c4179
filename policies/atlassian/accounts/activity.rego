# The policies over every account of the organization: two-step verification
# coverage and dormant accounts. On a large organization these report one
# finding for the organization (a count and the first accounts.list_max
# accounts) and one per account only for the accounts that hold an admin
# role, so a 100,000-account org does not produce 100,000 results. Last
# activity is the latest productAccess[].lastActiveTimestamp of the users
# search (no extra calls); an account without any is "no activity data"
# (ATL-ACC-009), never dormant and never active.
package atlassian.accounts

import data.lib.accounts
import data.lib.auth
import data.lib.dates
import data.lib.result

# METADATA
# title: Accounts without two-step verification are in no policy that protects them
# description: >-
#   Active managed accounts have two-step verification turned off (or no
#   recorded status) and are in no authentication policy that enforces single
#   sign-on or requires two-step verification (their policy enforces neither,
#   is not attested as doing so, or the API returned no policy for them), so
#   a password alone opens them. Reported once for the organization with the
#   count and the first accounts.list_max accounts, and once more for each
#   such account holding an admin role other than org admin (org admins are
#   ATL-ACC-001's and ATL-ACC-005's).
# custom:
#   id: ATL-ACC-006
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Security > User security > Authentication
#     policies and require two-step verification in the policy these accounts
#     are in (or enforce SSO with MFA at the identity provider), or move them
#     to a policy that does; then update the attestation file.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/understand-authentication-policies/
#     - https://support.atlassian.com/security-and-access-policies/docs/authentication-policy-settings-for-your-organizations/
#   tags: [security, accounts, authentication, cis:6.3, nist:IA-2]
#   requires: [managed_accounts, authentication_policies, authentication_policy_members]
deny contains finding if {
	some f in _two_step_findings
	finding := result.fail(rego.metadata.rule(), f)
}

# METADATA
# title: Accounts with product access have not been used for a long time
# description: >-
#   Active accounts with product access have had no activity in any product
#   for more than accounts.dormant_days (default 90 days, PCI DSS v4.0
#   requirement 8.2.6). Access nobody uses is exposure without benefit: a
#   forgotten account's password or session can be taken over unnoticed.
#   Reported once for the organization with the count and the first
#   accounts.list_max accounts; admins are ATL-ACC-008's, per account.
# custom:
#   id: ATL-ACC-007
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open Directory > Users, filter by last active
#     date, and remove product access from (or deactivate) the accounts nobody
#     uses; consider automatic deactivation of inactive users.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/view-a-users-last-active-date/
#     - https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0.pdf
#   tags: [security, accounts, cis:5.3, nist:AC-2]
#   requires: [managed_accounts]
deny contains finding if {
	count(_dormant) > 0
	finding := result.fail(rego.metadata.rule(), {
		"resource": input.org.id,
		"path": "/managed_accounts",
		"message": sprintf("%s with product access %s had no activity for more than %v days: %s%s", [
			_accounts_text(count(_dormant)), _have(count(_dormant)), _params.dormant_days,
			concat("; ", [sprintf("%s, last active %s", [accounts.display(a), dates.date(_activity[i][1])]) |
				some i in _first(_dormant)
				a := input.managed_accounts.items[i]
			]),
			_more(_dormant),
		]),
	})
}

# METADATA
# title: An admin has not been active for a long time
# description: >-
#   An active account holding an admin role has had no activity in any
#   product for more than accounts.admin_dormant_days (default 45 days, CIS
#   Controls v8 safeguard 5.3). An admin role nobody uses is the account an
#   attacker most wants, and nobody would notice it being used.
# custom:
#   id: ATL-ACC-008
#   severity: medium
#   remediation: >-
#     Confirm the admin still needs the role; in admin.atlassian.com open
#     Directory > Users, remove the admin roles from the account or deactivate
#     it, and keep admin rights for accounts in daily use.
#   references:
#     - https://www.cisecurity.org/controls/cis-controls-list
#     - https://support.atlassian.com/organization-administration/docs/view-a-users-last-active-date/
#   tags: [security, accounts, cis:5.3, cis:5.4, nist:AC-2, nist:AC-6]
#   requires: [managed_accounts]
deny contains finding if {
	some i in _admin_role_holders
	[last_ns, last] := _activity[i]
	dates.now_ns - last_ns > _admin_dormant_ns
	_active[i]
	not _activity_unknown[i]
	account := input.managed_accounts.items[i]
	finding := result.fail(rego.metadata.rule(), {
		"resource": account.account_id,
		"path": _path(i),
		"message": sprintf("Admin %s (%s) was last active on %s, more than %v days ago", [
			accounts.display(account), concat(", ", accounts.admin_roles(account)), dates.date(last), _params.admin_dormant_days,
		]),
	})
}

# METADATA
# title: Accounts have no activity data
# description: >-
#   Active accounts with product access, or holding an admin role, have no
#   last-activity date in any product (never used since they were given
#   access, or the API reports none), so atlcheck cannot say whether they are
#   dormant. They are reported as such, never counted as dormant or as
#   active: check them in the console.
# custom:
#   id: ATL-ACC-009
#   severity: info
#   remediation: >-
#     In admin.atlassian.com open Directory > Users and check these accounts'
#     last active dates; remove access that was never used.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/view-a-users-last-active-date/
#   tags: [security, accounts, cis:5.1, nist:AC-2]
#   requires: [managed_accounts]
deny contains finding if {
	count(_no_activity) > 0
	finding := result.fail(rego.metadata.rule(), {
		"resource": input.org.id,
		"path": "/managed_accounts",
		"message": sprintf("%s %s no activity data (never used, or none reported), so atlcheck judges none of them dormant or active: %s%s", [
			_accounts_text(count(_no_activity)), _have(count(_no_activity)),
			concat("; ", [accounts.display(input.managed_accounts.items[i]) | some i in _first(_no_activity)]),
			_more(_no_activity),
		]),
	})
}

_params := data.atlcheck.parameters.accounts

# _exposed holds [index, account] for each active managed account whose
# two-step verification is off or unrecorded and whose policy protects it not.
_exposed contains [i, account] if {
	some i, account in input.managed_accounts.items
	not account.mfa_enabled == true
	_active[i]
	lower(object.get(account, "claim_status", "")) == "managed"
	not auth.covered(account.account_id)
}

_two_step_findings contains {
	"resource": input.org.id,
	"path": "/managed_accounts",
	"message": sprintf("%s %s two-step verification off or unrecorded and no authentication policy that enforces SSO or requires it: %s%s", [
		_accounts_text(count(_exposed)), _have(count(_exposed)),
		concat("; ", [sprintf("%s%s", [accounts.display(a), _policy_note(a)]) |
			some i in _first(_exposed)
			a := input.managed_accounts.items[i]
		]),
		_more(_exposed),
	]),
} if {
	count(_exposed) > 0
}

_two_step_findings contains {
	"resource": account.account_id,
	"path": _path(i),
	"message": sprintf("%s (%s) has two-step verification off or unrecorded and %s", [
		accounts.display(account), concat(", ", accounts.admin_roles(account)), _policy_problem(account),
	]),
} if {
	some [i, account] in _exposed
	count(accounts.admin_roles(account)) > 0
	not accounts.is_org_admin(account)
}

_policy_note(account) := sprintf(" (in %s)", [auth.member_label(auth.member_of[account.account_id])]) if {
	auth.member_of[account.account_id]
} else := " (no policy returned by the API)"

_policy_problem(account) := sprintf("is in authentication policy %s, which does not enforce SSO or require two-step verification", [
	auth.name(auth.policy_of(account.account_id)),
]) if {
	auth.policy_of(account.account_id)
} else := sprintf("is in authentication policy %s, which the attestation does not describe", [
	auth.member_label(auth.member_of[account.account_id]),
]) if {
	auth.member_of[account.account_id]
} else := "the API returned no authentication policy for it"

# _active holds the indexes of the active accounts, and _activity maps the
# index of each account with any product activity to [ns, timestamp] of its
# latest (RFC 3339; of equal instants the greatest string). Both are
# comprehensions: built once per evaluation and then looked up by index,
# where a function (or a partial object looked up by key) would evaluate
# again for every rule that asks about the account.
_active := {i | some i, account in input.managed_accounts.items; accounts.is_active(account)}

_activity := {i: max(stamps) |
	some i, account in input.managed_accounts.items
	stamps := [[t, p.last_active_at] |
		some p in object.get(account, "product_access", [])
		t := dates.ns(p.last_active_at)
	]
	count(stamps) > 0
}

# _activity_unknown holds the indexes of the accounts with a last activity
# the collector could not read (last_active_unreadable; the account is also
# under the area's unreadable items, ATL-COL-003): when they were last active
# is not known, so they are neither dormant nor without activity.
_activity_unknown := {i |
	some i, account in input.managed_accounts.items
	some p in object.get(account, "product_access", [])
	p.last_active_unreadable == true
}

# The day limits in nanoseconds, computed once.
_dormant_ns := _params.dormant_days * dates.day_ns

_admin_dormant_ns := _params.admin_dormant_days * dates.day_ns

# _dormant holds [index, account] for each active account with product
# access whose latest activity is older than accounts.dormant_days (an
# account with an activity date has product access).
_dormant contains [i, account] if {
	some i, [last_ns, _] in _activity
	dates.now_ns - last_ns > _dormant_ns
	_active[i]
	not _activity_unknown[i]
	account := input.managed_accounts.items[i]
}

# _no_activity holds [index, account] for each active account with product
# access or an admin role and no activity date at all.
_no_activity contains [i, account] if {
	some i, account in input.managed_accounts.items
	not _activity[i]
	_active[i]
	_judged(account)
	not _activity_unknown[i]
}

_judged(account) if count(object.get(account, "product_access", [])) > 0

_judged(account) if count(accounts.admin_roles(account)) > 0

# _first is the indexes of the first accounts.list_max accounts of a set of
# [index, account], in snapshot order (only those are named in a message).
_first(set) := array.slice(sort([i | some [i, _] in set]), 0, _params.list_max)

# _more counts the accounts of a set a message does not name.
_more(set) := sprintf("; and %d more", [n]) if {
	n := count(set) - _params.list_max
	n > 0
} else := ""

_accounts_text(1) := "1 active account"

_accounts_text(n) := sprintf("%d active accounts", [n]) if n != 1

_have(1) := "has"

_have(n) := "have" if n != 1

# notes: a snapshot in which no active account has any product access read
# (written by an atlcheck version that did not expand productAccess, or the
# API sent none) cannot tell dormant accounts: ATL-ACC-007 and ATL-ACC-008
# are not evaluated, never a pass.
notes contains {"policy_id": id, "status": "not_evaluated", "area_failed": false, "reason": _no_product_access} if {
	_active_accounts > 0
	every account in input.managed_accounts.items {
		not _has_product_access(account)
	}
	some id in {"ATL-ACC-007", "ATL-ACC-008"}
}

_no_product_access := concat("", [
	"no account of the snapshot has product access data (productAccess in the users search): ",
	"it was written by an atlcheck version that did not read it, or the API sent none",
])

_active_accounts := count(_active)

_has_product_access(account) if {
	accounts.is_active(account)
	count(object.get(account, "product_access", [])) > 0
}

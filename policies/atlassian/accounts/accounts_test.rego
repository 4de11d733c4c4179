package atlassian.accounts_test

import data.atlassian.accounts

_admin(id, name, email) := {
	"account_id": id,
	"name": name,
	"email": email,
	"status": "active",
	"account_status": "active",
	"claim_status": "managed",
	"mfa_enabled": true,
	"roles": ["atlassian/org-admin"],
	"product_access": [{"key": "jira", "last_active_at": "2026-11-19T08:00:00Z"}],
}

_jane := _admin("u1", "Jane Admin", "jane@acme.example")

_omar := _admin("u2", "Omar Haddad", "omar@acme.example")

_user := {"account_id": "u9", "name": "Ivy Lee", "email": "ivy@gmail.com", "status": "active", "claim_status": "unmanaged", "roles": []}

_input(items) := {
	"collected_at": "2026-11-20T08:00:00Z",
	"org": {"id": "org-1", "name": "Acme"},
	"verified_domains": {"source": "api", "collected": true, "items": [
		{"name": "acme.example", "status": "VERIFIED"},
		{"name": "labs.example", "status": "PENDING"},
	]},
	"managed_accounts": {"source": "api", "collected": true, "items": items},
}

_findings(policy_id, items) := {f | some f in accounts.deny with input as _input(items); f.policy_id == policy_id}

test_pass_healthy_org if {
	count(accounts.deny) == 0 with input as _input([_jane, _omar, _user])
}

# ATL-ACC-001

test_fail_admin_mfa_off if {
	_findings("ATL-ACC-001", [_jane, object.union(_omar, {"mfa_enabled": false})]) == {{
		"policy_id": "ATL-ACC-001",
		"resource": "u2",
		"path": "/managed_accounts/items/1",
		"message": "Org admin Omar Haddad (u2) has two-step verification turned off",
	}}
}

test_fail_admin_mfa_unknown if {
	_findings("ATL-ACC-001", [object.remove(_jane, ["mfa_enabled", "name"]), _omar]) == {{
		"policy_id": "ATL-ACC-001",
		"resource": "u1",
		"path": "/managed_accounts/items/0",
		"message": "Org admin u1 has no recorded two-step verification status",
	}}
}

test_pass_mfa_off_on_non_admin_or_inactive_admin if {
	items := [
		_jane, _omar,
		object.union(_user, {"mfa_enabled": false}),
		object.union(_admin("u3", "Site Admin", "s@acme.example"), {"mfa_enabled": false, "roles": ["atlassian/site-admin"]}),
		object.union(_admin("u4", "Suspended Admin", "x@acme.example"), {"mfa_enabled": false, "status": "suspended"}),
	]
	count(_findings("ATL-ACC-001", items)) == 0
}

# ATL-ACC-002

test_fail_deactivated_admin if {
	gone := object.union(_admin("u5", "Olivia Grant", "olivia@acme.example"), {
		"status": "deactivated", "account_status": "inactive",
		"roles": ["atlassian/site-admin", "atlassian/org-admin", "atlassian/user"],
	})
	_findings("ATL-ACC-002", [_jane, _omar, gone]) == {{
		"policy_id": "ATL-ACC-002",
		"resource": "u5",
		"path": "/managed_accounts/items/2",
		"message": "Account Olivia Grant (u5) is deactivated but still holds atlassian/org-admin, atlassian/site-admin",
	}}
}

test_fail_for_deletion_user_access_admin if {
	gone := {"account_id": "u6", "status": "for_deletion", "roles": ["atlassian/user-access-admin"]}
	_findings("ATL-ACC-002", [_jane, _omar, gone]) == {{
		"policy_id": "ATL-ACC-002",
		"resource": "u6",
		"path": "/managed_accounts/items/2",
		"message": "Account u6 is scheduled for deletion but still holds atlassian/user-access-admin",
	}}
}

test_pass_departed_without_admin_roles if {
	items := [
		_jane, _omar,
		{"account_id": "u7", "status": "deactivated", "roles": ["atlassian/user"]},
		{"account_id": "u8", "status": "for_deletion", "roles": null},
		{"account_id": "u9", "status": "suspended", "roles": ["atlassian/site-admin"]},
	]
	count(_findings("ATL-ACC-002", items)) == 0
}

# ATL-ACC-003

test_fail_too_few_admins if {
	items := [_jane, object.union(_omar, {"status": "deactivated", "roles": []}), _user]
	_findings("ATL-ACC-003", items) == {{
		"policy_id": "ATL-ACC-003",
		"resource": "org-1",
		"path": "/managed_accounts",
		"message": "The organization has 1 active org admin, fewer than the minimum of 2",
	}}
}

test_fail_too_many_admins if {
	items := [_admin("a", "A", "a@acme.example"), _admin("b", "B", "b@acme.example"), _admin("c", "C", "c@acme.example")]
	findings := _findings("ATL-ACC-003", items) with data.atlcheck.parameters.admins as {"min": 1, "max": 2}
	findings == {{
		"policy_id": "ATL-ACC-003",
		"resource": "org-1",
		"path": "/managed_accounts",
		"message": "The organization has 3 active org admins, more than the maximum of 2",
	}}
}

test_pass_admin_count_at_bounds if {
	count(_findings("ATL-ACC-003", [_jane, _omar])) == 0
	items := [_jane, _omar, _admin("c", "C", "c@acme.example"), _admin("d", "D", "d@acme.example"), _admin("e", "E", "e@acme.example")]
	count(_findings("ATL-ACC-003", items)) == 0
}

# ATL-ACC-004

test_fail_unmanaged_admin_on_public_domain if {
	tom := object.union(_admin("u3", "Tom Becker", "Tom.Becker@GMail.com"), {"claim_status": "unmanaged"})
	_findings("ATL-ACC-004", [_jane, _omar, tom]) == {{
		"policy_id": "ATL-ACC-004",
		"resource": "u3",
		"path": "/managed_accounts/items/2",
		"message": "Org admin Tom Becker (u3) is an unmanaged account and uses an email address on gmail.com, which is not a verified domain",
	}}
}

test_fail_admin_on_claimed_but_unverified_domain if {
	sofia := _admin("u4", "Sofia Alvarez", "sofia@labs.example")
	_findings("ATL-ACC-004", [_jane, _omar, sofia]) == {{
		"policy_id": "ATL-ACC-004",
		"resource": "u4",
		"path": "/managed_accounts/items/2",
		"message": "Org admin Sofia Alvarez (u4) uses an email address on labs.example, which is not a verified domain",
	}}
}

test_fail_admin_on_subdomain_of_verified_domain if {
	count(_findings("ATL-ACC-004", [_jane, _admin("u4", "Sub", "sub@eu.acme.example")])) == 1
}

test_pass_managed_admins_on_verified_domains if {
	items := [_jane, object.union(_omar, {"email": "omar@ACME.example"}), object.remove(_admin("u5", "No Email", ""), ["email"])]
	count(_findings("ATL-ACC-004", items)) == 0
}

test_pass_unmanaged_non_admin_or_inactive_admin if {
	gone := object.union(_admin("u5", "Gone", "gone@gmail.com"), {"status": "deactivated", "claim_status": "unmanaged", "roles": []})
	count(_findings("ATL-ACC-004", [_jane, _omar, _user, gone])) == 0
}

# ATL-ACC-001 where the admin's authentication policy is known, and ATL-ACC-005

_policies := [
	{"name": "Admins (SSO)", "id": "p-sso", "default": false, "sso_enforced": true},
	{"name": "Engineering", "default": false, "sso_enforced": false, "two_step_verification_required": true},
	{"name": "Default policy", "default": true, "sso_enforced": false, "two_step_verification_required": false},
]

_with_auth(items, members) := object.union(_input(items), {
	"authentication_policies": {"source": "attestation", "collected": true, "items": _policies},
	"authentication_policy_members": {"source": "api", "collected": true, "items": members},
})

_auth_findings(policy_id, items, members) := {f |
	some f in accounts.deny with input as _with_auth(items, members)
	f.policy_id == policy_id
}

test_fail_admin_mfa_off_but_policy_enforces_sso_or_two_step if {
	off := [object.union(_jane, {"mfa_enabled": false}), object.remove(_omar, ["mfa_enabled"])]
	members := [
		{"account_id": "u1", "policy_id": "p-sso", "policy_name": "renamed in the console"},
		{"account_id": "u2", "policy_name": "ENGINEERING"},
	]
	_auth_findings("ATL-ACC-005", off, members) == {
		{
			"policy_id": "ATL-ACC-005",
			"resource": "u1",
			"path": "/managed_accounts/items/0",
			"message": "Org admin Jane Admin (u1) has two-step verification turned off, but their authentication policy \"Admins (SSO)\" enforces single sign-on",
		},
		{
			"policy_id": "ATL-ACC-005",
			"resource": "u2",
			"path": "/managed_accounts/items/1",
			"message": "Org admin Omar Haddad (u2) has no recorded two-step verification status, but their authentication policy \"Engineering\" requires two-step verification",
		},
	}
	count(_auth_findings("ATL-ACC-001", off, members)) == 0
}

test_fail_admin_mfa_off_in_a_weak_unknown_or_no_policy if {
	off := [object.union(_jane, {"mfa_enabled": false}), object.union(_omar, {"mfa_enabled": false})]
	members := [{"account_id": "u1", "policy_name": "Default policy"}, {"account_id": "u3", "policy_name": "Admins (SSO)"}]
	{f.resource | some f in _auth_findings("ATL-ACC-001", off, members)} == {"u1", "u2"}
	count(_auth_findings("ATL-ACC-005", off, members)) == 0
	unknown := [{"account_id": "u1", "policy_name": "Not attested"}, {"account_id": "u2", "policy_id": "p-sso-2", "policy_name": "Admins (SSO)"}]
	{f.resource | some f in _auth_findings("ATL-ACC-001", off, unknown)} == {"u1", "u2"}
}

test_pass_admins_with_two_step_on if {
	members := [{"account_id": "u1", "policy_name": "Default policy"}, {"account_id": "u2", "policy_id": "p-sso"}]
	count(_auth_findings("ATL-ACC-005", [_jane, _omar], members)) == 0
}

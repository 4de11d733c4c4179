package atlassian.authentication_test

import data.atlassian.authentication

_admin := {"account_id": "u1", "name": "Jane Admin", "status": "active", "claim_status": "managed", "mfa_enabled": true, "roles": ["atlassian/org-admin"]}

_user := {"account_id": "u2", "name": "Ivy Lee", "status": "active", "claim_status": "managed", "mfa_enabled": false, "roles": []}

_default := {"name": "Default policy", "id": "p-def", "default": true, "sso_enforced": false, "two_step_verification_required": true, "idle_session_minutes": 30}

_weak := {"name": "Contractors", "default": false, "sso_enforced": false, "two_step_verification_required": false, "idle_session_minutes": 20}

_sso := {"name": "Admins", "id": "p-sso", "default": false, "sso_enforced": true}

_input(policies, members, accounts) := {
	"collected_at": "2026-11-20T08:00:00Z",
	"org": {"id": "org-1"},
	"managed_accounts": {"source": "api", "collected": true, "items": accounts},
	"authentication_policies": {"source": "attestation", "collected": true, "items": policies},
	"authentication_policy_members": {"source": "api", "collected": true, "items": members},
}

_clean := _input([_default, _weak, _sso], [{"account_id": "u1", "policy_id": "p-sso"}, {"account_id": "u2", "policy_name": "Contractors"}], [_admin, _user])

_findings(id, doc) := {f | some f in authentication.deny with input as doc; f.policy_id == id}

test_pass_clean_org if {
	count(authentication.deny) == 0 with input as _clean
}

# ATL-AUT-001

test_fail_admin_in_weak_policy if {
	doc := _input([_default, _weak], [{"account_id": "u1", "policy_name": "contractors"}], [_admin, _user])
	_findings("ATL-AUT-001", doc) == {{
		"policy_id": "ATL-AUT-001",
		"resource": "u1",
		"path": "/authentication_policy_members/items/0",
		"message": "Org admin Jane Admin (u1) is in authentication policy \"Contractors\", which enforces neither single sign-on nor two-step verification",
	}}
}

test_pass_weak_policy_unknown_setting_or_not_an_admin if {
	half := object.remove(_weak, ["two_step_verification_required"])
	count(_findings("ATL-AUT-001", _input([_default, half], [{"account_id": "u1", "policy_name": "Contractors"}], [_admin]))) == 0
	site_admin := object.union(_admin, {"roles": ["atlassian/site-admin"]})
	count(_findings("ATL-AUT-001", _input([_default, _weak], [{"account_id": "u1", "policy_name": "Contractors"}], [site_admin]))) == 0
}

# ATL-AUT-002

test_fail_default_policy_enforces_neither if {
	weak_default := object.union(_default, {"two_step_verification_required": false})
	_findings("ATL-AUT-002", _input([weak_default, _sso], [], [])) == {{
		"policy_id": "ATL-AUT-002",
		"resource": "Default policy",
		"path": "/authentication_policies/items/0",
		"message": "The default authentication policy \"Default policy\" enforces neither single sign-on nor two-step verification: everyone not moved to another policy logs in with a password alone",
	}}
}

test_pass_weak_policy_that_is_not_default if {
	count(_findings("ATL-AUT-002", _input([_default, _weak], [], []))) == 0
}

# ATL-AUT-003

test_fail_idle_session_too_long if {
	long := [object.union(_default, {"idle_session_minutes": 43200}), object.union(_weak, {"idle_session_minutes": 480}), object.union(_sso, {"idle_session_minutes": 1440})]
	{f.message | some f in _findings("ATL-AUT-003", _input(long, [], []))} == {
		"Authentication policy \"Default policy\" logs idle members out after 30 days, more than the 30 minutes maximum",
		"Authentication policy \"Contractors\" logs idle members out after 8 hours, more than the 30 minutes maximum",
		"Authentication policy \"Admins\" logs idle members out after 1 day, more than the 30 minutes maximum",
	}
}

test_pass_idle_session_at_the_limit_or_not_attested if {
	count(_findings("ATL-AUT-003", _clean)) == 0
	{f.resource | some f in authentication.deny with input as _clean with data.atlcheck.parameters.authentication.idle_session_max_minutes as 20} == {"Default policy"}
	{f.resource | some f in authentication.deny with input as _clean with data.atlcheck.parameters.authentication.idle_session_max_minutes as 19} == {"Contractors", "Default policy"}
}

# ATL-AUT-004

test_fail_members_of_an_unattested_policy if {
	members := [
		{"account_id": "u1", "policy_id": "p-legacy", "policy_name": "Legacy admins"},
		{"account_id": "u2", "policy_id": "p-legacy", "policy_name": "Legacy admins"},
		{"account_id": "u3", "policy_name": "Partners"},
		{"account_id": "u4", "policy_id": "p-sso"},
	]
	_findings("ATL-AUT-004", _input([_default, _sso], members, [])) == {
		{
			"policy_id": "ATL-AUT-004",
			"resource": "p-legacy",
			"path": "/authentication_policy_members/items/0",
			"message": "2 accounts are in authentication policy \"Legacy admins\", which the attestation does not describe",
		},
		{
			"policy_id": "ATL-AUT-004",
			"resource": "Partners",
			"path": "/authentication_policy_members/items/2",
			"message": "1 account is in authentication policy \"Partners\", which the attestation does not describe",
		},
	}
}

test_pass_every_member_in_an_attested_policy if {
	count(_findings("ATL-AUT-004", _clean)) == 0
}

# An org admin the membership API was asked about and gave no policy for
# (authentication_policy_members.unanswered): ATL-AUT-001 cannot tell, so it
# is not evaluated, never a pass.

_unanswered(accounts, ids) := object.union(_input([_default, _weak], [], accounts), {"authentication_policy_members": {"source": "api", "collected": true, "items": [], "unanswered": ids}})

test_admin_without_an_answer_is_not_evaluated if {
	doc := _unanswered([_admin, _user], ["u1", "u2"])
	count(_findings("ATL-AUT-001", doc)) == 0
	notes := {n | some n in authentication.notes with input as doc; n.policy_id == "ATL-AUT-001"}
	notes == {{
		"policy_id": "ATL-AUT-001", "status": "not_evaluated", "area_failed": true,
		"reason": "the authentication policy membership API gave no policy for 1 active org admin: Jane Admin (u1)",
	}}
}

test_unanswered_non_admin_or_a_finding_gives_no_note if {
	count({n | some n in authentication.notes with input as _unanswered([_admin, _user], ["u2"]); n.policy_id == "ATL-AUT-001"}) == 0
	weak_admin := object.union(_admin, {"account_id": "u3"})
	doc := object.union(_input([_default, _weak], [{"account_id": "u3", "policy_name": "Contractors"}], [_admin, weak_admin]), {"authentication_policy_members": {"unanswered": ["u1"]}})
	count(_findings("ATL-AUT-001", doc)) == 1
	count({n | some n in authentication.notes with input as doc; n.policy_id == "ATL-AUT-001"}) == 0
}

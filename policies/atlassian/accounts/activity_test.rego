package atlassian.accounts_test

import data.atlassian.accounts

_now := "2026-11-20T08:00:00Z"

_person(id, mfa, extra) := object.union(
	{
		"account_id": id, "name": upper(id), "status": "active", "claim_status": "managed", "mfa_enabled": mfa,
		"roles": [], "product_access": [{"key": "jira", "last_active_at": "2026-11-19T08:00:00Z"}],
	},
	extra,
)

_auth_doc(items, members) := {
	"collected_at": _now,
	"org": {"id": "org-1"},
	"managed_accounts": {"source": "api", "collected": true, "items": items},
	"authentication_policies": {"source": "attestation", "collected": true, "items": [
		{"name": "Default", "default": true, "sso_enforced": false, "two_step_verification_required": false},
		{"name": "Strict", "default": false, "two_step_verification_required": true},
		{"name": "Unknown", "default": false},
	]},
	"authentication_policy_members": {"source": "api", "collected": true, "items": members},
}

_by(id, doc) := {f | some f in accounts.deny with input as doc; f.policy_id == id}

# ATL-ACC-006

test_fail_two_step_off_and_unprotected if {
	items := [
		_person("a1", false, {}), # Default: enforces neither
		_person("a2", false, {}), # Strict: covered
		_person("a3", false, {"roles": ["atlassian/site-admin"]}), # Unknown settings: not covered, an admin
		object.remove(_person("a4", false, {}), ["mfa_enabled"]), # no policy returned
		_person("a5", true, {}), # 2SV on
		_person("a6", false, {"claim_status": "unmanaged"}), # no policy applies: not counted
		_person("a7", false, {"status": "suspended"}), # not active
		_person("a8", false, {"roles": ["atlassian/org-admin"]}), # org admin: ACC-001's, counted here too
	]
	members := [
		{"account_id": "a1", "policy_name": "Default"}, {"account_id": "a2", "policy_name": "strict"},
		{"account_id": "a3", "policy_name": "Unknown"}, {"account_id": "a8", "policy_name": "Default"},
	]
	_by("ATL-ACC-006", _auth_doc(items, members)) == {
		{
			"policy_id": "ATL-ACC-006",
			"resource": "org-1",
			"path": "/managed_accounts",
			"message": "4 active accounts have two-step verification off or unrecorded and no authentication policy that enforces SSO or requires it: A1 (a1) (in \"Default\"); A3 (a3) (in \"Unknown\"); A4 (a4) (no policy returned by the API); A8 (a8) (in \"Default\")",
		},
		{
			"policy_id": "ATL-ACC-006",
			"resource": "a3",
			"path": "/managed_accounts/items/2",
			"message": "A3 (a3) (atlassian/site-admin) has two-step verification off or unrecorded and is in authentication policy \"Unknown\", which does not enforce SSO or require two-step verification",
		},
	}
}

test_fail_two_step_list_is_capped if {
	items := [_person(sprintf("u%d", [n]), false, {}) | some n in numbers.range(10, 14)]
	msgs := {f.message | some f in accounts.deny with input as _auth_doc(items, []) with data.atlcheck.parameters.accounts.list_max as 2; f.policy_id == "ATL-ACC-006"}
	msgs == {"5 active accounts have two-step verification off or unrecorded and no authentication policy that enforces SSO or requires it: U10 (u10) (no policy returned by the API); U11 (u11) (no policy returned by the API); and 3 more"}
}

test_pass_everyone_protected if {
	items := [_person("a1", true, {}), _person("a2", false, {})]
	count(_by("ATL-ACC-006", _auth_doc(items, [{"account_id": "a2", "policy_name": "Strict"}]))) == 0
}

# ATL-ACC-007, ATL-ACC-008, ATL-ACC-009

_activity_doc(items) := {"collected_at": _now, "org": {"id": "org-1"}, "managed_accounts": {"source": "api", "collected": true, "items": items}}

_access(stamps) := {"product_access": [{"key": "jira", "last_active_at": ts} | some ts in stamps]}

test_fail_dormant_accounts if {
	items := [
		_person("d1", true, _access(["2026-08-01T00:00:00Z", "2026-08-20T07:59:59Z"])), # latest 92 days ago
		_person("d2", true, _access(["2026-08-22T08:00:00Z"])), # exactly 90 days: not older
		_person("d3", true, _access(["2026-01-01T00:00:00Z", "2026-11-01T00:00:00Z"])), # active on one product
		_person("d4", true, object.union(_access(["2025-01-01T00:00:00Z"]), {"status": "deactivated"})),
	]
	_by("ATL-ACC-007", _activity_doc(items)) == {{
		"policy_id": "ATL-ACC-007",
		"resource": "org-1",
		"path": "/managed_accounts",
		"message": "1 active account with product access has had no activity for more than 90 days: D1 (d1), last active 2026-08-20",
	}}
}

test_fail_dormant_admin if {
	items := [
		_person("x1", true, object.union(_access(["2026-10-01T00:00:00Z"]), {"roles": ["atlassian/org-admin"]})), # 50 days
		_person("x2", true, object.union(_access(["2026-10-10T00:00:00Z"]), {"roles": ["atlassian/site-admin"]})), # 41 days
	]
	_by("ATL-ACC-008", _activity_doc(items)) == {{
		"policy_id": "ATL-ACC-008",
		"resource": "x1",
		"path": "/managed_accounts/items/0",
		"message": "Admin X1 (x1) (atlassian/org-admin) was last active on 2026-10-01, more than 45 days ago",
	}}
	count(_by("ATL-ACC-007", _activity_doc(items))) == 0
}

test_fail_no_activity_data_is_neither_dormant_nor_active if {
	items := [
		_person("n1", true, {"product_access": [{"key": "jira"}]}),
		_person("n2", true, {"product_access": [], "roles": ["atlassian/org-admin"]}),
		_person("n3", true, {"product_access": []}), # no access, no admin role: nothing to judge
	]
	_by("ATL-ACC-009", _activity_doc(items)) == {{
		"policy_id": "ATL-ACC-009",
		"resource": "org-1",
		"path": "/managed_accounts",
		"message": "2 active accounts have no activity data (never used, or none reported), so atlcheck judges none of them dormant or active: N1 (n1); N2 (n2)",
	}}
	count(_by("ATL-ACC-007", _activity_doc(items))) == 0
	count(_by("ATL-ACC-008", _activity_doc(items))) == 0
}

# An account with a last activity the collector could not read
# (last_active_unreadable) is not known to be dormant, nor to have no
# activity: no ATL-ACC-007/008/009 finding for it (the area's unreadable item
# keeps those policies from passing, ATL-COL-003).
test_fail_unreadable_activity_is_not_judged if {
	items := [
		_person("u1", true, {"product_access": [{"key": "jira", "last_active_unreadable": true}]}),
		_person("u2", true, {"roles": ["atlassian/org-admin"], "product_access": [
			{"key": "jira", "last_active_at": "2026-01-01T00:00:00Z"},
			{"key": "confluence", "last_active_unreadable": true},
		]}),
		_person("d1", true, _access(["2026-01-01T00:00:00Z"])),
	]
	_by("ATL-ACC-007", _activity_doc(items)) == {{
		"policy_id": "ATL-ACC-007",
		"resource": "org-1",
		"path": "/managed_accounts",
		"message": "1 active account with product access has had no activity for more than 90 days: D1 (d1), last active 2026-01-01",
	}}
	count(_by("ATL-ACC-008", _activity_doc(items))) == 0
	count(_by("ATL-ACC-009", _activity_doc(items))) == 0
}

test_pass_recent_activity if {
	items := [_person("r1", true, {}), _person("r2", true, {"roles": ["atlassian/org-admin"]})]
	count({f | some f in accounts.deny with input as _activity_doc(items); f.policy_id in {"ATL-ACC-007", "ATL-ACC-008", "ATL-ACC-009"}}) == 0
}

# A snapshot with no product access data for any account (an older atlcheck,
# or the API sent none): ATL-ACC-007/008 are not evaluated, never a pass.
test_no_product_access_anywhere_is_not_evaluated if {
	items := [
		object.remove(_person("o1", true, {"roles": ["atlassian/org-admin"]}), ["product_access"]),
		object.remove(_person("o2", true, {}), ["product_access"]),
	]
	notes := {n.policy_id: n | some n in accounts.notes with input as _activity_doc(items)}
	object.keys(notes) == {"ATL-ACC-007", "ATL-ACC-008"}
	notes["ATL-ACC-007"].status == "not_evaluated"
	notes["ATL-ACC-008"].area_failed == false
	startswith(notes["ATL-ACC-007"].reason, "no account of the snapshot has product access data")
	count({n | some n in accounts.notes with input as _activity_doc([_person("r1", true, {}), items[1]])}) == 0
}

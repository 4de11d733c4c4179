package atlassian.api_keys_test

import data.atlassian.api_keys

_now := "2026-11-20T08:00:00Z"

_admin := {"account_id": "u-admin", "name": "Jane Admin", "status": "active", "roles": ["atlassian/org-admin"]}

# _key is a clean key: scoped, 80-day lifetime, used yesterday, created by an active org admin.
_key := {
	"id": "k1",
	"label": "audit-export",
	"key_type": "SCOPED",
	"status": "ACTIVE",
	"scopes": ["read:events:admin"],
	"created_at": "2026-10-01T00:00:00Z",
	"expires_at": "2026-12-20T00:00:00Z",
	"last_active_at": "2026-11-19T08:00:00Z",
	"created_by": {"id": "u-admin"},
}

_input(keys) := _input_with(keys, [_admin])

_input_with(keys, accounts) := {
	"collected_at": _now,
	"api_keys": {"source": "api", "collected": true, "items": keys},
	"managed_accounts": {"source": "api", "collected": true, "items": accounts},
}

_findings(policy_id, keys) := _findings_with(policy_id, keys, [_admin])

_findings_with(policy_id, keys, accounts) := {f |
	some f in api_keys.deny with input as _input_with(keys, accounts)
	f.policy_id == policy_id
}

test_pass_clean_key if {
	count(api_keys.deny) == 0 with input as _input([_key])
}

# Active keys only

test_pass_revoked_expired_and_non_active_keys if {
	bad := object.union(_key, {"scopes": [], "created_by": {"id": "nobody"}, "last_active_at": "2026-01-01T00:00:00Z", "expires_at": "2027-11-01T00:00:00Z"})
	keys := [
		object.union(bad, {"id": "revoked", "status": "REVOKED"}),
		object.union(bad, {"id": "expired", "expires_at": "2026-11-19T00:00:00Z"}),
		object.union(bad, {"id": "expires-now", "expires_at": _now}),
	]
	count(api_keys.deny) == 0 with input as _input(keys)
}

test_fail_status_absent_or_lower_case_counts_as_active if {
	keys := [
		object.union(object.remove(_key, ["status"]), {"id": "k-absent", "scopes": []}),
		object.union(_key, {"id": "k-lower", "status": "active", "scopes": []}),
	]
	{f.resource | some f in _findings("ATL-KEY-001", keys)} == {"k-absent", "k-lower"}
}

test_fail_unknown_status_counts_as_active if {
	keys := [
		object.union(_key, {"id": "k-paused", "status": "PAUSED", "scopes": []}),
		object.union(_key, {"id": "k-number", "status": 3, "scopes": []}),
	]
	{f.resource | some f in _findings("ATL-KEY-001", keys)} == {"k-paused", "k-number"}
}

# ATL-KEY-001

test_fail_empty_scopes if {
	_findings("ATL-KEY-001", [object.union(_key, {"scopes": []})]) == {{
		"policy_id": "ATL-KEY-001",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) has no scopes and can call every admin API of the organization",
	}}
}

test_fail_missing_or_null_scopes if {
	keys := [
		object.union(_key, {"id": "k-null", "scopes": null}),
		object.remove(object.union(_key, {"id": "k-missing"}), ["scopes", "label"]),
	]
	findings := _findings("ATL-KEY-001", keys)
	{f.resource | some f in findings} == {"k-null", "k-missing"}
	{
		"policy_id": "ATL-KEY-001",
		"resource": "k-missing",
		"path": "/api_keys/items/1",
		"message": "Admin API key k-missing has no scopes and can call every admin API of the organization",
	} in findings
}

test_fail_unscoped_key_type if {
	keys := [
		object.union(_key, {"id": "k-a", "key_type": "without-scopes"}),
		object.union(_key, {"id": "k-b", "key_type": "Unscoped"}),
	]
	{f.resource | some f in _findings("ATL-KEY-001", keys)} == {"k-a", "k-b"}
}

test_pass_scoped_key if {
	count(_findings("ATL-KEY-001", [_key])) == 0
}

# ATL-KEY-002

test_fail_lifetime_too_long if {
	key := object.union(_key, {"created_at": "2026-03-01T00:00:00Z", "expires_at": "2027-03-01T00:00:00Z"})
	_findings("ATL-KEY-002", [key]) == {{
		"policy_id": "ATL-KEY-002",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) has a lifetime of 365 days (created 2026-03-01, expires 2027-03-01), more than the 90-day maximum",
	}}
}

test_fail_lifetime_one_second_over if {
	key := object.union(_key, {"created_at": "2026-09-01T00:00:00Z", "expires_at": "2026-11-30T00:00:01Z"})
	count(_findings("ATL-KEY-002", [key])) == 1
}

test_pass_lifetime_exactly_max if {
	key := object.union(_key, {"created_at": "2026-09-01T00:00:00Z", "expires_at": "2026-11-30T00:00:00Z"})
	count(_findings("ATL-KEY-002", [key])) == 0
}

test_pass_lifetime_with_parameter if {
	key := object.union(_key, {"created_at": "2026-03-01T00:00:00Z", "expires_at": "2027-03-01T00:00:00Z"})
	count(_findings("ATL-KEY-002", [key])) == 0 with data.atlcheck.parameters.api_keys.max_lifetime_days as 365
}

test_fail_no_expiry if {
	keys := [object.union(_key, {"expires_at": null}), object.remove(object.union(_key, {"id": "k2"}), ["expires_at", "created_at"])]
	findings := _findings("ATL-KEY-002", keys)
	{f.resource | some f in findings} == {"k1", "k2"}
	{
		"policy_id": "ATL-KEY-002",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) has no expiry date",
	} in findings
}

test_pass_unknown_creation_time if {
	key := object.remove(object.union(_key, {"expires_at": "2027-11-01T00:00:00Z"}), ["created_at"])
	count(_findings("ATL-KEY-002", [key])) == 0
}

# ATL-KEY-003

test_fail_creator_not_managed if {
	keys := [
		object.union(_key, {"created_by": {"id": "u-gone", "name": "Ex Admin"}}),
		object.union(_key, {"id": "k2", "created_by": {"id": "u-other"}}),
	]
	_findings("ATL-KEY-003", keys) == {
		{
			"policy_id": "ATL-KEY-003",
			"resource": "k1",
			"path": "/api_keys/items/0",
			"message": "Admin API key audit-export (k1) was created by Ex Admin (u-gone), who is not a managed account of the organization",
		},
		{
			"policy_id": "ATL-KEY-003",
			"resource": "k2",
			"path": "/api_keys/items/1",
			"message": "Admin API key audit-export (k2) was created by u-other, who is not a managed account of the organization",
		},
	}
}

test_fail_creator_deactivated if {
	accounts := [object.union(_admin, {"status": "deactivated"})]
	findings := _findings_with("ATL-KEY-003", [_key], accounts)
	findings == {{
		"policy_id": "ATL-KEY-003",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) was created by Jane Admin (u-admin), who is not active (status deactivated)",
	}}
}

test_fail_creator_not_org_admin if {
	accounts := [object.union(_admin, {"roles": ["atlassian/site-admin"]})]
	findings := _findings_with("ATL-KEY-003", [_key], accounts)
	findings == {{
		"policy_id": "ATL-KEY-003",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) was created by Jane Admin (u-admin), who is not an org admin",
	}}
}

test_fail_no_creator if {
	_findings("ATL-KEY-003", [object.remove(_key, ["created_by"])]) == {{
		"policy_id": "ATL-KEY-003",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) has no recorded creator, so no active org admin is accountable for it",
	}}
}

test_pass_creator_active_org_admin if {
	accounts := [object.union(_admin, {"status": "ACTIVE", "roles": ["atlassian/site-admin", "atlassian/org-admin"]})]
	count(_findings_with("ATL-KEY-003", [_key], accounts)) == 0
}

# ATL-KEY-004

test_fail_last_used_long_ago if {
	key := object.union(_key, {"last_active_at": "2026-10-21T07:59:59Z"})
	_findings("ATL-KEY-004", [key]) == {{
		"policy_id": "ATL-KEY-004",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) was last used on 2026-10-21, more than 30 days ago",
	}}
}

test_pass_last_used_exactly_unused_days_ago if {
	key := object.union(_key, {"last_active_at": "2026-10-21T08:00:00Z"})
	count(_findings("ATL-KEY-004", [key])) == 0
}

test_fail_never_used if {
	keys := [object.union(_key, {"last_active_at": null}), object.remove(object.union(_key, {"id": "k2"}), ["last_active_at"])]
	findings := _findings("ATL-KEY-004", keys)
	{f.resource | some f in findings} == {"k1", "k2"}
	{
		"policy_id": "ATL-KEY-004",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) has never been used since it was created on 2026-10-01, more than 30 days ago",
	} in findings
}

test_pass_never_used_but_new if {
	key := object.union(_key, {"last_active_at": null, "created_at": "2026-11-01T00:00:00Z"})
	count(_findings("ATL-KEY-004", [key])) == 0
}

test_pass_recently_used_old_key if {
	key := object.union(_key, {"created_at": "2025-01-01T00:00:00Z"})
	count(_findings("ATL-KEY-004", [key])) == 0
}

test_pass_no_timestamps if {
	key := object.remove(_key, ["created_at", "expires_at", "last_active_at"])
	count(_findings("ATL-KEY-004", [key])) == 0
	count(_findings("ATL-KEY-005", [key])) == 0
}

# ATL-KEY-005

test_fail_expires_within_window if {
	_findings("ATL-KEY-005", [object.union(_key, {"expires_at": "2026-11-25T00:00:00Z"})]) == {{
		"policy_id": "ATL-KEY-005",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key audit-export (k1) expires on 2026-11-25, within 14 days",
	}}
}

test_fail_expires_on_day_n if {
	count(_findings("ATL-KEY-005", [object.union(_key, {"expires_at": "2026-12-04T08:00:00Z"})])) == 1
}

test_pass_expires_after_window if {
	count(_findings("ATL-KEY-005", [object.union(_key, {"expires_at": "2026-12-04T08:00:01Z"})])) == 0
}

test_pass_already_expired if {
	count(_findings("ATL-KEY-005", [object.union(_key, {"expires_at": "2026-11-20T07:00:00Z"})])) == 0
}

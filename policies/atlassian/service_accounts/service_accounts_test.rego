package atlassian.service_accounts_test

import data.atlassian.service_accounts

_now := "2026-11-20T08:00:00Z"

_admin := {"account_id": "u-admin", "name": "Jane Admin", "status": "active", "roles": ["atlassian/org-admin"]}

# _sa is a clean service account: in use, described, created by an active org admin.
_sa := {
	"id": "sa-1",
	"display_name": "jira-automation",
	"status": "ACTIVE",
	"created_by_id": "u-admin",
	"description": "Jira automation; owner platform@acme.example",
}

# _token is a clean token: 182-day lifetime, used yesterday.
_token := {
	"id": "t-1",
	"service_account_id": "sa-1",
	"label": "automation",
	"created_at": "2026-10-01T00:00:00Z",
	"expires_at": "2027-04-01T00:00:00Z",
	"last_active_at": "2026-11-19T08:00:00Z",
}

_input(sas, tokens, lists) := {
	"collected_at": _now,
	"service_accounts": {"source": "api", "collected": true, "items": sas},
	"service_account_tokens": {"source": "api", "collected": true, "accounts": lists, "items": tokens},
	"managed_accounts": {"source": "api", "collected": true, "items": [_admin]},
}

_listed := [{"service_account_id": "sa-1", "collected": true, "reported": 1}]

_findings(policy_id, doc) := {f |
	some f in service_accounts.deny with input as doc
	f.policy_id == policy_id
}

test_pass_clean_service_account_and_token if {
	count(service_accounts.deny) == 0 with input as _input([_sa], [_token], _listed)
	count(service_accounts.notes) == 0 with input as _input([_sa], [_token], _listed)
}

# ATL-SVC-001

test_fail_creator_departed_unknown_not_admin_or_missing if {
	sas := [
		object.union(_sa, {"id": "sa-gone", "created_by_id": "u-gone"}),
		object.union(_sa, {"id": "sa-unknown", "created_by_id": "u-nobody"}),
		object.union(_sa, {"id": "sa-user", "created_by_id": "u-user"}),
		object.remove(object.union(_sa, {"id": "sa-none"}), ["created_by_id"]),
	]
	people := [
		_admin,
		{"account_id": "u-gone", "name": "Olivia Grant", "status": "deactivated", "roles": ["atlassian/org-admin"]},
		{"account_id": "u-user", "name": "Liam", "status": "active", "roles": ["atlassian/site-admin"]},
	]
	doc := object.union(_input(sas, [], []), {"managed_accounts": {"source": "api", "collected": true, "items": people}})
	_findings("ATL-SVC-001", doc) == {
		{"policy_id": "ATL-SVC-001", "resource": "sa-gone", "path": "/service_accounts/items/0", "message": "Service account jira-automation (sa-gone) was created by Olivia Grant (u-gone), who is not active (status deactivated)"},
		{"policy_id": "ATL-SVC-001", "resource": "sa-unknown", "path": "/service_accounts/items/1", "message": "Service account jira-automation (sa-unknown) was created by u-nobody, who is not a managed account of the organization"},
		{"policy_id": "ATL-SVC-001", "resource": "sa-user", "path": "/service_accounts/items/2", "message": "Service account jira-automation (sa-user) was created by Liam (u-user), who is not an org admin"},
		{"policy_id": "ATL-SVC-001", "resource": "sa-none", "path": "/service_accounts/items/3", "message": "Service account jira-automation (sa-none) has no recorded creator, so no active org admin is accountable for it"},
	}
}

test_pass_service_account_out_of_use_gives_no_finding if {
	bad := object.union(_sa, {"created_by_id": "u-nobody", "description": ""})
	sas := [object.union(bad, {"id": "sa-a", "status": "INACTIVE"}), object.union(bad, {"id": "sa-b", "status": "deleted"})]
	count(service_accounts.deny) == 0 with input as _input(sas, [], [])
}

test_fail_unknown_status_counts_as_in_use if {
	sa := object.union(_sa, {"status": "PAUSED", "created_by_id": "u-nobody"})
	{f.resource | some f in _findings("ATL-SVC-001", _input([sa], [], []))} == {"sa-1"}
}

# ATL-SVC-002

test_fail_missing_blank_or_non_string_description if {
	sas := [
		object.remove(object.union(_sa, {"id": "sa-a"}), ["description"]),
		object.union(_sa, {"id": "sa-b", "description": "   "}),
		object.union(_sa, {"id": "sa-c", "description": 7}),
	]
	_findings("ATL-SVC-002", _input(sas, [], [])) == {
		{"policy_id": "ATL-SVC-002", "resource": "sa-a", "path": "/service_accounts/items/0", "message": "Service account jira-automation (sa-a) has no description: no purpose or owner is on record"},
		{"policy_id": "ATL-SVC-002", "resource": "sa-b", "path": "/service_accounts/items/1", "message": "Service account jira-automation (sa-b) has no description: no purpose or owner is on record"},
		{"policy_id": "ATL-SVC-002", "resource": "sa-c", "path": "/service_accounts/items/2", "message": "Service account jira-automation (sa-c) has no description: no purpose or owner is on record"},
	}
}

test_fail_no_display_name_uses_the_id if {
	sa := object.remove(_sa, ["display_name", "description"])
	_findings("ATL-SVC-002", _input([sa], [], [])) == {{"policy_id": "ATL-SVC-002", "resource": "sa-1", "path": "/service_accounts/items/0", "message": "Service account sa-1 has no description: no purpose or owner is on record"}}
}

# ATL-SVC-003

test_fail_token_never_expires if {
	tok := object.remove(_token, ["expires_at"])
	_findings("ATL-SVC-003", _input([_sa], [tok], _listed)) == {{
		"policy_id": "ATL-SVC-003", "resource": "t-1", "path": "/service_account_tokens/items/0",
		"message": "API token automation (t-1) of service account jira-automation (sa-1) has no expiry date",
	}}
}

test_fail_token_lives_too_long_and_unused if {
	tok := object.union(_token, {"created_at": "2026-01-10T00:00:00Z", "expires_at": "2027-03-10T00:00:00Z", "last_active_at": "2026-07-01T00:00:00Z"})
	_findings("ATL-SVC-003", _input([_sa], [tok], _listed)) == {{
		"policy_id": "ATL-SVC-003", "resource": "t-1", "path": "/service_account_tokens/items/0",
		"message": "API token automation (t-1) of service account jira-automation (sa-1) has a lifetime of 424 days (created 2026-01-10, expires 2027-03-10), more than the 365-day maximum and was last used on 2026-07-01, more than 90 days ago",
	}}
}

test_fail_token_never_used_since_created_long_ago if {
	tok := object.remove(object.union(_token, {"created_at": "2026-06-01T00:00:00Z", "expires_at": "2027-05-01T00:00:00Z"}), ["last_active_at"])
	_findings("ATL-SVC-003", _input([_sa], [tok], _listed)) == {{
		"policy_id": "ATL-SVC-003", "resource": "t-1", "path": "/service_account_tokens/items/0",
		"message": "API token automation (t-1) of service account jira-automation (sa-1) has never been used since it was created on 2026-06-01, more than 90 days ago",
	}}
}

test_pass_token_at_the_limits if {
	# exactly 365 days of lifetime and last used exactly 90 days ago
	tok := object.union(_token, {"created_at": "2026-01-01T00:00:00Z", "expires_at": "2027-01-01T00:00:00Z", "last_active_at": "2026-08-22T08:00:00Z"})
	count(_findings("ATL-SVC-003", _input([_sa], [tok], _listed))) == 0
}

test_pass_revoked_and_expired_tokens if {
	bad := object.remove(object.union(_token, {"last_active_at": "2025-01-01T00:00:00Z"}), ["expires_at"])
	tokens := [
		object.union(bad, {"id": "t-revoked", "status": "REVOKED"}),
		object.union(_token, {"id": "t-expired", "expires_at": "2026-11-01T00:00:00Z", "last_active_at": "2025-01-01T00:00:00Z"}),
	]
	count(_findings("ATL-SVC-003", _input([_sa], tokens, _listed))) == 0
}

test_fail_token_of_unlisted_service_account_names_its_id if {
	tok := object.remove(object.union(_token, {"service_account_id": "sa-x"}), ["expires_at"])
	{f.message | some f in _findings("ATL-SVC-003", _input([_sa], [tok], _listed))} == {"API token automation (t-1) of service account sa-x has no expiry date"}
}

test_pass_with_reason_none_reported_is_not_proof_of_none if {
	sas := [_sa, object.union(_sa, {"id": "sa-2", "display_name": "backup-sync"}), object.union(_sa, {"id": "sa-3", "display_name": "ci"})]
	lists := [
		{"service_account_id": "sa-1", "collected": true, "reported": 1},
		{"service_account_id": "sa-2", "collected": true, "reported": 0},
		{"service_account_id": "sa-3", "collected": false, "reported": 0, "error": {"status": 403, "message": "Forbidden"}},
	]
	doc := _input(sas, [_token], lists)
	count(_findings("ATL-SVC-003", doc)) == 0
	service_accounts.notes == {{
		"policy_id": "ATL-SVC-003",
		"reason": "No API token reported by the API for service account backup-sync (sa-2); an empty list is not proof of none (Atlassian's endpoint is experimental)",
	}} with input as doc
}

test_notes_name_every_empty_list_sorted if {
	lists := [
		{"service_account_id": "sa-z", "collected": true, "reported": 0},
		{"service_account_id": "sa-a", "collected": true, "reported": 0},
	]
	service_accounts.notes == {{
		"policy_id": "ATL-SVC-003",
		"reason": "No API token reported by the API for service accounts sa-a, sa-z; an empty list is not proof of none (Atlassian's endpoint is experimental)",
	}} with input as _input([], [], lists)
}

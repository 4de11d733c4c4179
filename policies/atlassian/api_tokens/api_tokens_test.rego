package atlassian.api_tokens_test

import data.atlassian.api_tokens

_now := "2026-11-20T08:00:00Z"

_owner := {"account_id": "u1", "name": "Emma Stone", "email": "emma@acme.example", "status": "active", "account_status": "active"}

# _token is a clean token: 300-day lifetime, used yesterday, owned by an active account.
_token := {
	"id": "t1",
	"label": "jira-cli",
	"status": "ALLOWED",
	"created_at": "2026-06-01T00:00:00Z",
	"expires_at": "2027-03-28T00:00:00Z",
	"last_active_at": "2026-11-19T08:00:00Z",
	"user": {"id": "u1", "email": "emma@acme.example"},
}

_input(tokens, accounts) := {
	"collected_at": _now,
	"api_tokens": {"source": "api", "collected": true, "items": tokens},
	"managed_accounts": {"source": "api", "collected": true, "items": accounts},
}

_findings(policy_id, tokens) := _findings_with(policy_id, tokens, [_owner])

_findings_with(policy_id, tokens, accounts) := {f |
	some f in api_tokens.deny with input as _input(tokens, accounts)
	f.policy_id == policy_id
}

test_pass_clean_token if {
	count(api_tokens.deny) == 0 with input as _input([_token], [_owner])
}

# Active tokens only

test_pass_blocked_revoked_and_expired_tokens if {
	bad := object.union(_token, {"expires_at": null, "last_active_at": "2025-01-01T00:00:00Z"})
	tokens := [
		object.union(bad, {"id": "blocked", "status": "BLOCKED"}),
		object.union(bad, {"id": "revoked", "status": "revoked"}),
		object.union(_token, {"id": "expired", "expires_at": "2026-11-01T00:00:00Z", "last_active_at": "2025-01-01T00:00:00Z"}),
	]
	count(api_tokens.deny) == 0 with input as _input(tokens, [object.union(_owner, {"status": "deactivated"})])
}

test_fail_active_status_variants if {
	tokens := [
		object.union(_token, {"id": "t-active", "status": "Active", "expires_at": null}),
		object.union(object.remove(_token, ["status"]), {"id": "t-absent", "expires_at": null}),
		object.union(_token, {"id": "t-unknown", "status": "SUSPENDED_BY_ADMIN", "expires_at": null}),
	]
	{f.resource | some f in _findings("ATL-TOK-001", tokens)} == {"t-active", "t-absent", "t-unknown"}
}

# ATL-TOK-001

test_fail_no_expiry if {
	tokens := [object.union(_token, {"expires_at": null}), object.remove(object.union(_token, {"id": "t2"}), ["expires_at", "user"])]
	_findings("ATL-TOK-001", tokens) == {
		{
			"policy_id": "ATL-TOK-001",
			"resource": "t1",
			"path": "/api_tokens/items/0",
			"message": "API token jira-cli (t1) of emma@acme.example has no expiry date",
		},
		{
			"policy_id": "ATL-TOK-001",
			"resource": "t2",
			"path": "/api_tokens/items/1",
			"message": "API token jira-cli (t2) has no expiry date",
		},
	}
}

test_fail_lifetime_too_long if {
	token := object.union(_token, {"created_at": "2026-03-01T00:00:00Z", "expires_at": "2027-09-01T00:00:00Z"})
	_findings("ATL-TOK-001", [token]) == {{
		"policy_id": "ATL-TOK-001",
		"resource": "t1",
		"path": "/api_tokens/items/0",
		"message": "API token jira-cli (t1) of emma@acme.example has a lifetime of 549 days (created 2026-03-01, expires 2027-09-01), more than the 365-day maximum",
	}}
}

test_pass_lifetime_exactly_max if {
	token := object.union(_token, {"created_at": "2026-06-01T00:00:00Z", "expires_at": "2027-06-01T00:00:00Z"})
	count(_findings("ATL-TOK-001", [token])) == 0
}

test_fail_lifetime_one_second_over if {
	token := object.union(_token, {"created_at": "2026-06-01T00:00:00Z", "expires_at": "2027-06-01T00:00:01Z"})
	count(_findings("ATL-TOK-001", [token])) == 1
}

test_pass_lifetime_unknown_creation if {
	token := object.remove(object.union(_token, {"expires_at": "2028-01-01T00:00:00Z"}), ["created_at"])
	count(_findings("ATL-TOK-001", [token])) == 0
}

# ATL-TOK-002

test_fail_owner_deactivated if {
	findings := _findings_with("ATL-TOK-002", [_token], [object.union(_owner, {"status": "deactivated", "account_status": "inactive"})])
	findings == {{
		"policy_id": "ATL-TOK-002",
		"resource": "t1",
		"path": "/api_tokens/items/0",
		"message": "API token jira-cli (t1) is still active but its owner Emma Stone (u1) is deactivated",
	}}
}

test_fail_owner_for_deletion if {
	findings := _findings_with("ATL-TOK-002", [_token], [object.union(_owner, {"status": "FOR_DELETION"})])
	findings == {{
		"policy_id": "ATL-TOK-002",
		"resource": "t1",
		"path": "/api_tokens/items/0",
		"message": "API token jira-cli (t1) is still active but its owner Emma Stone (u1) is scheduled for deletion",
	}}
}

test_fail_owner_account_closed if {
	findings := _findings_with("ATL-TOK-002", [_token], [object.union(_owner, {"account_status": "closed"})])
	findings == {{
		"policy_id": "ATL-TOK-002",
		"resource": "t1",
		"path": "/api_tokens/items/0",
		"message": "API token jira-cli (t1) is still active but its owner Emma Stone (u1) is closed (account status)",
	}}
}

test_pass_owner_unknown_to_org if {
	count(_findings_with("ATL-TOK-002", [object.union(_token, {"user": {"id": "outsider"}})], [_owner])) == 0
	count(_findings_with("ATL-TOK-002", [object.remove(_token, ["user"])], [_owner])) == 0
}

test_pass_owner_active_or_suspended if {
	accounts := [_owner, {"account_id": "u2", "status": "suspended", "account_status": "active"}]
	tokens := [_token, object.union(_token, {"id": "t2", "user": {"id": "u2"}})]
	count(_findings_with("ATL-TOK-002", tokens, accounts)) == 0
}

test_pass_revoked_token_of_departed_owner if {
	token := object.union(_token, {"status": "BLOCKED"})
	count(_findings_with("ATL-TOK-002", [token], [object.union(_owner, {"status": "deactivated"})])) == 0
}

# ATL-TOK-003

test_fail_unused if {
	token := object.union(_token, {"last_active_at": "2026-08-01T00:00:00Z"})
	_findings("ATL-TOK-003", [token]) == {{
		"policy_id": "ATL-TOK-003",
		"resource": "t1",
		"path": "/api_tokens/items/0",
		"message": "API token jira-cli (t1) of emma@acme.example was last used on 2026-08-01, more than 90 days ago",
	}}
}

test_pass_used_exactly_unused_days_ago if {
	token := object.union(_token, {"last_active_at": "2026-08-22T08:00:00Z"})
	count(_findings("ATL-TOK-003", [token])) == 0
}

test_fail_used_just_over_unused_days_ago if {
	token := object.union(_token, {"last_active_at": "2026-08-22T07:59:59Z"})
	count(_findings("ATL-TOK-003", [token])) == 1
}

test_fail_never_used if {
	token := object.remove(_token, ["last_active_at"])
	_findings("ATL-TOK-003", [token]) == {{
		"policy_id": "ATL-TOK-003",
		"resource": "t1",
		"path": "/api_tokens/items/0",
		"message": "API token jira-cli (t1) of emma@acme.example has never been used since it was created on 2026-06-01, more than 90 days ago",
	}}
}

test_pass_never_used_new_token if {
	token := object.union(_token, {"last_active_at": null, "created_at": "2026-10-01T00:00:00Z"})
	count(_findings("ATL-TOK-003", [token])) == 0
}

test_pass_missing_timestamps if {
	token := object.union(_token, {"created_at": null, "last_active_at": null, "expires_at": "2027-01-01T00:00:00Z"})
	count(_findings("ATL-TOK-001", [token])) == 0
	count(_findings("ATL-TOK-003", [token])) == 0
}

# ATL-TOK-004

test_fail_unscoped_token_where_scopes_are_in_use if {
	scoped := object.union(_token, {"id": "t2", "label": "ci", "scopes": ["read:jira-work"]})
	blocked := object.union(_token, {"id": "t3", "status": "BLOCKED"})
	_findings("ATL-TOK-004", [_token, scoped, blocked]) == {{
		"policy_id": "ATL-TOK-004",
		"resource": "t1",
		"path": "/api_tokens/items/0",
		"message": "API token jira-cli (t1) of emma@acme.example has no scopes, so it carries its owner's full power, though 1 token of the organization is scoped",
	}}
}

test_pass_no_scoped_token_in_the_org if {
	count(_findings("ATL-TOK-004", [_token, object.union(_token, {"id": "t2", "scopes": []})])) == 0
}

package atlassian.oauth_clients_test

import data.atlassian.oauth_clients

_now := "2026-11-20T08:00:00Z"

# _client is a clean client: in use, updated a month ago.
_client := {
	"client_id": "oc-1",
	"name": "sheets-export",
	"status": "ACTIVE",
	"created_at": "2026-03-01T00:00:00Z",
	"updated_at": "2026-10-15T00:00:00Z",
}

_input(clients) := {
	"collected_at": _now,
	"oauth_clients": {"source": "api", "collected": true, "items": clients},
}

test_pass_clean_client if {
	count(oauth_clients.deny) == 0 with input as _input([_client])
}

test_fail_not_updated_for_longer_than_stale_days if {
	c := object.union(_client, {"updated_at": "2026-03-01T00:00:00Z"})
	oauth_clients.deny == {{
		"policy_id": "ATL-OAC-001", "resource": "oc-1", "path": "/oauth_clients/items/0",
		"message": "OAuth client sheets-export (oc-1) was last updated on 2026-03-01, more than 180 days ago (Atlassian reports no last use)",
	}} with input as _input([c])
}

test_fail_last_use_wins_when_reported if {
	c := object.union(_client, {"last_used_at": "2026-01-02T00:00:00Z"})
	oauth_clients.deny == {{
		"policy_id": "ATL-OAC-001", "resource": "oc-1", "path": "/oauth_clients/items/0",
		"message": "OAuth client sheets-export (oc-1) was last used on 2026-01-02, more than 180 days ago",
	}} with input as _input([c])
}

test_pass_recent_use_outweighs_an_old_update if {
	c := object.union(_client, {"updated_at": "2025-01-01T00:00:00Z", "last_used_at": "2026-11-19T00:00:00Z"})
	count(oauth_clients.deny) == 0 with input as _input([c])
}

test_fail_only_creation_time if {
	c := object.remove(object.union(_client, {"created_at": "2025-11-01T00:00:00Z"}), ["updated_at"])
	{f.message | some f in oauth_clients.deny} == {"OAuth client sheets-export (oc-1) has not changed since it was created on 2025-11-01, more than 180 days ago (Atlassian reports no last use)"} with input as _input([c])
}

test_pass_no_time_at_all_is_not_reported if {
	c := object.remove(_client, ["created_at", "updated_at"])
	count(oauth_clients.deny) == 0 with input as _input([c])
}

test_pass_client_out_of_use if {
	c := object.union(_client, {"status": "DISABLED", "updated_at": "2024-01-01T00:00:00Z"})
	count(oauth_clients.deny) == 0 with input as _input([c])
}

test_fail_unknown_status_counts_as_in_use if {
	c := object.union(_client, {"status": "SUSPENDED_MAYBE", "updated_at": "2024-01-01T00:00:00Z", "name": ""})
	{f.message | some f in oauth_clients.deny} == {"OAuth client oc-1 was last updated on 2024-01-01, more than 180 days ago (Atlassian reports no last use)"} with input as _input([c])
}

# A client in use with no creation, update or last-use date: its staleness
# cannot be checked, so the policy is not evaluated, never a pass.
test_client_without_any_date_is_not_evaluated if {
	dateless := {"client_id": "oc-2", "name": "mystery", "status": "ACTIVE", "created_at": null, "updated_at": null}
	count(oauth_clients.deny) == 0 with input as _input([_client, dateless])
	oauth_clients.notes == {{
		"policy_id": "ATL-OAC-001", "status": "not_evaluated", "area_failed": false,
		"reason": "OAuth client mystery (oc-2) has no creation, update or last-use date, so how long it has been unused cannot be checked",
	}} with input as _input([_client, dateless])
	retired := object.union(dateless, {"status": "INACTIVE"})
	count(oauth_clients.notes) == 0 with input as _input([_client, retired])
}

package atlassian.audit_log_test

import data.atlassian.audit_log

_now := "2026-11-20T08:00:00Z"

_jane := {"account_id": "u-jane", "name": "Jane Admin", "email": "jane@acme.example", "status": "active", "claim_status": "managed", "roles": ["atlassian/org-admin"]}

_gone := {"account_id": "u-gone", "name": "Olivia Grant", "email": "olivia@acme.example", "status": "deactivated", "claim_status": "managed", "roles": []}

_guest := {"account_id": "u-guest", "name": "Kai Berger", "email": "kai@partner.example", "status": "active", "claim_status": "unmanaged", "roles": []}

_signal(id) := {"id": id, "actions": [{"id": concat("", [id, "_action"]), "display_name": id}], "complete": true}

_all_signals := [_signal(id) | some id in ["org_admin_granted", "api_key_created", "app_installed", "org_policy_changed", "api_token_used"]]

_input(events, signals) := {
	"collected_at": _now,
	"audit_log": {"source": "api", "collected": true, "signals": signals, "items": events},
	"managed_accounts": {"source": "api", "collected": true, "items": [_jane, _gone, _guest]},
	"verified_domains": {"source": "api", "collected": true, "items": [{"name": "acme.example", "status": "VERIFIED"}]},
	"service_accounts": {"source": "api", "collected": true, "items": [{"id": "sa-1", "atlassian_id": "712020:bot"}]},
	"api_keys": {"source": "api", "collected": true, "items": [{"id": "key-1", "scopes": []}, {"id": "key-2", "scopes": ["read:events:admin"]}]},
}

# _event is an event of signal; the keys of extra replace the defaults whole.
_event(id, signal, extra) := object.union(object.remove(_default_event(id, signal), object.keys(extra)), extra)

_default_event(id, signal) := {
	"id": id, "signal": signal, "action": concat("", [signal, "_action"]), "action_name": "Granted organization admin role",
	"time": "2026-11-19T14:02:11Z", "actor": {"id": "u-jane", "name": "Jane Admin", "email": "jane@acme.example"},
	"targets": [{"id": "u-tom", "type": "user", "name": "Tom Becker"}],
}

_findings(policy_id, events, signals) := {f |
	some f in audit_log.deny with input as _input(events, signals)
	f.policy_id == policy_id
}

_notes(events, signals) := notes if {
	notes := audit_log.notes with input as _input(events, signals)
}

test_pass_no_event_every_signal_read if {
	count(audit_log.deny) == 0 with input as _input([], _all_signals)
	count(_notes([], _all_signals)) == 0
}

# ATL-LOG-001

test_fail_org_admin_granted_with_actor_time_and_target if {
	_findings("ATL-LOG-001", [_event("ev-1", "org_admin_granted", {})], _all_signals) == {{
		"policy_id": "ATL-LOG-001", "resource": "ev-1", "path": "/audit_log/items/0",
		"message": "Granted organization admin role by Jane Admin (jane@acme.example) at 2026-11-19T14:02:11Z: user Tom Becker (u-tom)",
	}}
}

test_generic_role_grant_reported_only_for_the_org_admin_role_or_no_role if {
	generic := {"action_name": "User granted role"}
	events := [
		_event("ev-org", "org_admin_granted", object.union(generic, {"targets": [{"id": "u-tom", "type": "user"}, {"id": "atlassian/org-admin", "type": "role", "role": "atlassian/org-admin"}]})),
		_event("ev-named", "org_admin_granted", object.union(generic, {"targets": [{"id": "r-1", "type": "roles", "name": "Organization Admin"}]})),
		_event("ev-product", "org_admin_granted", object.union(generic, {"targets": [{"id": "r-2", "type": "roles", "name": "Jira admin"}]})),
		_event("ev-site", "org_admin_granted", object.union(generic, {"targets": [{"id": "u-tom", "type": "user", "role": "atlassian/site-admin"}]})),
		_event("ev-unknown", "org_admin_granted", object.union(generic, {"targets": [{"id": "u-tom", "type": "user"}]})),
	]
	{f.resource | some f in _findings("ATL-LOG-001", events, _all_signals)} == {"ev-org", "ev-named", "ev-unknown"}
}

# ATL-LOG-002

test_fail_api_key_created_joins_the_unscoped_key if {
	events := [
		_event("ev-k1", "api_key_created", {"action_name": "Created API key", "targets": [{"id": "key-1", "type": "api-key", "name": "ci"}]}),
		_event("ev-k2", "api_key_created", {"action_name": "Created API key", "targets": [{"id": "key-2", "type": "api-key"}]}),
	]
	{f.message | some f in _findings("ATL-LOG-002", events, _all_signals)} == {
		"Created API key by Jane Admin (jane@acme.example) at 2026-11-19T14:02:11Z: api-key ci (key-1) (the key has no scopes: it can call every admin API)",
		"Created API key by Jane Admin (jane@acme.example) at 2026-11-19T14:02:11Z: api-key key-2",
	}
}

# ATL-LOG-003 and ATL-LOG-004

test_fail_app_installed_and_policy_disabled if {
	events := [
		_event("ev-a", "app_installed", {"action_name": "App successful installation", "targets": [{"id": "com.vendor.x", "type": "app", "name": "X"}]}),
		_event("ev-p", "org_policy_changed", {"action_name": "Policy disabled", "targets": []}),
	]
	{f.message | some f in _findings("ATL-LOG-003", events, _all_signals)} == {"App successful installation by Jane Admin (jane@acme.example) at 2026-11-19T14:02:11Z: app X (com.vendor.x)"}
	{f.message | some f in _findings("ATL-LOG-004", events, _all_signals)} == {"Policy disabled by Jane Admin (jane@acme.example) at 2026-11-19T14:02:11Z: no target recorded"}
}

test_fail_actor_named_by_what_the_event_has if {
	events := [
		_event("ev-1", "app_installed", {"actor": {"id": "u-1", "email": "x@acme.example"}}),
		_event("ev-2", "app_installed", {"actor": {"id": "u-2"}}),
		_event("ev-3", "app_installed", {"actor": {"id": "", "name": 5}}),
	]
	{f.message | some f in _findings("ATL-LOG-003", events, _all_signals)} == {
		"Granted organization admin role by x@acme.example at 2026-11-19T14:02:11Z: user Tom Becker (u-tom)",
		"Granted organization admin role by u-2 at 2026-11-19T14:02:11Z: user Tom Becker (u-tom)",
		"Granted organization admin role by an unknown actor at 2026-11-19T14:02:11Z: user Tom Becker (u-tom)",
	}
}

# ATL-LOG-005

test_fail_token_used_by_departed_external_or_unknown_accounts if {
	use := {"action_name": "API token used", "targets": []}
	token := {"auth_type": "api-token", "token_id": "tok-9", "token_label": "cron"}
	events := [
		_event("ev-gone", "api_token_used", object.union(use, {"actor": object.union({"id": "u-gone", "name": "Olivia Grant", "email": "olivia@acme.example"}, token)})),
		_event("ev-guest", "api_token_used", object.union(use, {"actor": {"id": "u-guest", "email": "kai@partner.example"}})),
		_event("ev-stranger", "app_installed", object.union(use, {"actor": object.union({"id": "u-x", "email": "x@evil.example"}, token)})),
		_event("ev-member", "api_token_used", object.union(use, {"actor": object.union({"id": "u-jane"}, token)})),
		_event("ev-bot", "api_token_used", object.union(use, {"actor": object.union({"id": "712020:bot"}, token)})),
		_event("ev-no-token", "app_installed", {"actor": {"id": "u-gone"}}),
	]
	_findings("ATL-LOG-005", events, _all_signals) == {
		{"policy_id": "ATL-LOG-005", "resource": "ev-gone", "path": "/audit_log/items/0", "message": "API token used by Olivia Grant (olivia@acme.example) at 2026-11-19T14:02:11Z: no target recorded (with API token cron (tok-9), whose account is deactivated)"},
		{"policy_id": "ATL-LOG-005", "resource": "ev-guest", "path": "/audit_log/items/1", "message": "API token used by kai@partner.example at 2026-11-19T14:02:11Z: no target recorded (with an API token, an external (unmanaged) account)"},
		{"policy_id": "ATL-LOG-005", "resource": "ev-stranger", "path": "/audit_log/items/2", "message": "API token used by x@evil.example at 2026-11-19T14:02:11Z: no target recorded (with API token cron (tok-9), an account unknown to the snapshot (not a managed account of the organization: deleted, or never one))"},
	}
}

# A deleted account is unknown to the snapshot: an email at a verified domain
# is no proof that its owner is still a member (qa2 F). An account the
# snapshot lists without an active status is not read as active either.
test_fail_token_used_by_an_unknown_actor_at_a_verified_domain_or_without_status if {
	use := {"action_name": "API token used", "targets": []}
	pending := {"account_id": "u-pending", "name": "Pat", "email": "pat@acme.example", "claim_status": "managed", "roles": []}
	events := [
		_event("ev-deleted", "api_token_used", object.union(use, {"actor": {"id": "u-deleted", "email": "old@acme.example", "token_id": "tok-1"}})),
		_event("ev-no-id", "api_token_used", object.union(use, {"actor": {"email": "anon@acme.example"}})),
		_event("ev-pending", "api_token_used", object.union(use, {"actor": {"id": "u-pending"}})),
	]
	doc := object.union(_input(events, _all_signals), {"managed_accounts": {"source": "api", "collected": true, "items": [_jane, pending]}})
	{f.message | some f in audit_log.deny with input as doc; f.policy_id == "ATL-LOG-005"} == {
		"API token used by old@acme.example at 2026-11-19T14:02:11Z: no target recorded (with API token tok-1, an account unknown to the snapshot (not a managed account of the organization: deleted, or never one))",
		"API token used by anon@acme.example at 2026-11-19T14:02:11Z: no target recorded (with an API token, an account unknown to the snapshot (not a managed account of the organization: deleted, or never one))",
		"API token used by u-pending at 2026-11-19T14:02:11Z: no target recorded (with an API token, whose account is not active (status unknown))",
	}
}

test_pass_token_used_by_an_active_member_or_a_service_account if {
	use := {"action_name": "API token used", "targets": []}
	events := [
		_event("ev-member", "api_token_used", object.union(use, {"actor": {"id": "u-jane", "email": "jane@acme.example", "token_id": "tok-2"}})),
		_event("ev-bot", "api_token_used", object.union(use, {"actor": {"id": "712020:bot", "token_id": "tok-3"}})),
	]
	count(_findings("ATL-LOG-005", events, _all_signals)) == 0
}

# Not evaluated: a signal without an action, or read only in part

test_signal_without_action_is_not_evaluated_and_not_an_area_failure if {
	signals := [s |
		some s in _all_signals
		s.id != "org_policy_changed"
	]
	missing := {"id": "org_policy_changed", "actions": [], "complete": false, "note": "the org's event-actions list has no action that carries it (looked for the display names \"Policy disabled\")"}
	_notes([], array.concat(signals, [missing])) == {{
		"policy_id": "ATL-LOG-004", "status": "not_evaluated", "area_failed": false,
		"reason": "audit log: the org's event-actions list has no action that carries it (looked for the display names \"Policy disabled\")",
	}}
}

test_signal_read_in_part_is_not_evaluated_unless_it_already_fails if {
	partial := object.union(_signal("app_installed"), {"complete": false, "note": "read only in part: the page cap (audit_log.max_pages = 1) was reached"})
	signals := array.concat([s | some s in _all_signals; s.id != "app_installed"], [partial])
	_notes([], signals) == {{
		"policy_id": "ATL-LOG-003", "status": "not_evaluated", "area_failed": true,
		"reason": "audit log: read only in part: the page cap (audit_log.max_pages = 1) was reached",
	}}
	_notes([_event("ev-a", "app_installed", {})], signals) == {{
		"policy_id": "ATL-LOG-003",
		"reason": "audit log: read only in part: the page cap (audit_log.max_pages = 1) was reached; these findings are from the part read, there may be more",
	}}
	count(_findings("ATL-LOG-003", [_event("ev-a", "app_installed", {})], signals)) == 1
}

test_signal_missing_from_the_snapshot_is_not_evaluated if {
	_notes([], [s | some s in _all_signals; s.id != "api_token_used"]) == {{
		"policy_id": "ATL-LOG-005", "status": "not_evaluated", "area_failed": true,
		"reason": "the audit log has no record of this signal",
	}}
}

test_no_note_when_the_area_was_not_collected if {
	count(audit_log.notes) == 0 with input as {"audit_log": {"source": "api", "collected": false, "error": {"message": "x"}, "signals": [], "items": []}}
}

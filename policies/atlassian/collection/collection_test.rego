package atlassian.collection_test

import data.atlassian.collection

_ok := {"source": "api", "collected": true, "collected_at": "2026-11-20T07:59:00Z", "items": []}

_forbidden := {"status": 403, "code": "ADMIN-UAM-403-1", "endpoint": "GET /rest/plugins/1.0/", "message": "Forbidden"}

_sites := {"source": "api", "collected": true, "items": [
	{"id": "c1", "url": "https://acme.atlassian.net", "products": ["jira-software"]},
	{"id": "c2", "url": "https://acme-labs.atlassian.net/", "products": ["jira-software"]},
]}

# _doc is a snapshot where every area was collected and both sites were attested.
_doc := {
	"collected_at": "2026-11-20T08:00:00Z",
	"org": {"id": "org-1"},
	"sites": _sites,
	"verified_domains": _ok,
	"app_access": _ok,
	"api_keys": _ok,
	"api_tokens": _ok,
	"managed_accounts": _ok,
	"org_policies": _ok,
	"connected_apps": {
		"installed": {"source": "site_api", "collected": true, "sites": [
			{"url": "https://acme.atlassian.net", "collected": true, "apps": []},
			{"url": "https://acme-labs.atlassian.net", "collected": true, "apps": []},
		]},
		"settings": {
			"source": "attestation", "collected": true,
			"attested_by": "jane.admin@acme.example", "attested_at": "2026-11-02T00:00:00Z",
			"sites": [{"url": "https://ACME.atlassian.net/", "apps": []}, {"url": "https://acme-labs.atlassian.net", "apps": []}],
		},
	},
	"external_users": {
		"source": "attestation", "collected": true,
		"attested_by": "jane.admin@acme.example", "attested_at": "2026-11-02T00:00:00Z",
		"items": [],
	},
	"service_accounts": _ok,
	"service_account_tokens": object.union(_ok, {"accounts": [{"service_account_id": "sa-1", "collected": true, "reported": 0}]}),
	"oauth_clients": _ok,
	"authentication_policies": {
		"source": "attestation", "collected": true,
		"attested_by": "jane.admin@acme.example", "attested_at": "2026-11-02T00:00:00Z",
		"items": [],
	},
	"authentication_policy_members": _ok,
	"audit_log": object.union(_ok, {"signals": []}),
}

_findings(policy_id, doc) := {f | some f in collection.deny with input as doc; f.policy_id == policy_id}

test_pass_complete_snapshot if {
	count(collection.deny) == 0 with input as _doc
}

# ATL-COL-001

test_fail_area_not_collected if {
	doc := object.union(_doc, {"api_keys": {"source": "api", "collected": false, "error": {
		"status": 403, "code": "ADMIN-UAM-403-2", "endpoint": "GET /admin/api-access/v1/orgs/{orgId}/api-keys",
		"message": "Not allowed to manage the org",
	}}})
	_findings("ATL-COL-001", doc) == {{
		"policy_id": "ATL-COL-001",
		"resource": "api_keys",
		"path": "/api_keys",
		"message": "Area api_keys could not be collected: HTTP 403 ADMIN-UAM-403-2: Not allowed to manage the org (GET /admin/api-access/v1/orgs/{orgId}/api-keys)",
	}}
}

test_fail_area_not_collected_without_http_status if {
	doc := object.union(_doc, {"managed_accounts": {"source": "api", "collected": false, "error": {"message": "cursor loop at page 3"}}})
	_findings("ATL-COL-001", doc) == {{
		"policy_id": "ATL-COL-001",
		"resource": "managed_accounts",
		"path": "/managed_accounts",
		"message": "Area managed_accounts could not be collected: cursor loop at page 3",
	}}
}

test_fail_installed_apps_area_not_collected if {
	installed := {"source": "site_api", "collected": false, "error": {"message": "no site could be collected"}, "sites": [
		{"url": "https://acme.atlassian.net", "collected": false, "error": _forbidden, "apps": []},
	]}
	doc := json.patch(_doc, [{"op": "replace", "path": "/connected_apps/installed", "value": installed}])
	_findings("ATL-COL-001", doc) == {{
		"policy_id": "ATL-COL-001",
		"resource": "connected_apps.installed",
		"path": "/connected_apps/installed",
		"message": "Area connected_apps.installed could not be collected: no site could be collected",
	}}
}

test_fail_one_site_not_collected if {
	doc := json.patch(_doc, [{"op": "replace", "path": "/connected_apps/installed/sites/1", "value": {
		"url": "https://acme-labs.atlassian.net", "collected": false, "error": _forbidden, "apps": [],
	}}])
	_findings("ATL-COL-001", doc) == {{
		"policy_id": "ATL-COL-001",
		"resource": "https://acme-labs.atlassian.net",
		"path": "/connected_apps/installed/sites/1",
		"message": "Installed apps of site https://acme-labs.atlassian.net could not be collected: HTTP 403 ADMIN-UAM-403-1: Forbidden (GET /rest/plugins/1.0/)",
	}}
}

test_pass_no_source_is_not_a_failure if {
	doc := json.patch(_doc, [{"op": "replace", "path": "/connected_apps/installed", "value": {
		"source": "none", "collected": false, "error": {"message": "site credentials not configured"}, "sites": [],
	}}])
	count(_findings("ATL-COL-001", doc)) == 0
}

# ATL-COL-002

test_fail_area_without_source if {
	doc := json.patch(_doc, [{"op": "replace", "path": "/connected_apps/installed", "value": {
		"source": "none", "collected": false, "error": {"message": "site credentials not configured"}, "sites": [],
	}}])
	_findings("ATL-COL-002", doc) == {{
		"policy_id": "ATL-COL-002",
		"resource": "connected_apps.installed",
		"path": "/connected_apps/installed",
		"message": "Area connected_apps.installed has no data source: site credentials not configured",
	}}
}

test_fail_attested_area_without_source if {
	doc := object.union(_doc, {"external_users": {"source": "none", "collected": false, "error": {"message": ""}, "items": []}})
	_findings("ATL-COL-002", doc) == {{
		"policy_id": "ATL-COL-002",
		"resource": "external_users",
		"path": "/external_users",
		"message": "Area external_users has no data source",
	}}
}

test_fail_stale_attestation if {
	doc := json.patch(_doc, [
		{"op": "replace", "path": "/external_users/attested_at", "value": "2026-08-22T07:59:59Z"},
		{"op": "replace", "path": "/connected_apps/settings/attested_at", "value": "2026-08-22T08:00:00Z"},
	])
	_findings("ATL-COL-002", doc) == {{
		"policy_id": "ATL-COL-002",
		"resource": "external_users",
		"path": "/external_users",
		"message": "The attestation of external_users dates from 2026-08-22, more than 90 days ago",
	}}
}

test_pass_stale_attestation_with_longer_max_age if {
	doc := json.patch(_doc, [{"op": "replace", "path": "/external_users/attested_at", "value": "2026-06-01T00:00:00Z"}])
	count(_findings("ATL-COL-002", doc)) == 0 with data.atlcheck.parameters.attestation.max_age_days as 365
}

test_fail_site_missing_from_attestation if {
	doc := json.patch(_doc, [{"op": "remove", "path": "/connected_apps/settings/sites/1"}])
	_findings("ATL-COL-002", doc) == {{
		"policy_id": "ATL-COL-002",
		"resource": "https://acme-labs.atlassian.net/",
		"path": "/sites/items/1",
		"message": "Site https://acme-labs.atlassian.net/ is missing from the connected-apps attestation, so its app settings are unchecked",
	}}
}

test_pass_missing_site_not_checked_without_settings if {
	doc := json.patch(_doc, [{"op": "replace", "path": "/connected_apps/settings", "value": {
		"source": "none", "collected": false, "error": {"message": "no attestation file"}, "sites": [],
	}}])
	{f.resource | some f in _findings("ATL-COL-002", doc)} == {"connected_apps.settings"}
}

test_pass_missing_site_not_checked_without_sites if {
	doc := json.patch(_doc, [
		{"op": "remove", "path": "/connected_apps/settings/sites/1"},
		{"op": "replace", "path": "/sites/collected", "value": false},
		{"op": "add", "path": "/sites/error", "value": _forbidden},
	])
	count(_findings("ATL-COL-002", doc)) == 0
}

test_fail_one_site_collected_in_part if {
	doc := json.patch(_doc, [{"op": "replace", "path": "/connected_apps/installed/sites/0", "value": {
		"url": "https://acme.atlassian.net", "collected": true, "apps": [],
		"error": {"status": 406, "endpoint": "GET /wiki/rest/plugins/1.0/", "message": "the confluence app manager did not answer"},
	}}])
	_findings("ATL-COL-001", doc) == {{
		"policy_id": "ATL-COL-001",
		"resource": "https://acme.atlassian.net",
		"path": "/connected_apps/installed/sites/0",
		"message": "Installed apps of site https://acme.atlassian.net were collected only in part: HTTP 406: the confluence app manager did not answer (GET /wiki/rest/plugins/1.0/)",
	}}
}

test_pass_app_access_attested_and_fresh if {
	attested := {
		"source": "attestation", "collected": true, "items": [],
		"attested_by": "jane.admin@acme.example", "attested_at": "2026-11-02T00:00:00Z",
	}
	count(collection.deny) == 0 with input as object.union(_doc, {"app_access": attested})
}

test_fail_app_access_attestation_stale if {
	attested := {
		"source": "attestation", "collected": true, "items": [],
		"attested_by": "jane.admin@acme.example", "attested_at": "2026-01-02T00:00:00Z",
	}
	_findings("ATL-COL-002", object.union(_doc, {"app_access": attested})) == {{
		"policy_id": "ATL-COL-002",
		"resource": "app_access",
		"path": "/app_access",
		"message": "The attestation of app_access dates from 2026-01-02, more than 90 days ago",
	}}
}

# ATL-COL-003

test_fail_unreadable_items if {
	keys := object.union(_ok, {"unreadable": [
		{"id": "key-7", "problems": [{"field": "/expiresAt", "reason": "\"2026-13-01\" is not a timestamp"}], "raw": {"id": "key-7"}},
		{"problems": [{"field": "", "reason": "the item is null, not an object"}], "raw": null},
	]})
	apps := json.patch(_doc.connected_apps.installed, [{"op": "add", "path": "/unreadable", "value": [{
		"id": "com.x", "site": "https://acme.atlassian.net",
		"problems": [{"field": "/userInstalled", "reason": "want true or false, got a string \"yes\""}, {"field": "/enabled", "reason": "want true or false, got null"}],
		"raw": {},
	}]}])
	doc := json.patch(object.union(_doc, {"api_keys": keys}), [{"op": "replace", "path": "/connected_apps/installed", "value": apps}])
	_findings("ATL-COL-003", doc) == {
		{
			"policy_id": "ATL-COL-003",
			"resource": "api_keys#key-7",
			"path": "/api_keys/unreadable/0",
			"message": "api_keys item \"key-7\" could not be read: /expiresAt: \"2026-13-01\" is not a timestamp",
		},
		{
			"policy_id": "ATL-COL-003",
			"resource": "api_keys#unreadable-1",
			"path": "/api_keys/unreadable/1",
			"message": "api_keys item #1 (no id) could not be read: the item is null, not an object",
		},
		{
			"policy_id": "ATL-COL-003",
			"resource": "connected_apps.installed#com.x",
			"path": "/connected_apps/installed/unreadable/0",
			"message": "connected_apps.installed item \"com.x\" could not be read on https://acme.atlassian.net: /userInstalled: want true or false, got a string \"yes\"; /enabled: want true or false, got null",
		},
	}
}

test_pass_no_unreadable_items if {
	count(_findings("ATL-COL-003", object.union(_doc, {"api_keys": object.union(_ok, {"unreadable": []})}))) == 0
}

test_fail_area_not_available if {
	doc := object.union(_doc, {"app_access": {"source": "none", "collected": false, "items": [], "error": {
		"status": 404, "code": "ADMIN-404-1", "endpoint": "GET /admin/v2/orgs/{orgId}/app-access-settings/domains",
		"message": "the app access settings API is not available",
	}}})
	_findings("ATL-COL-002", doc) == {{
		"policy_id": "ATL-COL-002",
		"resource": "app_access",
		"path": "/app_access",
		"message": "Area app_access has no data source: HTTP 404 ADMIN-404-1: the app access settings API is not available (GET /admin/v2/orgs/{orgId}/app-access-settings/domains)",
	}}
	count(_findings("ATL-COL-001", doc)) == 0
}

test_fail_one_service_account_token_list_not_collected if {
	tokens := object.union(_ok, {"accounts": [
		{"service_account_id": "sa-1", "collected": true, "reported": 2},
		{"service_account_id": "sa-2", "collected": false, "reported": 0, "error": {"status": 403, "code": "ADMIN-403-3", "endpoint": "GET /admin/api-access/v1/orgs/{orgId}/service-accounts/{serviceAccountId}/api-tokens", "message": "Forbidden"}},
	]})
	_findings("ATL-COL-001", object.union(_doc, {"service_account_tokens": tokens})) == {{
		"policy_id": "ATL-COL-001",
		"resource": "service_account_tokens#sa-2",
		"path": "/service_account_tokens/accounts/1",
		"message": "API tokens of service account sa-2 could not be listed: HTTP 403 ADMIN-403-3: Forbidden (GET /admin/api-access/v1/orgs/{orgId}/service-accounts/{serviceAccountId}/api-tokens)",
	}}
}

test_pass_token_lists_not_reported_twice_when_the_area_failed if {
	tokens := {"source": "api", "collected": false, "error": {"message": "no service account's API tokens could be listed: Forbidden"}, "items": [], "accounts": [{"service_account_id": "sa-2", "collected": false, "reported": 0, "error": {"message": "Forbidden"}}]}
	{f.resource | some f in _findings("ATL-COL-001", object.union(_doc, {"service_account_tokens": tokens}))} == {"service_account_tokens"}
}

test_fail_area_missing_from_an_older_snapshot_has_no_source if {
	old := object.union(_doc, {"oauth_clients": {"source": "none", "collected": false, "error": {"message": "this snapshot has no oauth_clients area: it was written by an atlcheck version that did not collect it"}, "items": []}})
	_findings("ATL-COL-002", old) == {{
		"policy_id": "ATL-COL-002",
		"resource": "oauth_clients",
		"path": "/oauth_clients",
		"message": "Area oauth_clients has no data source: this snapshot has no oauth_clients area: it was written by an atlcheck version that did not collect it",
	}}
}

_audit(signals, window) := object.union(_ok, {"signals": signals, "window": window})

test_fail_audit_log_signal_read_in_part if {
	signals := [
		{"id": "org_admin_granted", "actions": [{"id": "a1"}], "complete": true},
		{"id": "api_token_used", "actions": [{"id": "a2"}], "complete": false, "note": "read only in part: the page cap (audit_log.max_pages = 20) was reached"},
	]
	_findings("ATL-COL-001", object.union(_doc, {"audit_log": _audit(signals, {})})) == {{
		"policy_id": "ATL-COL-001",
		"resource": "audit_log#api_token_used",
		"path": "/audit_log/signals/1",
		"message": "The audit log was read only in part for signal api_token_used: read only in part: the page cap (audit_log.max_pages = 20) was reached",
	}}
}

test_fail_audit_log_signal_without_action_and_capped_window if {
	signals := [{"id": "org_policy_changed", "actions": [], "complete": false, "note": "the org's event-actions list has no action that carries it"}]
	window := {"from": "2026-11-13T08:00:00Z", "to": "2026-11-20T08:00:00Z", "requested_from": "2026-10-01T08:00:00Z", "basis": "previous_snapshot"}
	_findings("ATL-COL-002", object.union(_doc, {"audit_log": _audit(signals, window)})) == {
		{
			"policy_id": "ATL-COL-002", "resource": "audit_log#org_policy_changed", "path": "/audit_log/signals/0",
			"message": "The audit-log signal org_policy_changed cannot be read: the org's event-actions list has no action that carries it",
		},
		{
			"policy_id": "ATL-COL-002", "resource": "audit_log#window", "path": "/audit_log/window",
			"message": "The audit-log window was capped at 7 days: the events from 2026-10-01T08:00:00Z to 2026-11-13T08:00:00Z (since the start asked for) were not read",
		},
	}
	count(_findings("ATL-COL-001", object.union(_doc, {"audit_log": _audit(signals, window)}))) == 0
}

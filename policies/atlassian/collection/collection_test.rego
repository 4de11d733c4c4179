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

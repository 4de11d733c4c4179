package atlassian.connected_apps_test

import data.atlassian.connected_apps

_site := "https://acme.atlassian.net"

_settings(sites) := {"connected_apps": {
	"installed": {"source": "none", "collected": false, "error": {"message": "site credentials not configured"}, "sites": []},
	"settings": {
		"source": "attestation",
		"collected": true,
		"attested_by": "jane.admin@acme.example",
		"attested_at": "2026-11-02T00:00:00Z",
		"sites": sites,
	},
}}

_installed(sites) := {"connected_apps": {
	"installed": {"source": "site_api", "collected": true, "sites": sites},
	"settings": {"source": "none", "collected": false, "error": {"message": "no attestation file"}, "sites": []},
}}

_findings(policy_id, doc) := {f | some f in connected_apps.deny with input as doc; f.policy_id == policy_id}

_app := {"key": "com.vendor.timesheets", "vendor_log_access": true, "update_awaiting_approval": true, "installed_by_admin": false}

_clean_app := {"key": "com.vendor.diagrams", "vendor_log_access": false, "update_awaiting_approval": false, "installed_by_admin": true}

# ATL-APP-001

test_fail_user_apps_not_blocked if {
	doc := _settings([{"url": _site, "block_user_apps": false, "apps": []}])
	_findings("ATL-APP-001", doc) == {{
		"policy_id": "ATL-APP-001",
		"resource": _site,
		"path": "/connected_apps/settings/sites/0",
		"message": "Site https://acme.atlassian.net lets users install apps (Block user apps is off)",
	}}
}

test_pass_user_apps_blocked_or_not_attested if {
	doc := _settings([
		{"url": _site, "block_user_apps": true, "apps": []},
		{"url": "https://acme-labs.atlassian.net", "apps": null},
	])
	count(connected_apps.deny) == 0 with input as doc
}

# ATL-APP-002

test_fail_update_awaiting_approval if {
	doc := _settings([{"url": _site, "block_user_apps": true, "apps": [_clean_app, _app]}])
	_findings("ATL-APP-002", doc) == {{
		"policy_id": "ATL-APP-002",
		"resource": "https://acme.atlassian.net#com.vendor.timesheets",
		"path": "/connected_apps/settings/sites/0/apps/1",
		"message": "App com.vendor.timesheets on https://acme.atlassian.net has an update awaiting admin approval",
	}}
}

test_pass_no_update_awaiting_approval if {
	doc := _settings([{"url": _site, "apps": [_clean_app, {"key": "com.vendor.unattested"}]}])
	count(connected_apps.deny) == 0 with input as doc
}

# ATL-APP-003

test_fail_vendor_log_access if {
	doc := _settings([{"url": _site, "apps": [_app]}])
	_findings("ATL-APP-003", doc) == {{
		"policy_id": "ATL-APP-003",
		"resource": "https://acme.atlassian.net#com.vendor.timesheets",
		"path": "/connected_apps/settings/sites/0/apps/0",
		"message": "App com.vendor.timesheets on https://acme.atlassian.net shares its logs with the vendor (App logs access is on)",
	}}
}

test_pass_vendor_log_access_off if {
	count(_findings("ATL-APP-003", _settings([{"url": _site, "apps": [_clean_app]}]))) == 0
}

# ATL-APP-005

test_fail_not_installed_by_admin if {
	doc := _settings([
		{"url": _site, "apps": [_clean_app]},
		{"url": "https://acme-support.atlassian.net", "apps": [object.union(_app, {"installed_by": "u-7"})]},
	])
	_findings("ATL-APP-005", doc) == {{
		"policy_id": "ATL-APP-005",
		"resource": "https://acme-support.atlassian.net#com.vendor.timesheets",
		"path": "/connected_apps/settings/sites/1/apps/0",
		"message": "App com.vendor.timesheets on https://acme-support.atlassian.net was not installed by an admin (installed by u-7)",
	}}
}

test_fail_not_installed_by_admin_installer_unknown if {
	doc := _settings([{"url": _site, "apps": [_app]}])
	{
		"policy_id": "ATL-APP-005",
		"resource": "https://acme.atlassian.net#com.vendor.timesheets",
		"path": "/connected_apps/settings/sites/0/apps/0",
		"message": "App com.vendor.timesheets on https://acme.atlassian.net was not installed by an admin",
	} in connected_apps.deny with input as doc
}

test_pass_installed_by_admin if {
	count(_findings("ATL-APP-005", _settings([{"url": _site, "apps": [_clean_app]}]))) == 0
}

# ATL-APP-004

_apps := [
	{"key": "com.atlassian.troubleshooting", "name": "Troubleshooting", "enabled": true, "user_installed": false},
	{"key": "com.vendor.timesheets", "name": "Timesheets Pro", "enabled": true, "user_installed": true},
	{"key": "com.vendor.diagrams", "enabled": true, "user_installed": true},
]

test_fail_app_not_allowed if {
	doc := _installed([{"url": _site, "collected": true, "apps": _apps}])
	findings := _findings("ATL-APP-004", doc) with data.atlcheck.parameters.apps.allowed as ["COM.VENDOR.TIMESHEETS"]
	findings == {{
		"policy_id": "ATL-APP-004",
		"resource": "https://acme.atlassian.net#com.vendor.diagrams",
		"path": "/connected_apps/installed/sites/0/apps/2",
		"message": "Third-party app com.vendor.diagrams on https://acme.atlassian.net is not on the app allow-list",
	}}
}

test_fail_app_not_allowed_named if {
	doc := _installed([{"url": _site, "collected": true, "apps": _apps}])
	findings := _findings("ATL-APP-004", doc) with data.atlcheck.parameters.apps.allowed as ["com.vendor.diagrams"]
	findings == {{
		"policy_id": "ATL-APP-004",
		"resource": "https://acme.atlassian.net#com.vendor.timesheets",
		"path": "/connected_apps/installed/sites/0/apps/1",
		"message": "Third-party app Timesheets Pro (com.vendor.timesheets) on https://acme.atlassian.net is not on the app allow-list",
	}}
}

test_pass_all_apps_allowed if {
	doc := _installed([{"url": _site, "collected": true, "apps": _apps}])
	allowed := ["com.vendor.timesheets", "com.vendor.diagrams"]
	count(connected_apps.deny) == 0 with input as doc with data.atlcheck.parameters.apps.allowed as allowed
	count(connected_apps.notes) == 0 with input as doc with data.atlcheck.parameters.apps.allowed as allowed
}

test_pass_partial_sites_skip_uncollected if {
	doc := _installed([
		{"url": _site, "collected": true, "apps": [_apps[0]]},
		{
			"url": "https://acme-labs.atlassian.net", "collected": false, "apps": _apps,
			"error": {"status": 403, "code": "ADMIN-UAM-403-1", "endpoint": "GET /rest/plugins/1.0/", "message": "Forbidden"},
		},
	])
	count(connected_apps.deny) == 0 with input as doc with data.atlcheck.parameters.apps.allowed as ["com.other"]
}

test_pass_no_allow_list_gives_note if {
	doc := _installed([{"url": _site, "collected": true, "apps": _apps}])
	count(connected_apps.deny) == 0 with input as doc
	connected_apps.notes == {{"policy_id": "ATL-APP-004", "reason": "no allow-list configured"}} with input as doc
}

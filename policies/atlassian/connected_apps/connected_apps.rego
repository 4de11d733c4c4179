# Package connected_apps checks the apps connected to each site. It reads two
# parts with their own sources: the installed apps that each site's app
# manager lists (ATL-APP-004), and the settings an admin attests because no
# API exposes them (the others). An attested boolean left out gives no
# finding; sites whose installed apps were not collected are skipped here and
# reported by ATL-COL-001.
package atlassian.connected_apps

import data.lib.result

# METADATA
# title: Users may install apps on a site
# description: >-
#   "Block user apps" is off on a site, so any user can install and authorize
#   third-party apps that then read and write product data on their behalf,
#   without an admin reviewing the vendor or the scopes.
# custom:
#   id: ATL-APP-001
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Apps > Sites > the site > Connected apps,
#     select Settings and turn on "Block user apps". Then update the
#     attestation file.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/installing-and-managing-app-access/
#   tags: [security, connected-apps, cis:2.5, nist:CM-11, nist:CM-7]
#   requires: [connected_apps.settings]
deny contains finding if {
	some i, site in input.connected_apps.settings.sites
	site.block_user_apps == false
	finding := result.fail(rego.metadata.rule(), {
		"resource": site.url,
		"path": sprintf("/connected_apps/settings/sites/%d", [i]),
		"message": sprintf("Site %s lets users install apps (Block user apps is off)", [site.url]),
	})
}

# METADATA
# title: An app update awaits admin approval
# description: >-
#   An app shows an UPDATE status that needs admin approval, usually because
#   the new version asks for more permissions. Until someone decides, the site
#   runs an outdated version and the permission change goes unreviewed.
# custom:
#   id: ATL-APP-002
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Apps > Sites > the site > Connected apps,
#     open the app, review the requested permission changes and approve the
#     update, or remove the app. Then update the attestation file.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/managing-an-installed-app/
#   tags: [security, connected-apps, cis:7.4, nist:SI-2, nist:CM-3]
#   requires: [connected_apps.settings]
deny contains finding if {
	some [i, j, site, app] in _attested_apps
	app.update_awaiting_approval == true
	finding := result.fail(rego.metadata.rule(), {
		"resource": _app_resource(site, app),
		"path": _settings_app_path(i, j),
		"message": sprintf("App %s on %s has an update awaiting admin approval", [app.key, site.url]),
	})
}

# METADATA
# title: An app's vendor can read its logs
# description: >-
#   App logs access is enabled for an app, so its vendor can read the app's
#   logs from the site, which may contain product data. Log sharing is on by
#   default when an app is installed.
# custom:
#   id: ATL-APP-003
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open Apps > Sites > the site > Connected apps,
#     select View app details for the app and disable App logs access unless a
#     support case needs it. Then update the attestation file.
#   references:
#     - https://developer.atlassian.com/platform/forge/access-app-logs/
#     - https://support.atlassian.com/organization-administration/docs/managing-an-installed-app/
#   tags: [security, connected-apps, cis:3.3, nist:SA-9, nist:AC-21]
#   requires: [connected_apps.settings]
deny contains finding if {
	some [i, j, site, app] in _attested_apps
	app.vendor_log_access == true
	finding := result.fail(rego.metadata.rule(), {
		"resource": _app_resource(site, app),
		"path": _settings_app_path(i, j),
		"message": sprintf("App %s on %s shares its logs with the vendor (App logs access is on)", [app.key, site.url]),
	})
}

# METADATA
# title: A third-party app is not on the allow-list
# description: >-
#   A user-installed (third-party) app on a site whose apps were collected is
#   not in the parameter apps.allowed. Only checked when the allow-list is
#   non-empty; with no allow-list the policy passes with the reason "no
#   allow-list configured".
# custom:
#   id: ATL-APP-004
#   severity: high
#   remediation: >-
#     Review the app's vendor, scopes and data handling. If it is approved, add
#     its key to apps.allowed in the atlcheck configuration; otherwise remove
#     it in admin.atlassian.com under Apps > Sites > the site > Connected apps.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/installing-and-managing-app-access/
#     - https://support.atlassian.com/organization-administration/docs/managing-an-installed-app/
#   tags: [security, connected-apps, cis:2.3, cis:2.5, nist:CM-7, nist:CM-11]
#   requires: [connected_apps.installed]
deny contains finding if {
	count(_allowed) > 0
	some i, site in input.connected_apps.installed.sites
	site.collected == true
	some j, app in site.apps
	app.user_installed == true
	not lower(app.key) in _allowed
	finding := result.fail(rego.metadata.rule(), {
		"resource": _app_resource(site, app),
		"path": sprintf("/connected_apps/installed/sites/%d/apps/%d", [i, j]),
		"message": sprintf("Third-party app %s on %s is not on the app allow-list", [_app_name(app), site.url]),
	})
}

# METADATA
# title: An app was not installed by an admin
# description: >-
#   An app on a site was installed by a user who is not an admin, so nobody
#   responsible for the site vetted its vendor, scopes or data access.
# custom:
#   id: ATL-APP-005
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Apps > Sites > the site > Connected apps,
#     review the app with its owner and either keep it (reinstalled or
#     approved by an admin) or remove it; turn on "Block user apps" to stop
#     new user installs. Then update the attestation file.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/installing-and-managing-app-access/
#   tags: [security, connected-apps, cis:2.5, nist:CM-11]
#   requires: [connected_apps.settings]
deny contains finding if {
	some [i, j, site, app] in _attested_apps
	app.installed_by_admin == false
	finding := result.fail(rego.metadata.rule(), {
		"resource": _app_resource(site, app),
		"path": _settings_app_path(i, j),
		"message": sprintf("App %s on %s was not installed by an admin%s", [app.key, site.url, _installer(app)]),
	})
}

notes contains {"policy_id": "ATL-APP-004", "reason": "no allow-list configured"} if count(_allowed) == 0

_allowed := {lower(key) | some key in object.get(data.atlcheck.parameters.apps, "allowed", [])}

# _attested_apps holds [site index, app index, site, app] for every attested app.
_attested_apps contains [i, j, site, app] if {
	some i, site in input.connected_apps.settings.sites
	some j, app in site.apps
}

_settings_app_path(i, j) := sprintf("/connected_apps/settings/sites/%d/apps/%d", [i, j])

_app_resource(site, app) := sprintf("%s#%s", [site.url, app.key])

_app_name(app) := sprintf("%s (%s)", [app.name, app.key]) if {
	is_string(app.name)
	app.name != ""
} else := app.key

_installer(app) := sprintf(" (installed by %s)", [app.installed_by]) if {
	is_string(app.installed_by)
	app.installed_by != ""
} else := ""

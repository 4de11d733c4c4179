package atlassian.org_policies_test

import data.atlassian.org_policies

_org := "org-1"

_site := {"id": "c1", "name": "acme", "url": "https://acme.atlassian.net", "products": ["jira-software", "confluence"], "sandbox": "NONE"}

_support := {"id": "c2", "name": "support", "url": "https://support.atlassian.net", "products": ["jira-servicedesk", "townsquare"]}

_sandbox := {"id": "c3", "name": "labs", "url": "https://labs.atlassian.net", "products": ["jira-software"], "sandbox": "CHILD"}

_res(id, status) := {"id": id, "application_status": status}

_allowlist := {
	"id": "p-ip",
	"type": "ip-allowlist",
	"name": "Office",
	"status": "enabled",
	"rule": {"in": ["203.0.113.0/24"]},
	"resources": [
		_res("ari:cloud:jira-software::site/c1", "applied"),
		_res("ari:cloud:confluence::site/c1", "applied"),
		_res("ari:cloud:jira-servicedesk::site/c2", "applied"),
	],
}

_data_security := {
	"id": "p-ds",
	"type": "data-security",
	"name": "Block apps",
	"status": "enabled",
	"rule": {"appAccess": {"mode": "allowlist", "apps": []}},
	"resources": [_res("ari:cloud:platform::org/org-1", "applied")],
}

_ai := {
	"id": "p-ai",
	"type": "generative-ai",
	"name": "No AI",
	"status": "enabled",
	"resources": [_res("ari:cloud:confluence::site/c1", "applied"), _res("ari:cloud:jira-servicedesk::site/c2", "enabled")],
}

_input(policies, site_list) := {
	"collected_at": "2026-11-20T08:00:00Z",
	"org": {"id": _org},
	"sites": {"source": "api", "collected": true, "items": site_list},
	"org_policies": {"source": "api", "collected": true, "items": policies},
}

_clean := _input([_allowlist, _data_security, _ai], [_site, _support, _sandbox])

_findings(id, doc) := {f | some f in org_policies.deny with input as doc; f.policy_id == id}

_findings_ai(id, doc, expect) := {f |
	some f in org_policies.deny with input as doc with data.atlcheck.parameters.org_policies.generative_ai as expect
	f.policy_id == id
}

test_pass_clean_org if {
	count(org_policies.deny) == 0 with input as _clean
	count(org_policies.deny) == 0 with input as _clean with data.atlcheck.parameters.org_policies.generative_ai as "restricted"
}

# ATL-ORG-001

test_fail_no_allowlist if {
	disabled := object.union(_allowlist, {"status": "disabled"})
	_findings("ATL-ORG-001", _input([disabled, _data_security], [_site, _sandbox])) == {{
		"policy_id": "ATL-ORG-001",
		"resource": "https://acme.atlassian.net",
		"path": "/sites/items/0",
		"message": "Site https://acme.atlassian.net is under no enabled IP allow-list (the organization has no enabled IP allow-list): confluence, jira-software can be reached from any IP address",
	}}
}

test_fail_site_left_out if {
	acme_only := object.union(_allowlist, {"resources": [_res("ari:cloud:jira-software::site/c1", "applied"), _res("ari:cloud:jira-servicedesk::site/c2", "failed")]})
	{f.message | some f in _findings("ATL-ORG-001", _input([acme_only], [_site, _support]))} == {"Site https://support.atlassian.net is under no enabled IP allow-list: jira-servicedesk can be reached from any IP address"}
}

test_pass_enabled_allowlist_and_sites_without_allowlistable_products if {
	count(_findings("ATL-ORG-001", _clean)) == 0
	goal_only := {"id": "c9", "url": "https://goals.atlassian.net", "products": ["townsquare"]}
	count(_findings("ATL-ORG-001", _input([], [goal_only, _sandbox]))) == 0
}

# ATL-ORG-002

test_fail_allowlist_misses_a_product if {
	partial := object.union(_allowlist, {"resources": [_res("ari:cloud:jira-software::site/c1", "applied"), _res("ari:cloud:confluence::site/c1", "applying")]})
	_findings("ATL-ORG-002", _input([partial], [_site, _support, _sandbox])) == {{
		"policy_id": "ATL-ORG-002",
		"resource": "https://acme.atlassian.net",
		"path": "/sites/items/0",
		"message": "Site https://acme.atlassian.net: no enabled IP allow-list is in force for confluence, so it is reachable from any IP address",
	}}
}

test_pass_allowlist_for_all_of_jira_or_the_org if {
	jira := object.union(_allowlist, {"resources": [_res("ari:cloud:jira::site/c1", "applied"), _res("ari:cloud:confluence::site/c1", "applied"), _res("ari:cloud:jira::site/c2", "applied")]})
	count(_findings("ATL-ORG-002", _input([jira], [_site, _support, _sandbox]))) == 0
	org := object.union(_allowlist, {"resources": [_res("ari:cloud:platform::org/org-1", "applied")]})
	count(_findings("ATL-ORG-002", _input([org], [_site, _support]))) == 0
	count(_findings("ATL-ORG-001", _input([org], [_site, _support]))) == 0
}

test_pass_site_without_allowlist_is_org_001s_finding if {
	count(_findings("ATL-ORG-002", _input([], [_site]))) == 0
}

# ATL-ORG-003

test_fail_stuck_resources if {
	stuck := object.union(_allowlist, {"resources": [
		_res("ari:cloud:jira-software::site/c1", "failed"),
		object.union(_res("ari:cloud:confluence::site/c1", "removing"), {"started_at": "2026-11-10T00:00:00Z"}),
		_res("ari:cloud:jira-servicedesk::site/c2", "validating"),
	]})
	_findings("ATL-ORG-003", _input([stuck], [_site])) == {
		{
			"policy_id": "ATL-ORG-003",
			"resource": "p-ip#ari:cloud:jira-software::site/c1",
			"path": "/org_policies/items/0/resources/0",
			"message": "ip-allowlist policy \"Office\" on ari:cloud:jira-software::site/c1 could not be applied (failed)",
		},
		{
			"policy_id": "ATL-ORG-003",
			"resource": "p-ip#ari:cloud:confluence::site/c1",
			"path": "/org_policies/items/0/resources/1",
			"message": "ip-allowlist policy \"Office\" on ari:cloud:confluence::site/c1 has been removing since 2026-11-10, more than 2 days",
		},
	}
	_org_003_notes([stuck]) == {{
		"policy_id": "ATL-ORG-003",
		"reason": "1 org policy resource is applying, removing or validating and the API does not say since when, so whether it is stuck cannot be known: ip-allowlist policy \"Office\" on ari:cloud:jira-servicedesk::site/c2 (validating); the findings are the resources known to be stuck",
	}}
}

_org_003_notes(policies) := {n | some n in org_policies.notes with input as _input(policies, [_site]); n.policy_id == "ATL-ORG-003"}

# A resource applying with no start time is not known to be stuck: no
# finding, and ATL-ORG-003 is not evaluated (never a pass).
test_fail_applying_without_start_is_not_evaluated if {
	unknown := object.union(_allowlist, {"resources": [
		_res("ari:cloud:jira-software::site/c1", "applying"),
		_res("ari:cloud:confluence::site/c1", "removing"),
		_res("ari:cloud:jira-servicedesk::site/c2", "applied"),
	]})
	count(_findings("ATL-ORG-003", _input([unknown], [_site]))) == 0
	_org_003_notes([unknown]) == {{
		"policy_id": "ATL-ORG-003",
		"status": "not_evaluated",
		"area_failed": false,
		"reason": "2 org policy resources are applying, removing or validating and the API does not say since when, so whether they are stuck cannot be known: ip-allowlist policy \"Office\" on ari:cloud:confluence::site/c1 (removing); ip-allowlist policy \"Office\" on ari:cloud:jira-software::site/c1 (applying)",
	}}
}

test_pass_no_unknown_start_no_org_003_note if {
	count(_org_003_notes([_allowlist])) == 0
}

test_pass_recent_or_scheduled_changes if {
	moving := {"id": "p-dr", "type": "data-residency", "status": "enabled", "resources": [
		object.union(_res("ari:cloud:jira-software::site/c1", "applying"), {"started_at": "2026-11-19T08:00:00Z"}),
		object.union(_res("ari:cloud:confluence::site/c1", "scheduled"), {"scheduled_at": "2026-12-01T00:00:00Z"}),
		_res("ari:cloud:jira-software::site/c2", "applied"),
	]}
	count(_findings("ATL-ORG-003", _input([moving], [_site]))) == 0
	count(_org_003_notes([moving])) == 0
}

# ATL-ORG-004

test_fail_no_app_access_rule if {
	no_rule := object.union(_data_security, {"rule": {"publicLinks": {"blocked": true}, "appAccess": false}})
	site_only := object.union(_data_security, {"id": "p-ds2", "resources": [_res("ari:cloud:confluence::site/c1", "applied")]})
	disabled := object.union(_data_security, {"id": "p-ds3", "status": "disabled"})
	_findings("ATL-ORG-004", _input([no_rule, site_only, disabled], [_site, _support, _sandbox])) == {{
		"policy_id": "ATL-ORG-004",
		"resource": "https://support.atlassian.net",
		"path": "/sites/items/1",
		"message": "Site https://support.atlassian.net is covered by no enabled data security policy with an app access rule, so every installed app can read its content",
	}}
}

test_pass_app_access_rule_spellings if {
	rules := [{"app-access": "block"}, {"rules": [{"appAccessRule": {"blocklist": ["x"]}}]}, {"APP_ACCESS": true}]
	every rule in rules {
		policy := object.union(_data_security, {"rule": rule})
		count(_findings("ATL-ORG-004", _input([policy], [_site, _support]))) == 0
	}
}

test_fail_space_level_rule_does_not_cover_the_site if {
	space := object.union(_data_security, {"resources": [_res("ari:cloud:confluence:c1:space/42", "applied")]})
	{f.resource | some f in _findings("ATL-ORG-004", _input([space], [_site]))} == {"https://acme.atlassian.net"}
}

# ATL-ORG-005

test_pass_no_ai_expectation if {
	count(_findings("ATL-ORG-005", _input([], [_site]))) == 0
	org_policies.notes == {{"policy_id": "ATL-ORG-005", "reason": "no expectation configured (parameters.org_policies.generative_ai)"}} with input as _clean
}

test_fail_ai_not_restricted if {
	_findings_ai("ATL-ORG-005", _input([object.union(_ai, {"resources": [_res("ari:cloud:confluence::site/c1", "applied")]})], [_site, _support, _sandbox]), "restricted") == {{
		"policy_id": "ATL-ORG-005",
		"resource": "https://support.atlassian.net",
		"path": "/sites/items/1",
		"message": "Site https://support.atlassian.net: no enabled generative-ai policy restricts AI features there, but org_policies.generative_ai expects restricted",
	}}
}

test_fail_ai_restricted_but_allowed_expected if {
	_findings_ai("ATL-ORG-005", _clean, "allowed") == {{
		"policy_id": "ATL-ORG-005",
		"resource": "p-ai",
		"path": "/org_policies/items/2",
		"message": "generative-ai policy \"No AI\" restricts AI features on ari:cloud:confluence::site/c1, ari:cloud:jira-servicedesk::site/c2, but org_policies.generative_ai expects allowed",
	}}
	count(org_policies.notes) == 0 with input as _clean with data.atlcheck.parameters.org_policies.generative_ai as "allowed"
}

test_pass_ai_expectations_met if {
	count(_findings_ai("ATL-ORG-005", _clean, "restricted")) == 0
	count(_findings_ai("ATL-ORG-005", _input([object.union(_ai, {"status": "disabled"})], [_site]), "allowed")) == 0
}

test_fail_no_allowlist_when_a_policy_is_unreadable_does_not_claim_none if {
	doc := object.union(_input([_data_security], [_site]), {"org_policies": {"unreadable": [{"id": "pol-x", "problems": [{"field": "/attributes/status", "reason": "unknown value \"paused\""}], "raw": {}}]}})
	{f.message | some f in _findings("ATL-ORG-001", doc)} == {"Site https://acme.atlassian.net is under no enabled IP allow-list (none the API sent could be read as one: 1 org policy could not be read, see ATL-COL-003): confluence, jira-software can be reached from any IP address"}
}

package atlassian.app_access_test

import data.atlassian.app_access

_jira := "ari:cloud:jira::site/c1"

_member := "ari:cloud:identity::role/product/member"

_verified := {"items": [
	{"name": "acme.example", "status": "VERIFIED"},
	{"name": "pending.example", "status": "PENDING"},
]}

_input(domains) := _input_with(domains, _verified)

_input_with(domains, verified) := {
	"collected_at": "2026-11-20T08:00:00Z",
	"org": {"id": "org-1"},
	"verified_domains": verified,
	"app_access": {"source": "api", "collected": true, "items": domains},
}

_findings(policy_id, domains) := {f | some f in app_access.deny with input as _input(domains); f.policy_id == policy_id}

# ATL-AAS-001

test_fail_anyone_enabled if {
	domains := [{"domain": "ANYONE", "enabled": true, "products": [{"product_id": _jira, "role": _member}]}]
	_findings("ATL-AAS-001", domains) == {{
		"policy_id": "ATL-AAS-001",
		"resource": "ANYONE",
		"path": "/app_access/items/0",
		"message": "Approved domain ANYONE is enabled, so anyone with any email address can join 1 product",
	}}
}

test_fail_anyone_any_case if {
	domains := [{"domain": "acme.example", "enabled": true}, {"domain": "Anyone", "enabled": true}]
	_findings("ATL-AAS-001", domains) == {{
		"policy_id": "ATL-AAS-001",
		"resource": "Anyone",
		"path": "/app_access/items/1",
		"message": "Approved domain Anyone is enabled, so anyone with any email address can join the products it applies to",
	}}
}

test_pass_anyone_disabled if {
	count(app_access.deny) == 0 with input as _input([{
		"domain": "ANYONE", "enabled": false, "admin_notifications": false,
		"products": [{"product_id": _jira, "admin_approval_required": false, "role": "ari:cloud:identity::role/product/admin"}],
	}])
}

test_pass_anyone_denied_everywhere if {
	domains := [{"domain": "ANYONE", "enabled": true, "products": [
		{"product_id": _jira, "access_mode": "DENIED_ACCESS", "role": "ari:cloud:jira::role/product/admin"},
	]}]
	count(app_access.deny) == 0 with input as _input(domains)
}

test_fail_anyone_counts_only_products_with_access if {
	domains := [{"domain": "ANYONE", "enabled": true, "products": [
		{"product_id": _jira, "access_mode": "REQUEST_ACCESS", "admin_approval_required": true},
		{"product_id": "ari:cloud:confluence::app/all", "access_mode": "DENIED_ACCESS"},
	]}]
	{f.message | some f in _findings("ATL-AAS-001", domains)} == {"Approved domain ANYONE is enabled, so anyone with any email address can join 1 product"}
}

test_pass_no_anyone if {
	count(_findings("ATL-AAS-001", [{"domain": "acme.example", "enabled": true}])) == 0
}

# ATL-AAS-002

test_fail_public_email_domain if {
	_findings("ATL-AAS-002", [{"domain": "GMail.com", "enabled": true}]) == {{
		"policy_id": "ATL-AAS-002",
		"resource": "GMail.com",
		"path": "/app_access/items/0",
		"message": "Approved domain GMail.com is a public email provider",
	}}
}

test_fail_public_email_domain_from_parameters if {
	findings := _findings("ATL-AAS-002", [{"domain": "mail.example", "enabled": true}]) with data.atlcheck.parameters.app_access.public_email_domains as ["mail.example"]
	count(findings) == 1
}

test_pass_corporate_domain if {
	count(_findings("ATL-AAS-002", [{"domain": "acme.example", "enabled": true}])) == 0
}

test_pass_public_email_domain_disabled if {
	count(_findings("ATL-AAS-002", [{"domain": "gmail.com", "enabled": false}])) == 0
}

test_pass_subdomain_of_public_provider_is_not_the_provider if {
	count(_findings("ATL-AAS-002", [{"domain": "corp.gmail.com", "enabled": true}])) == 0
}

# ATL-AAS-003

test_fail_unverified_domain if {
	_findings("ATL-AAS-003", [{"domain": "pending.example", "enabled": true}]) == {{
		"policy_id": "ATL-AAS-003",
		"resource": "pending.example",
		"path": "/app_access/items/0",
		"message": "Approved domain pending.example is enabled but is not a verified domain of the organization",
	}}
}

test_fail_subdomain_does_not_inherit if {
	_findings("ATL-AAS-003", [{"domain": "eu.acme.example", "enabled": true}]) == {{
		"policy_id": "ATL-AAS-003",
		"resource": "eu.acme.example",
		"path": "/app_access/items/0",
		"message": "Approved domain eu.acme.example is enabled but is not a verified domain of the organization",
	}}
}

test_pass_verified_domain_any_case if {
	verified := {"items": [{"name": "acme.EXAMPLE", "status": "verified"}]}
	count(app_access.deny) == 0 with input as _input_with([{"domain": "ACME.example", "enabled": true}], verified)
}

test_fail_claimed_but_unverified_domain if {
	verified := {"items": [{"name": "acme.example", "status": "PENDING"}]}
	findings := app_access.deny with input as _input_with([{"domain": "acme.example", "enabled": true}], verified)
	findings == {{
		"policy_id": "ATL-AAS-003",
		"resource": "acme.example",
		"path": "/app_access/items/0",
		"message": "Approved domain acme.example is enabled but is not a verified domain of the organization",
	}}
}

test_pass_anyone_is_not_a_domain if {
	count(_findings("ATL-AAS-003", [{"domain": "ANYONE", "enabled": true}])) == 0
	count(_findings("ATL-AAS-002", [{"domain": "ANYONE", "enabled": true}])) == 0
}

test_pass_unverified_domain_disabled if {
	count(_findings("ATL-AAS-003", [{"domain": "pending.example", "enabled": false}])) == 0
}

# ATL-AAS-004

test_fail_admin_role_on_join if {
	domains := [{"domain": "acme.example", "enabled": true, "products": [
		{"product_id": _jira, "role": _member},
		{"product_id": "ari:cloud:confluence::site/c1", "role": "ari:cloud:identity::role/product/admin"},
	]}]
	_findings("ATL-AAS-004", domains) == {{
		"policy_id": "ATL-AAS-004",
		"resource": "acme.example#ari:cloud:confluence::site/c1",
		"path": "/app_access/items/0/products/1",
		"message": "Approved domain acme.example grants the role ari:cloud:identity::role/product/admin on ari:cloud:confluence::site/c1 to everyone who joins",
	}}
}

test_fail_admin_role_on_anyone if {
	domains := [{"domain": "ANYONE", "enabled": true, "products": [{"product_id": _jira, "role": "ari:cloud:jira::role/product/admin"}]}]
	count(_findings("ATL-AAS-004", domains)) == 1
}

test_pass_basic_roles if {
	domains := [{"domain": "acme.example", "enabled": true, "products": [
		{"product_id": _jira, "role": _member},
		{"product_id": "ari:cloud:confluence::site/c1", "role": "ari:cloud:identity::role/product/User"},
		{"product_id": "ari:cloud:jira-servicedesk::site/c1"},
	]}]
	count(_findings("ATL-AAS-004", domains)) == 0
}

test_pass_admin_role_on_denied_product if {
	domains := [{"domain": "acme.example", "enabled": true, "products": [
		{"product_id": _jira, "access_mode": "DENIED_ACCESS", "role": "ari:cloud:jira::role/product/admin"},
	]}]
	count(_findings("ATL-AAS-004", domains)) == 0
}

test_pass_admin_role_on_disabled_domain if {
	domains := [{"domain": "acme.example", "enabled": false, "products": [{"product_id": _jira, "role": "ari:cloud:identity::role/product/admin"}]}]
	count(_findings("ATL-AAS-004", domains)) == 0
}

# ATL-AAS-005

test_fail_no_approval_on_unverified_domain if {
	domains := [{"domain": "pending.example", "enabled": true, "products": [{"product_id": _jira, "admin_approval_required": false}]}]
	_findings("ATL-AAS-005", domains) == {{
		"policy_id": "ATL-AAS-005",
		"resource": "pending.example#ari:cloud:jira::site/c1",
		"path": "/app_access/items/0/products/0",
		"message": "Approved domain pending.example, which is not verified, gives access to ari:cloud:jira::site/c1 without admin approval",
	}}
}

test_fail_no_approval_on_anyone if {
	domains := [{"domain": "ANYONE", "enabled": true, "products": [{"product_id": _jira, "admin_approval_required": false}]}]
	_findings("ATL-AAS-005", domains) == {{
		"policy_id": "ATL-AAS-005",
		"resource": "ANYONE#ari:cloud:jira::site/c1",
		"path": "/app_access/items/0/products/0",
		"message": "Approved domain ANYONE, which admits any email address, gives access to ari:cloud:jira::site/c1 without admin approval",
	}}
}

test_pass_no_approval_on_verified_domain if {
	domains := [{"domain": "acme.example", "enabled": true, "products": [{"product_id": _jira, "admin_approval_required": false}]}]
	count(_findings("ATL-AAS-005", domains)) == 0
}

test_pass_approval_not_explicitly_off if {
	domains := [{"domain": "ANYONE", "enabled": true, "products": [
		{"product_id": _jira, "admin_approval_required": true},
		{"product_id": "ari:cloud:confluence::site/c1"},
	]}]
	count(_findings("ATL-AAS-005", domains)) == 0
}

# ATL-AAS-006

test_fail_notifications_off if {
	_findings("ATL-AAS-006", [{"domain": "acme.example", "enabled": true, "admin_notifications": false}]) == {{
		"policy_id": "ATL-AAS-006",
		"resource": "acme.example",
		"path": "/app_access/items/0",
		"message": "Admin notifications are off for approved domain acme.example",
	}}
}

test_pass_notifications_on_or_absent if {
	domains := [
		{"domain": "acme.example", "enabled": true, "admin_notifications": true},
		{"domain": "ANYONE", "enabled": true},
	]
	count(_findings("ATL-AAS-006", domains)) == 0
}

test_pass_notifications_off_on_disabled_domain if {
	count(_findings("ATL-AAS-006", [{"domain": "acme.example", "enabled": false, "admin_notifications": false}])) == 0
}

test_pass_empty_area if {
	count(app_access.deny) == 0 with input as {"app_access": {"source": "api", "collected": true, "items": []}}
}

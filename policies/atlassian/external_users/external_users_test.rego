package atlassian.external_users_test

import data.atlassian.external_users

_input(policies) := {"external_users": {
	"source": "attestation",
	"collected": true,
	"attested_by": "jane.admin@acme.example",
	"attested_at": "2026-11-02T00:00:00Z",
	"items": policies,
}}

test_fail_token_access_allowed if {
	policies := [
		{"name": "External user policy", "api_token_access": "allow"},
		{"name": "Test policy", "api_token_access": "block"},
	]
	external_users.deny == {{
		"policy_id": "ATL-EXT-001",
		"resource": "External user policy",
		"path": "/external_users/items/0",
		"message": "External-user policy \"External user policy\" allows external users to use API tokens",
	}} with input as _input(policies)
}

test_fail_token_access_allowed_any_case if {
	count(external_users.deny) == 1 with input as _input([{"name": "Contractors", "api_token_access": "ALLOW"}])
}

test_pass_token_access_blocked if {
	count(external_users.deny) == 0 with input as _input([{"name": "External user policy", "api_token_access": "block"}])
}

test_pass_no_policies if {
	count(external_users.deny) == 0 with input as _input([])
}

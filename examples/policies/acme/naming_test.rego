package acme.naming_test

import data.acme.naming

test_fail_unlabelled_key if {
	naming.deny == {{
		"policy_id": "ACME-KEY-100",
		"resource": "k1",
		"path": "/api_keys/items/0",
		"message": "Admin API key k1 has label \"\", which does not name a team and purpose",
	}} with input as {"api_keys": {"items": [{"id": "k1"}]}}
}

test_pass_labelled_key if {
	count(naming.deny) == 0 with input as {"api_keys": {"items": [{"id": "k1", "label": "secops-audit-export"}]}}
}

package custom.failing

# METADATA
# title: Every API key has a label
# description: A fixture policy whose test is wrong on purpose.
# custom:
#   id: CUST-KEY-001
#   severity: low
#   remediation: Label the key.
#   references: [https://example.com/policy]
#   tags: [security]
#   requires: [api_keys]
deny contains finding if {
	some i, key in input.api_keys.items
	not key.label
	finding := {"policy_id": "CUST-KEY-001", "resource": key.id, "path": sprintf("/api_keys/items/%d", [i]), "message": "unlabelled"}
}

package custom.dup

# METADATA
# title: Duplicate of a built-in id
# description: Reuses ATL-KEY-001, which the built-ins already define.
# custom:
#   id: ATL-KEY-001
#   severity: low
#   remediation: Pick a new id.
#   references: [https://example.com/policy]
#   tags: [security]
#   requires: [api_keys]
deny contains finding if {
	some key in input.api_keys.items
	finding := {"policy_id": "ATL-KEY-001", "resource": key.id, "path": "", "message": "dup"}
}

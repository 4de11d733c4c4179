package custom.sev

# METADATA
# title: Severity out of the scale
# description: Uses a severity that does not exist.
# custom:
#   id: CUST-SEV-001
#   severity: urgent
#   remediation: Use critical, high, medium, low or info.
#   references: [https://example.com/policy]
#   tags: [security]
#   requires: [api_keys]
deny contains finding if {
	some key in input.api_keys.items
	finding := {"policy_id": "CUST-SEV-001", "resource": key.id, "path": "", "message": "sev"}
}

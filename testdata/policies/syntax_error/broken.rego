package custom.broken

# METADATA
# title: Broken
deny contains finding if {
	some key in input.api_keys.items
	finding := {"policy_id": "X-1", "resource": key.id
}

package custom.nometa

deny contains finding if {
	some key in input.api_keys.items
	finding := {"policy_id": "CUST-KEY-001", "resource": key.id, "path": "", "message": "no metadata"}
}

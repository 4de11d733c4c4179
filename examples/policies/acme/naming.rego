# An example custom policy: copy this directory, change the package, the id
# prefix and the rule, and pass it with `atlcheck check --policies DIR`.
package acme.naming

# METADATA
# title: Admin API keys must have a descriptive label
# description: >-
#   Every admin API key needs a label that names its owning team and purpose,
#   so that an auditor can tell what a key is for before revoking it.
# custom:
#   id: ACME-KEY-100
#   severity: low
#   remediation: >-
#     Revoke the key and create a new one labelled "<team>-<purpose>", e.g.
#     "secops-audit-export".
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#   tags: [security, api-keys, cis:1.1]
#   requires: [api_keys]
deny contains finding if {
	some i, key in input.api_keys.items
	not regex.match(`^[a-z0-9]+-[a-z0-9-]+$`, object.get(key, "label", ""))
	finding := {
		"policy_id": rego.metadata.rule().custom.id,
		"resource": key.id,
		"path": sprintf("/api_keys/items/%d", [i]),
		"message": sprintf("Admin API key %s has label %q, which does not name a team and purpose", [key.id, object.get(key, "label", "")]),
	}
}

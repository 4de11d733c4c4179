# Package external_users checks the attested external-user security policies
# (Security > User security > External users), which no admin API exposes.
package atlassian.external_users

import data.lib.result

# METADATA
# title: External users may use API tokens
# description: >-
#   An external-user policy allows API token access, so people outside the
#   organization's identity provider can call product APIs with a token that
#   bypasses the organization's SSO and two-step verification requirements.
# custom:
#   id: ATL-EXT-001
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Security > User security > External users,
#     select the policy, and set "API token access for external users" to
#     Block. Then update the attestation file.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/set-api-token-access/
#   tags: [security, external-users, cis:6.3, nist:AC-3, nist:IA-2]
#   requires: [external_users]
deny contains finding if {
	some i, policy in input.external_users.items
	is_string(policy.api_token_access)
	lower(policy.api_token_access) == "allow"
	finding := result.fail(rego.metadata.rule(), {
		"resource": policy.name,
		"path": sprintf("/external_users/items/%d", [i]),
		"message": sprintf("External-user policy %q allows external users to use API tokens", [policy.name]),
	})
}

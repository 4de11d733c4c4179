# Package exceptions checks the accepted-risk exceptions of the config file
# (data.atlcheck.exceptions): an exception that has expired no longer
# suppresses anything, and one about to expire needs a decision.
package atlassian.exceptions

import data.lib.exceptions
import data.lib.result

# METADATA
# title: An exception has expired
# description: >-
#   An accepted-risk exception in the config file is past its expiry date, so
#   the findings it covered are reported again. An expired exception is a risk
#   decision nobody renewed.
# custom:
#   id: ATL-EXC-001
#   severity: medium
#   remediation: >-
#     Fix the findings the exception covered, or review the risk with its owner
#     and renew the exception with a new expiry date; remove it when the risk
#     is gone.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#   tags: [security, exceptions, cis:4.1, nist:CA-5, nist:PM-4]
#   requires: []
deny contains finding if {
	some exc in data.atlcheck.exceptions
	exceptions.expired(exc)
	finding := result.fail(rego.metadata.rule(), {
		"resource": _name(exc),
		"path": "",
		"message": sprintf("Exception for %s on %q (owner %s, config line %d) expired on %s", [exc.policy, exc.resource, exc.owner, exc.line, exc.expires]),
	})
}

# METADATA
# title: An exception expires soon
# description: >-
#   An accepted-risk exception in the config file expires within
#   parameters.exceptions.expiry_warning_days, after which its findings count
#   again. Plan the fix or the renewal now.
# custom:
#   id: ATL-EXC-002
#   severity: info
#   remediation: >-
#     Ask the exception's owner to fix the findings before the expiry date or
#     to renew the exception with a documented reason.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#   tags: [security, exceptions, cis:4.1, nist:CA-5]
#   requires: []
deny contains finding if {
	some exc in data.atlcheck.exceptions
	exceptions.expires_within(exc, data.atlcheck.parameters.exceptions.expiry_warning_days)
	finding := result.fail(rego.metadata.rule(), {
		"resource": _name(exc),
		"path": "",
		"message": sprintf("Exception for %s on %q (owner %s, config line %d) expires on %s", [exc.policy, exc.resource, exc.owner, exc.line, exc.expires]),
	})
}

# _name identifies an exception: its policy id and resource pattern.
_name(exc) := sprintf("%s:%s", [exc.policy, exc.resource])

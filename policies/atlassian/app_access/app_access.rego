# Package app_access checks the approved domains of the app access settings:
# who may join the organization's products by signing up with an email
# address, with which role and whether an admin must approve. Only enabled
# domains give findings.
package atlassian.app_access

import data.lib.domains
import data.lib.result

# METADATA
# title: The ANYONE domain is enabled
# description: >-
#   The special ANYONE approved domain is enabled, so a person with an email
#   address on any domain can sign up and get access to the products it applies
#   to. Outsiders can then reach internal content without an invitation.
# custom:
#   id: ATL-AAS-001
#   severity: critical
#   remediation: >-
#     In admin.atlassian.com open Directory > User access settings (Products >
#     User access settings in older layouts), select Approved domains, and
#     disable or remove the ANYONE entry. Invite outside collaborators
#     individually, or approve only the domains your organization owns.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-app-access-settings/
#   tags: [security, app-access, cis:6.1, nist:AC-2, nist:AC-3]
#   requires: [app_access]
deny contains finding if {
	some i, entry in _enabled
	domains.is_anyone(entry.domain)
	not _all_denied(entry)
	finding := result.fail(rego.metadata.rule(), {
		"resource": entry.domain,
		"path": _path(i),
		"message": sprintf("Approved domain %s is enabled, so anyone with any email address can join %s", [entry.domain, _products_text(entry)]),
	})
}

# METADATA
# title: An approved domain is a public email provider
# description: >-
#   An enabled approved domain belongs to a public email provider (for example
#   gmail.com), so anyone who opens a free mailbox there can join the
#   organization's products. The list of providers is the parameter
#   app_access.public_email_domains.
# custom:
#   id: ATL-AAS-002
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Directory > User access settings > Approved
#     domains and remove the public email domain. Invite people who only have a
#     personal address individually.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-app-access-settings/
#   tags: [security, app-access, cis:6.1, nist:AC-2]
#   requires: [app_access]
deny contains finding if {
	some i, entry in _enabled
	not domains.is_anyone(entry.domain)
	lower(entry.domain) in _public_email_domains
	finding := result.fail(rego.metadata.rule(), {
		"resource": entry.domain,
		"path": _path(i),
		"message": sprintf("Approved domain %s is a public email provider", [entry.domain]),
	})
}

# METADATA
# title: An approved domain is not a verified domain
# description: >-
#   An enabled approved domain is not among the organization's verified
#   domains, so the organization has not proven that it controls who gets an
#   email address there. Names match exactly and case-insensitively;
#   subdomains of a verified domain are not verified themselves.
# custom:
#   id: ATL-AAS-003
#   severity: medium
#   remediation: >-
#     Verify the domain in admin.atlassian.com under Settings > Domains (DNS or
#     HTTPS verification), or remove it from Directory > User access settings >
#     Approved domains.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-app-access-settings/
#   tags: [security, app-access, cis:6.1, nist:AC-2, nist:IA-8]
#   requires: [app_access, verified_domains]
deny contains finding if {
	some i, entry in _enabled
	not domains.is_anyone(entry.domain)
	not domains.is_verified(entry.domain)
	finding := result.fail(rego.metadata.rule(), {
		"resource": entry.domain,
		"path": _path(i),
		"message": sprintf("Approved domain %s is enabled but is not a verified domain of the organization", [entry.domain]),
	})
}

# METADATA
# title: An approved domain grants more than basic product access
# description: >-
#   An enabled approved domain gives people who join a product role above basic
#   access (a role whose ARI does not end in member or user), for example
#   product admin. Everyone who signs up then gets elevated rights without an
#   admin deciding it.
# custom:
#   id: ATL-AAS-004
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Directory > User access settings > Approved
#     domains, edit the domain and set the role for each product to the basic
#     user or member role. Grant admin roles to named people instead.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-app-access-settings/
#   tags: [security, app-access, cis:6.8, nist:AC-6]
#   requires: [app_access]
deny contains finding if {
	some i, entry in _enabled
	some j, grant in entry.products
	not _denied(grant)
	is_string(grant.role)
	grant.role != ""
	not _role_name(grant.role) in {"member", "user"}
	finding := result.fail(rego.metadata.rule(), {
		"resource": sprintf("%s#%s", [entry.domain, grant.product_id]),
		"path": sprintf("%s/products/%d", [_path(i), j]),
		"message": sprintf("Approved domain %s grants the role %s on %s to everyone who joins", [entry.domain, grant.role, grant.product_id]),
	})
}

# METADATA
# title: An open or unverified domain gives access without admin approval
# description: >-
#   The ANYONE domain or an approved domain that is not verified gives access to
#   a product without admin approval (admin approval explicitly turned off), so
#   people the organization cannot vouch for get in unreviewed.
# custom:
#   id: ATL-AAS-005
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Directory > User access settings > Approved
#     domains, edit the domain and require admin approval for every product, or
#     verify the domain under Settings > Domains.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-app-access-settings/
#   tags: [security, app-access, cis:6.1, nist:AC-2]
#   requires: [app_access, verified_domains]
deny contains finding if {
	some i, entry in _enabled
	_open_or_unverified(entry.domain)
	some j, grant in entry.products
	grant.admin_approval_required == false
	finding := result.fail(rego.metadata.rule(), {
		"resource": sprintf("%s#%s", [entry.domain, grant.product_id]),
		"path": sprintf("%s/products/%d", [_path(i), j]),
		"message": sprintf("Approved domain %s, %s, gives access to %s without admin approval", [entry.domain, _why_open(entry.domain), grant.product_id]),
	})
}

# METADATA
# title: Admin notifications are off for an approved domain
# description: >-
#   Admin notifications are explicitly turned off for an enabled approved
#   domain, so admins are not told when someone joins through it and unexpected
#   sign-ups go unnoticed.
# custom:
#   id: ATL-AAS-006
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open Directory > User access settings > Approved
#     domains, edit the domain and turn on notifications to admins.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-app-access-settings/
#   tags: [security, app-access, cis:6.1, nist:AC-2]
#   requires: [app_access]
deny contains finding if {
	some i, entry in _enabled
	entry.admin_notifications == false
	finding := result.fail(rego.metadata.rule(), {
		"resource": entry.domain,
		"path": _path(i),
		"message": sprintf("Admin notifications are off for approved domain %s", [entry.domain]),
	})
}

# _enabled holds the enabled approved domains, by their index in the snapshot
# (a comprehension, built once).
_enabled := {i: entry |
	some i, entry in input.app_access.items
	entry.enabled == true
	is_string(entry.domain)
}

_path(i) := sprintf("/app_access/items/%d", [i])

_public_email_domains := {lower(name) | some name in data.atlcheck.parameters.app_access.public_email_domains}

# _role_name is the last segment of a role ARI, e.g. member for
# ari:cloud:identity::role/product/member.
_role_name(role) := lower(segments[count(segments) - 1]) if segments := regex.split(`[/:]`, role)

_open_or_unverified(name) if domains.is_anyone(name)

_open_or_unverified(name) if not domains.is_verified(name)

_why_open(name) := "which admits any email address" if domains.is_anyone(name)

else := "which is not verified"

_products_text(entry) := "1 product" if {
	count(_products(entry)) == 1
} else := sprintf("%d products", [count(_products(entry))]) if {
	count(_products(entry)) > 1
} else := "the products it applies to"

_products(entry) := [grant |
	some grant in _all_products(entry)
	not _denied(grant)
]

_all_products(entry) := products if {
	products := object.get(entry, "products", [])
	is_array(products)
} else := []

# _all_denied holds for a domain whose every listed product is DENIED_ACCESS:
# nobody can join through it.
_all_denied(entry) if {
	count(_all_products(entry)) > 0
	count(_products(entry)) == 0
}

# _denied holds for a product the domain gives no access to (DENIED_ACCESS):
# it counts for no access finding.
_denied(grant) if object.get(grant, "access_mode", "") == "DENIED_ACCESS"

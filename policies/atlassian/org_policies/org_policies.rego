# Package org_policies checks the organization's policies (GET
# /admin/v1/orgs/{orgId}/policies): IP allow-lists, data security, AI and the
# application of every policy to its resources. A policy counts when its
# status is enabled; it protects a resource only while that resource's
# application status is applied (or enabled). Sites are matched by the cloud
# id in a resource's ARI (ari:cloud:<product>::site/<cloud id>); an
# organization ARI covers every site. Sandbox sites (sandbox CHILD) are not
# production sites.
package atlassian.org_policies

import data.lib.dates
import data.lib.result
import data.lib.sites

# METADATA
# title: A production site is under no IP allow-list
# description: >-
#   No enabled IP allow-list is in force on any product of a production site
#   (Jira, Jira Service Management, Confluence), so the site, its APIs
#   included, can be reached from any network with a stolen password,
#   session or API token. When the organization has no enabled IP allow-list
#   at all, every production site is reported. When its plan has no IP
#   allow-lists, the policy is not evaluated ("not available on this plan"),
#   neither passed nor failed.
# custom:
#   id: ATL-ORG-001
#   severity: high
#   remediation: >-
#     In admin.atlassian.com open Security > IP allowlisting, create (or edit)
#     an allow-list with the organization's office and VPN ranges, select
#     every product of the site and enable it. IP allow-lists need the
#     products on a Premium or Enterprise plan.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/specify-ip-addresses-for-product-access/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-policies/
#   tags: [security, org-policies, nist:AC-3, nist:AC-17, nist:SC-7]
#   requires: [org_policies, sites]
deny contains finding if {
	some [i, site] in sites.production
	products := _allowlistable_products(site)
	count(products) > 0
	not _ip_on_site(site)
	finding := result.fail(rego.metadata.rule(), {
		"resource": site.url,
		"path": sprintf("/sites/items/%d", [i]),
		"message": sprintf("Site %s is under no enabled IP allow-list%s: %s can be reached from any IP address", [site.url, _no_allowlist_text, concat(", ", products)]),
	})
}

# METADATA
# title: An IP allow-list leaves products of a site open
# description: >-
#   An enabled IP allow-list is in force on some products of a production
#   site but not on others (or has not been applied to them yet), so those
#   products can still be reached from any network.
# custom:
#   id: ATL-ORG-002
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Security > IP allowlisting, edit the
#     allow-list and add the site's missing products; check that each shows
#     as applied. The product needs a Premium or Enterprise plan.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/specify-ip-addresses-for-product-access/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-policies/
#   tags: [security, org-policies, nist:AC-3, nist:AC-17, nist:SC-7]
#   requires: [org_policies, sites]
deny contains finding if {
	some [i, site] in sites.production
	_ip_on_site(site)
	open := [p | some p in _allowlistable_products(site); not _ip_covered(site, p)]
	count(open) > 0
	finding := result.fail(rego.metadata.rule(), {
		"resource": site.url,
		"path": sprintf("/sites/items/%d", [i]),
		"message": sprintf("Site %s: no enabled IP allow-list is in force for %s, so %s reachable from any IP address", [site.url, concat(", ", open), _it_is(open)]),
	})
}

# METADATA
# title: An org policy is stuck on a resource
# description: >-
#   An org policy could not be applied to one of its resources (application
#   status failed), or has been applying, removing or validating for more
#   than org_policies.stuck_days. Until it is applied the resource is not
#   protected the way the policy says. A resource in such a state the API
#   gives no start time for cannot be known to be stuck: it is named in the
#   policy's reason, and with nothing else failing the policy it is not
#   evaluated (never a pass).
# custom:
#   id: ATL-ORG-003
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open the policy (Security > IP allowlisting, Data
#     security policies, or Data residency), check the resource's status and
#     retry or remove and re-add the resource; contact Atlassian support when
#     it stays failed.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-policies/
#     - https://developer.atlassian.com/cloud/admin/control/rest/api-group-resources/
#   tags: [security, org-policies, nist:CM-6]
#   requires: [org_policies]
deny contains finding if {
	some i, policy in input.org_policies.items
	some j, res in policy.resources
	problem := _stuck(res)
	finding := result.fail(rego.metadata.rule(), {
		"resource": sprintf("%s#%s", [policy.id, res.id]),
		"path": sprintf("/org_policies/items/%d/resources/%d", [i, j]),
		"message": sprintf("%s on %s %s", [_policy_name(policy), res.id, problem]),
	})
}

# METADATA
# title: A production site has no data security policy with an app access rule
# description: >-
#   No enabled data security policy with an app access rule is in force on a
#   production site (site-wide or for the whole organization), so every
#   installed app can read its pages and issues. This complements ATL-APP-004
#   (which apps are installed) with what the installed apps may read. An app
#   access rule is a key of the policy's rule whose name contains
#   "appAccess" (any case and separators) and whose value is not off (false,
#   empty, allow, disabled); rules limited to some spaces or projects do not
#   cover the site.
# custom:
#   id: ATL-ORG-004
#   severity: medium
#   remediation: >-
#     In admin.atlassian.com open Security > Data security policies, create or
#     edit a policy covering the site's products, add the App access rule
#     (block app access, or an allow-list of the apps that need the data) and
#     save it.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/block-app-access/
#     - https://developer.atlassian.com/cloud/jira/platform/data-security-policy-developer-guide/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-policies/
#   tags: [security, org-policies, connected-apps, nist:AC-3, nist:AC-21]
#   requires: [org_policies, sites]
deny contains finding if {
	not _app_rule_org_wide
	some [i, site] in sites.production
	not site.id in _app_rule_sites
	finding := result.fail(rego.metadata.rule(), {
		"resource": site.url,
		"path": sprintf("/sites/items/%d", [i]),
		"message": sprintf("Site %s is covered by no enabled data security policy with an app access rule, so every installed app can read its content", [site.url]),
	})
}

# METADATA
# title: The generative AI policy is not what the organization expects
# description: >-
#   org_policies.generative_ai says whether Atlassian's generative AI features
#   should be restricted or allowed. An enabled generative-ai policy in force
#   on a site (or on the whole organization) restricts them there: with the
#   expectation restricted, a production site without one is reported; with
#   allowed, every enabled generative-ai policy in force is reported. Without
#   an expectation the policy passes with that reason.
# custom:
#   id: ATL-ORG-005
#   severity: low
#   remediation: >-
#     In admin.atlassian.com open the organization's AI settings (Atlassian
#     Intelligence / generative AI policy) and apply the policy to every
#     production site, or remove it, so that it matches the organization's
#     decision; or change org_policies.generative_ai.
#   references:
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-policies/
#     - https://www.atlassian.com/trust/atlassian-intelligence
#   tags: [security, org-policies, ai, nist:AC-21, nist:CM-7]
#   requires: [org_policies, sites]
deny contains finding if {
	some mismatch in _ai_mismatches
	finding := result.fail(rego.metadata.rule(), mismatch)
}

# _ai_mismatches: with restricted expected, production sites no enabled
# generative-ai policy is in force on.
_ai_mismatches contains {
	"resource": site.url,
	"path": sprintf("/sites/items/%d", [i]),
	"message": sprintf("Site %s: no enabled generative-ai policy restricts AI features there, but org_policies.generative_ai expects restricted", [site.url]),
} if {
	_params.generative_ai == "restricted"
	not _ai_org_wide
	some [i, site] in sites.production
	not site.id in _ai_sites
}

# _ai_mismatches: with allowed expected, enabled generative-ai policies in
# force on some resource.
_ai_mismatches contains {
	"resource": policy.id,
	"path": sprintf("/org_policies/items/%d", [i]),
	"message": sprintf("%s restricts AI features on %s, but org_policies.generative_ai expects allowed", [_policy_name(policy), concat(", ", applied)]),
} if {
	_params.generative_ai == "allowed"
	some i, policy in _enabled("generative-ai")
	applied := sort([res.id | some res in policy.resources; _in_force(res)])
	count(applied) > 0
}

notes contains {"policy_id": "ATL-ORG-005", "reason": "no expectation configured (parameters.org_policies.generative_ai)"} if {
	_params.generative_ai == ""
}

# notes: resources whose transitional state has no start time make ATL-ORG-003
# not evaluated when nothing else fails it (never a pass); when other
# resources fail it, the policy fails and its reason names them.
notes contains {"policy_id": "ATL-ORG-003", "status": "not_evaluated", "area_failed": false, "reason": _unknown_since_text} if {
	count(_unknown_since) > 0
	count(_org_003_findings) == 0
}

notes contains {"policy_id": "ATL-ORG-003", "reason": sprintf("%s; the findings are the resources known to be stuck", [_unknown_since_text])} if {
	count(_unknown_since) > 0
	count(_org_003_findings) > 0
}

_params := data.atlcheck.parameters.org_policies

# _enabled returns the enabled policies of a type by their index.
_enabled(type) := {i: policy |
	some i, policy in input.org_policies.items
	lower(policy.type) == type
	policy.status == "enabled"
}

# _in_force holds for a resource the policy is applied to.
_in_force(res) if res.application_status in {"applied", "enabled"}

_transitional := {"applying", "removing", "validating"}

# _allowlistable are the products an IP allow-list applies to.
_allowlistable := {"jira", "jira-software", "jira-core", "jira-work-management", "jira-servicedesk", "jira-product-discovery", "confluence"}

# _ip_in_force holds [cloud id, product] for each product an enabled IP
# allow-list is in force on.
_ip_in_force contains [site.cloud_id, site.product] if {
	some policy in _enabled("ip-allowlist")
	some res in policy.resources
	_in_force(res)
	site := sites.ari_site(res.id)
}

_ip_org_wide if {
	some policy in _enabled("ip-allowlist")
	some res in policy.resources
	_in_force(res)
	sites.is_org(res.id)
}

# _ip_covered holds when an IP allow-list is in force for a product of a site:
# for the organization, for that product, or for all of Jira ("jira").
_ip_covered(_, _) if _ip_org_wide

_ip_covered(site, product_key) if [site.id, lower(product_key)] in _ip_in_force

_ip_covered(site, product_key) if {
	startswith(lower(product_key), "jira")
	[site.id, "jira"] in _ip_in_force
}

# _allowlistable_products are a site's products an IP allow-list applies to, sorted.
_allowlistable_products(site) := sort([p | some p in site.products; lower(p) in _allowlistable])

# _ip_on_site holds when an enabled IP allow-list is in force on a product of the site.
_ip_on_site(site) if {
	some p in site.products
	_ip_covered(site, p)
}

default _no_allowlist_text := ""

_no_allowlist_text := " (the organization has no enabled IP allow-list)" if {
	count(_enabled("ip-allowlist")) == 0
	count(_unreadable_policies) == 0
}

# An org policy that could not be read (ATL-COL-003) may be an enabled IP
# allow-list: the message never claims the organization has none.
_no_allowlist_text := sprintf(" (none the API sent could be read as one: %d org %s could not be read, see ATL-COL-003)", [n, _policies_word(n)]) if {
	count(_enabled("ip-allowlist")) == 0
	n := count(_unreadable_policies)
	n > 0
}

_unreadable_policies := object.get(input.org_policies, "unreadable", [])

_policies_word(1) := "policy"

_policies_word(n) := "policies" if n != 1

_it_is(products) := "it is" if count(products) == 1

_it_is(products) := "they are" if count(products) > 1

# _stuck says how a resource is stuck, undefined when it is not.
_stuck(res) := "could not be applied (failed)" if {
	res.application_status == "failed"
} else := sprintf("has been %s since %s, more than %v days", [res.application_status, dates.date(since), _params.stuck_days]) if {
	res.application_status in _transitional
	since := _since(res)
	dates.older_than(since, _params.stuck_days)
}

# _unknown_since lists the resources in a transitional state the API gives
# no start for: how long they have been in it cannot be known, so they are
# not reported as stuck.
_unknown_since contains sprintf("%s on %s (%s)", [_policy_name(policy), res.id, res.application_status]) if {
	some policy in input.org_policies.items
	some res in policy.resources
	res.application_status in _transitional
	not _since(res)
}

_unknown_since_text := sprintf("%d org policy %s applying, removing or validating and the API does not say since when, so whether %s stuck cannot be known: %s", [
	n, _resources_are(n), _it_is(_unknown_since), concat("; ", sort(_unknown_since)),
]) if {
	n := count(_unknown_since)
}

_resources_are(1) := "resource is"

_resources_are(n) := "resources are" if n != 1

_org_003_findings := {f | some f in deny; f.policy_id == "ATL-ORG-003"}

# _since is when a resource's change started: the migration start, else the
# scheduled date; undefined when the API gives neither.
_since(res) := res.started_at if {
	is_string(res.started_at)
} else := res.scheduled_at if {
	is_string(res.scheduled_at)
}

_policy_name(policy) := sprintf("%s policy %q", [policy.type, policy.name]) if {
	is_string(policy.name)
	policy.name != ""
} else := sprintf("%s policy %s", [policy.type, policy.id])

# _app_rule_sites holds the cloud ids of the sites an enabled data security
# policy with an app access rule is in force on.
_app_rule_sites contains site.cloud_id if {
	some policy in _app_rule_policies
	some res in policy.resources
	_in_force(res)
	site := sites.ari_site(res.id)
}

_app_rule_org_wide if {
	some policy in _app_rule_policies
	some res in policy.resources
	_in_force(res)
	sites.is_org(res.id)
}

_app_rule_policies contains policy if {
	some policy in _enabled("data-security")
	_has_app_access_rule(policy.rule)
}

# _has_app_access_rule holds when a rule has a key naming app access whose
# value is on.
_has_app_access_rule(rule) if {
	walk(rule, [path, value])
	count(path) > 0
	key := path[count(path) - 1]
	is_string(key)
	contains(lower(regex.replace(key, `[^A-Za-z0-9]`, "")), "appaccess")
	_on(value)
}

_on(true)

_on(value) if {
	is_string(value)
	not lower(value) in {"", "false", "off", "none", "allow", "allowed", "disabled"}
}

_on(value) if {
	is_object(value)
	count(value) > 0
	not object.get(value, "enabled", true) == false
}

_on(value) if {
	is_array(value)
	count(value) > 0
}

# _ai_sites holds the cloud ids of the sites an enabled generative-ai policy
# is in force on.
_ai_sites contains site.cloud_id if {
	some policy in _enabled("generative-ai")
	some res in policy.resources
	_in_force(res)
	site := sites.ari_site(res.id)
}

_ai_org_wide if {
	some policy in _enabled("generative-ai")
	some res in policy.resources
	_in_force(res)
	sites.is_org(res.id)
}

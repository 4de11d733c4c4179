# Package sites knows the org's sites and how Atlassian Resource Identifiers
# (ARIs) name them: ari:cloud:<product>::site/<cloud id> for a product on a
# site, ari:cloud:platform::org/<org id> for the whole organization.
package lib.sites

# production holds [index, site] for every site that is not a sandbox
# (sandbox.type CHILD marks a sandbox of another site).
production contains [i, site] if {
	some i, site in input.sites.items
	not upper(object.get(site, "sandbox", "")) == "CHILD"
}

# ari_site parses a site ARI into its product (lower case) and cloud id;
# undefined for any other ARI (a space, a project, the org).
ari_site(ari) := {"product": lower(m[1]), "cloud_id": m[2]} if {
	is_string(ari)
	some m in regex.find_all_string_submatch_n(`^ari:cloud:([^:/]+)::site/([^/]+)$`, ari, 1)
}

# is_org holds for the ARI of this organization as a whole.
is_org(ari) if ari == sprintf("ari:cloud:platform::org/%s", [input.org.id])

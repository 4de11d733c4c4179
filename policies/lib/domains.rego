# Package domains knows the org's verified domains and the special ANYONE
# approved domain. Names match exactly and case-insensitively; subdomains do
# not inherit verification.
package lib.domains

# anyone is the approved "domain" that admits every email address.
anyone := "ANYONE"

# verified is the set of lower-case names of the org's verified domains
# (claim status VERIFIED, any case).
verified contains lower(domain.name) if {
	some domain in input.verified_domains.items
	is_string(domain.status)
	upper(domain.status) == "VERIFIED"
}

# is_anyone holds for the special ANYONE approved domain.
is_anyone(name) if upper(name) == anyone

# is_verified holds when name is a verified domain of the org.
is_verified(name) if lower(name) in verified

# of_email is the lower-case domain of an email address.
of_email(email) := lower(parts[count(parts) - 1]) if {
	is_string(email)
	parts := split(email, "@")
	count(parts) > 1
	parts[count(parts) - 1] != ""
}

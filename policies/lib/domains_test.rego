package lib.domains_test

import data.lib.domains

_input := {"verified_domains": {"items": [
	{"name": "Acme.example", "status": "verified"},
	{"name": "labs.example", "status": "UNVERIFIED"},
]}}

test_verified_is_exact_and_case_insensitive if {
	domains.is_verified("ACME.EXAMPLE") with input as _input
	not domains.is_verified("eu.acme.example") with input as _input
	not domains.is_verified("labs.example") with input as _input
}

test_email_domain if {
	domains.of_email("Tom@Sub.Example.COM") == "sub.example.com"
	not domains.of_email("no-at-sign")
	not domains.of_email("trailing@")
	not domains.of_email(null)
}

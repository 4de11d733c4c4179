package atlassian.exceptions_test

import data.atlassian.exceptions

_now := {"collected_at": "2026-11-20T08:00:00Z"}

_exc(expires) := {
	"policy": "ATL-KEY-004",
	"resource": "key-legacy-*",
	"owner": "secops@example.com",
	"reason": "Break-glass key",
	"ticket": "SEC-1",
	"expires": expires,
	"expires_at": sprintf("%sT00:00:00Z", [time.format([time.add_date(time.parse_rfc3339_ns(sprintf("%sT00:00:00Z", [expires])), 0, 0, 1), "UTC", "2006-01-02"])]),
	"line": 7,
}

test_fail_expired if {
	exceptions.deny == {{
		"policy_id": "ATL-EXC-001",
		"resource": "ATL-KEY-004:key-legacy-*",
		"path": "",
		"message": "Exception for ATL-KEY-004 on \"key-legacy-*\" (owner secops@example.com, config line 7) expired on 2026-11-19",
	}} with input as _now
		with data.atlcheck.exceptions as [_exc("2026-11-19")]
}

test_pass_valid_through_expiry_day if {
	# Expires today: it still applies for the rest of the day, so no ATL-EXC-001.
	every f in exceptions.deny { f.policy_id != "ATL-EXC-001" } with input as _now
		with data.atlcheck.exceptions as [_exc("2026-11-20")]
}

test_fail_expires_soon if {
	exceptions.deny == {{
		"policy_id": "ATL-EXC-002",
		"resource": "ATL-KEY-004:key-legacy-*",
		"path": "",
		"message": "Exception for ATL-KEY-004 on \"key-legacy-*\" (owner secops@example.com, config line 7) expires on 2026-12-01",
	}} with input as _now
		with data.atlcheck.exceptions as [_exc("2026-12-01")]
}

test_pass_far_expiry if {
	count(exceptions.deny) == 0 with input as _now
		with data.atlcheck.exceptions as [_exc("2027-03-31")]
}

test_pass_no_exceptions if {
	count(exceptions.deny) == 0 with input as _now
		with data.atlcheck.exceptions as []
}

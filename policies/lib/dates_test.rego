package lib.dates_test

import data.lib.dates

_now := {"collected_at": "2026-11-20T08:00:00Z"}

test_older_than_is_strict if {
	dates.older_than("2026-11-10T07:59:59Z", 10) with input as _now
	not dates.older_than("2026-11-10T08:00:00Z", 10) with input as _now
}

test_expires_within_includes_day_n_and_excludes_expired if {
	dates.expires_within("2026-11-30T08:00:00Z", 10) with input as _now
	not dates.expires_within("2026-11-30T08:00:01Z", 10) with input as _now
	not dates.expires_within("2026-11-20T08:00:00Z", 10) with input as _now
	dates.expired("2026-11-20T08:00:00Z") with input as _now
	not dates.expired("2026-11-20T08:00:01Z") with input as _now
}

test_absent_timestamps_are_undefined_not_errors if {
	not dates.older_than(null, 1) with input as _now
	not dates.expired(null) with input as _now
	not dates.span_exceeds(null, "2026-11-20T08:00:00Z", 1)
	not dates.older_than("2026-01-01T00:00:00Z", 1) with input as {}
}

test_span_and_days_between if {
	dates.span_exceeds("2026-01-01T00:00:00Z", "2026-01-31T00:00:01Z", 30)
	not dates.span_exceeds("2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z", 30)
	dates.days_between("2026-01-01T00:00:00Z", "2026-01-31T00:00:01Z") == 31
	dates.date("2026-01-31T00:00:01Z") == "2026-01-31"
}

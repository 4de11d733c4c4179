# Package dates does the time arithmetic of the policies. "Now" is the
# snapshot's collected_at, so a snapshot evaluates the same forever.
# Timestamps may be absent or null: every helper is then undefined, never an
# error. Day counts compare exact durations with a strict ">": an item exactly
# N days old is not "older than N days".
package lib.dates

# day_ns is the length of one day in nanoseconds.
day_ns := ((24 * 60) * 60) * 1000000000

# now_ns is the snapshot's collection time in nanoseconds since the epoch.
now_ns := time.parse_rfc3339_ns(input.collected_at) if is_string(input.collected_at)

# ns parses an RFC 3339 timestamp; undefined when ts is absent or not a string.
ns(ts) := time.parse_rfc3339_ns(ts) if is_string(ts)

# date is the calendar date (YYYY-MM-DD) of an RFC 3339 timestamp.
date(ts) := substring(ts, 0, 10) if is_string(ts)

# days_between is the number of days from one timestamp to another, rounded up,
# for messages.
days_between(from, to) := ceil((ns(to) - ns(from)) / day_ns)

# older_than holds when ts lies more than n days before now.
older_than(ts, n) if now_ns - ns(ts) > n * day_ns

# expired holds when ts (an expiry time) is now or earlier.
expired(ts) if ns(ts) <= now_ns

# expires_within holds when ts lies after now and at most n days later: day n
# is included, items already expired are not.
expires_within(ts, n) if {
	t := ns(ts)
	t > now_ns
	t - now_ns <= n * day_ns
}

# span_exceeds holds when to lies more than n days after from.
span_exceeds(from, to, n) if ns(to) - ns(from) > n * day_ns

# Package exceptions defines when an accepted-risk exception of the config
# file (data.atlcheck.exceptions) has expired: the ATL-EXC policies use it,
# and atlcheck's Go side asks it (lib.facts) which exceptions still suppress
# findings. An exception applies through its whole expiry day (UTC):
# expires_at is the first instant it no longer applies, and "now" is the
# snapshot's collected_at.
package lib.exceptions

import data.lib.dates

# expired holds for an exception whose expires_at is now or earlier, or
# cannot be read (an unreadable date never keeps a risk accepted).
expired(exc) if not dates.now_ns < dates.ns(exc.expires_at)

# expires_within holds for an unexpired exception that expires at most n
# days from now.
expires_within(exc, n) if dates.expires_within(exc.expires_at, n)

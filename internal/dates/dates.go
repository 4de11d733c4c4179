// Package dates is the one definition of the dates atlcheck accepts from any
// input (snapshot, attestation file, config): the range its policies can
// compare, and how far ahead of "now" a claimed past event may lie.
package dates

import (
	"fmt"
	"time"
)

// Min and Max bound every date atlcheck reads: [Min, Max). OPA's time
// builtins work on int64 nanoseconds since 1970 (1677-09-21 to 2262-04-11); a
// date outside would make every policy that reads it fail at evaluation, so
// it is refused when its file is read, where the error can name its line.
var (
	Min = time.Date(1678, 1, 1, 0, 0, 0, 0, time.UTC)
	Max = time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Range is the accepted range in words, for messages and docs.
const Range = "1678-01-01 to 2261-12-31"

// Skew is how far after "now" a date that records something that already
// happened (an attestation) may lie: a calendar date written in a time zone
// ahead of UTC can be up to a day ahead of the UTC date.
const Skew = 24 * time.Hour

// Check returns an error when t is outside [Min, Max).
func Check(t time.Time) error {
	if t.Before(Min) || !t.Before(Max) {
		return fmt.Errorf("%s is outside the dates atlcheck can compare (%s)", t.UTC().Format(time.RFC3339), Range)
	}
	return nil
}

// InFuture reports whether t lies more than Skew after now.
func InFuture(t, now time.Time) bool { return t.After(now.Add(Skew)) }

package collector

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryAfter parses a Retry-After header: delta seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil && secs >= 0 && !math.IsInf(secs, 0) {
		return seconds(secs), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t.Sub(now), true
	}
	return 0, false
}

// rateLimitReset parses an X-RateLimit-Reset header, which Atlassian
// documents only as a string: epoch seconds, epoch milliseconds, an ISO-8601
// time, or (small numbers) seconds from now.
func rateLimitReset(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 && !math.IsInf(n, 0) {
		switch {
		case n >= 1e12: // epoch milliseconds
			return time.UnixMilli(int64(n)).Sub(now), true
		case n >= 1e9: // epoch seconds
			return time.Unix(int64(n), 0).Sub(now), true
		default: // seconds until the reset
			return seconds(n), true
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Sub(now), true
		}
	}
	if t, err := http.ParseTime(v); err == nil {
		return t.Sub(now), true
	}
	return 0, false
}

// seconds converts a (possibly fractional) number of seconds, saturating
// instead of overflowing.
func seconds(s float64) time.Duration {
	if s > float64(math.MaxInt64/int64(time.Second)) {
		return math.MaxInt64
	}
	return time.Duration(s * float64(time.Second))
}

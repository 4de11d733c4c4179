package collector

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
)

// DefaultMaxAreaBytes caps the response bodies of one area: a 100,000-account
// org's largest area is well under it, and a snapshot of areas this size is
// still within check's default --max-input-size for a typical org.
const DefaultMaxAreaBytes int64 = 256 << 20

// ErrAreaTooLarge means an area's answers add up to more than
// Options.MaxAreaBytes: its body cap bounds each page, this bounds them all.
var ErrAreaTooLarge = errors.New("area too large")

// areaBudget is what is left of an area's byte allowance; every request of
// the area (all its pages, chains and per-item calls) spends from it.
type areaBudget struct {
	limit int64
	used  atomic.Int64
}

type budgetKey struct{}

// withAreaBudget gives the requests made with ctx one area's allowance.
func withAreaBudget(ctx context.Context, limit int64) context.Context {
	return context.WithValue(ctx, budgetKey{}, &areaBudget{limit: limit})
}

// spend takes n bytes of ctx's area allowance; past it, an error naming the
// limit and the flag that raises it.
func spend(ctx context.Context, n int) error {
	b, _ := ctx.Value(budgetKey{}).(*areaBudget)
	if b == nil {
		return nil
	}
	if used := b.used.Add(int64(n)); used > b.limit {
		return fmt.Errorf("%w: its answers add up to more than %s (--max-area-size raises the limit)", ErrAreaTooLarge, sizeText(b.limit))
	}
	return nil
}

func sizeText(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// siteHostAllowed says whether the site credentials may be sent to u: over
// https to an Atlassian site host (*.atlassian.net) or a host the config
// lists, or to a loopback host when the admin API itself is on loopback (the
// tests and the demo). A workspace's hostUrl comes from the API, and a
// forged one must not receive the site admin's email and token.
func (c *client) siteHostAllowed(u *url.URL) error {
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	switch {
	case isLoopback(host) && isLoopback(c.api.Hostname()):
		return nil
	case u.Scheme == "https" && !isLoopback(host) && (strings.HasSuffix(host, ".atlassian.net") || matchHost(c.siteHosts, host)):
		return nil
	}
	return fmt.Errorf("site credentials are sent only over https to Atlassian site hosts (*.atlassian.net and the config's site_hosts): %s is not one, so this site is not collected", u.Redacted())
}

// matchHost reports whether host is one of patterns: an exact name, or
// "*.example.com" for any subdomain of example.com.
func matchHost(patterns []string, host string) bool {
	for _, p := range patterns {
		p = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(p)), ".")
		if suffix, ok := strings.CutPrefix(p, "*."); ok {
			if strings.HasSuffix(host, "."+suffix) {
				return true
			}
		} else if p != "" && host == p {
			return true
		}
	}
	return false
}

package diff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// comparer collects the changes of one comparison.
type comparer struct {
	old, new    *snapshot.Snapshot
	om, nm      *meanings // what the policies say about each side
	changes     []Change
	notCompared []NotCompared
}

// itemDiffs compares the items of each registered area, by area name, once
// both snapshots collected it (TestEveryAreaHasAnItemDiff keeps it complete).
var itemDiffs = map[string]func(*comparer){
	snapshot.AreaSites:           (*comparer).sites,
	snapshot.AreaVerifiedDomains: (*comparer).verifiedDomains,
	snapshot.AreaAppAccess:       (*comparer).approvedDomains,
	snapshot.AreaAPIKeys:         (*comparer).apiKeys,
	snapshot.AreaAPITokens:       (*comparer).apiTokens,
	snapshot.AreaManagedAccounts: (*comparer).accounts,
	snapshot.AreaInstalledApps:   (*comparer).installedApps,
	snapshot.AreaAppSettings:     (*comparer).appSettings,
	snapshot.AreaExternalUsers:   (*comparer).externalUsers,
	// The non-human identities (nonhuman.go).
	snapshot.AreaServiceAccounts:      (*comparer).serviceAccounts,
	snapshot.AreaServiceAccountTokens: (*comparer).serviceAccountTokens,
	snapshot.AreaOAuthClients:         (*comparer).oauthClients,
	snapshot.AreaOrgPolicies:          (*comparer).orgPolicies,
	snapshot.AreaAuthPolicies:         (*comparer).authPolicies,
	snapshot.AreaAuthPolicyMembers:    (*comparer).authPolicyMembers,
	snapshot.AreaAuditLog:             (*comparer).auditLog,
}

// envelope reports a change of an area's collection status and whether its
// items can be compared (both snapshots collected it). An area collected on
// one side only is reported once, never as all its items added or removed.
func (c *comparer) envelope(area string, o, n snapshot.Area) bool {
	if o.Collected && n.Collected {
		return true
	}
	reason := collectionReason(o.Collected, n.Collected, c.om.areaError(area), c.nm.areaError(area))
	c.notCompared = append(c.notCompared, NotCompared{Area: area, Reason: reason})
	if o.Collected == n.Collected {
		return false
	}
	b := newBuilder(area, "", "Area "+area)
	b.set("collected", o.Collected, n.Collected, RiskNeutral, reason+"; its items are not compared")
	if o.Source != n.Source {
		b.set("source", o.Source, n.Source, RiskNeutral, "")
	}
	c.emit(b.change())
	return false
}

// collectionReason says which snapshot lacks the data, and why, with the
// error text of the side that lacks it.
func collectionReason(oldCollected, newCollected bool, oldErr, newErr string) string {
	switch {
	case !oldCollected && !newCollected:
		return "not collected in either snapshot"
	case !newCollected:
		return "no longer collected" + because(newErr)
	default:
		return "not collected in the old snapshot" + because(oldErr)
	}
}

// because is " (text)", or "" without a text.
func because(text string) string {
	if text == "" {
		return ""
	}
	return " (" + text + ")"
}

// emit records ch unless it is nil (a resource whose compared fields match).
func (c *comparer) emit(ch *Change) {
	if ch != nil {
		c.changes = append(c.changes, *ch)
	}
}

// added records a new resource, unless the old snapshot holds it as an
// unreadable item: then it is not new (see unreadableIn).
func (c *comparer) added(area, resource, summary string, risk Risk) {
	if c.unreadableIn(c.old, "old", area, resource) {
		return
	}
	c.changes = append(c.changes, Change{Area: area, Kind: Added, Resource: resource, Summary: summary, Risk: risk})
}

// removed records a resource that is gone, unless the new snapshot holds it
// as an unreadable item: then it is not gone (see unreadableIn).
func (c *comparer) removed(area, resource, summary string, risk Risk) {
	if c.unreadableIn(c.new, "new", area, resource) {
		return
	}
	c.changes = append(c.changes, Change{Area: area, Kind: Removed, Resource: resource, Summary: summary, Risk: risk})
}

// unreadableIn reports whether s (the side named) holds resource among the
// area's unreadable items, and if so records one neutral change saying so:
// an item the collector received but could not read (ATL-COL-003) is still
// there, and nothing about it can be compared, so it is never "removed",
// "revoked" or "created".
func (c *comparer) unreadableIn(s *snapshot.Snapshot, side, area, resource string) bool {
	def, ok := snapshot.LookupArea(area)
	if !ok || resource == "" {
		return false
	}
	for _, u := range def.Envelope(s).Unreadable {
		if u.ID == resource {
			c.changes = append(c.changes, Change{Area: area, Kind: Changed, Resource: resource, Risk: RiskNeutral,
				Summary: fmt.Sprintf("%s item %s could not be read in the %s snapshot (ATL-COL-003): not compared.", area, resource, side)})
			return true
		}
	}
	return false
}

// pair is one resource matched across the snapshots; old or new is nil when
// the resource exists on one side only.
type pair[T any] struct {
	key      string
	old, new *T
}

// match pairs the items of old and new by key, sorted by key, so the order
// of the arrays never matters. A key that repeats within one list is matched
// by its first item.
func match[T any](old, new []T, key func(T) string) []pair[T] {
	index := map[string]int{}
	var pairs []pair[T]
	side := func(items []T, isNew bool) {
		for i := range items {
			k := key(items[i])
			at, ok := index[k]
			if !ok {
				at = len(pairs)
				index[k] = at
				pairs = append(pairs, pair[T]{key: k})
			}
			p := &pairs[at]
			switch {
			case isNew && p.new == nil:
				p.new = &items[i]
			case !isNew && p.old == nil:
				p.old = &items[i]
			}
		}
	}
	side(old, false)
	side(new, true)
	slices.SortFunc(pairs, func(a, b pair[T]) int { return strings.Compare(a.key, b.key) })
	return pairs
}

// foldKey is the matching key of a case-insensitive id.
func foldKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// siteKey is the matching key of a site URL: case-insensitive, without a
// trailing slash.
func siteKey(url string) string { return strings.TrimRight(foldKey(url), "/") }

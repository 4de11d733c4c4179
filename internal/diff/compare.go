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
}

// envelope reports a change of an area's collection status and whether its
// items can be compared (both snapshots collected it). An area collected on
// one side only is reported once, never as all its items added or removed.
func (c *comparer) envelope(area string, o, n snapshot.Area) bool {
	if o.Collected && n.Collected {
		return true
	}
	reason := collectionReason(o, n)
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

// collectionReason says which snapshot lacks the data, and why.
func collectionReason(o, n snapshot.Area) string {
	switch {
	case !o.Collected && !n.Collected:
		return "not collected in either snapshot"
	case !n.Collected:
		return "no longer collected" + errorText(n.Error)
	default:
		return "not collected in the old snapshot" + errorText(o.Error)
	}
}

// errorText is " (403 ADMIN-UAM-403-1: Forbidden)", or "" without an error.
func errorText(e *snapshot.AreaError) string {
	if e == nil {
		return ""
	}
	var head []string
	if e.Status != 0 {
		head = append(head, fmt.Sprint(e.Status))
	}
	if e.Code != "" {
		head = append(head, e.Code)
	}
	text := strings.Join(head, " ")
	switch {
	case text == "" && e.Message == "":
		return ""
	case text == "":
		text = e.Message
	case e.Message != "":
		text += ": " + e.Message
	}
	return " (" + text + ")"
}

// emit records ch unless it is nil (a resource whose compared fields match).
func (c *comparer) emit(ch *Change) {
	if ch != nil {
		c.changes = append(c.changes, *ch)
	}
}

// added records a new resource.
func (c *comparer) added(area, resource, summary string, risk Risk) {
	c.changes = append(c.changes, Change{Area: area, Kind: Added, Resource: resource, Summary: summary, Risk: risk})
}

// removed records a resource that is gone.
func (c *comparer) removed(area, resource, summary string, risk Risk) {
	c.changes = append(c.changes, Change{Area: area, Kind: Removed, Resource: resource, Summary: summary, Risk: risk})
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

package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// apiKeys compares the admin API keys by id: created, revoked (gone, or
// status changed to revoked), scopes and expiry changed. A live credential
// appearing, gaining scopes or living longer raises risk.
func (c *comparer) apiKeys() {
	const area = snapshot.AreaAPIKeys
	for _, p := range match(c.old.APIKeys.Items, c.new.APIKeys.Items, func(k snapshot.APIKey) string { return k.ID }) {
		switch {
		case p.old == nil:
			k := p.new
			c.added(area, k.ID, fmt.Sprintf("Admin API key %s created%s %s%s.", nameAndID(k.Label, k.ID),
				byPerson(" by", k.CreatedBy), scopesText(k.Scopes), expiryText(k.ExpiresAt, k.Status)),
				riskIf(isActive(k.Status), false))
		case p.new == nil:
			k := p.old
			c.removed(area, k.ID, goneText("Admin API key "+nameAndID(k.Label, k.ID), k.Status, "revoked"),
				riskIf(false, isActive(k.Status)))
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.ID, "Admin API key "+nameAndID(n.Label, n.ID))
			b.status(o.Status, n.Status)
			b.scopes(sortedSet(o.Scopes), sortedSet(n.Scopes))
			b.expiry(o.ExpiresAt, n.ExpiresAt)
			c.emit(b.change())
		}
	}
}

// apiTokens compares the user API tokens by id: created, removed, status and
// expiry changed.
func (c *comparer) apiTokens() {
	const area = snapshot.AreaAPITokens
	for _, p := range match(c.old.APITokens.Items, c.new.APITokens.Items, func(t snapshot.APIToken) string { return t.ID }) {
		switch {
		case p.old == nil:
			t := p.new
			c.added(area, t.ID, fmt.Sprintf("User API token %s%s created%s.", nameAndID(t.Label, t.ID),
				byPerson(" of", t.User), expiryText(t.ExpiresAt, t.Status)), riskIf(isActive(t.Status), false))
		case p.new == nil:
			t := p.old
			c.removed(area, t.ID, goneText("User API token "+nameAndID(t.Label, t.ID)+byPerson(" of", t.User), t.Status, "removed"),
				riskIf(false, isActive(t.Status)))
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.ID, "User API token "+nameAndID(n.Label, n.ID)+byPerson(" of", n.User))
			b.status(o.Status, n.Status)
			b.expiry(o.ExpiresAt, n.ExpiresAt)
			c.emit(b.change())
		}
	}
}

// inactiveStatuses take a key or token out of use; any other status, known
// or not, counts as active (contract Part C.3: fail closed). The same list as
// inactive_statuses in policies/lib/credentials.rego.
var inactiveStatuses = []string{"BLOCKED", "REVOKED", "EXPIRED", "DISABLED", "INACTIVE", "DELETED"}

// isActive reports whether a key or token status lets it be used: any status
// but those of inactiveStatuses (any case), or none.
func isActive(status string) bool {
	return !slices.Contains(inactiveStatuses, strings.ToUpper(status))
}

// status compares a key or token status (case-insensitive).
func (b *builder) status(o, n string) {
	if strings.EqualFold(o, n) {
		return
	}
	was, is := isActive(o), isActive(n)
	clause := fmt.Sprintf("status %s → %s", cmp.Or(o, "none"), cmp.Or(n, "none"))
	switch {
	case was && !is:
		clause = strings.ToLower(n)
	case is && !was:
		clause = "reactivated (status " + cmp.Or(n, "none") + ")"
	}
	b.set("status", statusValue(o), statusValue(n), riskIf(is && !was, was && !is), clause)
}

// scopes compares sorted scope sets. No scopes means every admin API.
func (b *builder) scopes(o, n []string) {
	if slices.Equal(o, n) {
		return
	}
	gained, lost := setDelta(o, n)
	risk, clause := riskIf(len(gained) > 0, len(lost) > 0), deltaClause("scope", gained, lost)
	switch {
	case len(n) == 0:
		risk, clause = RiskIncreased, clause+": now without scopes (full admin API access)"
	case len(o) == 0:
		risk, clause = RiskDecreased, "now limited to "+plural("scope", n)
	}
	b.set("scopes", o, n, risk, clause)
}

// expiry compares expiry times; no expiry means never.
func (b *builder) expiry(o, n *time.Time) {
	if (o == nil) == (n == nil) && (o == nil || o.Equal(*n)) {
		return
	}
	var risk Risk
	var clause string
	switch {
	case n == nil:
		risk, clause = RiskIncreased, "no longer expires (was "+day(o)+")"
	case o == nil:
		risk, clause = RiskDecreased, "now expires "+day(n)
	case n.After(*o):
		risk, clause = RiskIncreased, "expiry extended from "+day(o)+" to "+day(n)
	default:
		risk, clause = RiskDecreased, "expiry brought forward from "+day(o)+" to "+day(n)
	}
	b.set("expires_at", timeValue(o), timeValue(n), risk, clause)
}

// scopesText describes the scopes of a new key.
func scopesText(scopes []string) string {
	if len(scopes) == 0 {
		return "without scopes (full admin API access)"
	}
	return "with " + plural("scope", sortedSet(scopes))
}

// expiryText is ", expires 2027-01-01" or ", never expires" for a live credential.
func expiryText(t *time.Time, status string) string {
	switch {
	case !isActive(status):
		return ", status " + status
	case t == nil:
		return ", never expires"
	}
	return ", expires " + day(t)
}

// goneText is the summary of a key or token that is no longer listed.
func goneText(subject, status, verb string) string {
	if isActive(status) {
		return subject + " " + verb + " (no longer listed)."
	}
	return subject + " (status " + status + ") no longer listed."
}

// byPerson is " by jane@acme.example" (prefix then the person), or "".
func byPerson(prefix string, p *snapshot.Person) string {
	if p == nil {
		return ""
	}
	who := cmp.Or(p.Email, cmp.Or(p.Name, p.ID))
	if who == "" {
		return ""
	}
	return prefix + " " + who
}

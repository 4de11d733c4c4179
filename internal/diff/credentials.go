package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// apiKeys compares the admin API keys by id: created, revoked (gone, or no
// longer active), scopes and expiry changed. A live credential appearing,
// gaining scopes or living longer raises risk. Whether a key is active is
// the policies' definition (lib.credentials), read from the facts.
func (c *comparer) apiKeys() {
	const area = snapshot.AreaAPIKeys
	for _, p := range match(c.old.APIKeys.Items, c.new.APIKeys.Items, func(k snapshot.APIKey) string { return k.ID }) {
		switch {
		case p.old == nil:
			k := p.new
			why, inactive := c.nm.inactiveKeys[k.ID]
			c.added(area, k.ID, fmt.Sprintf("Admin API key %s created%s %s%s.", nameAndID(k.Label, k.ID),
				byPerson(" by", k.CreatedBy), scopesText(k.Scopes), expiryText(k.ExpiresAt, why)),
				riskIf(!inactive, false))
		case p.new == nil:
			k := p.old
			why, inactive := c.om.inactiveKeys[k.ID]
			c.removed(area, k.ID, goneText("Admin API key "+nameAndID(k.Label, k.ID), why, "revoked"),
				riskIf(false, !inactive))
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.ID, "Admin API key "+nameAndID(n.Label, n.ID))
			b.status(o.Status, n.Status, activity(c.om.inactiveKeys, o.ID), activity(c.nm.inactiveKeys, n.ID))
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
			why, inactive := c.nm.inactiveToks[t.ID]
			c.added(area, t.ID, fmt.Sprintf("User API token %s%s created%s.", nameAndID(t.Label, t.ID),
				byPerson(" of", t.User), expiryText(t.ExpiresAt, why)), riskIf(!inactive, false))
		case p.new == nil:
			t := p.old
			why, inactive := c.om.inactiveToks[t.ID]
			c.removed(area, t.ID, goneText("User API token "+nameAndID(t.Label, t.ID)+byPerson(" of", t.User), why, "removed"),
				riskIf(false, !inactive))
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.ID, "User API token "+nameAndID(n.Label, n.ID)+byPerson(" of", n.User))
			b.status(o.Status, n.Status, activity(c.om.inactiveToks, o.ID), activity(c.nm.inactiveToks, n.ID))
			b.expiry(o.ExpiresAt, n.ExpiresAt)
			c.emit(b.change())
		}
	}
}

// activity is whether a credential is active and, if not, why.
func activity(inactive map[string]string, id string) credentialState {
	why, off := inactive[id]
	return credentialState{active: !off, why: why}
}

// credentialState is a key's or token's activity as the policies define it.
type credentialState struct {
	active bool
	why    string // "status REVOKED", "expired on 2026-10-01"
}

// status compares a key or token status (case-insensitive); was and is say
// whether the credential is active on each side.
func (b *builder) status(o, n string, was, is credentialState) {
	if strings.EqualFold(o, n) {
		return
	}
	clause := fmt.Sprintf("status %s → %s", cmp.Or(o, "none"), cmp.Or(n, "none"))
	switch {
	case was.active && !is.active:
		clause = strings.ToLower(n)
	case is.active && !was.active:
		clause = "reactivated (status " + cmp.Or(n, "none") + ")"
	}
	b.set("status", statusValue(o), statusValue(n), riskIf(is.active && !was.active, was.active && !is.active), clause)
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

// expiryText is ", expires 2027-01-01" or ", never expires" for a live
// credential, or why it is not active (", status REVOKED").
func expiryText(t *time.Time, inactive string) string {
	switch {
	case inactive != "":
		return ", " + inactive
	case t == nil:
		return ", never expires"
	}
	return ", expires " + day(t)
}

// goneText is the summary of a key or token that is no longer listed;
// inactive says why it was not active, "" when it was.
func goneText(subject, inactive, verb string) string {
	if inactive == "" {
		return subject + " " + verb + " (no longer listed)."
	}
	return subject + " (" + inactive + ") no longer listed."
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

package diff

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// serviceAccounts compares the service accounts by id: created, gone,
// status, description, name and creator changed. A service account in use
// appearing raises risk; losing its description (no owner on record) too.
func (c *comparer) serviceAccounts() {
	const area = snapshot.AreaServiceAccounts
	key := func(sa snapshot.ServiceAccount) string { return sa.ID }
	for _, p := range match(c.old.ServiceAccounts.Items, c.new.ServiceAccounts.Items, key) {
		switch {
		case p.old == nil:
			sa := p.new
			creator := ""
			if sa.CreatedByID != "" {
				creator = " by " + c.accountName(sa.CreatedByID)
			}
			why, inactive := c.nm.inactiveSAs[sa.ID]
			c.added(area, sa.ID, fmt.Sprintf("Service account %s created%s%s.", nameAndID(sa.DisplayName, sa.ID), creator,
				parenthesized(why)), riskIf(!inactive, false))
		case p.new == nil:
			sa := p.old
			why, inactive := c.om.inactiveSAs[sa.ID]
			c.removed(area, sa.ID, goneText("Service account "+nameAndID(sa.DisplayName, sa.ID), why, "deleted"),
				riskIf(false, !inactive))
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.ID, "Service account "+nameAndID(n.DisplayName, n.ID))
			b.status(o.Status, n.Status, activity(c.om.inactiveSAs, o.ID), activity(c.nm.inactiveSAs, n.ID))
			b.text("description", o.Description, n.Description, "description removed (no owner or purpose on record)", "description set")
			b.text("display_name", o.DisplayName, n.DisplayName, "", "")
			if o.CreatedByID != n.CreatedByID {
				b.set("created_by_id", statusValue(o.CreatedByID), statusValue(n.CreatedByID), RiskNeutral,
					fmt.Sprintf("creator %s → %s", cmp.Or(o.CreatedByID, "none"), cmp.Or(n.CreatedByID, "none")))
			}
			c.emit(b.change())
		}
	}
}

// serviceAccountTokens compares the service accounts' API tokens by id:
// created, gone, status, scopes and expiry changed. A token that is no longer
// listed because its service account's list came back empty or was not read
// is reported as no longer reported, not as revoked: an empty list is not
// proof of none (contract Part C.7).
func (c *comparer) serviceAccountTokens() {
	const area = snapshot.AreaServiceAccountTokens
	names := map[string]string{}
	for _, sa := range append(append([]snapshot.ServiceAccount{}, c.old.ServiceAccounts.Items...), c.new.ServiceAccounts.Items...) {
		names[sa.ID] = nameAndID(sa.DisplayName, sa.ID)
	}
	owner := func(t *snapshot.ServiceAccountToken) string {
		return " of service account " + cmp.Or(names[t.ServiceAccountID], t.ServiceAccountID)
	}
	lists := map[string]snapshot.TokenList{}
	for _, l := range c.new.ServiceAccountTokens.Accounts {
		lists[l.ServiceAccountID] = l
	}
	key := func(t snapshot.ServiceAccountToken) string { return t.ID }
	for _, p := range match(c.old.ServiceAccountTokens.Items, c.new.ServiceAccountTokens.Items, key) {
		switch {
		case p.old == nil:
			t := p.new
			why, inactive := c.nm.inactiveSATokens[t.ID]
			c.added(area, t.ID, fmt.Sprintf("Service-account API token %s%s created%s.", nameAndID(t.Label, t.ID), owner(t),
				expiryText(t.ExpiresAt, why)), riskIf(!inactive, false))
		case p.new == nil:
			t := p.old
			why, inactive := c.om.inactiveSATokens[t.ID]
			subject := "Service-account API token " + nameAndID(t.Label, t.ID) + owner(t)
			switch l, ok := lists[t.ServiceAccountID]; {
			case ok && !l.Collected:
				c.removed(area, t.ID, subject+" not seen: its service account's token list was not read.", RiskNeutral)
			case ok && l.Reported == 0 && !inactive:
				c.removed(area, t.ID, subject+" no longer reported: its service account's list came back empty, which is not proof it was revoked.", RiskNeutral)
			default:
				c.removed(area, t.ID, goneText(subject, why, "revoked"), riskIf(false, !inactive))
			}
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.ID, "Service-account API token "+nameAndID(n.Label, n.ID)+owner(n))
			b.status(o.Status, n.Status, activity(c.om.inactiveSATokens, o.ID), activity(c.nm.inactiveSATokens, n.ID))
			b.scopes(sortedSet(o.Scopes), sortedSet(n.Scopes))
			b.expiry(o.ExpiresAt, n.ExpiresAt)
			c.emit(b.change())
		}
	}
}

// oauthClients compares the OAuth clients by client id: created, gone,
// status and name changed.
func (c *comparer) oauthClients() {
	const area = snapshot.AreaOAuthClients
	key := func(oc snapshot.OAuthClient) string { return oc.ClientID }
	for _, p := range match(c.old.OAuthClients.Items, c.new.OAuthClients.Items, key) {
		switch {
		case p.old == nil:
			oc := p.new
			why, inactive := c.nm.inactiveOAuth[oc.ClientID]
			c.added(area, oc.ClientID, fmt.Sprintf("OAuth client %s created%s.", nameAndID(oc.Name, oc.ClientID), parenthesized(why)),
				riskIf(!inactive, false))
		case p.new == nil:
			oc := p.old
			why, inactive := c.om.inactiveOAuth[oc.ClientID]
			c.removed(area, oc.ClientID, goneText("OAuth client "+nameAndID(oc.Name, oc.ClientID), why, "deleted"),
				riskIf(false, !inactive))
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.ClientID, "OAuth client "+nameAndID(n.Name, n.ClientID))
			b.status(o.Status, n.Status, activity(c.om.inactiveOAuth, o.ClientID), activity(c.nm.inactiveOAuth, n.ClientID))
			b.text("name", o.Name, n.Name, "", "")
			c.emit(b.change())
		}
	}
}

// accountName names an account id by the new snapshot's managed accounts,
// or gives the id.
func (c *comparer) accountName(id string) string {
	for _, a := range c.new.ManagedAccounts.Items {
		if a.AccountID == id {
			return accountLabel(a)
		}
	}
	return id
}

// parenthesized is " (why)" for an item out of use, "" when why is empty.
func parenthesized(why string) string {
	if why == "" {
		return ""
	}
	return " (" + why + ")"
}

// text compares a free-text field. Emptied raises risk with clause gone (a
// missing description hides who owns a credential); filled lowers it with
// clause set. With both clauses empty the change is neutral and worded
// "name a → b".
func (b *builder) text(name, o, n, gone, set string) {
	if o == n {
		return
	}
	empty := func(s string) bool { return strings.TrimSpace(s) == "" }
	switch {
	case gone != "" && empty(n):
		b.set(name, statusValue(o), statusValue(n), RiskIncreased, gone)
	case set != "" && empty(o):
		b.set(name, statusValue(o), statusValue(n), RiskDecreased, set)
	default:
		b.set(name, statusValue(o), statusValue(n), RiskNeutral, fmt.Sprintf("%s %q → %q", strings.ReplaceAll(name, "_", " "), o, n))
	}
}

package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// accounts compares the managed accounts by account id. Accounts that join
// or leave are reported only when they hold an admin role: the diff is about
// who controls the org, not about headcount. Roles, MFA and status are
// compared for every account. Which roles are admin roles, which account has
// departed and which role makes an org admin are the policies' definitions
// (lib.accounts), read from the facts.
func (c *comparer) accounts() {
	const area = snapshot.AreaManagedAccounts
	key := func(a snapshot.Account) string { return a.AccountID }
	for _, p := range match(c.old.ManagedAccounts.Items, c.new.ManagedAccounts.Items, key) {
		switch {
		case p.old == nil:
			n := p.new
			if admin := c.adminRoles(n.Roles); len(admin) > 0 {
				c.added(area, n.AccountID, fmt.Sprintf("%s %s with %s.", c.newAdminTitle(admin), accountLabel(*n),
					plural("role", admin)), riskIf(!c.nm.departed[n.AccountID], false))
			}
		case p.new == nil:
			o := p.old
			if admin := c.adminRoles(o.Roles); len(admin) > 0 {
				c.removed(area, o.AccountID, fmt.Sprintf("Admin %s (%s) no longer listed.", accountLabel(*o),
					plural("role", admin)), riskIf(false, !c.om.departed[o.AccountID]))
			}
		default:
			c.emit(c.accountChange(*p.old, *p.new))
		}
	}
}

func (c *comparer) accountChange(o, n snapshot.Account) *Change {
	b := newBuilder(snapshot.AreaManagedAccounts, n.AccountID, "Account "+accountLabel(n))
	c.roles(b, sortedSet(o.Roles), sortedSet(n.Roles))
	b.boolField("mfa_enabled", o.MFAEnabled, n.MFAEnabled, false, "MFA turned on", "MFA turned off")
	was, is := c.om.departed[o.AccountID], c.nm.departed[n.AccountID]
	risk := riskIf(was && !is, is && !was)
	switch {
	case !strings.EqualFold(o.Status, n.Status):
		b.set("status", statusValue(o.Status), statusValue(n.Status), risk, accountStatusClause(o, n, was, is))
	case was != is: // departed or back through the account status alone
		b.set("account_status", statusValue(o.AccountStatus), statusValue(n.AccountStatus), risk, accountStatusClause(o, n, was, is))
	}
	return b.change()
}

// roles compares sorted role sets; gaining an admin role raises risk,
// losing one lowers it.
func (c *comparer) roles(b *builder, o, n []string) {
	if slices.Equal(o, n) {
		return
	}
	gained, lost := setDelta(o, n)
	var parts []string
	for _, r := range gained {
		parts = append(parts, c.roleClause(r, true))
	}
	for _, r := range lost {
		parts = append(parts, c.roleClause(r, false))
	}
	b.set("roles", o, n, riskIf(len(c.adminRoles(gained)) > 0, len(c.adminRoles(lost)) > 0), strings.Join(parts, ", "))
}

// roleClause says that role was gained or lost.
func (c *comparer) roleClause(role string, gained bool) string {
	switch {
	case role == c.nm.orgAdminRole && gained:
		return "became org admin"
	case role == c.nm.orgAdminRole:
		return "no longer org admin"
	case gained:
		return "gained role " + role
	}
	return "lost role " + role
}

// accountStatusClause says what a status change means; was and is say
// whether the account had departed (the policies' meaning) on each side.
func accountStatusClause(o, n snapshot.Account, was, is bool) string {
	switch {
	case strings.EqualFold(n.Status, "deactivated"):
		return "deactivated"
	case strings.EqualFold(n.Status, "for_deletion"):
		return "scheduled for deletion"
	case was && !is:
		return "reactivated"
	case is && !was:
		return "departed (account status " + cmp.Or(n.AccountStatus, "none") + ")"
	case strings.EqualFold(n.Status, "suspended"):
		return "suspended"
	}
	return fmt.Sprintf("status %s → %s", cmp.Or(o.Status, "none"), cmp.Or(n.Status, "none"))
}

// adminRoles returns the admin roles among roles: those the policies count
// as admin roles in either snapshot.
func (c *comparer) adminRoles(roles []string) []string {
	var out []string
	for _, r := range sortedSet(roles) {
		if c.om.adminRoles[r] || c.nm.adminRoles[r] {
			out = append(out, r)
		}
	}
	return out
}

// newAdminTitle is "New org admin" or "New admin".
func (c *comparer) newAdminTitle(admin []string) string {
	if slices.Contains(admin, c.nm.orgAdminRole) {
		return "New org admin"
	}
	return "New admin"
}

// accountLabel is "Name (email)", falling back to the email or the id.
func accountLabel(a snapshot.Account) string {
	switch {
	case a.Name != "" && a.Email != "":
		return a.Name + " (" + a.Email + ")"
	case a.Name != "":
		return nameAndID(a.Name, a.AccountID)
	}
	return cmp.Or(a.Email, a.AccountID)
}

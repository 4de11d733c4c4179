package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// orgAdminRole is the platform role of an organization admin.
const orgAdminRole = "atlassian/org-admin"

// accounts compares the managed accounts by account id. Accounts that join
// or leave are reported only when they hold an admin role (a role ending in
// "admin"): the diff is about who controls the org, not about headcount.
// Roles, MFA and status are compared for every account.
func (c *comparer) accounts() {
	const area = snapshot.AreaManagedAccounts
	key := func(a snapshot.Account) string { return a.AccountID }
	for _, p := range match(c.old.ManagedAccounts.Items, c.new.ManagedAccounts.Items, key) {
		switch {
		case p.old == nil:
			n := p.new
			if admin := adminRoles(n.Roles); len(admin) > 0 {
				c.added(area, n.AccountID, fmt.Sprintf("%s %s with %s.", newAdminTitle(admin), accountLabel(*n),
					plural("role", admin)), riskIf(!isDisabled(n.Status), false))
			}
		case p.new == nil:
			o := p.old
			if admin := adminRoles(o.Roles); len(admin) > 0 {
				c.removed(area, o.AccountID, fmt.Sprintf("Admin %s (%s) no longer listed.", accountLabel(*o),
					plural("role", admin)), riskIf(false, !isDisabled(o.Status)))
			}
		default:
			c.emit(accountChange(*p.old, *p.new))
		}
	}
}

func accountChange(o, n snapshot.Account) *Change {
	b := newBuilder(snapshot.AreaManagedAccounts, n.AccountID, "Account "+accountLabel(n))
	b.roles(sortedSet(o.Roles), sortedSet(n.Roles))
	b.boolField("mfa_enabled", o.MFAEnabled, n.MFAEnabled, false, "MFA turned on", "MFA turned off")
	if !strings.EqualFold(o.Status, n.Status) {
		was, is := isDisabled(o.Status), isDisabled(n.Status)
		b.set("status", statusValue(o.Status), statusValue(n.Status), riskIf(was && !is, is && !was),
			accountStatusClause(o.Status, n.Status))
	}
	return b.change()
}

// roles compares sorted role sets; gaining an admin role raises risk,
// losing one lowers it.
func (b *builder) roles(o, n []string) {
	if slices.Equal(o, n) {
		return
	}
	gained, lost := setDelta(o, n)
	var parts []string
	for _, r := range gained {
		parts = append(parts, roleClause(r, true))
	}
	for _, r := range lost {
		parts = append(parts, roleClause(r, false))
	}
	b.set("roles", o, n, riskIf(len(adminRoles(gained)) > 0, len(adminRoles(lost)) > 0), strings.Join(parts, ", "))
}

// roleClause says that role was gained or lost.
func roleClause(role string, gained bool) string {
	switch {
	case role == orgAdminRole && gained:
		return "became org admin"
	case role == orgAdminRole:
		return "no longer org admin"
	case gained:
		return "gained role " + role
	}
	return "lost role " + role
}

// accountStatusClause says what a status change means.
func accountStatusClause(o, n string) string {
	switch strings.ToLower(n) {
	case "deactivated":
		return "deactivated"
	case "for_deletion":
		return "scheduled for deletion"
	case "suspended":
		return "suspended"
	case "active":
		if isDisabled(o) {
			return "reactivated"
		}
	}
	return fmt.Sprintf("status %s → %s", cmp.Or(o, "none"), cmp.Or(n, "none"))
}

// isDisabled reports whether an account status takes away access.
func isDisabled(status string) bool {
	return slices.Contains([]string{"deactivated", "for_deletion", "suspended"}, strings.ToLower(status))
}

// adminRoles returns the admin roles among roles.
func adminRoles(roles []string) []string {
	var out []string
	for _, r := range sortedSet(roles) {
		if isAdminRole(r) {
			out = append(out, r)
		}
	}
	return out
}

// newAdminTitle is "New org admin" or "New admin".
func newAdminTitle(admin []string) string {
	if slices.Contains(admin, orgAdminRole) {
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

package collector

import (
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointUsersSearch searches the users of the organization's directories;
// directory "-" means every directory the key can manage. A read-only POST.
const endpointUsersSearch = "/admin/v2/orgs/{orgId}/directories/{directoryId}/users/search"

// usersExpand asks the users search for the fields that appear only when
// expanded (contract Part C.5 and C.7).
var usersExpand = []string{"platformRoles", "productAccess", "groups"}

// The documented enums of a users search item (swagger.v3.json,
// searchUsers); compared without case.
var (
	userStatuses       = []string{"active", "suspended", "not_invited", "deactivated", "for_deletion"}
	accountStatuses    = []string{"active", "inactive", "closed"}
	membershipStatuses = []string{"active", "suspended", "no_membership"}
	accountClaims      = []string{"managed", "unmanaged"}
	managementSources  = []string{"invited", "synced"}
)

// decodeAccount reads a users search item (contract Part C.5): accountId,
// accountType, status, accountStatus, membershipStatus, claimStatus, email,
// emailVerified, mfaEnabled (may be absent for unmanaged accounts),
// managementSource (nullable), name, nickname, platformRoles[], addedToOrg,
// productAccess[{key,id,lastActiveTimestamp}] and groups[{id,name}]. The
// search has no deactivatedOn. An account without a status, or with a status
// not documented, is unreadable: it might be an active admin. An
// unreadable productAccess[].lastActiveTimestamp alone keeps the account
// (marked last_active_unreadable) as well as listing it as unreadable.
func decodeAccount(r *reader) (snapshot.Account, string) {
	a := snapshot.Account{
		AccountID:        r.id("accountId"),
		Name:             r.str("name"),
		Email:            r.str("email"),
		AccountType:      r.str("accountType"),
		Status:           r.enum(userStatuses, "status"),
		AccountStatus:    r.enum(accountStatuses, "accountStatus"),
		MembershipStatus: r.enum(membershipStatuses, "membershipStatus"),
		ClaimStatus:      r.enum(accountClaims, "claimStatus"),
		MFAEnabled:       r.boolPtr("mfaEnabled"),
		EmailVerified:    r.boolPtr("emailVerified"),
		ManagementSource: r.enum(managementSources, "managementSource"),
		Roles:            r.strs("platformRoles"),
		AddedToOrg:       r.time("addedToOrg"),
	}
	if a.Name == "" {
		a.Name = r.str("nickname")
	}
	if a.Status == "" && r.ok() {
		r.fail("status", "the account has no status")
	}
	for _, p := range r.list("productAccess") {
		// An unreadable last activity leaves the account's identity read:
		// the account stays a managed account, that field is marked
		// unreadable and the account is also listed as unreadable.
		last, bad := p.markedTime("lastActiveTimestamp")
		a.ProductAccess = append(a.ProductAccess, snapshot.ProductAccess{
			Key: p.str("key"), ID: p.str("id"), LastActiveAt: last, LastActiveUnreadable: bad,
		})
	}
	for _, g := range r.list("groups") {
		a.Groups = append(a.Groups, snapshot.Group{ID: g.id("id"), Name: g.str("name")})
	}
	return a, a.AccountID
}

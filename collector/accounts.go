package collector

import (
	"context"
	"net/http"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointUsersSearch searches the users of the organization's directories;
// directory "-" means every directory the key can manage. A read-only POST.
const endpointUsersSearch = "/admin/v2/orgs/{orgId}/directories/{directoryId}/users/search"

// listAccounts returns every account of the organization with its platform
// roles, from one users search on directory "-" expanding platformRoles.
// Org admins are the accounts holding atlassian/org-admin.
func (c *client) listAccounts(ctx context.Context, orgID string, t *tracker) ([]snapshot.Account, error) {
	p := pager{
		method: http.MethodPost, endpoint: endpointUsersSearch, url: c.apiURL(endpointUsersSearch, orgID, "-"),
		body:      map[string]any{"expand": []string{"platformRoles"}},
		sizeParam: "limit", size: 100, fallback: 50,
	}
	accounts := []snapshot.Account{}
	seen := map[string]bool{}
	_, err := paginate(ctx, c, p, func(items []object) error {
		t.page(len(items))
		for _, it := range items {
			// A cursor-paginated search can return an account twice when the
			// directory changes between pages: keep the first.
			id := it.str("accountId", "id")
			if seen[id] {
				continue
			}
			seen[id] = true
			accounts = append(accounts, snapshot.Account{
				AccountID:        it.str("accountId", "id"),
				Name:             it.str("name", "nickname"),
				Email:            it.str("email"),
				AccountType:      it.str("accountType"),
				Status:           it.str("status"),
				AccountStatus:    it.str("accountStatus"),
				MembershipStatus: it.str("membershipStatus"),
				ClaimStatus:      it.str("claimStatus"),
				MFAEnabled:       it.boolPtr("mfaEnabled"),
				EmailVerified:    it.boolPtr("emailVerified"),
				ManagementSource: it.str("managementSource"),
				Roles:            it.strs("platformRoles", "roles"),
				DeactivatedOn:    it.timePtr("deactivatedOn"),
			})
		}
		return nil
	})
	return accounts, err
}

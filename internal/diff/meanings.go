package diff

import (
	"context"
	"fmt"

	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
)

// meanings are what the policies' own helpers say about one snapshot
// (policies/lib/facts.rego, lib.facts.drift): the drift report never
// decides again which key is active, which account has departed, which role
// is an admin role or how an area's error reads.
type meanings struct {
	areas        map[string]policies.AreaState
	siteErrors   map[string]string // by siteKey
	inactiveKeys map[string]string // id → why not active
	inactiveToks map[string]string
	// the service accounts, their tokens and the OAuth clients out of use
	inactiveSAs, inactiveSATokens, inactiveOAuth map[string]string
	departed                                     map[string]bool
	adminRoles                                   map[string]bool
	orgAdminRole                                 string
}

// meaningsOf evaluates the facts of one snapshot.
func meaningsOf(ctx context.Context, d *snapshot.Document) (*meanings, error) {
	f, err := policies.Drift(ctx, d.Input)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Path, err)
	}
	m := &meanings{
		areas: f.Areas, siteErrors: map[string]string{}, orgAdminRole: f.OrgAdminRole,
		inactiveKeys: reasons(f.InactiveKeys), inactiveToks: reasons(f.InactiveTokens),
		inactiveSAs: reasons(f.InactiveServiceAccounts), inactiveSATokens: reasons(f.InactiveServiceAccountTokens),
		inactiveOAuth: reasons(f.InactiveOAuthClients),
		departed:      set(f.DepartedAccounts), adminRoles: set(f.AdminRoles),
	}
	for _, s := range f.SiteErrors {
		if _, seen := m.siteErrors[siteKey(s.URL)]; !seen {
			m.siteErrors[siteKey(s.URL)] = s.Error
		}
	}
	return m, nil
}

// areaError is the error text of an area that was not collected.
func (m *meanings) areaError(area string) string { return m.areas[area].Error }

func reasons(items []policies.Inactive) map[string]string {
	out := make(map[string]string, len(items))
	for _, it := range items {
		if _, seen := out[it.ID]; !seen {
			out[it.ID] = it.Reason
		}
	}
	return out
}

func set(items []string) map[string]bool {
	out := make(map[string]bool, len(items))
	for _, s := range items {
		out[s] = true
	}
	return out
}

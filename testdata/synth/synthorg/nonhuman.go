package synthorg

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// genNonHuman builds the service accounts (5 per 1,000 accounts, at least
// 3), their API tokens (0 to 3 each) and the OAuth clients (3 per 1,000, at
// least 2), with a share of every service-account and OAuth policy's
// problems planted and one token list that reports nothing.
func (g *gen) genNonHuman(s *snapshot.Snapshot) {
	n := g.scaled(5, 3)
	s.ServiceAccounts = snapshot.ServiceAccountsArea{Area: g.apiArea(), Items: make([]snapshot.ServiceAccount, 0, n)}
	s.ServiceAccountTokens = snapshot.ServiceAccountTokensArea{Area: g.apiArea(),
		Accounts: make([]snapshot.TokenList, 0, n), Items: []snapshot.ServiceAccountToken{}}
	for i := range n {
		label := tokenLabels[g.r.IntN(len(tokenLabels))]
		sa := snapshot.ServiceAccount{
			ID: g.uuid(), AtlassianID: "712020:" + g.uuid(), DisplayName: fmt.Sprintf("%s-svc-%d", label, i),
			Email: fmt.Sprintf("svc-%d@serviceaccount.atlassian.com", i), Status: "ACTIVE",
			CreatedByID: g.accounts[g.pick(g.admins)].AccountID, Description: "integration owned by platform-team",
			UpdatedAt: daysAgo(g.r.IntN(300)),
		}
		switch p := g.r.Float64(); {
		case i == 0 || p < 0.1: // SVC-001: created by a departed admin
			sa.CreatedByID = g.accounts[g.pick(g.departed)].AccountID
		case p < 0.15: // SVC-001: created by a non-admin
			sa.CreatedByID = g.accounts[g.pick(g.active)].AccountID
		case p < 0.2: // out of use: no findings
			sa.Status = "INACTIVE"
		}
		if i == 1 || g.chance(0.2) { // SVC-002
			sa.Description = ""
		}
		s.ServiceAccounts.Items = append(s.ServiceAccounts.Items, sa)
		count := g.r.IntN(4)
		if i == 2 {
			count = 0 // none reported by the API
		}
		for j := range count {
			s.ServiceAccountTokens.Items = append(s.ServiceAccountTokens.Items, g.serviceAccountToken(sa.ID, i, j))
		}
		s.ServiceAccountTokens.Accounts = append(s.ServiceAccountTokens.Accounts,
			snapshot.TokenList{ServiceAccountID: sa.ID, Collected: true, Reported: count})
	}
	m := g.scaled(3, 2)
	s.OAuthClients = snapshot.OAuthClientsArea{Area: g.apiArea(), Items: make([]snapshot.OAuthClient, 0, m)}
	for i := range m {
		c := snapshot.OAuthClient{ClientID: g.uuid(), Name: fmt.Sprintf("oauth-%d %s", i, appVendors[g.r.IntN(len(appVendors))]),
			Status: "ACTIVE", CreatedAt: daysAgo(200 + g.r.IntN(300))}
		c.UpdatedAt = daysAgo(g.r.IntN(150))
		if i == 0 || g.chance(0.3) { // OAC-001
			c.UpdatedAt = daysAgo(181 + g.r.IntN(200))
		}
		s.OAuthClients.Items = append(s.OAuthClients.Items, c)
	}
}

// serviceAccountToken is token j of service account i; the first accounts'
// tokens plant ATL-SVC-003 (no expiry, too long, unused).
func (g *gen) serviceAccountToken(saID string, i, j int) snapshot.ServiceAccountToken {
	created := daysAgo(10 + g.r.IntN(200))
	t := snapshot.ServiceAccountToken{ID: g.uuid(), ServiceAccountID: saID, Label: fmt.Sprintf("token-%d-%d", i, j),
		Status: "ACTIVE", Scopes: []string{"read:jira-work"}, CreatedAt: created,
		ExpiresAt: after(created, 30+g.r.IntN(300)), LastActiveAt: daysAgo(g.r.IntN(30))}
	if !t.ExpiresAt.After(now) {
		t.ExpiresAt = after(&now, 30)
	}
	switch p := g.r.Float64(); {
	case p < 0.15: // never expires
		t.ExpiresAt = nil
	case p < 0.25: // lives too long
		t.ExpiresAt = after(created, 400+g.r.IntN(200))
	case p < 0.35: // unused
		t.LastActiveAt = nil
		t.CreatedAt = daysAgo(120)
	case p < 0.4: // revoked: no findings
		t.Status = "REVOKED"
	}
	return t
}

// genAuditLog builds the audit log of the day before the snapshot: every
// signal carried by the org's actions, and per 1,000 accounts 1 org admin
// grant, 1 admin API key created, 2 app installs or updates, 1 org policy
// change and 50 API-token uses (a tenth of them by departed or external
// accounts: ATL-LOG-005).
func (g *gen) genAuditLog(s *snapshot.Snapshot) {
	from, to := now.Add(-24*time.Hour), now
	s.AuditLog = snapshot.AuditLogArea{Area: g.apiArea(),
		Window:  snapshot.AuditWindow{From: &from, To: &to, Basis: snapshot.WindowPreviousSnapshot, MaxPages: 20},
		Signals: []snapshot.AuditSignal{}, Items: []snapshot.AuditEvent{}}
	type kind struct {
		signal, action, name string
		per1000              int
	}
	kinds := []kind{
		{"org_admin_granted", "org_admin_role_granted", "Granted organization admin role", 1},
		{"org_admin_granted", "user_granted_role", "User granted role", 1},
		{"api_key_created", "api_key_created", "Created API key", 1},
		{"app_installed", "ecosystem_app_installed", "App successful installation", 1},
		{"app_installed", "ecosystem_app_updated", "App update success", 1},
		{"org_policy_changed", "policy_disabled", "Policy disabled", 1},
		{"org_policy_changed", "policy_updated", "Policy updated", 1},
		{"api_token_used", "api_token_used", "API token used", 50},
	}
	for _, k := range kinds {
		if n := len(s.AuditLog.Signals); n == 0 || s.AuditLog.Signals[n-1].ID != k.signal {
			s.AuditLog.Signals = append(s.AuditLog.Signals, snapshot.AuditSignal{ID: k.signal, Complete: true})
		}
		sig := &s.AuditLog.Signals[len(s.AuditLog.Signals)-1]
		sig.Actions = append(sig.Actions, snapshot.EventAction{ID: k.action, DisplayName: k.name})
		for i := range g.scaled(k.per1000, 1) {
			actor := g.accounts[g.pick(g.admins)]
			auth := ""
			if k.signal == "api_token_used" {
				auth = "api-token"
				if i%10 == 0 {
					actor = g.accounts[g.pick(g.departed)]
				} else {
					actor = g.accounts[g.pick(g.active)]
				}
			}
			target := g.accounts[g.pick(g.active)]
			s.AuditLog.Items = append(s.AuditLog.Items, snapshot.AuditEvent{
				ID: g.uuid(), Signal: k.signal, Action: k.action, ActionName: k.name,
				Time:    from.Add(time.Duration(g.r.IntN(24*60)) * time.Minute),
				Actor:   &snapshot.AuditActor{ID: actor.AccountID, Name: actor.Name, Email: actor.Email, AuthType: auth},
				Targets: []snapshot.AuditObject{{ID: target.AccountID, Type: "user", Name: target.Name}},
			})
		}
	}
	// In the collector's order: by time, then id.
	slices.SortStableFunc(s.AuditLog.Items, func(a, b snapshot.AuditEvent) int {
		return cmp.Or(a.Time.Compare(b.Time), strings.Compare(a.ID, b.ID))
	})
}

// Package synthorg generates synthetic Atlassian organization snapshots of
// any size for benchmarks, scale and fuzz tests. The command in the parent
// directory (go run ./testdata/synth) writes them to files.
//
// The org has realistic proportions (per 1,000 accounts: about 3 org admins,
// 300 user API tokens, 2 admin API keys, 1 approved domain and 2 installed
// apps across 3 production sites, plus a sandbox site) and is deterministic:
// the same Options always give the same bytes. Every policy that can fire on
// a snapshot has a share of its problems planted (and ConfigYAML plants the
// allow-list and exception ones). Names mix Unicode scripts, astral
// characters, emoji, JSON escapes, Markdown/HTML metacharacters and a few
// very long strings.
package synthorg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// now is the snapshot's collected_at; every date is relative to it, so the
// generated org evaluates the same forever.
var now = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)

type name struct{ display, ascii string }

// Names mix scripts, astral characters (UTF-16 surrogate pairs) and
// combining marks; ascii is used for e-mail local parts.
var firstNames = []name{
	{"Jane", "jane"}, {"José", "jose"}, {"Zoë", "zoe"}, {"Søren", "soren"}, {"Łukasz", "lukasz"},
	{"Ἀλέξανδρος", "alexandros"}, {"Владимир", "vladimir"}, {"محمد", "mohammed"}, {"יעל", "yael"},
	{"李", "li"}, {"さくら", "sakura"}, {"민준", "minjun"}, {"अनन्या", "ananya"}, {"Nguyễn Thị", "nguyen"},
	{"Ōta", "ota"}, {"Chloe\u0301", "chloe"}, {"Siobhán", "siobhan"}, {"Oluwaseun", "oluwaseun"},
	{"Mateus", "mateus"}, {"Aroha", "aroha"}, {"Ümit", "umit"}, {"Ngọc", "ngoc"}, {"Kofi", "kofi"},
	{"Priya", "priya"}, {"Marcus", "marcus"}, {"Olivia", "olivia"}, {"Liam", "liam"}, {"Emma", "emma"},
}

var lastNames = []name{
	{"Müller", "muller"}, {"García", "garcia"}, {"Ångström", "angstrom"}, {"王", "wang"},
	{"Иванова", "ivanova"}, {"O'Connor", "oconnor"}, {"Smith", "smith"}, {"Kowalski", "kowalski"},
	{"de la Cruz", "delacruz"}, {"Þórsdóttir", "thorsdottir"}, {"𠮷田", "yoshida"}, {"Ndlovu", "ndlovu"},
	{"Al-Hashimi", "alhashimi"}, {"Nakamura", "nakamura"}, {"Kim", "kim"}, {"Haddad", "haddad"},
	{"Brown", "brown"}, {"Chen", "chen"}, {"Dubois", "dubois"}, {"Rossi", "rossi"}, {"Ó Briain", "obriain"},
}

// decorations are appended to a few names: emoji (incl. ZWJ sequences and
// flags), Markdown and HTML metacharacters, JSON escapes, bidi and
// zero-width characters.
var decorations = []string{
	" 🚀", " 👩🏽‍💻", " 🇯🇵", " (contractor)", ` "the boss"`, " | ops | team", ` \ backslash`,
	"\ttab", "\nsecond line", " <b>bold</b> & <script>", " `code`", " *stars* _under_", " [link](https://x.example)",
	" \u202eRTL override", " zero\u200bwidth", " 🏳️‍🌈", " 😀😀😀", " \u2028line separator",
}

var tokenLabels = []string{
	"jira-cli", "confluence-export", "ci-bot 🤖", "ゲートウェイ", "backup", "terraform", "zapier",
	"grafana", "vscode", "intellij", "script \"quoted\"", "personal | laptop", "Тестовый токен", "📦 release",
}

var appVendors = []string{"Vendor Labs", "Drawboard", "Exportly", "Tempo", "Ångström Apps 🅰", "HelpDesk AI", "Zürich Tools", "ツールズ"}

var productKeys = [][]string{{"jira-software", "confluence"}, {"jira-servicedesk"}, {"jira-software", "confluence", "jira-product-discovery"}}

type gen struct {
	r    *rand.Rand
	n    int
	slug string

	verified   []string // verified domain names
	accounts   []snapshot.Account
	active     []int // indices of active, non-admin accounts
	admins     []int // indices of active org admins
	departed   []int // indices of deactivated or for_deletion accounts
	sites      []snapshot.Site
	sandboxURL string
}

// Options select the org to generate.
type Options struct {
	// Accounts is the number of managed accounts (at least 1).
	Accounts int
	// Seed makes the org reproducible.
	Seed uint64
	// Compact writes the JSON on one line instead of indented by two spaces.
	Compact bool
}

// Write generates the org and encodes it to w.
func Write(w io.Writer, opts Options) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if !opts.Compact {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(Generate(opts))
}

// Bytes is Write to memory.
func Bytes(opts Options) []byte {
	var b bytes.Buffer
	if err := Write(&b, opts); err != nil {
		panic(err) // encoding our own types cannot fail
	}
	return b.Bytes()
}

// Generate builds the org.
func Generate(opts Options) *snapshot.Snapshot {
	opts.Accounts = max(1, opts.Accounts)
	g := &gen{r: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x5eed)), n: opts.Accounts, slug: "synth"}
	s := &snapshot.Snapshot{
		SchemaVersion: snapshot.SchemaVersion,
		ToolVersion:   "synth",
		CollectedAt:   now,
		Org:           snapshot.Org{ID: g.uuid(), Name: fmt.Sprintf("Synthetic Org %d «Ωmega» 🏢", opts.Accounts)},
	}
	s.Sites = snapshot.SitesArea{Area: g.apiArea(), Items: g.genSites()}
	s.VerifiedDomains = snapshot.VerifiedDomainsArea{Area: g.apiArea(), Items: g.genVerifiedDomains()}
	// One domain the collector could not read (ATL-COL-003).
	s.VerifiedDomains.Unreadable = []snapshot.UnreadableItem{{ID: "broken.synth.example",
		Problems: []snapshot.ItemProblem{{Field: "/attributes/claim/status", Reason: `unknown value "PENDING_REVIEW" (known: verified, deleted, unverified, superseded, missing_token)`}},
		Raw:      json.RawMessage(`{"id":"d-broken","type":"domains","attributes":{"name":"broken.synth.example","claim":{"type":"dns","status":"PENDING_REVIEW"}}}`)}}
	s.ManagedAccounts = snapshot.ManagedAccountsArea{Area: g.apiArea(), Items: g.genAccounts()}
	s.AppAccess = snapshot.AppAccessArea{Area: g.apiArea(), Items: g.genApprovedDomains()}
	s.APIKeys = snapshot.APIKeysArea{Area: g.apiArea(), Items: g.genKeys()}
	s.APITokens = snapshot.APITokensArea{Area: g.apiArea(), Items: g.genTokens()}
	s.ConnectedApps.Installed, s.ConnectedApps.Settings = g.genApps()
	s.ExternalUsers = g.genExternalUsers()
	g.genNonHuman(s) // last: the areas before keep their bytes
	s.OrgPolicies = snapshot.OrgPoliciesArea{Area: g.apiArea(), Items: g.genOrgPolicies()}
	g.genAuth(s)
	g.genAuditLog(s)
	g.genActivity(s)
	for i := range s.APITokens.Items { // a third of the user tokens scoped: the others are ATL-TOK-004's
		if i%3 == 0 {
			s.APITokens.Items[i].Scopes = []string{"read:jira-work", "write:jira-work"}
		}
	}
	return s
}

// scaled is per1000 items per 1,000 accounts, at least min.
func (g *gen) scaled(per1000, min int) int {
	return max(min, (g.n*per1000+500)/1000)
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) uuid() string {
	a, b := g.r.Uint64(), g.r.Uint64()
	return fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", a>>32, a>>16&0xffff, a&0xfff, b>>48&0x3fff|0x8000, b&0xffffffffffff)
}

func (g *gen) apiArea() snapshot.Area {
	t := now.Add(-time.Duration(g.r.IntN(600)) * time.Second)
	return snapshot.Area{Source: snapshot.SourceAPI, Collected: true, CollectedAt: &t}
}

func daysAgo(d int) *time.Time {
	t := now.Add(-time.Duration(d) * 24 * time.Hour)
	return &t
}

func after(t *time.Time, days int) *time.Time {
	u := t.Add(time.Duration(days) * 24 * time.Hour)
	return &u
}

func ptr[T any](v T) *T { return &v }

// long repeats a mixed-script unit into a string of about n bytes.
func long(n int, unit string) string {
	return strings.Repeat(unit, max(1, n/len(unit)))
}

func (g *gen) genSites() []snapshot.Site {
	names := []string{g.slug, g.slug + "-support", g.slug + "-labs", g.slug + "-sandbox"}
	for i, n := range names {
		g.sites = append(g.sites, snapshot.Site{
			ID: g.uuid(), Name: n, URL: "https://" + n + ".atlassian.net",
			Products: productKeys[i%len(productKeys)], Status: "online",
		})
	}
	g.sandboxURL = g.sites[3].URL
	return g.sites
}

func (g *gen) genVerifiedDomains() []snapshot.VerifiedDomain {
	g.verified = []string{g.slug + ".example", g.slug + "-corp.example"}
	for i := range g.scaled(1, 1) - 1 {
		g.verified = append(g.verified, fmt.Sprintf("dept%d.%s.example", i+1, g.slug))
	}
	var out []snapshot.VerifiedDomain
	for i, d := range g.verified {
		out = append(out, snapshot.VerifiedDomain{ID: g.uuid(), Name: d, Status: []string{"VERIFIED", "verified"}[i%2], Type: "dns"})
	}
	out = append(out, snapshot.VerifiedDomain{ID: g.uuid(), Name: g.slug + "labs.example", Status: "UNVERIFIED", Type: "http"})
	return out
}

func (g *gen) personName(i int) (display, local string) {
	f := firstNames[g.r.IntN(len(firstNames))]
	l := lastNames[g.r.IntN(len(lastNames))]
	display = f.display + " " + l.display
	if g.chance(0.03) {
		display += decorations[g.r.IntN(len(decorations))]
	}
	if i == 1 || g.chance(0.0002) {
		display += " " + long(4000, "Ünïcødé 名前 🧑‍🚀 ")
	}
	return display, fmt.Sprintf("%s.%s.%d", f.ascii, l.ascii, i)
}

// genAccounts writes the directory: about 3 org admins per 1,000 (with MFA,
// claim and e-mail problems planted on some), 2 other admins per 1,000, about
// 1 departed admin per 1,000 (ACC-002) and a mix of statuses.
func (g *gen) genAccounts() []snapshot.Account {
	nAdmins := g.scaled(3, 2)
	nOtherAdmins := g.scaled(2, 1)
	nDepartedAdmins := g.scaled(1, 1)
	g.accounts = make([]snapshot.Account, g.n)
	perm := g.r.Perm(g.n)
	role := make([]int, g.n) // 0 none, 1 org admin, 2 other admin, 3 departed admin
	k := 0
	for _, spec := range []struct{ n, role int }{{nAdmins, 1}, {nOtherAdmins, 2}, {nDepartedAdmins, 3}} {
		for j := 0; j < spec.n && k < g.n; j++ {
			role[perm[k]] = spec.role
			k++
		}
	}
	adminOrdinal := 0
	for i := range g.accounts {
		display, local := g.personName(i)
		a := snapshot.Account{
			AccountID:        fmt.Sprintf("%012x%012x", g.r.Uint64()&0xffffffffffff, i),
			Name:             display,
			AccountType:      "atlassian",
			MembershipStatus: "active",
			ClaimStatus:      "managed",
			ManagementSource: []string{"synced", "invited", "synced"}[g.r.IntN(3)], // the documented values (contract Part C.5)
			EmailVerified:    ptr(true),
			Roles:            []string{},
		}
		domain := g.verified[g.r.IntN(len(g.verified))]
		if g.chance(0.02) {
			domain = "contractor.example"
		}
		switch p := g.r.Float64(); {
		case p < 0.90:
			a.Status, a.AccountStatus = "active", "active"
		case p < 0.91:
			a.Status, a.AccountStatus = "suspended", "active"
		case p < 0.93:
			a.Status, a.AccountStatus, a.MembershipStatus = "not_invited", "active", "no_membership"
		case p < 0.98:
			a.Status, a.AccountStatus, a.DeactivatedOn = "deactivated", "inactive", daysAgo(1+g.r.IntN(700))
		default:
			a.Status, a.AccountStatus = "for_deletion", "closed"
		}
		switch q := g.r.Float64(); {
		case q < 0.7:
			a.MFAEnabled = ptr(true)
		case q < 0.9:
			a.MFAEnabled = ptr(false)
		}
		switch role[i] {
		case 1:
			a.Status, a.AccountStatus, a.DeactivatedOn = "active", "active", nil
			a.Roles = []string{"atlassian/org-admin"}
			a.MFAEnabled = ptr(true)
			domain = g.verified[0]
			switch adminOrdinal % 12 {
			case 1, 7: // ACC-001
				a.MFAEnabled = ptr(false)
			case 5: // ACC-001, no recorded status
				a.MFAEnabled = nil
			case 3: // ACC-004, unmanaged
				a.ClaimStatus = "unmanaged"
			case 4: // ACC-004, unverified e-mail domain
				domain = "contractor.example"
			}
			adminOrdinal++
		case 2:
			a.Roles = []string{[]string{"atlassian/site-admin", "atlassian/user-access-admin"}[g.r.IntN(2)]}
		case 3: // ACC-002
			a.Status, a.AccountStatus = "deactivated", "inactive"
			a.DeactivatedOn = daysAgo(1 + g.r.IntN(200))
			a.Roles = []string{"atlassian/site-admin", "atlassian/org-admin"}[:1+g.r.IntN(2)]
		}
		a.Email = local + "@" + domain
		if i%5 == 0 {
			a.Roles = append(a.Roles, "jira-software-users", "confluence-users")
		}
		g.accounts[i] = a
		switch {
		case role[i] == 1:
			g.admins = append(g.admins, i)
		case a.Status == "deactivated" || a.Status == "for_deletion":
			g.departed = append(g.departed, i)
		case a.Status == "active" && role[i] == 0:
			g.active = append(g.active, i)
		}
	}
	return g.accounts
}

func (g *gen) person(i int) *snapshot.Person {
	a := g.accounts[i]
	return &snapshot.Person{ID: a.AccountID, Name: a.Name, Email: a.Email}
}

func (g *gen) pick(list []int) int {
	if len(list) == 0 {
		return g.r.IntN(len(g.accounts))
	}
	return list[g.r.IntN(len(list))]
}

func (g *gen) genApprovedDomains() []snapshot.ApprovedDomain {
	product := func(site int, kind, role string, approval bool) snapshot.DomainProduct {
		return snapshot.DomainProduct{
			ProductID:             fmt.Sprintf("ari:cloud:%s::site/%s", kind, g.sites[site].ID),
			AdminApprovalRequired: ptr(approval),
			Role:                  "ari:cloud:identity::role/product/" + role,
		}
	}
	raw := json.RawMessage(`{"id":"d-1","attributes":{"note":"raw detail with / and ~ in keys","a/b~c":true}}`)
	out := []snapshot.ApprovedDomain{
		// AAS-001, AAS-005
		{Domain: "ANYONE", Enabled: true, AdminNotifications: ptr(true), NumberOfProductsAppliesTo: 1,
			Products: []snapshot.DomainProduct{product(1, "jira-servicedesk", "member", false)}},
		// AAS-002, AAS-003, AAS-006
		{Domain: "gmail.com", Enabled: true, AdminNotifications: ptr(false), NumberOfProductsAppliesTo: 1,
			Products: []snapshot.DomainProduct{product(1, "jira-servicedesk", "member", true)}},
		// AAS-004
		{Domain: g.verified[0], Enabled: true, AdminNotifications: ptr(true), NumberOfProductsAppliesTo: 2, Raw: raw,
			Products: []snapshot.DomainProduct{product(0, "jira-software", "member", false), product(0, "confluence", "admin", true)}},
		// AAS-003, AAS-005
		{Domain: g.slug + "labs.example", Enabled: true, AdminNotifications: ptr(true), NumberOfProductsAppliesTo: 1,
			Products: []snapshot.DomainProduct{product(2, "jira-software", "user", false)}},
		// disabled: no findings
		{Domain: "oldpartner.example", Enabled: false, AdminNotifications: ptr(false), NumberOfProductsAppliesTo: 1,
			Products: []snapshot.DomainProduct{product(0, "jira-software", "admin", false)}},
	}
	for i := 1; len(out) < g.scaled(1, 1); i++ {
		d := g.verified[i%len(g.verified)]
		if i >= len(g.verified) {
			d = fmt.Sprintf("team%d.%s", i, d)
		}
		out = append(out, snapshot.ApprovedDomain{Domain: d, Enabled: g.chance(0.9), AdminNotifications: ptr(true), NumberOfProductsAppliesTo: 1,
			Products: []snapshot.DomainProduct{product(g.r.IntN(3), "jira-software", []string{"member", "user"}[g.r.IntN(2)], true)}})
	}
	return out
}

var scopes = []string{"read:directories:admin", "read:workspaces:admin", "read:events:admin", "read:app-access-settings:admin", "write:users:admin"}

// genKeys writes about 2 admin API keys per 1,000 accounts. The first two
// plant every KEY policy; the rest are random with the same problems mixed in.
func (g *gen) genKeys() []snapshot.APIKey {
	n := g.scaled(2, 2)
	out := make([]snapshot.APIKey, 0, n)
	for i := range n {
		k := snapshot.APIKey{ID: g.uuid(), Label: fmt.Sprintf("%s-%d", tokenLabels[g.r.IntN(len(tokenLabels))], i), KeyType: "SCOPED", Status: "ACTIVE"}
		created := daysAgo(1 + g.r.IntN(80))
		k.CreatedAt = created
		k.ExpiresAt = after(created, 30+g.r.IntN(60))
		if !k.ExpiresAt.After(now) {
			k.ExpiresAt = after(&now, 20+g.r.IntN(40))
		}
		k.LastActiveAt = daysAgo(g.r.IntN(10))
		k.Scopes = []string{scopes[g.r.IntN(len(scopes))]}
		k.CreatedBy = g.person(g.pick(g.admins))
		switch i {
		case 0: // KEY-001, KEY-002, KEY-003, KEY-004
			k.KeyType, k.Scopes, k.ExpiresAt, k.LastActiveAt = "WITHOUT_SCOPES", []string{}, nil, nil
			k.CreatedAt = daysAgo(200)
			k.CreatedBy = g.person(g.pick(g.active))
			k.Raw = json.RawMessage(`{"id":"raw","keyType":"WITHOUT_SCOPES","note":"🔑 \"quoted\" \\ back"}`)
		case 1: // KEY-005
			k.ExpiresAt = after(&now, 7)
		default:
			if g.chance(0.2) { // KEY-001
				k.Scopes = nil
				k.KeyType = []string{"UNSCOPED", "without-scopes", "SCOPED"}[g.r.IntN(3)]
			}
			switch p := g.r.Float64(); {
			case p < 0.15: // KEY-002 no expiry
				k.ExpiresAt = nil
			case p < 0.35: // KEY-002 long lifetime
				k.CreatedAt = daysAgo(10 + g.r.IntN(60))
				k.ExpiresAt = after(k.CreatedAt, 120+g.r.IntN(300))
			case p < 0.45: // KEY-005
				k.ExpiresAt = after(&now, 1+g.r.IntN(14))
			case p < 0.5: // revoked: no findings
				k.Status = "REVOKED"
			}
			switch p := g.r.Float64(); { // KEY-003
			case p < 0.1:
				k.CreatedBy = g.person(g.pick(g.active))
			case p < 0.2:
				k.CreatedBy = g.person(g.pick(g.departed))
			case p < 0.25:
				k.CreatedBy = &snapshot.Person{ID: fmt.Sprintf("unknown-%d", i), Name: "Former contractor"}
			case p < 0.3:
				k.CreatedBy = nil
			}
			if g.chance(0.2) { // KEY-004
				k.LastActiveAt = daysAgo(31 + g.r.IntN(60))
				if k.LastActiveAt.Before(*k.CreatedAt) {
					k.LastActiveAt = nil
					k.CreatedAt = daysAgo(100)
				}
			}
		}
		out = append(out, k)
	}
	return out
}

// genTokens writes about 300 user API tokens per 1,000 accounts with
// TOK-001 (no expiry or too long), TOK-002 (departed owner) and TOK-003
// (unused) planted on a share of them.
func (g *gen) genTokens() []snapshot.APIToken {
	n := g.scaled(300, 3)
	out := make([]snapshot.APIToken, 0, n)
	for i := range n {
		t := snapshot.APIToken{ID: g.uuid(), Label: tokenLabels[g.r.IntN(len(tokenLabels))], Status: "ALLOWED"}
		if i == 0 || g.chance(0.0003) {
			t.Label = long(10000, "very-long-label/ラベル/🏷️/")
		}
		owner := g.pick(g.active)
		switch p := g.r.Float64(); {
		case i == 1 || p < 0.03: // TOK-002
			owner = g.pick(g.departed)
		case p < 0.035: // admin-owned
			owner = g.pick(g.admins)
		}
		t.User = g.person(owner)
		if g.chance(0.01) { // unknown owner: no TOK-002
			t.User = &snapshot.Person{ID: fmt.Sprintf("ext-%d", i), Name: "Someone else"}
		}
		created := daysAgo(1 + g.r.IntN(300))
		t.CreatedAt = created
		t.ExpiresAt = after(created, 200+g.r.IntN(165))
		t.LastActiveAt = daysAgo(g.r.IntN(min(60, int(now.Sub(*created).Hours()/24))))
		switch p := g.r.Float64(); {
		case i == 2 || p < 0.15: // TOK-001 no expiry
			t.ExpiresAt = nil
		case p < 0.25: // TOK-001 too long
			t.ExpiresAt = after(created, 400+g.r.IntN(330))
		case p < 0.27: // expired: no findings
			t.ExpiresAt = daysAgo(1)
		}
		switch p := g.r.Float64(); {
		case i == 0 || p < 0.1: // TOK-003 never used
			t.LastActiveAt = nil
			t.CreatedAt = daysAgo(91 + g.r.IntN(300))
			if t.ExpiresAt != nil && !t.ExpiresAt.After(now) {
				t.ExpiresAt = nil
			}
		case p < 0.2: // TOK-003 last used long ago
			t.CreatedAt = daysAgo(200 + g.r.IntN(200))
			t.LastActiveAt = daysAgo(91 + g.r.IntN(100))
		}
		switch p := g.r.Float64(); {
		case p < 0.03:
			t.Status = "BLOCKED"
		case p < 0.05:
			t.Status = "REVOKED"
		case p < 0.07:
			t.Status = ""
		}
		out = append(out, t)
	}
	return out
}

// genApps writes about 2 installed apps per 1,000 accounts across the three
// production sites, and the attested settings. The sandbox site's app
// manager refused (ATL-COL-001) and it is missing from the attestation
// (ATL-COL-002).
func (g *gen) genApps() (snapshot.InstalledAppsArea, snapshot.AppSettingsArea) {
	installed := snapshot.InstalledAppsArea{Area: snapshot.Area{Source: snapshot.SourceSiteAPI, Collected: true, CollectedAt: ptr(now)}}
	attestedAt := now.Add(-30 * 24 * time.Hour)
	settings := snapshot.AppSettingsArea{
		Area:        snapshot.Area{Source: snapshot.SourceAttestation, Collected: true, CollectedAt: ptr(now)},
		Attestation: snapshot.Attestation{AttestedBy: "jane.admin@" + g.verified[0], AttestedAt: &attestedAt},
	}
	n := g.scaled(2, 6)
	sites := make([]snapshot.SiteApps, 3)
	attested := make([]snapshot.SiteAppSettings, 3)
	for s := range sites {
		sites[s] = snapshot.SiteApps{URL: g.sites[s].URL, Collected: true, Apps: []snapshot.App{}}
		attested[s] = snapshot.SiteAppSettings{URL: g.sites[s].URL, Apps: []snapshot.AttestedAppState{}}
	}
	attested[0].BlockUserApps = ptr(true)
	attested[1].BlockUserApps = ptr(false) // APP-001; site 2 not attested
	for i := range n {
		s := i % 3
		app := snapshot.App{Version: fmt.Sprintf("%d.%d.%d", 1+g.r.IntN(9), g.r.IntN(20), g.r.IntN(10)), Enabled: g.chance(0.9)}
		if i%5 == 3 {
			app.Key = fmt.Sprintf("com.atlassian.plugin%d", i)
			app.Name = fmt.Sprintf("Atlassian plugin %d", i)
			app.Vendor = &snapshot.Vendor{Name: "Atlassian", URL: "https://www.atlassian.com"}
		} else {
			v := appVendors[g.r.IntN(len(appVendors))]
			app.Key = fmt.Sprintf("com.vendor%d.app-%d", g.r.IntN(50), i)
			app.Name = fmt.Sprintf("%s app %d", v, i)
			app.UserInstalled = true
			app.Vendor = &snapshot.Vendor{Name: v, URL: "https://vendor.example"}
			st := snapshot.AttestedAppState{Key: app.Key, VendorLogAccess: ptr(false), UpdateAwaitingApproval: ptr(false), InstalledByAdmin: ptr(true)}
			if i == 0 || g.chance(0.1) { // APP-002
				st.UpdateAwaitingApproval = ptr(true)
			}
			if i == 1 || g.chance(0.15) { // APP-003
				st.VendorLogAccess = ptr(true)
			}
			if i == 2 || g.chance(0.2) { // APP-005
				st.InstalledByAdmin = ptr(false)
				st.InstalledBy = g.accounts[g.pick(g.active)].AccountID
			}
			if g.chance(0.1) { // not attested
				st.VendorLogAccess = nil
			}
			attested[s].Apps = append(attested[s].Apps, st)
		}
		if i == 0 {
			app.Name = long(2000, "Ünïcødé app 🧩 ")
		}
		sites[s].Apps = append(sites[s].Apps, app)
	}
	sites = append(sites, snapshot.SiteApps{URL: g.sandboxURL, Collected: false, Apps: []snapshot.App{},
		Error: &snapshot.AreaError{Status: 403, Code: "ADMIN-403", Endpoint: "GET /rest/plugins/1.0/", Message: "site credentials lack app manager access"}})
	installed.Sites = sites
	settings.Sites = attested
	return installed, settings
}

func (g *gen) genExternalUsers() snapshot.ExternalUsersArea {
	return snapshot.ExternalUsersArea{
		Area: snapshot.Area{Source: snapshot.SourceAttestation, Collected: true, CollectedAt: ptr(now)},
		// stale: ATL-COL-002
		Attestation: snapshot.Attestation{AttestedBy: "jane.admin@" + g.verified[0], AttestedAt: daysAgo(120)},
		Items: []snapshot.ExternalUserPolicy{
			{Name: "External user policy", APITokenAccess: "allow"}, // ATL-EXT-001
			{Name: "Contractors 🌍 «Ünïcødé»", APITokenAccess: "block"},
			{Name: long(3000, "long policy name | "), APITokenAccess: "allow"},
		},
	}
}

// genOrgPolicies plants the org policy findings: an IP allow-list in force
// on every product of the first site and one product of the third
// (ATL-ORG-002), none on the second and the sandbox (ATL-ORG-001), a failed
// and a long-applying resource (ATL-ORG-003), a data security app access
// rule and a generative-ai policy on the first site only (ATL-ORG-004, and
// ATL-ORG-005 with the config's expectation).
func (g *gen) genOrgPolicies() []snapshot.OrgPolicy {
	site := func(i int, product string) string {
		return fmt.Sprintf("ari:cloud:%s::site/%s", product, g.sites[i].ID)
	}
	res := func(id, status string) snapshot.PolicyResource {
		return snapshot.PolicyResource{ID: id, ApplicationStatus: status}
	}
	stuck := res(site(1, "jira-servicedesk"), "applying")
	stuck.StartedAt = daysAgo(9)
	return []snapshot.OrgPolicy{
		{ID: g.uuid(), Type: "ip-allowlist", Name: "Offices «Ωmega» 🏢", Status: "enabled", Rule: json.RawMessage(`{"in":["203.0.113.0/24","198.51.100.0/28"]}`),
			Resources: []snapshot.PolicyResource{res(site(0, "jira-software"), "applied"), res(site(0, "confluence"), "applied"),
				res(site(2, "jira-software"), "applied"), res(site(2, "confluence"), "failed")}},
		{ID: g.uuid(), Type: "data-residency", Name: "EU", Status: "enabled", Rule: json.RawMessage(`{"in":["EU"]}`),
			Resources: []snapshot.PolicyResource{stuck}},
		{ID: g.uuid(), Type: "data-security", Name: "Apps", Status: "enabled", Rule: json.RawMessage(`{"appAccess":{"mode":"block"}}`),
			Resources: []snapshot.PolicyResource{res(site(0, "confluence"), "applied")}},
		{ID: g.uuid(), Type: "generative-ai", Name: long(2000, "AI | "), Status: "enabled",
			Resources: []snapshot.PolicyResource{res(site(0, "confluence"), "applied")}},
	}
}

// genAuth plants the authentication policy findings: a default policy
// enforcing neither SSO nor two-step verification with a 30-day idle
// session (ATL-AUT-002, ATL-AUT-003) that holds every org admin but the
// second (ATL-AUT-001; with its admins whose two-step verification is off,
// ATL-ACC-001), an SSO policy holding the second admin, whose two-step
// verification is off (ATL-ACC-005), and members of a policy the
// attestation does not describe (ATL-AUT-004). The accounts asked about
// are those the collector asks about: active managed accounts holding an
// admin role or without two-step verification.
func (g *gen) genAuth(s *snapshot.Snapshot) {
	s.AuthPolicies = snapshot.AuthPoliciesArea{
		Area:        snapshot.Area{Source: snapshot.SourceAttestation, Collected: true, CollectedAt: ptr(now)},
		Attestation: snapshot.Attestation{AttestedBy: "jane.admin@" + g.verified[0], AttestedAt: daysAgo(10)},
		Items: []snapshot.AuthPolicy{
			{Name: "Default policy", ID: "ap-default", Default: true, SSOEnforced: ptr(false), TwoStepRequired: ptr(false), IdleSessionMinutes: ptr(43200)},
			{Name: "Admins «SSO» 🔐", ID: "ap-sso", SSOEnforced: ptr(true), IdleSessionMinutes: ptr(30)},
			{Name: "Engineering", SSOEnforced: ptr(false), TwoStepRequired: ptr(true), IdleSessionMinutes: ptr(30)},
		},
	}
	members := snapshot.AuthPolicyMembersArea{Area: snapshot.Area{Source: snapshot.SourceAPI, Collected: true, CollectedAt: ptr(now)},
		Items: []snapshot.AuthPolicyMember{}}
	admin := 0
	for i, a := range g.accounts {
		isAdmin := slices.ContainsFunc(a.Roles, func(r string) bool { return strings.HasSuffix(r, "admin") })
		if a.Status != "active" || a.ClaimStatus == "unmanaged" || (!isAdmin && a.MFAEnabled != nil && *a.MFAEnabled) {
			continue
		}
		m := snapshot.AuthPolicyMember{AccountID: a.AccountID, Email: a.Email, PolicyID: "ap-default", PolicyName: "Default policy"}
		switch {
		case slices.Contains(a.Roles, "atlassian/org-admin"):
			if admin == 1 {
				m.PolicyID, m.PolicyName = "ap-sso", "Admins «SSO» 🔐"
			}
			admin++
		case i%4 == 1:
			m.PolicyID, m.PolicyName = "", "Engineering"
		case i%4 == 2:
			m.PolicyID, m.PolicyName = "ap-legacy", "Legacy contractors"
		case i%4 == 3:
			members.Unanswered = append(members.Unanswered, a.AccountID)
			continue
		}
		members.Items = append(members.Items, m)
	}
	s.AuthPolicyMembers = members
}

// genActivity gives the accounts product access with their last activity,
// without drawing random numbers (the areas before keep their bytes): every
// tenth account dormant for 200 days (ATL-ACC-007), the next with access but
// no activity date (ATL-ACC-009), the others active within a month; the
// first org admin last active 60 days ago (ATL-ACC-008).
func (g *gen) genActivity(s *snapshot.Snapshot) {
	site := "ari:cloud:jira-software::site/" + g.sites[0].ID
	for n, i := range g.admins {
		if n == 0 {
			s.ManagedAccounts.Items[i].ProductAccess = []snapshot.ProductAccess{{Key: "jira", ID: site, LastActiveAt: daysAgo(60)}}
		}
	}
	for i := range s.ManagedAccounts.Items {
		a := &s.ManagedAccounts.Items[i]
		if a.ProductAccess != nil {
			continue
		}
		switch i % 10 {
		case 0:
			a.ProductAccess = []snapshot.ProductAccess{{Key: "jira", ID: site, LastActiveAt: daysAgo(200)}}
		case 1:
			a.ProductAccess = []snapshot.ProductAccess{{Key: "confluence", ID: "ari:cloud:confluence::site/" + g.sites[0].ID}}
		default:
			a.ProductAccess = []snapshot.ProductAccess{{Key: "jira", ID: site, LastActiveAt: daysAgo(i % 30)}}
		}
	}
}

// ConfigYAML is an atlcheck config for the generated org: an app allow-list
// that leaves most third-party apps out (ATL-APP-004), an expired exception
// (ATL-EXC-001), one that expires soon (ATL-EXC-002) and a glob exception
// that suppresses a share of the unused-token findings.
func ConfigYAML(opts Options) string {
	snap := Generate(opts)
	var allowed []string
	for _, site := range snap.ConnectedApps.Installed.Sites {
		for i, app := range site.Apps {
			if app.UserInstalled && i%4 == 0 {
				allowed = append(allowed, app.Key)
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Generated by go run ./testdata/synth --accounts %d --seed %d\n", opts.Accounts, opts.Seed)
	fmt.Fprintf(&b, "org_id: %s\nparameters:\n  org_policies:\n    generative_ai: restricted\n  apps:\n    allowed:\n", snap.Org.ID)
	for _, k := range allowed {
		fmt.Fprintf(&b, "      - %s\n", k)
	}
	b.WriteString(`exceptions:
  - policy: ATL-KEY-004
    resource: "*0"
    reason: expired on purpose (synthetic)
    owner: secops@synth.example
    expires: 2026-11-01
  - policy: ATL-AAS-006
    resource: gmail.com
    reason: expires soon on purpose (synthetic)
    owner: it-ops@synth.example
    expires: 2026-11-25
  - policy: ATL-TOK-003
    resource: "*a"
    reason: accepted unused tokens ending in a (synthetic)
    owner: it-ops@synth.example
    expires: 2027-01-31
`)
	return b.String()
}

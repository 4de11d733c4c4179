package attestation

import (
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"gopkg.in/yaml.v3"
)

// Placeholder is the value `atlcheck attest init` writes for every setting
// the admin has to look up. Parse refuses a file that still holds one, so a
// draft can never be read as attested values.
const Placeholder = "FILL_IN"

// DraftBlock drafts one top-level block of the attestation file. The blocks
// are listed once, in DraftBlocks; a new attested area (approved domains,
// authentication policies) adds one entry there with the lines its block
// needs, and TestDraftCoversEveryBlock fails until it does.
type DraftBlock struct {
	// Key is the block's top-level key, as Parse reads it.
	Key string
	// About is written above the block: what it attests and where in
	// admin.atlassian.com to find it.
	About []string
	// Write writes the block's body (below "Key:") from what the snapshot knows.
	Write func(d *Drafter, s *snapshot.Snapshot)
}

// DraftBlocks are the attested blocks, in the order a draft lists them.
var DraftBlocks = []DraftBlock{
	{
		Key: "sites",
		About: []string{
			"Connected apps, per site: admin.atlassian.com > Apps > Sites > (the site) > Connected apps.",
			"Every site of the organization is listed with the third-party apps installed on it.",
		},
		Write: draftSites,
	},
	{
		Key: "external_users",
		About: []string{
			"External users: admin.atlassian.com > Security > External users.",
			"One entry per policy listed there (the default one is called \"External user policy\").",
		},
		Write: draftExternalUsers,
	},
	{
		Key: "approved_domains",
		About: []string{
			"Approved domains: admin.atlassian.com > Directory > User access settings > Approved domains.",
			"Used only when the app access settings API does not answer (Atlassian removed it from its",
			"published spec in August 2026); when the API answers, it wins and this block is ignored.",
		},
		Write: draftApprovedDomains,
	},
	{
		Key: "authentication_policies",
		About: []string{
			"Authentication policies: admin.atlassian.com > Security > User security > Authentication policies.",
			"One entry per policy listed there; mark the default one(s) with default: true. No API reads these",
			"settings; atlcheck reads from the API only which policy each account is in.",
		},
		Write: draftAuthPolicies,
	},
}

// Draft writes an attestation file for the org of s with every site, every
// installed third-party app and every setting to check, each with a comment
// saying where to find it, and every value left as Placeholder. source names
// where s came from, for the header.
func Draft(s *snapshot.Snapshot, source string) []byte {
	d := &Drafter{}
	org := s.Org.ID
	if s.Org.Name != "" {
		org = s.Org.Name + " (" + s.Org.ID + ")"
	}
	d.Comment(0,
		"Attestation file for "+org+".",
		"Drafted by 'atlcheck attest init' from "+source+", collected "+s.CollectedAt.UTC().Format("2006-01-02T15:04:05Z")+".",
		"",
		"Check each setting in admin.atlassian.com and replace every "+Placeholder+" with what you see there.",
		"'atlcheck collect' and 'atlcheck scan' refuse this file while any "+Placeholder+" is left.",
		"Never guess: delete the line of a setting you cannot check (its policy then reports nothing for it).",
		"Format: docs/collector.md, section \"The attestation file\".",
	)
	d.Blank()
	d.Setting(0, "attested_by", "who checked these settings: your name or email")
	d.Setting(0, "attested_at", "when: a date (2026-11-20) or a date-time (2026-11-20T09:30:00Z)")
	for _, b := range DraftBlocks {
		d.Blank()
		d.Comment(0, b.About...)
		d.Line(0, b.Key+":", "")
		b.Write(d, s)
	}
	return []byte(d.b.String())
}

// draftSites lists every site with its installed third-party apps.
func draftSites(d *Drafter, s *snapshot.Snapshot) {
	installed := map[string]snapshot.SiteApps{}
	for _, sa := range s.ConnectedApps.Installed.Sites {
		installed[SiteKey(sa.URL)] = sa
	}
	if len(s.Sites.Items) == 0 {
		reason := "the organization has no sites"
		if !s.Sites.Collected {
			reason = "the sites could not be read" + errorSuffix(s.Sites.Error)
		}
		d.Comment(2, reason+": add one entry per site, e.g.")
		d.Comment(2, "- url: https://example.atlassian.net")
		d.Line(2, "[]", "")
		return
	}
	for _, site := range s.Sites.Items {
		d.Line(2, "- url: "+d.Value(site.URL), siteLabel(site))
		d.Setting(4, "block_user_apps", "Connected apps > Settings > \"Block user apps\": true when it is on")
		apps, ok := installed[SiteKey(site.URL)]
		switch {
		case !ok || !apps.Collected:
			why := "atlcheck could not read the apps installed on this site"
			if ok {
				why += errorSuffix(apps.Error)
			} else if s.ConnectedApps.Installed.Error != nil {
				why += errorSuffix(s.ConnectedApps.Installed.Error)
			}
			d.Comment(4, why+":", "list each app of this site's Connected apps page by its key, or delete the placeholder.")
			d.Line(4, "apps:", "")
			draftApp(d, Placeholder, "the app key (View app details)")
		case len(thirdParty(apps.Apps)) == 0:
			d.Line(4, "apps: []", "no third-party apps installed")
		default:
			d.Line(4, "apps:", "")
			for _, a := range thirdParty(apps.Apps) {
				draftApp(d, d.Value(a.Key), appLabel(a))
			}
		}
	}
}

// draftApp writes one app entry with its three attested settings.
func draftApp(d *Drafter, key, label string) {
	d.Line(6, "- key: "+key, label)
	d.Setting(8, "vendor_log_access", "View app details > App logs access: true when the vendor can read the logs")
	d.Setting(8, "update_awaiting_approval", "true when the app shows an UPDATE status that needs admin approval")
	d.Setting(8, "installed_by_admin", "\"Installed by\" column: true for an admin, false for a user")
}

// draftExternalUsers lists the external-user policies the snapshot knows
// (names from an earlier attestation), or one entry to fill in.
func draftExternalUsers(d *Drafter, s *snapshot.Snapshot) {
	d.Line(2, "policies:", "")
	names := []string{}
	for _, p := range s.ExternalUsers.Items {
		if p.Name != "" && !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		d.Line(4, "- name: "+Placeholder, "the policy's name as listed")
		d.Setting(6, "api_token_access", "\"API token access for external users\": allow or block")
		return
	}
	for _, n := range names {
		d.Line(4, "- name: "+d.Value(n), "listed in the snapshot's earlier attestation: check it still exists")
		d.Setting(6, "api_token_access", "\"API token access for external users\": allow or block")
	}
}

// draftApprovedDomains lists the approved domains the snapshot knows (from
// the API or an earlier attestation) with the products each applies to, every
// setting left to fill in; one entry to fill in when it knows none.
func draftApprovedDomains(d *Drafter, s *snapshot.Snapshot) {
	if s.AppAccess.Collected && s.AppAccess.Source == snapshot.SourceAPI {
		d.Comment(2, "The API answered for this snapshot: the list below is what it reported, to check in the console.")
	}
	if len(s.AppAccess.Items) == 0 {
		d.Line(2, "- domain: "+Placeholder, "a domain such as acme.example, or ANYONE for any email address")
		draftDomainSettings(d)
		d.Line(4, "products:", "")
		draftDomainProduct(d, Placeholder, "the product, as its ARI or as the console names it")
		return
	}
	for _, ad := range s.AppAccess.Items {
		d.Line(2, "- domain: "+d.Value(ad.Domain), "")
		draftDomainSettings(d)
		if len(ad.Products) == 0 {
			d.Line(4, "products: []", "no product listed for this domain")
			continue
		}
		d.Line(4, "products:", "")
		for _, p := range ad.Products {
			draftDomainProduct(d, d.Value(p.ProductID), "")
		}
	}
}

// draftAuthPolicies lists the authentication policies the snapshot knows:
// those of an earlier attestation and those the membership API named (with
// their ids), every setting left to fill in; one entry when it knows none.
func draftAuthPolicies(d *Drafter, s *snapshot.Snapshot) {
	type known struct{ name, id, why string }
	var policies []known
	at := map[string]int{}
	add := func(name, id, why string) {
		key := strings.ToLower(name)
		if name == "" {
			key = "#" + id
		}
		if i, seen := at[key]; seen || key == "#" {
			if seen && policies[i].id == "" {
				policies[i].id = id // the API names the id of an attested policy
			}
			return
		}
		at[key] = len(policies)
		policies = append(policies, known{name, id, why})
	}
	for _, p := range s.AuthPolicies.Items {
		add(p.Name, p.ID, "listed in the snapshot's earlier attestation: check it still exists")
	}
	counts := map[string]int{}
	for _, m := range s.AuthPolicyMembers.Items {
		counts[strings.ToLower(cmp.Or(m.PolicyName, "#"+m.PolicyID))]++
	}
	for _, m := range s.AuthPolicyMembers.Items {
		n := counts[strings.ToLower(cmp.Or(m.PolicyName, "#"+m.PolicyID))]
		add(m.PolicyName, m.PolicyID, fmt.Sprintf("the API puts %d of the accounts atlcheck asked about in it", n))
	}
	if len(policies) == 0 {
		d.Line(2, "- name: "+Placeholder, "the policy's name as listed")
		draftAuthSettings(d, "")
		return
	}
	for _, p := range policies {
		name := Placeholder
		if p.name != "" {
			name = d.Value(p.name)
		}
		d.Line(2, "- name: "+name, p.why)
		draftAuthSettings(d, p.id)
	}
}

// draftAuthSettings writes one policy's settings; the id when known.
func draftAuthSettings(d *Drafter, id string) {
	if id != "" {
		d.Line(4, "id: "+d.Value(id), "the policy's id, as the API named it")
	}
	d.Setting(4, "default", "true for a default policy (new members land in it), else false")
	d.Setting(4, "sso_enforced", "\"Single sign-on\": true when enforced")
	d.Setting(4, "two_step_verification_required", "\"Two-step verification\": true when enforced, false when optional")
	d.Setting(4, "third_party_login_allowed", "\"Third-party login\": true when members may log in with Google, Microsoft, …")
	d.Setting(4, "idle_session_minutes", "\"Idle session duration\", in minutes (30 days = 43200)")
	d.Line(4, "password:", "")
	d.Setting(6, "minimum_strength", "weak, fair, good, strong or very_strong")
	d.Setting(6, "expiry_days", "days until a password expires, 0 for never")
}

// draftDomainSettings writes a domain's own settings.
func draftDomainSettings(d *Drafter) {
	d.Setting(4, "enabled", "true when the domain is on (people with this address can join)")
	d.Setting(4, "admin_notifications", "\"Notify admins\": true when admins are told about people who join")
}

// draftDomainProduct writes one product entry of a domain.
func draftDomainProduct(d *Drafter, product, label string) {
	d.Line(6, "- product: "+product, label)
	d.Setting(8, "access", "direct (joins without approval), request (needs admin approval) or denied")
	d.Setting(8, "role", "the role people get, e.g. member (delete the line if you cannot see it)")
}

// thirdParty leaves out Atlassian's own system apps, which the Connected
// apps page does not list as installed apps.
func thirdParty(apps []snapshot.App) []snapshot.App {
	var out []snapshot.App
	for _, a := range apps {
		if a.UserInstalled {
			out = append(out, a)
		}
	}
	return out
}

func siteLabel(s snapshot.Site) string {
	label := s.Name
	if len(s.Products) > 0 {
		label = strings.TrimSpace(label + " (" + strings.Join(s.Products, ", ") + ")")
	}
	return label
}

func appLabel(a snapshot.App) string {
	label := a.Name
	if a.Vendor != nil && a.Vendor.Name != "" {
		label = strings.TrimSpace(label + " by " + a.Vendor.Name)
	}
	return label
}

func errorSuffix(e *snapshot.AreaError) string {
	if e == nil || e.Message == "" {
		return ""
	}
	if e.Status != 0 {
		return fmt.Sprintf(" (HTTP %d: %s)", e.Status, e.Message)
	}
	return " (" + e.Message + ")"
}

// Drafter writes the lines of a draft. Values and comments come from the
// organization (site names, app names), so comments are kept on one line with
// control characters escaped and values are written as YAML that reads back
// as the same string.
type Drafter struct {
	b strings.Builder
}

// Line writes one line at indent, with an optional trailing comment.
func (d *Drafter) Line(indent int, text, comment string) {
	d.b.WriteString(strings.Repeat(" ", indent) + text)
	if comment != "" {
		d.b.WriteString("  # " + oneLine(comment))
	}
	d.b.WriteString("\n")
}

// Setting writes "key: FILL_IN  # hint".
func (d *Drafter) Setting(indent int, key, hint string) {
	d.Line(indent, key+": "+Placeholder, hint)
}

// Comment writes comment lines at indent; "" is a bare "#".
func (d *Drafter) Comment(indent int, lines ...string) {
	for _, l := range lines {
		d.b.WriteString(strings.TrimRight(strings.Repeat(" ", indent)+"# "+oneLine(l), " ") + "\n")
	}
}

// Blank writes an empty line.
func (d *Drafter) Blank() { d.b.WriteString("\n") }

// plainSafe matches values that YAML reads back as the same string when
// written without quotes.
var plainSafe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._/@+-]*(:[A-Za-z0-9/._-]+)*$`)

// Value writes s as a YAML scalar: plain when that is unambiguous, else
// double-quoted (JSON's string syntax is YAML's double-quoted style).
func (d *Drafter) Value(s string) string {
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n", strings.ToLower(Placeholder):
	default:
		if plainSafe.MatchString(s) {
			return s
		}
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func oneLine(s string) string { return escape.Control(s) }

// unfilled returns an *Error at the first value that is still Placeholder,
// naming its key and how many are left, or nil when the file has none.
func unfilled(name string, doc *yaml.Node) error {
	type spot struct {
		key       string
		line, col int
	}
	var left []spot
	var walk func(n *yaml.Node, key string)
	walk = func(n *yaml.Node, key string) {
		switch n.Kind {
		case yaml.ScalarNode:
			if n.Value == Placeholder && n.Style == 0 {
				left = append(left, spot{key, n.Line, n.Column})
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], n.Content[i].Value)
			}
		default:
			for _, c := range n.Content {
				walk(c, key)
			}
		}
	}
	walk(doc, "")
	if len(left) == 0 {
		return nil
	}
	lines := make([]string, 0, 8)
	for i, s := range left {
		if i == 8 {
			lines = append(lines, "…")
			break
		}
		lines = append(lines, fmt.Sprint(s.line))
	}
	first := left[0]
	return &Error{File: name, Line: first.line, Column: first.col, Msg: fmt.Sprintf(
		"%s is still %s: this file is a draft from 'atlcheck attest init' with %d value(s) left to fill in (%s %s); "+
			"replace each %s with what admin.atlassian.com shows, or delete the line of a setting you cannot check",
		cmp.Or(first.key, "a value"), Placeholder, len(left), linesWord(len(left)), strings.Join(lines, ", "), Placeholder)}
}

func linesWord(n int) string {
	if n == 1 {
		return "line"
	}
	return "lines"
}

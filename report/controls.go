package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// The compliance view (--group-by control) groups policies by the controls
// their tags map them to: "cis:5.4" is CIS Controls v8 safeguard 5.4 and
// "nist:AC-2" is NIST SP 800-53 Rev. 5 control AC-2. There is no CIS
// Benchmark for Atlassian Cloud; the cis: tags name CIS Controls v8
// safeguards, whose titles follow.

// Framework is one control catalog a tag prefix names.
type Framework struct {
	// Prefix is the tag prefix, e.g. "cis".
	Prefix string
	// Name is the catalog's name as reports show it.
	Name string
	// Label prefixes a control id in headings, e.g. "CIS" in "CIS 5.4".
	Label string
	// Titles are the catalog's control titles by id.
	Titles map[string]string
}

// Frameworks are the control catalogs policies may be mapped to, in the
// order the compliance view lists them.
var Frameworks = []Framework{
	{Prefix: "cis", Name: "CIS Controls v8", Label: "CIS", Titles: cisV8},
	{Prefix: "nist", Name: "NIST SP 800-53 Rev. 5", Label: "NIST", Titles: nist80053},
}

// cisV8 are the CIS Controls v8 safeguards of Controls 1 to 8 (the asset,
// software, data, configuration, account, access, vulnerability and audit
// controls a SaaS admin configuration touches).
var cisV8 = map[string]string{
	"1.1":  "Establish and Maintain Detailed Enterprise Asset Inventory",
	"1.2":  "Address Unauthorized Assets",
	"2.1":  "Establish and Maintain a Software Inventory",
	"2.2":  "Ensure Authorized Software is Currently Supported",
	"2.3":  "Address Unauthorized Software",
	"2.4":  "Utilize Automated Software Inventory Tools",
	"2.5":  "Allowlist Authorized Software",
	"3.1":  "Establish and Maintain a Data Management Process",
	"3.3":  "Configure Data Access Control Lists",
	"3.11": "Encrypt Sensitive Data at Rest",
	"4.1":  "Establish and Maintain a Secure Configuration Process",
	"4.7":  "Manage Default Accounts on Enterprise Assets and Software",
	"4.8":  "Uninstall or Disable Unnecessary Services on Enterprise Assets and Software",
	"5.1":  "Establish and Maintain an Inventory of Accounts",
	"5.2":  "Use Unique Passwords",
	"5.3":  "Disable Dormant Accounts",
	"5.4":  "Restrict Administrator Privileges to Dedicated Administrator Accounts",
	"5.5":  "Establish and Maintain an Inventory of Service Accounts",
	"5.6":  "Centralize Account Management",
	"6.1":  "Establish an Access Granting Process",
	"6.2":  "Establish an Access Revoking Process",
	"6.3":  "Require MFA for Externally-Exposed Applications",
	"6.4":  "Require MFA for Remote Network Access",
	"6.5":  "Require MFA for Administrative Access",
	"6.6":  "Establish and Maintain an Inventory of Authentication and Authorization Systems",
	"6.7":  "Centralize Access Control",
	"6.8":  "Define and Maintain Role-Based Access Control",
	"7.1":  "Establish and Maintain a Vulnerability Management Process",
	"7.4":  "Perform Automated Application Patch Management",
	"8.1":  "Establish and Maintain an Audit Log Management Process",
	"8.2":  "Collect Audit Logs",
}

// nist80053 are the NIST SP 800-53 Rev. 5 controls an identity and SaaS
// configuration review maps to.
var nist80053 = map[string]string{
	"AC-2":  "Account Management",
	"AC-3":  "Access Enforcement",
	"AC-5":  "Separation of Duties",
	"AC-6":  "Least Privilege",
	"AC-7":  "Unsuccessful Logon Attempts",
	"AC-12": "Session Termination",
	"AC-17": "Remote Access",
	"AC-20": "Use of External Systems",
	"AC-21": "Information Sharing",
	"AC-22": "Publicly Accessible Content",
	"AU-2":  "Event Logging",
	"AU-6":  "Audit Record Review, Analysis, and Reporting",
	"AU-9":  "Protection of Audit Information",
	"CA-5":  "Plan of Action and Milestones",
	"CA-7":  "Continuous Monitoring",
	"CM-2":  "Baseline Configuration",
	"CM-3":  "Configuration Change Control",
	"CM-6":  "Configuration Settings",
	"CM-7":  "Least Functionality",
	"CM-8":  "System Component Inventory",
	"CM-10": "Software Usage Restrictions",
	"CM-11": "User-installed Software",
	"IA-2":  "Identification and Authentication (Organizational Users)",
	"IA-4":  "Identifier Management",
	"IA-5":  "Authenticator Management",
	"IA-8":  "Identification and Authentication (Non-organizational Users)",
	"IA-11": "Re-authentication",
	"PM-4":  "Plan of Action and Milestones Process",
	"PS-4":  "Personnel Termination",
	"PS-5":  "Personnel Transfer",
	"RA-5":  "Vulnerability Monitoring and Scanning",
	"SA-9":  "External System Services",
	"SC-7":  "Boundary Protection",
	"SI-2":  "Flaw Remediation",
	"SI-4":  "System Monitoring",
	"SI-10": "Information Input Validation",
}

func init() { Groupings["control"] = GroupByControl }

// Control is one control a policy tag names.
type Control struct {
	Framework Framework
	ID        string
}

// Key is the control's heading id, e.g. "CIS 5.4".
func (c Control) Key() string { return c.Framework.Label + " " + c.ID }

// Title is the control's title, or a note when atlcheck's catalog lacks it
// (a custom policy may name any control).
func (c Control) Title() string {
	if t, ok := c.Framework.Titles[c.ID]; ok {
		return t
	}
	return "(not in atlcheck's " + c.Framework.Name + " catalog)"
}

// ControlsOf returns the controls a policy's tags map it to, in tag order.
func ControlsOf(p model.Policy) []Control {
	var out []Control
	for _, tag := range p.Tags {
		prefix, id, ok := strings.Cut(tag, ":")
		if !ok || id == "" {
			continue
		}
		for _, fw := range Frameworks {
			if strings.EqualFold(prefix, fw.Prefix) {
				out = append(out, Control{Framework: fw, ID: strings.ToUpper(id)})
			}
		}
	}
	return out
}

// GroupByControl returns one group per control that any policy of the run is
// mapped to, passing or not: CIS Controls v8 safeguards first, then NIST SP
// 800-53 controls, each in catalog order (5.2 before 5.10, AC-2 before
// AC-12). A group's Policies are the mapped policies with their status, its
// Findings and Suppressed those of these policies (a finding appears under
// every control its policy maps to), and its Severity the most severe among
// its failing policies (else among all of them). Controls have no single
// remediation: each policy's stays with the policy.
func GroupByControl(run *model.Run) []Group {
	byPolicy := map[string]*Group{}
	for _, g := range GroupByPolicy(run) {
		byPolicy[g.Key] = &g
	}
	index := map[string]int{}
	var groups []Group
	var keys []Control
	for _, p := range run.Policies {
		for _, c := range ControlsOf(p.Policy) {
			i, ok := index[c.Key()]
			if !ok {
				i = len(groups)
				index[c.Key()] = i
				groups = append(groups, Group{Key: c.Key(), Title: c.Title()})
				keys = append(keys, c)
			}
			g := &groups[i]
			if slices.ContainsFunc(g.Policies, func(q model.PolicyResult) bool { return q.Policy.ID == p.Policy.ID }) {
				continue
			}
			g.Policies = append(g.Policies, p)
			if pg := byPolicy[p.Policy.ID]; pg != nil {
				g.Findings = append(g.Findings, pg.Findings...)
				g.Suppressed = append(g.Suppressed, pg.Suppressed...)
			}
		}
	}
	for i := range groups {
		groups[i].Severity = controlSeverity(groups[i].Policies)
	}
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareControls(keys[a], keys[b]) })
	out := make([]Group, len(groups))
	for i, j := range order {
		out[i] = groups[j]
	}
	return out
}

// ControlStatus is a control's status from its policies: fail when any
// fails, else not_evaluated when any could not be evaluated, else suppressed
// when any is, else pass.
func ControlStatus(g Group) model.Status {
	status := model.StatusPass
	for _, p := range g.Policies {
		switch {
		case p.Status == model.StatusFail:
			return model.StatusFail
		case p.Status == model.StatusNotEvaluated:
			status = model.StatusNotEvaluated
		case p.Status == model.StatusSuppressed && status == model.StatusPass:
			status = model.StatusSuppressed
		}
	}
	return status
}

func controlSeverity(policies []model.PolicyResult) model.Severity {
	best, bestFailing := model.SeverityUnknown, model.SeverityUnknown
	for _, p := range policies {
		s := p.Policy.Severity
		if s != model.SeverityUnknown && (best == model.SeverityUnknown || s < best) {
			best = s
		}
		if p.Status == model.StatusFail && s != model.SeverityUnknown && (bestFailing == model.SeverityUnknown || s < bestFailing) {
			bestFailing = s
		}
	}
	return cmp.Or(bestFailing, best)
}

// compareControls orders by framework, then by the id's parts compared as
// numbers where they are numbers.
func compareControls(a, b Control) int {
	ia := slices.IndexFunc(Frameworks, func(f Framework) bool { return f.Prefix == a.Framework.Prefix })
	ib := slices.IndexFunc(Frameworks, func(f Framework) bool { return f.Prefix == b.Framework.Prefix })
	if ia != ib {
		return cmp.Compare(ia, ib)
	}
	pa, pb := strings.FieldsFunc(a.ID, isSep), strings.FieldsFunc(b.ID, isSep)
	for i := 0; i < min(len(pa), len(pb)); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		var c int
		if ea == nil && eb == nil {
			c = cmp.Compare(na, nb)
		} else {
			c = cmp.Compare(pa[i], pb[i])
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(pa), len(pb))
}

func isSep(r rune) bool { return r == '.' || r == '-' || r == '(' || r == ')' }

// mdControls is the compliance view in Markdown: per framework a table of
// the controls with their status, the policies mapped to each with theirs,
// and the number of open findings.
func mdControls(run *model.Run) string {
	var b strings.Builder
	b.WriteString("\n## Compliance view\n\n`cis:` tags are CIS Controls v8 safeguard numbers (there is no CIS Benchmark for " +
		"Atlassian Cloud), `nist:` tags NIST SP 800-53 Rev. 5 controls. A control fails when any policy mapped to it fails.\n")
	groups := GroupByControl(run)
	for _, fw := range Frameworks {
		header := false
		for _, g := range groups {
			id, ok := strings.CutPrefix(g.Key, fw.Label+" ")
			if !ok {
				continue
			}
			if !header {
				fmt.Fprintf(&b, "\n### %s\n\n| Control | Title | Status | Policies | Findings |\n| --- | --- | --- | --- | ---: |\n", fw.Name)
				header = true
			}
			var pols []string
			for _, p := range g.Policies {
				pols = append(pols, mdText(p.Policy.ID)+" "+statusIcons[p.Status])
			}
			st := ControlStatus(g)
			mdRow(&b, mdText(id), mdText(g.Title), statusIcons[st]+" "+statusText(st), strings.Join(pols, ", "), strconv.Itoa(len(g.Findings)))
		}
	}
	return b.String()
}

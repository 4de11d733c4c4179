package snapshot

import (
	"fmt"
	"slices"
	"strings"
)

// SARIF groups: which code scanning category holds a policy's alerts
// (docs/github.md, "One category per area group").
//
// GitHub code scanning accepts at most 20 runs in one SARIF file, each with
// its own category, and keeps the alerts of a category that an upload does
// not contain as they were. atlcheck writes one run per SARIF group; the run
// of a group is left out of the file (or carries the last run's findings
// forward) when an area its policies need was not collected whole, so a
// failed area never closes alerts.
//
// A category must never change once published: an upload under a new
// category leaves the old one's alerts open for good (a stale configuration
// in GitHub's words). So the groups are declared here, not derived from the
// policies present: every area names its group in the registry, and a
// policy's group is a function of its own custom.requires alone:
//
//   - no area: the general group (collection gaps, exceptions);
//   - otherwise, of the groups of the areas it requires, the one introduced
//     last (latest in SARIFGroups). An area added later is never the reason
//     an older group's run is left out: a policy that needs a new or
//     optional area (an attestation block, a plan-gated API, an area older
//     snapshots lack) goes to that area's group, not to the group of the
//     long-standing area it also reads.
//
// Adding a policy or an area therefore changes no existing policy's
// category. The registry test holds the published groups
// (testdata/sarif-groups.txt) and fails when one changes or more than
// MaxSARIFGroups exist.

// SARIFGroupGeneral is the group of the policies that need no area.
const SARIFGroupGeneral = "general"

// SARIFGroupIncomplete names the run that holds the findings of the groups
// whose run a report leaves out (an area they need was not read whole):
// never a group of its own areas.
const SARIFGroupIncomplete = "incomplete"

// MaxSARIFGroups is how many area groups there may be: GitHub takes 20 runs
// per SARIF file, two of which are the general and the incomplete run.
const MaxSARIFGroups = 18

// SARIFGroups are the area groups in the order they were introduced. Append
// only: the order decides the group of a policy that needs areas of several
// groups, and the names are published categories. When all 18 are taken, a
// new area joins an existing group (the one of the areas its policies are
// read with), so its failure withholds that group's run.
var SARIFGroups = []string{
	"sites",
	"verified_domains",
	"app_access",
	"api_keys",
	"api_tokens",
	"managed_accounts",
	"connected_apps.installed",
	"connected_apps.settings",
	"external_users",
	"service_accounts",
	"service_account_tokens",
	"oauth_clients",
	"org_policies",
	"authentication_policies",
	"authentication_policy_members",
	"audit_log",
}

// SARIFGroupOf is the SARIF group of a policy that requires these areas: the
// general group for none, else the group of its areas introduced last. An
// unknown area (which the policy engine refuses) counts as its own group,
// after every declared one.
func SARIFGroupOf(requires []string) string {
	return sarifGroupOf(Registry, SARIFGroups, requires)
}

func sarifGroupOf(defs []AreaDef, groups []string, requires []string) string {
	best, rank := SARIFGroupGeneral, -1
	for _, area := range requires {
		group, r := area, len(groups)
		if i := slices.IndexFunc(defs, func(d AreaDef) bool { return d.Name == area }); i >= 0 {
			group = defs[i].SARIFGroup
			r = slices.Index(groups, group)
		}
		if r > rank || r == rank && group > best {
			best, rank = group, r
		}
	}
	return best
}

// SARIFGroupAreas lists the areas of each group, by group, in registry order.
func SARIFGroupAreas() map[string][]string {
	out := map[string][]string{}
	for _, d := range Registry {
		out[d.SARIFGroup] = append(out[d.SARIFGroup], d.Name)
	}
	return out
}

// checkSARIFGroups checks that every area names a declared group, that the
// declared groups are unique, well-formed and at most MaxSARIFGroups.
func checkSARIFGroups(defs []AreaDef, groups []string) error {
	var errs []string
	seen := map[string]bool{}
	for _, g := range groups {
		switch {
		case seen[g]:
			errs = append(errs, fmt.Sprintf("SARIF group %q is declared twice", g))
		case g == SARIFGroupGeneral || g == SARIFGroupIncomplete || !categoryName(g):
			errs = append(errs, fmt.Sprintf("SARIF group %q: a group is a name of letters, digits and . _ - (not %q or %q)",
				g, SARIFGroupGeneral, SARIFGroupIncomplete))
		}
		seen[g] = true
	}
	if len(groups) > MaxSARIFGroups {
		errs = append(errs, fmt.Sprintf("%d SARIF groups are declared, over %d (GitHub takes 20 runs per SARIF file, two are the general and the incomplete run): "+
			"give the new area an existing group (SARIFGroup in its registry entry)", len(groups), MaxSARIFGroups))
	}
	for _, d := range defs {
		switch {
		case d.SARIFGroup == "":
			errs = append(errs, fmt.Sprintf("area %s has no SARIFGroup: name a group of snapshot.SARIFGroups in its registry entry, "+
				"a new one appended there (its code scanning category, docs/github.md) while there are fewer than %d, else an existing one", d.Name, MaxSARIFGroups))
		case !seen[d.SARIFGroup]:
			errs = append(errs, fmt.Sprintf("area %s: SARIF group %q is not in snapshot.SARIFGroups (append it there)", d.Name, d.SARIFGroup))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// categoryName reports whether s is a non-empty name of letters, digits and
// ".", "_", "-": safe inside a category, which "/" would shift.
func categoryName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._-", r):
		default:
			return false
		}
	}
	return true
}

package snapshot

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// publishedGroupsPath records every SARIF group and area → group pair that a
// release has published as a code scanning category. Lines are only ever
// appended: `go test ./internal/snapshot -run TestSARIFGroupsArePublished
// -update` appends the new ones and never rewrites an old one.
const publishedGroupsPath = "testdata/sarif-groups.txt"

// TestSARIFGroupsArePublished fails when a published category would change:
// a group renamed, removed or moved in SARIFGroups (the order decides the
// group of a policy that needs several), or an area moved to another group.
// Each of those leaves the old category's alerts open in GitHub for good.
// It also fails when a group or an area is new and not yet recorded, so
// whoever adds an area decides its category knowingly.
func TestSARIFGroupsArePublished(t *testing.T) {
	b, err := os.ReadFile(publishedGroupsPath)
	if err != nil {
		t.Fatal(err)
	}
	var groups []string
	areas := map[string]string{}
	for i, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) == 0 || strings.HasPrefix(f[0], "#"):
		case len(f) == 2 && f[0] == "group":
			groups = append(groups, f[1])
		case len(f) == 3 && f[0] == "area":
			areas[f[1]] = f[2]
		default:
			t.Fatalf("%s:%d: want `group NAME` or `area NAME GROUP`, got %q", publishedGroupsPath, i+1, line)
		}
	}
	for i, g := range groups {
		if i >= len(SARIFGroups) || SARIFGroups[i] != g {
			t.Errorf("published SARIF group %d is %q but snapshot.SARIFGroups has %q there: groups are append-only "+
				"(a renamed, removed or moved group changes the code scanning category of its policies; docs/github.md)", i, g, at(SARIFGroups, i))
		}
	}
	var add []string
	for _, g := range SARIFGroups[min(len(groups), len(SARIFGroups)):] {
		add = append(add, "group "+g)
	}
	for _, d := range Registry {
		switch was, ok := areas[d.Name]; {
		case !ok:
			add = append(add, fmt.Sprintf("area %s %s", d.Name, d.SARIFGroup))
		case was != d.SARIFGroup:
			t.Errorf("area %s moved from SARIF group %q to %q: its policies' alerts would change category "+
				"(atlcheck/<org>/%s/ left open for good); keep %q", d.Name, was, d.SARIFGroup, was, was)
		}
	}
	if len(add) == 0 {
		return
	}
	if *update {
		f, err := os.OpenFile(publishedGroupsPath, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(strings.Join(add, "\n") + "\n"); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("new SARIF groups or areas are not recorded in %s:\n  %s\nThey become published code scanning categories "+
		"that must never change; record them with `go test ./internal/snapshot -run TestSARIFGroupsArePublished -update`",
		publishedGroupsPath, strings.Join(add, "\n  "))
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "nothing"
}

// TestSARIFGroupsFitGitHub: every area has a declared group, and the groups
// and the general run fit in GitHub's 20 runs per SARIF file.
func TestSARIFGroupsFitGitHub(t *testing.T) {
	if err := checkSARIFGroups(Registry, SARIFGroups); err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, d := range Registry {
		used[d.SARIFGroup] = true
	}
	if n := len(used) + 2; n > 20 {
		t.Errorf("%d SARIF runs (%d area groups + general + incomplete), over GitHub's 20", n, len(used))
	}
}

func TestCheckSARIFGroupsRejects(t *testing.T) {
	newArea := func(group string) []AreaDef {
		return append(slices.Clone(Registry), AreaDef{Name: "future_area", SARIFGroup: group})
	}
	var twenty []string
	for i := range MaxSARIFGroups + 1 {
		twenty = append(twenty, fmt.Sprint("g", i))
	}
	cases := []struct {
		name   string
		defs   []AreaDef
		groups []string
		want   string
	}{
		{"area without a group", newArea(""), SARIFGroups,
			"area future_area has no SARIFGroup: name a group of snapshot.SARIFGroups"},
		{"undeclared group", newArea("future_area"), SARIFGroups,
			`area future_area: SARIF group "future_area" is not in snapshot.SARIFGroups (append it there)`},
		{"over GitHub's limit", nil, twenty, "19 SARIF groups are declared, over 18"},
		{"declared twice", nil, []string{"a", "a"}, `SARIF group "a" is declared twice`},
		{"the general group", nil, []string{"general"}, `SARIF group "general"`},
		{"the incomplete run", nil, []string{"incomplete"}, `SARIF group "incomplete"`},
		{"a slash", nil, []string{"a/b"}, `SARIF group "a/b"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkSARIFGroups(tc.defs, tc.groups)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if err := checkSARIFGroups(newArea("managed_accounts"), SARIFGroups); err != nil {
		t.Errorf("an area joining an existing group is refused: %v", err)
	}
}

func TestSARIFGroupOf(t *testing.T) {
	cases := []struct {
		requires []string
		want     string
	}{
		{nil, SARIFGroupGeneral},
		{[]string{AreaAPIKeys}, "api_keys"},
		{[]string{AreaAPIKeys, AreaManagedAccounts}, "managed_accounts"},
		{[]string{AreaManagedAccounts, AreaAPIKeys}, "managed_accounts"}, // the order in requires does not matter
		{[]string{AreaManagedAccounts, AreaAuthPolicies, AreaAuthPolicyMembers}, "authentication_policy_members"},
		{[]string{AreaOrgPolicies, AreaSites}, "org_policies"},
		{[]string{AreaAppAccess, AreaVerifiedDomains}, "app_access"},
		{[]string{AreaManagedAccounts, AreaExternalUsers}, "external_users"},
	}
	for _, tc := range cases {
		if got := SARIFGroupOf(tc.requires); got != tc.want {
			t.Errorf("SARIFGroupOf(%v) = %q, want %q", tc.requires, got, tc.want)
		}
	}
}

// TestSARIFGroupsStableUnderNewAreas: adding an area, with a new group of its
// own or joining an existing one, changes the group of no policy that does
// not need it, whatever its custom.requires (every subset of the areas).
func TestSARIFGroupsStableUnderNewAreas(t *testing.T) {
	futures := map[string]struct {
		defs   []AreaDef
		groups []string
	}{
		"a new area with its own group": {append(slices.Clone(Registry), AreaDef{Name: "future_area", SARIFGroup: "future_area"}),
			append(slices.Clone(SARIFGroups), "future_area")},
		"a new area in an existing group": {append(slices.Clone(Registry), AreaDef{Name: "user_2sv", SARIFGroup: "managed_accounts"}),
			SARIFGroups},
		"a new area in the first group": {append(slices.Clone(Registry), AreaDef{Name: "site_roles", SARIFGroup: "sites"}),
			SARIFGroups},
	}
	n := len(Registry)
	for name, f := range futures {
		if err := checkSARIFGroups(f.defs, f.groups); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for mask := range 1 << n {
			var requires []string
			for i, d := range Registry {
				if mask&(1<<i) != 0 {
					requires = append(requires, d.Name)
				}
			}
			before, after := sarifGroupOf(Registry, SARIFGroups, requires), sarifGroupOf(f.defs, f.groups, requires)
			if before != after {
				t.Fatalf("%s: a policy requiring %v moves from group %q to %q", name, requires, before, after)
			}
		}
	}
}

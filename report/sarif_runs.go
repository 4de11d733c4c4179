package report

import (
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// How a failed area leaves its alerts alone (docs/github.md, "Categories").
//
// GitHub code scanning keeps one analysis per tool and category on a branch.
// An upload replaces that category's analysis: an alert of the category whose
// result is missing from the new upload is closed as fixed, and alerts of
// categories the upload does not contain are left exactly as they were
// ("stale configurations … stay open"). Since July 2025 one SARIF file may
// hold several runs only when each has its own category, and at most 20.
//
// So the SARIF log has one run per set of areas that policies need (the
// policy's custom.requires, e.g. "api_keys" or "api_keys+managed_accounts"),
// each with its own automationDetails category. A run is written only when
// every area it needs is complete and every policy in it was evaluated; when
// one area fails, its runs are left out of the file and GitHub keeps their
// alerts open, while every other run updates as usual. Policies that need no
// area (collection gaps, exceptions) are the "general" run, which is always
// written and carries a notification for each run left out.

// maxSARIFRuns is GitHub's limit on runs per SARIF file.
const maxSARIFRuns = 20

// generalRunKey names the run of the policies that need no area.
const generalRunKey = "general"

// runGroup is one SARIF run: the policies that share a set of areas.
type runGroup struct {
	// key is "api_keys+managed_accounts", or "general" for no area.
	key      string
	areas    []string
	policies []model.PolicyResult
	// withheld says why the run is left out of the file ("" when written).
	withheld string
	// partial says why the run is written although an area it needs is
	// incomplete: a baseline was given, and its findings that could not be
	// re-checked are carried forward (run.Unverified).
	partial string
}

// runKey is the sorted, "+"-joined set of areas a policy needs.
func runKey(p model.Policy) (string, []string) {
	areas := slices.Clone(p.Requires)
	slices.Sort(areas)
	areas = slices.Compact(areas)
	if len(areas) == 0 {
		return generalRunKey, nil
	}
	return strings.Join(areas, "+"), areas
}

// sarifRunGroups splits the run's policies into run groups, in order of
// first appearance (policies are sorted by id) after the general run, which
// always exists, and decides which are
// withheld. Beyond GitHub's 20 runs, the remaining groups share one "other"
// run that needs all of their areas.
func sarifRunGroups(run *model.Run) []runGroup {
	// The general run comes first: it is always written.
	groups := []runGroup{{key: generalRunKey}}
	index := map[string]int{generalRunKey: 0}
	for _, p := range run.Policies {
		key, areas := runKey(p.Policy)
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, runGroup{key: key, areas: areas})
		}
		groups[i].policies = append(groups[i].policies, p)
	}
	if len(groups) > maxSARIFRuns {
		other := runGroup{key: "other"}
		for _, g := range groups[maxSARIFRuns-1:] {
			other.areas = append(other.areas, g.areas...)
			other.policies = append(other.policies, g.policies...)
		}
		slices.Sort(other.areas)
		other.areas = slices.Compact(other.areas)
		groups = append(groups[:maxSARIFRuns-1], other)
	}
	incomplete := incompleteAreas(run)
	for i := range groups {
		g := &groups[i]
		g.withheld = withheldReason(*g, incomplete)
		if g.withheld != "" && run.Baseline != nil && allEvaluated(g.policies) {
			g.partial, g.withheld = g.withheld, ""
		}
	}
	return groups
}

// allEvaluated reports whether no policy of the group is not_evaluated: its
// areas were collected, if only in part.
func allEvaluated(policies []model.PolicyResult) bool {
	for _, p := range policies {
		if p.Status == model.StatusNotEvaluated {
			return false
		}
	}
	return true
}

// incompleteAreas maps each area that is not complete to why.
func incompleteAreas(run *model.Run) map[string]string {
	out := map[string]string{}
	for _, a := range run.Areas {
		if !a.Complete() {
			out[a.Name] = a.Why()
		}
	}
	return out
}

// withheldReason says why a group's run must be left out: an area it needs
// is incomplete, or one of its policies was not evaluated. The general run is
// never withheld.
func withheldReason(g runGroup, incomplete map[string]string) string {
	if g.key == generalRunKey {
		return ""
	}
	var reasons []string
	for _, a := range g.areas {
		if r, bad := incomplete[a]; bad {
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		for _, p := range g.policies {
			if p.Status == model.StatusNotEvaluated {
				reasons = append(reasons, p.Policy.ID+" was not evaluated: "+p.Reason)
			}
		}
	}
	return strings.Join(reasons, "; ")
}

// sarifCategory is the run's automationDetails.id, "atlcheck/<org>/<key>/":
// GitHub reads everything before the last "/" as the category.
func sarifCategory(orgID, key string) string {
	return "atlcheck/" + categorySafe(orgID) + "/" + categorySafe(key) + "/"
}

// categorySafe keeps letters, digits and ".+_-"; anything else (a "/" above
// all, which would shift the category) becomes "-".
func categorySafe(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(".+_-", r):
			return r
		}
		return '-'
	}, s)
}

package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// How a failed area leaves its alerts alone (docs/github.md, "One category
// per area group").
//
// GitHub code scanning keeps one analysis per tool and category on a branch.
// An upload replaces that category's analysis: an alert of the category whose
// result is missing from the new upload is closed as fixed, and alerts of
// categories the upload does not contain are left exactly as they were
// ("stale configurations … stay open"). Since July 2025 one SARIF file may
// hold several runs only when each has its own category, and at most 20.
//
// So the SARIF log has one run per SARIF group, each with its own
// automationDetails category, atlcheck/<org>/<group>/. The groups are
// declared with the snapshot's areas (internal/snapshot/sarifgroups.go): at
// most 18, plus "general" for the policies that need no area (collection
// gaps, exceptions) and "incomplete" (below), so a file never has more than
// 20 runs, and a policy's
// group depends on its own custom.requires only, so adding a policy or an
// area never moves another policy's alerts to another category.
//
// A run is written exact when every policy in it was checked (evaluated over
// areas collected whole). When some were not, its run is written only if the
// run knows their last findings (a baseline that knew them): those it could
// not re-check are carried forward as results, so their alerts stay open,
// while the checked policies' alerts update. Otherwise the run is left out of
// the file and GitHub keeps all of its alerts as they were, and its findings
// (all of them facts: found in what was read) go into the "incomplete" run,
// atlcheck/<org>/incomplete/, which every report writes, empty or not. GitHub
// tracks an alert (tool, rule, fingerprint) per category and shows it open
// while any category has it open, so a new finding of an area read in part
// opens its alert the same night, one already open stays open, and none is
// closed that could not be checked; the incomplete run's own alerts close
// when a later report no longer holds them (the finding is fixed, or its
// group's run is written again and holds it). The general run is always
// written, and carries a notification for each run left out.

// maxSARIFRuns is GitHub's limit on runs per SARIF file.
const maxSARIFRuns = 20

// generalRunKey names the run of the policies that need no area
// (snapshot.SARIFGroupGeneral).
const generalRunKey = "general"

// incompleteRunKey names the run that holds the findings of the runs left
// out, always written, last (snapshot.SARIFGroupIncomplete: no area group
// may take either name).
const incompleteRunKey = "incomplete"

// runGroup is one SARIF run: the policies of one SARIF group.
type runGroup struct {
	// key is the SARIF group, e.g. "managed_accounts", or "general".
	key string
	// areas are the areas its policies need, sorted.
	areas    []string
	policies []model.PolicyResult
	// withheld says why the run is left out of the file ("" when written).
	withheld string
	// partial says why the run is written although some of its policies
	// could not be checked: the baseline knew their findings, and those not
	// re-checked are carried forward (run.Unverified).
	partial string
}

// sarifGroupOf is the SARIF group of a policy: the one the policy engine
// gave it, or for a policy built by hand, its first required area.
func sarifGroupOf(p model.Policy) string {
	switch {
	case p.SARIFGroup != "":
		return p.SARIFGroup
	case len(p.Requires) == 0:
		return generalRunKey
	}
	return p.Requires[0]
}

// sarifRunGroups splits the run's policies into their SARIF groups: the
// general run first (it is always written), then the others by name. It
// decides which runs are withheld or carry findings forward, and refuses a
// run with more groups than GitHub takes runs.
func sarifRunGroups(run *model.Run) ([]runGroup, error) {
	groups := []runGroup{{key: generalRunKey}}
	index := map[string]int{generalRunKey: 0}
	for _, p := range run.Policies {
		key := sarifGroupOf(p.Policy)
		i, ok := index[key]
		if !ok {
			i = len(groups)
			index[key] = i
			groups = append(groups, runGroup{key: key})
		}
		groups[i].policies = append(groups[i].policies, p)
		groups[i].areas = append(groups[i].areas, p.Policy.Requires...)
	}
	if len(groups)+1 > maxSARIFRuns { // + the incomplete run
		return nil, fmt.Errorf("the SARIF report would have %d runs, over GitHub's limit of %d per file (SARIF groups: a bug in the area registry)",
			len(groups)+1, maxSARIFRuns)
	}
	slices.SortStableFunc(groups[1:], func(a, b runGroup) int { return strings.Compare(a.key, b.key) })
	incomplete := incompleteAreas(run)
	for i := range groups {
		g := &groups[i]
		slices.Sort(g.areas)
		g.areas = slices.Compact(g.areas)
		if g.key == generalRunKey {
			continue
		}
		why, known := uncheckedReason(run, g.policies, incomplete)
		switch {
		case why == "":
		case known:
			g.partial = why
		case run.Baseline != nil:
			g.withheld = why + "; the baseline " + run.Baseline.Path + " does not know the last findings of " + strings.Join(unknownPolicies(g.policies), ", ")
		default:
			g.withheld = why
		}
	}
	return groups, nil
}

// incompleteGroup is the incomplete run: the policies and areas of every
// group left out, the policies by id. With a baseline it carries forward the
// baseline's findings of those policies that could not be re-checked, so it
// never closes an alert it opened earlier whose finding is unknown now.
// Without one it cannot know what it held, so it is written only when no
// group is left out (empty: its earlier alerts are all known again, found in
// their own runs or fixed), and left out otherwise.
func incompleteGroup(run *model.Run, groups []runGroup) runGroup {
	g := runGroup{key: incompleteRunKey}
	var out []string
	for _, o := range groups {
		if o.withheld != "" {
			g.policies = append(g.policies, o.policies...)
			g.areas = append(g.areas, o.areas...)
			out = append(out, sarifCategory(run.OrgID, o.key))
		}
	}
	slices.SortStableFunc(g.policies, func(a, b model.PolicyResult) int { return strings.Compare(a.Policy.ID, b.Policy.ID) })
	slices.Sort(g.areas)
	g.areas = slices.Compact(g.areas)
	switch {
	case len(out) == 0:
	case run.Baseline == nil:
		g.withheld = "it would hold the findings of runs left out (" + strings.Join(out, ", ") + "), and without --baseline " +
			"it cannot carry forward the findings it held before that could not be re-checked now"
	default:
		g.partial = "it holds the findings of runs left out of this report (" + strings.Join(out, ", ") + ")"
	}
	return g
}

// uncheckedReason says why some policies of a group were not checked ("" when
// all were), and whether the last findings of every unchecked one are known.
func uncheckedReason(run *model.Run, policies []model.PolicyResult, incomplete map[string]string) (string, bool) {
	var reasons []string
	add := func(r string) {
		if !slices.Contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	known := true
	for _, p := range policies {
		if run.Checked(p) {
			continue
		}
		known = known && p.FindingsKnown
		missing := false
		for _, a := range p.Policy.Requires {
			if r, bad := incomplete[a]; bad {
				add(r)
				missing = true
			}
		}
		if !missing {
			add(p.Policy.ID + " was not evaluated: " + p.Reason)
		}
	}
	return strings.Join(reasons, "; "), known
}

// unknownPolicies are the policies of a group whose findings are not known.
func unknownPolicies(policies []model.PolicyResult) []string {
	var out []string
	for _, p := range policies {
		if !p.FindingsKnown {
			out = append(out, p.Policy.ID)
		}
	}
	return out
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

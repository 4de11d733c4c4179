package report

import (
	"cmp"
	"slices"

	"github.com/atlcheck/atlcheck/internal/model"
)

// Group is what a report shows under one heading: a set of findings with one
// title, one severity and one remediation, so a fix is said once and not on
// every row. The policy grouping (GroupByPolicy) has one group per policy;
// another grouping (e.g. by compliance control) returns the same type, so
// every writer that renders groups renders it too.
type Group struct {
	// Key identifies the group: the policy id, or e.g. a control id.
	Key string
	// Title is the heading: the policy's title, or the control's name.
	Title string
	// Severity is the most severe of the group's policies.
	Severity model.Severity
	// Remediation is said once for the whole group ("" when there is none).
	Remediation string
	// Policies are the policies the group covers, in run order (one for a
	// policy group).
	Policies []model.PolicyResult
	// Findings are the group's unsuppressed findings, in run order.
	Findings []model.Finding
	// Suppressed are the group's suppressed findings, in run order.
	Suppressed []model.Finding
}

// Grouping splits a run's findings into groups, most severe first.
type Grouping func(run *model.Run) []Group

// Groupings are the groupings a report can be asked for by name
// (--group-by); "policy" is the default.
var Groupings = map[string]Grouping{
	"policy": GroupByPolicy,
}

// GroupByPolicy returns one group per policy that has findings (suppressed or
// not), ordered by severity (critical first), then by policy id. A finding
// whose policy is missing from the run (a well-formed run has none) gets a
// group made from the finding itself. Findings keep their run order.
func GroupByPolicy(run *model.Run) []Group {
	index := make(map[string]int, len(run.Policies))
	var groups []Group
	add := func(p model.PolicyResult) int {
		index[p.Policy.ID] = len(groups)
		groups = append(groups, Group{Key: p.Policy.ID, Title: cmp.Or(p.Policy.Title, p.Policy.ID),
			Severity: p.Policy.Severity, Remediation: p.Policy.Remediation, Policies: []model.PolicyResult{p}})
		return index[p.Policy.ID]
	}
	for _, p := range run.Policies {
		if _, dup := index[p.Policy.ID]; !dup {
			add(p)
		}
	}
	for _, f := range run.Findings {
		i, ok := index[f.PolicyID]
		if !ok {
			i = add(model.PolicyResult{Policy: model.Policy{ID: f.PolicyID, Title: f.Title, Severity: f.Severity,
				Remediation: f.Remediation}, Status: model.StatusFail})
		}
		g := &groups[i]
		if g.Remediation == "" {
			g.Remediation = f.Remediation
		}
		if f.Suppressed {
			g.Suppressed = append(g.Suppressed, f)
		} else {
			g.Findings = append(g.Findings, f)
		}
	}
	groups = slices.DeleteFunc(groups, func(g Group) bool { return len(g.Findings)+len(g.Suppressed) == 0 })
	sortGroups(groups)
	return groups
}

// sortGroups orders groups by severity (critical first, unknown last), then key.
func sortGroups(groups []Group) {
	slices.SortStableFunc(groups, func(a, b Group) int {
		return cmp.Or(cmp.Compare(severityRank(a.Severity), severityRank(b.Severity)), cmp.Compare(a.Key, b.Key))
	})
}

// severityRank orders severities critical (1) to info (5), unknown last.
func severityRank(s model.Severity) int {
	if s == model.SeverityUnknown {
		return len(model.Severities) + 1
	}
	return int(s)
}

// Failing returns the groups that have unsuppressed findings, in order.
func Failing(groups []Group) []Group {
	var out []Group
	for _, g := range groups {
		if len(g.Findings) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// PoliciesWithStatus returns the run's policies of one status, in run order
// (by id): the passed and not-evaluated lists that follow the findings.
func PoliciesWithStatus(run *model.Run, status model.Status) []model.PolicyResult {
	var out []model.PolicyResult
	for _, p := range run.Policies {
		if p.Status == status {
			out = append(out, p)
		}
	}
	return out
}

// groupingNames lists the names of Groupings, sorted.
func groupingNames() []string {
	names := make([]string, 0, len(Groupings))
	for name := range Groupings {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

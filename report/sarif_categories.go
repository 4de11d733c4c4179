package report

import (
	"github.com/atlcheck/atlcheck/internal/model"
)

// SARIFCategory is one run of the SARIF report as GitHub code scanning sees
// it: its category, and whether this report updates that category's alerts.
type SARIFCategory struct {
	// Category is the run's code scanning category, atlcheck/<org>/<group>/.
	Category string
	// Group is the SARIF group.
	Group string
	// Withheld says why the run is left out of the report ("" when it is
	// written): GitHub keeps its alerts as they were.
	Withheld string
	// Findings is how many of the run's findings a written run would hold
	// (suppressed ones left out unless included); all of them are not
	// uploaded when the run is withheld.
	Findings int
	// Carried counts the baseline's findings the run carries forward, and
	// CarriedWhy says why ("" when none).
	Carried    int
	CarriedWhy string
	// NeedsBaseline is true for a withheld run that --baseline would
	// write: an area it needs failed or was read in part, and no baseline
	// was given.
	NeedsBaseline bool
	// Message is the notification the report carries for a withheld run.
	Message string
}

// SARIFCategories describes the runs of the SARIF report of run, in the
// report's order (general first), including the runs it leaves out.
func SARIFCategories(run *model.Run, opts SARIFOptions) ([]SARIFCategory, error) {
	p, err := planSARIF(run, opts.IncludeSuppressed)
	if err != nil {
		return nil, err
	}
	out := make([]SARIFCategory, len(p.groups))
	for i, g := range p.groups {
		n := countWritable(p.byGroup[i], p.includeSuppressed)
		out[i] = SARIFCategory{Category: sarifCategory(run.OrgID, g.key), Group: g.key, Withheld: g.withheld, Findings: n,
			Carried: len(p.carried[i]), CarriedWhy: g.partial}
		if g.withheld != "" {
			out[i].Message = withheldMessage(run, p, i)
			out[i].NeedsBaseline = run.Baseline == nil && !anyNoSource(g.policies)
		}
	}
	return out, nil
}

// anyNoSource reports whether a policy of the group has no data source.
func anyNoSource(policies []model.PolicyResult) bool {
	for _, p := range policies {
		if noSource(p) {
			return true
		}
	}
	return false
}

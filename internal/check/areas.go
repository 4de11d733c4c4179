package check

import (
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
)

// areaStates is the state of every registered area as the policies'
// lib.areas defines it (the evaluation returns it with the findings). An
// area the evaluation did not describe counts as not collected: no policy
// runs on data nobody vouched for.
func areaStates(facts policies.RunFacts) map[string]policies.AreaState {
	out := make(map[string]policies.AreaState, len(snapshot.Registry))
	for _, def := range snapshot.Registry {
		st, ok := facts.Areas[def.Name]
		if !ok {
			st = policies.AreaState{Failed: true, Reason: "has no state in the evaluation"}
		}
		out[def.Name] = st
	}
	return out
}

// markPartial notes, on the collected areas of a run, the parts that are
// missing: items the collector could not read, and the sites whose installed
// apps could not be read.
func markPartial(areas []model.AreaResult, s *snapshot.Snapshot, states map[string]policies.AreaState) {
	for i := range areas {
		a := &areas[i]
		if !a.Collected {
			continue
		}
		var parts []string
		if n := states[a.Name].Unreadable; n > 0 {
			parts = append(parts, fmt.Sprintf("has %d unreadable %s (ATL-COL-003)", n, pluralItems(n)))
		}
		if a.Name == snapshot.AreaInstalledApps {
			if failed := failedSites(s.ConnectedApps.Installed.Sites); len(failed) > 0 {
				parts = append(parts, "was collected for some sites only: not for "+strings.Join(failed, ", "))
			}
		}
		if a.Name == snapshot.AreaServiceAccountTokens {
			if failed := failedTokenLists(s.ServiceAccountTokens.Accounts); len(failed) > 0 {
				parts = append(parts, "was collected for some service accounts only: not for "+strings.Join(failed, ", "))
			}
		}
		a.Partial = strings.Join(parts, "; ")
	}
}

// failedTokenLists returns the service accounts whose token list was not read.
func failedTokenLists(lists []snapshot.TokenList) []string {
	var out []string
	for _, l := range lists {
		if !l.Collected {
			out = append(out, l.ServiceAccountID)
		}
	}
	return out
}

// failedSites returns the URLs of the sites whose apps were not collected.
func failedSites(sites []snapshot.SiteApps) []string {
	var out []string
	for _, site := range sites {
		if !site.Collected {
			out = append(out, site.URL)
		}
	}
	return out
}

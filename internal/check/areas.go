package check

import (
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// AreaState says whether an area's data can be evaluated, and if not, why.
type AreaState struct {
	Collected bool
	// Failed is true when the area has a source but could not be collected
	// (an error), false when it was collected or has no source at all.
	Failed bool
	// Reason is a phrase such as "was not collected: 403 ADMIN-403-3 Forbidden
	// (GET /admin/v1/orgs/{orgId}/domains)" or "has no data source: no attestation file".
	Reason string
	// Unreadable counts the items the collector could not read: while there
	// are any, no policy that requires the area passes.
	Unreadable int
	// Note is the area's note (where its data came from), "" when none.
	Note string
}

// AreaStates reads every registered area's envelope. The installed-apps
// area counts as collected when its envelope says so; failed sites are
// reported by ATL-COL-001.
func AreaStates(s *snapshot.Snapshot) map[string]AreaState {
	out := make(map[string]AreaState, len(snapshot.Registry))
	for _, def := range snapshot.Registry {
		a := *def.Envelope(s)
		st := stateOf(a)
		st.Unreadable, st.Note = len(a.Unreadable), a.Note
		out[def.Name] = st
	}
	return out
}

// markPartial notes, on the collected areas of a run, the parts that are
// missing: items the collector could not read, and the sites whose installed
// apps could not be read.
func markPartial(areas []model.AreaResult, s *snapshot.Snapshot, states map[string]AreaState) {
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
		a.Partial = strings.Join(parts, "; ")
	}
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

func stateOf(a snapshot.Area) AreaState {
	if a.Collected {
		return AreaState{Collected: true}
	}
	detail := "unknown error"
	if a.Error != nil {
		detail = DescribeError(a.Error)
	}
	if a.Source == snapshot.SourceNone {
		return AreaState{Reason: "has no data source: " + detail}
	}
	return AreaState{Failed: true, Reason: "was not collected: " + detail}
}

// DescribeError renders an area error as "403 ADMIN-UAM-403-1 Forbidden (GET /path)".
func DescribeError(e *snapshot.AreaError) string {
	var parts []string
	if e.Status != 0 {
		parts = append(parts, fmt.Sprint(e.Status))
	}
	if e.Code != "" {
		parts = append(parts, e.Code)
	}
	if e.Message != "" {
		parts = append(parts, e.Message)
	}
	s := strings.Join(parts, " ")
	if e.Endpoint != "" {
		s += " (" + e.Endpoint + ")"
	}
	return s
}

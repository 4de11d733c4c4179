package diff

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestUnreadableIsNotRemoved: an item the new snapshot holds as unreadable
// (ATL-COL-003: an enum value the spec does not list, a bad date) is still
// there; the diff says it could not be read and compares nothing, instead
// of "Admin API key … revoked" or "Org policy … removed" (a risk change
// read from data that could not be read). The same item readable again is
// not "created" either.
func TestUnreadableIsNotRemoved(t *testing.T) {
	old := base()
	unreadable := base()
	key, policy := unreadable.APIKeys.Items[0], unreadable.OrgPolicies.Items[0]
	bad := func(id string) snapshot.UnreadableItem {
		return snapshot.UnreadableItem{ID: id, Problems: []snapshot.ItemProblem{{Field: "/status", Reason: `unknown value "paused"`}},
			Raw: json.RawMessage(`{"id":"` + id + `","status":"paused"}`)}
	}
	unreadable.APIKeys.Items, unreadable.APIKeys.Unreadable = []snapshot.APIKey{}, []snapshot.UnreadableItem{bad(key.ID)}
	unreadable.OrgPolicies.Items, unreadable.OrgPolicies.Unreadable = []snapshot.OrgPolicy{}, []snapshot.UnreadableItem{bad(policy.ID)}
	for _, tt := range []struct {
		name     string
		old, new *snapshot.Snapshot
		side     string
	}{
		{"unreadable in the new snapshot", old, unreadable, "new"},
		{"readable again", unreadable, old, "old"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Compare(context.Background(), doc(t, tt.old, "old.json"), doc(t, tt.new, "new.json"))
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []struct{ area, id string }{{snapshot.AreaAPIKeys, key.ID}, {snapshot.AreaOrgPolicies, policy.ID}} {
				var got []Change
				for _, ch := range r.Changes {
					if ch.Area == want.area && ch.Resource == want.id {
						got = append(got, ch)
					}
				}
				if len(got) != 1 || got[0].Kind != Changed || got[0].Risk != RiskNeutral ||
					!strings.Contains(got[0].Summary, "could not be read in the "+tt.side+" snapshot") {
					t.Errorf("%s %s: got %+v, want one neutral change saying it could not be read in the %s snapshot", want.area, want.id, got, tt.side)
				}
			}
		})
	}
}

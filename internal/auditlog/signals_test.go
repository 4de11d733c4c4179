package auditlog

import (
	"encoding/json"
	"os"
	"testing"
)

// recordedActions reads the recorded event-actions body (written from the
// Organizations API's getEventActions shape).
func recordedActions(t *testing.T) []Action {
	t.Helper()
	data, err := os.ReadFile("../../collector/testdata/api/event-actions/list.json")
	if err != nil {
		t.Fatal(err)
	}
	var page ActionsPage
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatal(err)
	}
	return page.Actions()
}

// TestMapRecordedActions maps a recorded org's event actions: by display
// name without regard to case, spacing and punctuation, never by a name that
// only looks alike (Revoked API key is not Created API key), and a signal
// none of whose names the org lists gets no action.
func TestMapRecordedActions(t *testing.T) {
	want := map[string][]string{
		"org_admin_granted":  {"org_admin_role_granted", "user_granted_role"},
		"api_key_created":    {"api_key_created"},
		"app_installed":      {"ecosystem_app_installed", "ecosystem_app_updated"},
		"org_policy_changed": {"policy_deleted", "policy_disabled", "policy_updated"},
		"api_token_used":     nil,
	}
	got := Map(recordedActions(t))
	if len(got) != len(Signals) {
		t.Fatalf("got %d mappings, want one per signal (%d)", len(got), len(Signals))
	}
	for i, m := range got {
		if m.Signal.ID != Signals[i].ID {
			t.Errorf("mapping %d is %s, want the signals' order (%s)", i, m.Signal.ID, Signals[i].ID)
		}
		var ids []string
		for _, a := range m.Actions {
			ids = append(ids, a.ID)
		}
		if !equal(ids, want[m.Signal.ID]) {
			t.Errorf("%s: got %v, want %v", m.Signal.ID, ids, want[m.Signal.ID])
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Created API key": "created api key", "  created   api-key. ": "created api key", "App update  success.": "app update success",
		"Ünïcødé Ärger": "ünïcødé ärger", "": "", "---": "",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSignalsTable keeps the table sound: unique ids and policies, every
// signal with names, and no name that carries two signals.
func TestSignalsTable(t *testing.T) {
	ids, policies, names := map[string]bool{}, map[string]bool{}, map[string]string{}
	for _, s := range Signals {
		if s.ID == "" || ids[s.ID] || s.PolicyID == "" || policies[s.PolicyID] || s.Title == "" || len(s.Names) == 0 {
			t.Errorf("signal %+v: empty or repeated id, policy, title or names", s)
		}
		ids[s.ID], policies[s.PolicyID] = true, true
		for _, n := range s.Names {
			if other, ok := names[Normalize(n)]; ok {
				t.Errorf("name %q carries %s and %s", n, other, s.ID)
			}
			names[Normalize(n)] = s.ID
		}
		if got, ok := Lookup(s.ID); !ok || got.PolicyID != s.PolicyID {
			t.Errorf("Lookup(%s) = %+v, %v", s.ID, got, ok)
		}
	}
	if _, ok := Lookup("nope"); ok {
		t.Error("Lookup(nope) found a signal")
	}
}

package snapshot

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestParseRejectsDuplicateJoinKeys: the policies index these lists by their
// key (accounts and policy members by account id, service accounts by id,
// audit-log signals by id); a snapshot holding one key twice made the
// evaluation fail with OPA's "eval_conflict_error: object keys must be
// unique" blamed on a policy file. It is refused at the duplicate instead.
func TestParseRejectsDuplicateJoinKeys(t *testing.T) {
	raw, err := os.ReadFile("../../testdata/snapshots/acme.json")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		list    func(doc map[string]any) []any
		set     func(doc map[string]any, list []any)
		wantPtr string
		wantMsg string
	}{
		{"policy member", func(d map[string]any) []any {
			return d["authentication_policy_members"].(map[string]any)["items"].([]any)
		},
			func(d map[string]any, l []any) { d["authentication_policy_members"].(map[string]any)["items"] = l },
			"/authentication_policy_members/items/", `duplicate account_id`},
		{"service account", func(d map[string]any) []any { return d["service_accounts"].(map[string]any)["items"].([]any) },
			func(d map[string]any, l []any) { d["service_accounts"].(map[string]any)["items"] = l },
			"/service_accounts/items/", `duplicate id`},
		{"audit-log signal", func(d map[string]any) []any { return d["audit_log"].(map[string]any)["signals"].([]any) },
			func(d map[string]any, l []any) { d["audit_log"].(map[string]any)["signals"] = l },
			"/audit_log/signals/", `duplicate id`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				t.Fatal(err)
			}
			list := tt.list(doc)
			if len(list) == 0 {
				t.Fatal("fixture list is empty")
			}
			tt.set(doc, append(list, list[0]))
			data, err := json.MarshalIndent(doc, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("snap.json", data)
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *Error naming the duplicate", err)
			}
			if se.Line == 0 || !strings.HasPrefix(se.Pointer, tt.wantPtr) || !strings.Contains(se.Msg, tt.wantMsg) {
				t.Errorf("got %v (pointer %s, line %d), want %s… %q", err, se.Pointer, se.Line, tt.wantPtr, tt.wantMsg)
			}
		})
	}
}

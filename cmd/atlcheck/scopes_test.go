package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck"
)

// TestRecommendedKeyPassesTheGate: the scoped API key docs/collector.md
// recommends (its scopes, created by an active org admin, expiring within 90
// days) gives no ATL-KEY finding, so a scan run with it does not fail its
// own default gate because of it.
func TestRecommendedKeyPassesTheGate(t *testing.T) {
	doc, err := os.ReadFile("../../docs/collector.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)### The API key to create.*?```text\n(.*?)\n```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/collector.md has no scope list under \"The API key to create\"")
	}
	scopes := strings.Fields(string(m[1]))
	for _, want := range []string{"read:workspaces:admin", "read:domains:admin", "read:directories:admin", "read:keys:admin", "read:tokens:admin"} {
		if !strings.Contains(string(m[1]), want) {
			t.Errorf("the recommended scopes lack %s (contract Part C)", want)
		}
	}
	var snap map[string]any
	if err := json.Unmarshal(atlcheck.DemoSnapshot, &snap); err != nil {
		t.Fatal(err)
	}
	now, _ := time.Parse(time.RFC3339, snap["collected_at"].(string))
	// The demo org's Jane Admin is an active org admin with two-step verification.
	snap["api_keys"] = map[string]any{"source": "api", "collected": true, "items": []any{map[string]any{
		"id": "atlcheck-key", "label": "atlcheck", "scopes": scopes,
		"created_at":     now.AddDate(0, 0, -10).Format(time.RFC3339),
		"expires_at":     now.AddDate(0, 0, 80).Format(time.RFC3339),
		"last_active_at": now.Format(time.RFC3339),
		"created_by":     map[string]any{"id": "5f3c8a1b2d4e6f7a8b9c0001"},
	}}}
	data, _ := json.Marshal(snap)
	path := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := checkJSON(t, path, "--policy", "ATL-KEY-*")
	for _, f := range rep.Findings {
		t.Errorf("the recommended key gives %s on %s", f.PolicyID, f.Resource)
	}
	if len(rep.Policies) != 5 {
		t.Errorf("got %d key policies, want the 5", len(rep.Policies))
	}
	for _, p := range rep.Policies {
		if p.Status != "pass" {
			t.Errorf("%s = %s, want pass", p.ID, p.Status)
		}
	}
}

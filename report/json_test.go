package report

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// decodeJSON renders the JSON report and decodes it generically.
func decodeJSON(t *testing.T, out []byte) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("output is not JSON: %v", err)
	}
	return doc
}

func keysOf(m any) []string {
	var keys []string
	for k := range m.(map[string]any) {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestJSONFieldNames(t *testing.T) {
	out := render(t, "json", fixtureRun())
	if !strings.HasSuffix(string(out), "}\n") || !strings.Contains(string(out), "\n  \"tool\"") {
		t.Error("want indented JSON with a trailing newline")
	}
	doc := decodeJSON(t, out)
	tests := []struct {
		name string
		obj  any
		want string
	}{
		{"top", doc, "areas attestations baseline filters findings fixed gate org_id org_name parameters policies since_last_run snapshot summary tool unused_exceptions unverified"},
		{"tool", doc["tool"], "commit name policy_digest version"},
		{"snapshot", doc["snapshot"], "collected_at path sha256"},
		{"summary", doc["summary"], "critical high info low medium not_evaluated suppressed"},
		{"gate", doc["gate"], "count fail_on failed"},
		{"area", doc["areas"].([]any)[0], "collected name reason"},
		{"policy", doc["policies"].([]any)[0], "findings_known id reason sarif_group severity status title"},
		{"unused exception", doc["unused_exceptions"].([]any)[0], "expires line owner policy resource"},
		{"finding", doc["findings"].([]any)[0], "column fingerprint line message path policy_id remediation resource severity suppressed title"},
		{"suppressed finding", doc["findings"].([]any)[4], "column fingerprint line message path policy_id remediation resource severity suppressed suppression title"},
		{"baseline finding", doc["findings"].([]any)[2], "baseline_state column fingerprint line message path policy_id remediation resource severity suppressed title"},
	}
	for _, tt := range tests {
		if got := strings.Join(keysOf(tt.obj), " "); got != tt.want {
			t.Errorf("%s keys = %s, want %s", tt.name, got, tt.want)
		}
	}
	if doc["since_last_run"] != nil {
		t.Errorf("since_last_run = %v, want null for a run that read no audit log", doc["since_last_run"])
	}
	since := decodeJSON(t, render(t, "json", sinceRun()))["since_last_run"].(map[string]any)
	signal := since["signals"].([]any)[4].(map[string]any)
	for _, tt := range []struct {
		name string
		obj  any
		want string
	}{
		{"since_last_run", since, "basis from requested_from signals to"},
		{"signal", signal, "events findings id policy_id reason status title"},
		{"event", signal["events"].([]any)[1], "action actor actor_id fingerprint id message suppressed target time"},
	} {
		if got := strings.Join(keysOf(tt.obj), " "); got != tt.want {
			t.Errorf("%s keys = %s, want %s", tt.name, got, tt.want)
		}
	}
	if lost := signal["events"].([]any)[0].(map[string]any); lost["time"] != nil {
		t.Errorf("an event not read back has time %v, want null", lost["time"])
	}
}

func TestJSONEmptyRun(t *testing.T) {
	doc := decodeJSON(t, render(t, "json", emptyRun()))
	snap := doc["snapshot"].(map[string]any)
	if snap["path"] != nil || snap["collected_at"] != nil {
		t.Errorf("snapshot = %v, want null path and collected_at", snap)
	}
	if !reflect.DeepEqual(doc["findings"], []any{}) || !reflect.DeepEqual(doc["parameters"], map[string]any{}) ||
		!reflect.DeepEqual(doc["unused_exceptions"], []any{}) {
		t.Errorf("findings = %v, parameters = %v, unused_exceptions = %v; want [], {} and []",
			doc["findings"], doc["parameters"], doc["unused_exceptions"])
	}
	run := emptyRun()
	run.Policies = nil
	if doc := decodeJSON(t, render(t, "json", run)); !reflect.DeepEqual(doc["policies"], []any{}) {
		t.Errorf("policies = %v, want []", doc["policies"])
	}
	if got := doc["gate"].(map[string]any)["fail_on"]; got != "high" {
		t.Errorf("gate.fail_on = %v, want high", got)
	}
}

package fileerr

import (
	"encoding/json"
	"testing"
)

// TestJSON checks that every encoding/json error is located at the value or
// byte that is wrong, in the user's words (a baseline said "invalid JSON at
// byte 3000" and "findings.fingerprint has the wrong type" before).
func TestJSON(t *testing.T) {
	type finding struct {
		Fingerprint string `json:"fingerprint"`
		Line        int    `json:"line"`
		Tags        []string
	}
	type doc struct {
		Findings []finding `json:"findings"`
		Summary  struct {
			Critical int `json:"critical"`
		} `json:"summary"`
	}
	tests := []struct{ name, data, want string }{
		{"syntax", "{\n  \"findings\": [,]\n}", "b.json:2:16: invalid JSON: invalid character ',' looking for beginning of value"},
		{"truncated", "{\n  \"findings\": [", "b.json:2:16: invalid JSON: unexpected end of file (truncated?)"},
		{"number for a string", "{\"findings\": [\n {\"fingerprint\": 12345}]}", "b.json:2:18: invalid value: findings.fingerprint is a number, want a string"},
		{"string with escapes for an integer", "{\"findings\": [\n {\"line\": \"a\\\"b\\\\\"}]}", "b.json:2:11: invalid value: findings.line is a string, want an integer"},
		{"object for a string", "{\"findings\": [\n {\"fingerprint\": {\"a\": 1}}]}", "b.json:2:18: invalid value: findings.fingerprint is an object, want a string"},
		{"object for an array", "{\n\"findings\": {}}", "b.json:2:13: invalid value: findings is an object, want an array"},
		{"bool for an integer", "{\"summary\": {\n    \"critical\": true}}", "b.json:2:17: invalid value: summary.critical is a boolean, want an integer"},
		{"array for an object", "[1]", "b.json:1:1: invalid value: an array, want an object"},
		{"after a multi-byte line", "{\"findings\": [{\"fingerprint\": \"é😀\", \"line\": \"x\"}]}", "b.json:1:46: invalid value: findings.line is a string, want an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := json.Unmarshal([]byte(tt.data), &d)
			if err == nil {
				t.Fatal("no error to locate")
			}
			if got := JSON("b.json", []byte(tt.data), err).Error(); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

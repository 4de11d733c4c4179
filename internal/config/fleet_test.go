package config

import (
	"errors"
	"strings"
	"testing"
)

const fleetDoc = `parameters:
  admins: {min: 1, max: 4}
fleet:
  orgs:
    - id: org-eu
      name: Acme EU
      key_env: ATLASSIAN_KEY_EU
      attestation: .atlcheck/eu.yaml
    - id: org-us
      name: Acme US
      key_env: ATLASSIAN_KEY_US
      attestation: .atlcheck/us.yaml
      config: .atlcheck/us-config.yaml
`

func TestParseFleet(t *testing.T) {
	c, err := Parse("fleet.yaml", []byte(fleetDoc), defaults(t))
	if err != nil {
		t.Fatal(err)
	}
	if c.Fleet == nil || len(c.Fleet.Orgs) != 2 {
		t.Fatalf("fleet = %+v", c.Fleet)
	}
	us := c.Fleet.Orgs[1]
	if us.ID != "org-us" || us.KeyEnv != "ATLASSIAN_KEY_US" || us.Config != ".atlcheck/us-config.yaml" || us.Line != 9 {
		t.Errorf("org 2 = %+v", us)
	}
	if c.Parameters.Admins.Max != 4 {
		t.Error("the parameters of a fleet file are read as usual")
	}
	plain, err := Parse("c.yaml", []byte("org_id: x\n"), defaults(t))
	if err != nil || plain.Fleet != nil {
		t.Errorf("a config without fleet: has Fleet %+v (%v)", plain.Fleet, err)
	}
}

// TestFleetErrors checks that every bad entry is an error at its file:line,
// and that a key_env that may be a pasted key is never echoed.
func TestFleetErrors(t *testing.T) {
	const pastedKey = "ATATT3xFfGF0aB1-c2D3e4F5g6H7i8J9k0L=ABCDEF"
	org := func(fields string) string {
		return "fleet:\n  orgs:\n    - id: a\n      name: A\n      key_env: KEY_A\n      attestation: a.yaml\n    - " + fields + "\n"
	}
	tests := []struct {
		name     string
		doc      string
		wantLine int
		wantMsg  string
	}{
		{"no orgs", "fleet:\n  orgs: []\n", 2, "lists no organization"},
		{"unknown key", "fleet:\n  orgz: []\n", 2, "orgz"},
		{"unknown org key", org("id: b\n      name: B\n      key_env: KEY_B\n      attestation: b.yaml\n      api_key: x"), 11, "api_key"},
		{"missing key_env", org("id: b\n      name: B\n      attestation: b.yaml"), 7, "key_env is required"},
		{"missing attestation", org("id: b\n      name: B\n      key_env: KEY_B"), 7, "attestation is required"},
		{"bad id", org("id: 'b c'\n      name: B\n      key_env: KEY_B\n      attestation: b.yaml"), 7, "not an organization id"},
		{"duplicate id", org("id: A\n      name: B\n      key_env: KEY_B\n      attestation: b.yaml"), 7, "listed twice"},
		{"pasted key", org("id: b\n      name: B\n      key_env: " + pastedKey + "\n      attestation: b.yaml"), 9, "never the key itself"},
		{"long name", org("id: b\n      name: B\n      key_env: " + strings.Repeat("K", 65) + "\n      attestation: b.yaml"), 9, "at most 64"},
		{"reserved", org("id: b\n      name: B\n      key_env: GITHUB_TOKEN\n      attestation: b.yaml"), 9, "GITHUB_"},
		{"shared key", org("id: b\n      name: B\n      key_env: key_a\n      attestation: b.yaml"), 9, "each org needs its own"},
		{"line break", org("id: b\n      name: \"B\\nC\"\n      key_env: KEY_B\n      attestation: b.yaml"), 8, "line break"},
		{"null", "fleet:\n  orgs:\n", 2, "has no value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("fleet.yaml", []byte(tt.doc), defaults(t))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want *config.Error", err)
			}
			if ce.Line != tt.wantLine || !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "fleet.yaml:") {
				t.Errorf("got %q (line %d), want line %d and %q", err, ce.Line, tt.wantLine, tt.wantMsg)
			}
			if strings.Contains(err.Error(), pastedKey) || strings.Contains(err.Error(), "KKKKKKKK") {
				t.Errorf("the error echoes the key_env value: %v", err)
			}
		})
	}
}

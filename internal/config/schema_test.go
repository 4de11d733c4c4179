package config

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// TestShippedSchema keeps docs/config.schema.json in step with the parser:
// the defaults and a full example validate, typos do not.
func TestShippedSchema(t *testing.T) {
	raw, err := os.ReadFile("../../docs/config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("config.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	def, err := Default(defaults(t))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(def)
	tests := []struct {
		name  string
		doc   string
		valid bool
	}{
		{"defaults", string(b), true},
		{"example", "org_id: o\nparameters:\n  apps: {allowed: [a.b]}\n  admins: {min: 1, max: 3}\n", true},
		{"typo", "parameters:\n  api_key: {}\n", false},
		{"range", "parameters:\n  api_keys: {unused_days: 0}\n", false},
		{"fleet", "fleet:\n  orgs:\n    - {id: o-1, name: O, key_env: KEY_O, attestation: o.yaml, config: o.yaml}\n", true},
		{"fleet without key_env", "fleet:\n  orgs:\n    - {id: o-1, name: O, attestation: o.yaml}\n", false},
		{"fleet key_env not a name", "fleet:\n  orgs:\n    - {id: o-1, name: O, key_env: 'a-b=c', attestation: o.yaml}\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v any
			if err := yaml.Unmarshal([]byte(tt.doc), &v); err != nil {
				t.Fatal(err)
			}
			err := sch.Validate(v)
			if (err == nil) != tt.valid {
				t.Errorf("valid = %v, want %v (%v)", err == nil, tt.valid, err)
			}
			_, perr := Parse("c.yaml", []byte(tt.doc), defaults(t))
			if tt.name != "defaults" && (perr == nil) != tt.valid {
				t.Errorf("Parse disagrees with the schema: %v", perr)
			}
		})
	}
}

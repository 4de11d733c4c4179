package config

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

func defaults(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../../policies/atlcheck/parameters/data.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseFillsDefaults(t *testing.T) {
	doc := "org_id: org-9\nparameters:\n  api_keys:\n    unused_days: 45\n  apps:\n    allowed: [com.acme.app]\n  app_access:\n    public_email_domains: [Example.COM]\n"
	c, err := Parse("atlcheck.yaml", []byte(doc), defaults(t))
	if err != nil {
		t.Fatal(err)
	}
	p := c.Parameters
	if c.OrgID != "org-9" || p.APIKeys.UnusedDays != 45 || p.APIKeys.MaxLifetimeDays != 90 || p.APIKeys.ExpiryWarningDays != 14 {
		t.Errorf("api_keys = %+v, org %q", p.APIKeys, c.OrgID)
	}
	if !reflect.DeepEqual(p.Apps.Allowed, []string{"com.acme.app"}) {
		t.Errorf("apps.allowed = %v", p.Apps.Allowed)
	}
	if !reflect.DeepEqual(p.AppAccess.PublicEmailDomains, []string{"example.com"}) {
		t.Errorf("public_email_domains = %v, want the list replaced and lower-cased", p.AppAccess.PublicEmailDomains)
	}
	if p.Admins.Min != 2 || p.Admins.Max != 5 || p.Attestation.MaxAgeDays != 90 || p.APITokens.MaxLifetimeDays != 365 {
		t.Errorf("defaults not kept: %+v", p)
	}
	m := c.ParameterMap()
	if m["api_keys"].(map[string]any)["unused_days"].(float64) != 45 {
		t.Errorf("ParameterMap = %v", m)
	}
}

func TestEmptyFileKeepsDefaults(t *testing.T) {
	c, err := Parse("empty.yaml", []byte("# nothing\n"), defaults(t))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := Default(defaults(t))
	if !reflect.DeepEqual(c, d) {
		t.Fatalf("got %+v, want defaults %+v", c, d)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		doc      string
		wantLine int
		wantMsg  string
	}{
		{"unknown top-level key", "org_id: x\nparamters: {}\n", 2, "paramters"},
		{"unknown nested key", "parameters:\n  api_keys:\n    max_lifetime: 10\n", 3, "max_lifetime"},
		{"wrong type", "parameters:\n  admins:\n    min: two\n", 3, "two"},
		{"out of range", "parameters:\n  api_keys:\n    unused_days: 0\n", 3, "between 1 and 3650"},
		{"too large", "parameters:\n  api_tokens:\n    max_lifetime_days: 99999\n", 3, "between 1 and 3650"},
		{"max below min", "parameters:\n  admins:\n    min: 4\n    max: 3\n", 4, "admins.max (3) must be at least admins.min (4)"},
		{"max below min by default", "parameters:\n  admins:\n    min: 8\n", 3, "admins.max (5)"},
		{"bad domain", "parameters:\n  app_access:\n    public_email_domains: [ok.com, 'bad domain']\n", 3, "not a domain name"},
		{"null list", "parameters:\n  app_access:\n    public_email_domains:\n", 3, "public_email_domains has no value"},
		{"null number", "parameters:\n  api_keys:\n    unused_days: ~\n", 3, "has no value"},
		{"syntax", "parameters:\n  api_keys: [\n", 2, ""},
		{"tab indentation", "parameters:\n\tapi_keys: {}\n", 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("atlcheck.yaml", []byte(tt.doc), defaults(t))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want *config.Error", err)
			}
			if ce.Line != tt.wantLine {
				t.Errorf("line: got %d, want %d (%v)", ce.Line, tt.wantLine, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "atlcheck.yaml:") {
				t.Errorf("error %q: want file:line prefix and %q", err, tt.wantMsg)
			}
		})
	}
}

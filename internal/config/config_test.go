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
		{"site host with a scheme", "site_hosts:\n  - jira.example.com\n  - https://evil.example\n", 3, `site_hosts: "https://evil.example" is not a host name`},
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

// TestParseErrorsInUserWords pins the whole message and position of the
// errors a hand-written config most often has: they name the setting as the
// file spells it, suggest the key that was meant, point at the offending key
// or value (not at column 1), and never show Go type names.
func TestParseErrorsInUserWords(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"top-level typo", "org_id: x\nparamters: {}\n",
			`atlcheck.yaml:2:1: unknown setting "paramters" at the top level (did you mean "parameters"?); known settings there: exceptions, fleet, org_id, parameters`},
		{"nested typo", "parameters:\n  api_key:\n    max_lifetime_days: 3\n",
			`atlcheck.yaml:2:3: unknown setting "api_key" in parameters (did you mean "api_keys"?); known settings there: accounts, admins, api_keys, api_tokens, app_access, apps, attestation, audit_log, authentication, exceptions`},
		{"deep typo", "parameters:\n  api_keys:\n    max_lifetime_dayz: 3\n",
			`atlcheck.yaml:3:5: unknown setting "max_lifetime_dayz" in parameters.api_keys (did you mean "max_lifetime_days"?); known settings there: expiry_warning_days, max_lifetime_days, unused_days`},
		{"no close key", "parameters:\n  api_keys:\n    colour: red\n",
			`atlcheck.yaml:3:5: unknown setting "colour" in parameters.api_keys; known settings there: expiry_warning_days, max_lifetime_days, unused_days`},
		{"secret where none belongs", "api_key: hunter2\n",
			`atlcheck.yaml:1:1: unknown setting "api_key" at the top level; known settings there: exceptions, fleet, org_id, parameters`},
		{"exception typo", "exceptions:\n  - policy: ATL-KEY-001\n    resourc: key-1\n",
			`atlcheck.yaml:3:5: unknown setting "resourc" in exceptions[1] (did you mean "resource"?)`},
		{"text for a number", "parameters:\n  api_keys:\n    max_lifetime_days: abc\n",
			`atlcheck.yaml:3:24: parameters.api_keys.max_lifetime_days must be a whole number, got "abc"`},
		{"fraction for a number", "parameters:\n  admins: {min: 1.5}\n",
			`atlcheck.yaml:2:17: parameters.admins.min must be a whole number, got "1.5"`},
		{"value for a list", "parameters:\n  apps:\n    allowed: com.vendor.app\n",
			`atlcheck.yaml:3:14: parameters.apps.allowed must be a list, got "com.vendor.app"`},
		{"list for a mapping", "parameters:\n  - api_keys\n",
			`atlcheck.yaml:2:3: parameters must be a mapping of settings, got a list`},
		{"a list for the whole file", "- org_id: x\n",
			`atlcheck.yaml:1:1: the config file must be a mapping of settings, got a list`},
		{"a value for the whole file", "org_id\n",
			`atlcheck.yaml:1:1: the config file must be a mapping of settings, got "org_id"`},
		{"yes for a boolean", "exceptions:\n  - policy: ATL-KEY-001\n    policy_wide: yes\n",
			`atlcheck.yaml:3:18: exceptions[1].policy_wide must be true or false, got "yes"`},
		{"no value", "parameters:\n  app_access:\n    public_email_domains:\n",
			`atlcheck.yaml:3:26: parameters.app_access.public_email_domains has no value: give one, or remove the key to keep the default`},
		{"exception window out of range", "parameters:\n  exceptions: {max_days: 0}\n",
			`atlcheck.yaml:2:26: parameters.exceptions.max_days must be between 1 and 3650 days, got 0`},
		{"list for a value", "org_id: [a, b]\n",
			`atlcheck.yaml:1:9: org_id must be a single value, got a list`},
		// qa1: yaml.v3 put a duplicate at column 1 ("mapping key … already defined at line 3").
		{"key given twice", "parameters:\n  api_keys:\n    max_lifetime_days: 3\n    max_lifetime_days: 4\n",
			`atlcheck.yaml:4:5: setting "max_lifetime_days" is given twice in parameters.api_keys (first on line 3): keep one`},
		{"top-level key given twice", "org_id: a\norg_id: b\n",
			`atlcheck.yaml:2:1: setting "org_id" is given twice at the top level (first on line 1): keep one`},
		// qa1: yaml.v3 said "found character that cannot start any token".
		{"tab indentation", "parameters:\n\tapi_keys: {}\n",
			`atlcheck.yaml:2:1: tabs are not allowed for indentation in YAML: indent with spaces`},
		{"tab after spaces", "parameters:\n  api_keys:\n  \t  unused_days: 3\n",
			`atlcheck.yaml:3:3: tabs are not allowed for indentation in YAML: indent with spaces`},
		{"tab in a list", "site_hosts:\n  - a.example.com\n\t- b.example.com\n",
			`atlcheck.yaml:3:1: tabs are not allowed for indentation in YAML: indent with spaces`},
		{"tab on the first line", "\torg_id: x\n",
			`atlcheck.yaml:1:1: tabs are not allowed for indentation in YAML: indent with spaces`},
		{"reserved first character", "org_id: x\nsite_hosts: [@corp]\n",
			"atlcheck.yaml:2:14: a value cannot start with @ (YAML reserves it): put the value in quotes"},
		{"other syntax error", "parameters:\n  api_keys: [\n",
			"atlcheck.yaml:2:1: invalid YAML: did not find expected node content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("atlcheck.yaml", []byte(tt.doc), defaults(t))
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); !strings.HasPrefix(got, tt.want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			for _, goWords := range []string{"config.", "Params", "field ", "unmarshal", "!!"} {
				if strings.Contains(err.Error(), goWords) {
					t.Errorf("error %q shows Go internals (%q)", err, goWords)
				}
			}
		})
	}
}

package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const excDoc = `parameters:
  exceptions: {max_days: 100}
exceptions:
  - policy: ATL-KEY-004
    resource: "key-legacy-*"
    reason: Break-glass key, kept offline
    owner: secops@example.com
    ticket: SEC-1234
    expires: 2027-03-31
  - policy: ATL-AAS-006
    resource: "*"
    policy-wide: true
    reason: Notifications go elsewhere
    owner: it@example.com
    expires: 2026-12-01
`

func TestExceptionsParse(t *testing.T) {
	c, err := Parse("c.yaml", []byte(excDoc), defaults(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exceptions) != 2 || c.Exceptions[0].Line != 4 || c.Exceptions[1].Line != 10 || !c.Exceptions[1].PolicyWide {
		t.Fatalf("exceptions = %+v", c.Exceptions)
	}
	e := c.Exceptions[0]
	tests := []struct {
		policy, resource string
		want             bool
	}{
		{"ATL-KEY-004", "key-legacy-1", true},
		{"ATL-KEY-004", "key-legacy-", true},
		{"ATL-KEY-004", "key-new-1", false},
		{"ATL-KEY-001", "key-legacy-1", false},
		{"ATL-KEY-004", "xkey-legacy-1", false},
	}
	for _, tt := range tests {
		if got := e.Matches(tt.policy, tt.resource); got != tt.want {
			t.Errorf("Matches(%s, %s) = %v, want %v", tt.policy, tt.resource, got, tt.want)
		}
	}
	for _, pattern := range []string{"?*", "*?*", "?"} {
		wide := strings.Replace(excDoc, `resource: "*"`, `resource: "`+pattern+`"`, 1)
		if _, err := Parse("c.yaml", []byte(wide), defaults(t)); err != nil {
			t.Errorf("%s with policy_wide: %v", pattern, err)
		}
	}
	if !c.Exceptions[1].Matches("ATL-AAS-006", "https://a.example/x#y") {
		t.Errorf("policy-wide * should match any resource")
	}
	if got, want := e.ExpiresAt(), time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("ExpiresAt = %v, want %v (the whole expiry day applies)", got, want)
	}
	data := c.PolicyData()
	if exc := data["exceptions"].([]any); len(exc) != 2 || exc[0].(map[string]any)["expires_at"] != "2027-04-01T00:00:00Z" {
		t.Errorf("PolicyData exceptions = %v", data["exceptions"])
	}
}

func TestExceptionErrors(t *testing.T) {
	base := "exceptions:\n  - policy: ATL-KEY-004\n    resource: k1\n    reason: r\n    owner: o\n    expires: 2027-01-01\n"
	tests := []struct {
		name, doc string
		line      int
		want      string
	}{
		{"missing reason", strings.Replace(base, "    reason: r\n", "", 1), 2, "reason is required"},
		{"missing owner", strings.Replace(base, "    owner: o\n", "", 1), 2, "owner is required"},
		{"missing expiry", strings.Replace(base, "    expires: 2027-01-01\n", "", 1), 2, "expires is required"},
		{"bad date", strings.Replace(base, "2027-01-01", "next spring", 1), 6, `expires "next spring" is not a date`},
		{"star without policy_wide", strings.Replace(base, "resource: k1", `resource: "*"`, 1), 3, "set policy_wide: true"},
		// Issue 12 row 8: any pattern of wildcards only matches every resource.
		{"?* without policy_wide", strings.Replace(base, "resource: k1", `resource: "?*"`, 1), 3, "set policy_wide: true"},
		{"*?* without policy_wide", strings.Replace(base, "resource: k1", `resource: "*?*"`, 1), 3, "set policy_wide: true"},
		{"??* without policy_wide", strings.Replace(base, "resource: k1", `resource: "??*"`, 1), 3, "set policy_wide: true"},
		// Issue 12 row 15: dates OPA cannot compare are refused where they are written.
		{"expiry before 1678", strings.Replace(base, "2027-01-01", "1500-01-01", 1), 6, "outside the dates atlcheck can compare (1678-01-01 to 2261-12-31)"},
		{"expiry after 2261", strings.Replace(base, "2027-01-01", "2262-06-01", 1), 6, "outside the dates atlcheck can compare"},
		{"max_days too large", "parameters:\n  exceptions:\n    max_days: 1000000\n" + base, 3, "max_days must be between 1 and 3650"},
		{"unknown key", base + "    approved_by: me\n", 7, "approved_by"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.doc), defaults(t))
			var ce *Error
			if !errors.As(err, &ce) || ce.Line != tt.line || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v (line %d), want line %d and %q", err, lineOf(ce), tt.line, tt.want)
			}
		})
	}
}

func lineOf(e *Error) int {
	if e == nil {
		return 0
	}
	return e.Line
}

func TestCheckExceptions(t *testing.T) {
	c, err := Parse("c.yaml", []byte(excDoc), defaults(t))
	if err != nil {
		t.Fatal(err)
	}
	known := func(id string) bool { return id == "ATL-KEY-004" || id == "ATL-AAS-006" }
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	if err := c.CheckExceptions(known, now); err == nil || !strings.Contains(err.Error(), "c.yaml:4:") || !strings.Contains(err.Error(), "more than 100 days") {
		t.Errorf("over-long expiry: got %v", err)
	}
	later := now.AddDate(0, 3, 0)
	if err := c.CheckExceptions(known, later); err != nil {
		t.Errorf("within max_days: %v", err)
	}
	if err := c.CheckExceptions(func(id string) bool { return id != "ATL-AAS-006" }, later); err == nil || !strings.Contains(err.Error(), `c.yaml:10:`) || !strings.Contains(err.Error(), `unknown policy id "ATL-AAS-006"`) {
		t.Errorf("unknown policy: got %v", err)
	}
}

package config

// Fuzz test for the config reader. `go test` runs the seeds
// (testdata/fuzz/FuzzParse/ and the f.Add calls); `make fuzz` explores.

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// FuzzParse checks that Parse never panics, that every error is a located
// *Error naming the file, and that an accepted config survives being written
// back as YAML and read again.
func FuzzParse(f *testing.F) {
	defaultsJSON, err := os.ReadFile("../../policies/atlcheck/parameters/data.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range []string{"../../testdata/config/acme.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "{}", "org_id: x\n", excDoc,
		"parameters:\n  admins: {min: 3, max: 2}\n",
		"parameters:\n  app_access:\n    public_email_domains: [A.COM, 'b c']\n",
		"parameters: &a\n  admins: *a\n",
		"exceptions:\n  - policy: ATL-KEY-004\n    resource: '*'\n    reason: r\n    owner: o\n    expires: 2026-13-40\n",
		"exceptions:\n  - {policy: P, resource: '[x', reason: r, owner: o, expires: '2026-01-01T10:00:00+14:00'}\n",
		"parameters:\n  api_keys:\n    unused_days: 99999999999999999999\n",
		"- not a mapping\n", "parameters: [\n", "\t", "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	known := func(id string) bool { return strings.HasPrefix(id, "ATL-") }
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data, defaultsJSON)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || ce.File != "fuzz.yaml" {
				t.Fatalf("error %T %q is not a *config.Error naming the file", err, err)
			}
			if ce.Line < 0 || ce.Column < 0 {
				t.Fatalf("negative position in %v", err)
			}
			return
		}
		_ = c.CheckExceptions(known, now)
		if _, err := json.Marshal(c.PolicyData()); err != nil {
			t.Fatalf("policy data is not JSON: %v", err)
		}
		for _, e := range c.Exceptions {
			e.Matches("ATL-KEY-004", e.Resource)
		}
		// Round trip: the parsed config, written back, parses the same.
		out, err := yaml.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		again, err := Parse("again.yaml", out, defaultsJSON)
		if err != nil {
			t.Fatalf("re-encoded config rejected: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(norm(again.Parameters), norm(c.Parameters)) || again.OrgID != c.OrgID || len(again.Exceptions) != len(c.Exceptions) {
			t.Fatalf("re-encoded config differs:\n%+v\n%+v", again, c)
		}
		for i := range c.Exceptions {
			a, b := again.Exceptions[i], c.Exceptions[i]
			if a.Policy != b.Policy || a.Resource != b.Resource || a.Expires != b.Expires || a.PolicyWide != b.PolicyWide || !a.ExpiresAt().Equal(b.ExpiresAt()) {
				t.Fatalf("exception %d differs after the round trip: %+v vs %+v", i, a, b)
			}
		}
	})
}

// norm treats a list left null (a key with no value) like an empty list:
// YAML writes both as [].
func norm(p Parameters) Parameters {
	if p.Apps.Allowed == nil {
		p.Apps.Allowed = []string{}
	}
	if p.AppAccess.PublicEmailDomains == nil {
		p.AppAccess.PublicEmailDomains = []string{}
	}
	return p
}

package attestation

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseValid(t *testing.T) {
	f, err := Load("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if f.AttestedBy != "jane.admin@acme.com" || !f.AttestedAt.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got attested %q at %s", f.AttestedBy, f.AttestedAt)
	}
	if !f.HasSites || len(f.Sites) != 2 {
		t.Fatalf("got %d sites, want 2", len(f.Sites))
	}
	s0, s1 := f.Sites[0], f.Sites[1]
	if s0.URL != "https://acme.atlassian.net" || s0.BlockUserApps == nil || *s0.BlockUserApps || s0.Line != 5 || s0.Column != 10 {
		t.Errorf("site 0: got %+v", s0)
	}
	if s1.URL != "https://acme-sandbox.atlassian.net" || len(s1.Apps) != 0 || s1.Apps == nil {
		t.Errorf("site 1: got %+v, want the bare host with https and no trailing slash, no apps", s1)
	}
	a0, a1 := s0.Apps[0], s0.Apps[1]
	if a0.Key != "com.vendor.timesheets" || *a0.VendorLogAccess != true || *a0.UpdateAwaitingApproval != true || *a0.InstalledByAdmin {
		t.Errorf("app 0: got %+v", a0)
	}
	if a1.VendorLogAccess != nil || a1.UpdateAwaitingApproval != nil || a1.InstalledByAdmin != nil || a1.InstalledBy != "acc-2" {
		t.Errorf("app 1: booleans left out must stay nil, got %+v", a1)
	}
	pols := f.ExternalUsers.Policies
	if len(pols) != 2 || pols[0].APITokenAccess != "allow" || pols[1].APITokenAccess != "block" {
		t.Errorf("policies: got %+v, want allow and block in lower case", pols)
	}
}

func TestParseDates(t *testing.T) {
	tests := map[string]string{
		"2026-11-20":                "2026-11-20T00:00:00Z",
		"2026-11-20T09:30:00Z":      "2026-11-20T09:30:00Z",
		"2026-11-20T09:30:00+02:00": "2026-11-20T07:30:00Z",
		"'2026-11-20'":              "2026-11-20T00:00:00Z",
		"2026-11-20 09:30:00":       "2026-11-20T09:30:00Z",
		"2026-11-20T09:30:00.5Z":    "2026-11-20T09:30:00.5Z",
	}
	for in, want := range tests {
		f, err := Parse("a.yaml", []byte("attested_by: a\nattested_at: "+in+"\n"))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := f.AttestedAt.Format(time.RFC3339Nano); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
		if f.HasSites || f.ExternalUsers != nil {
			t.Errorf("%s: got sites or external users from a file without them", in)
		}
	}
}

const head = "attested_by: jane\nattested_at: 2026-11-20\n"

func TestParseErrors(t *testing.T) {
	tests := []parseErrorCase{
		{"empty", "  \n", "a.yaml: attestation file is empty"},
		{"not a mapping", "- a\n- b\n", "a.yaml:1:1: the attestation file must be a mapping, got a list"},
		{"unknown top-level key", head + "sitez: []\n",
			`a.yaml:3:1: unknown key "sitez" in the attestation file (did you mean "sites"?); known keys: approved_domains, attested_at, attested_by, authentication_policies, external_users, sites`},
		{"unknown site key", head + "sites:\n  - url: https://acme.atlassian.net\n    block_user_app: false\n",
			`a.yaml:5:5: unknown key "block_user_app" in a site (did you mean "block_user_apps"?); known keys: apps, block_user_apps, url`},
		{"unknown app key", head + "sites:\n  - url: acme.atlassian.net\n    apps:\n      - key: k\n        vendor_logs: true\n",
			`a.yaml:7:9: unknown key "vendor_logs" in an app`},
		{"missing attested_by", "attested_at: 2026-11-20\n", `a.yaml:1:1: missing required key "attested_by" in the attestation file`},
		{"missing attested_at", "attested_by: x\n", `a.yaml:1:1: missing required key "attested_at" in the attestation file`},
		{"empty attested_by", "attested_by: ''\nattested_at: 2026-11-20\n", "a.yaml:1:14: attested_by must not be empty"},
		{"bad date", "attested_by: x\nattested_at: 2026-13-45\n",
			`a.yaml:2:14: attested_at: "2026-13-45" is not a date (2026-11-20) or a date-time (2026-11-20T09:30:00Z)`},
		{"words for a date", "attested_by: x\nattested_at: last week\n", `a.yaml:2:14: attested_at: "last week" is not a date`},
		{"date as a list", "attested_by: x\nattested_at: [2026]\n", "a.yaml:2:14: attested_at must be a value, got a list"},
		// Issue 12 row 15: dates the policies cannot compare are refused here.
		{"date before 1678", "attested_by: x\nattested_at: 1600-01-01\n", "a.yaml:2:14: attested_at: 1600-01-01T00:00:00Z is outside the dates atlcheck can compare (1678-01-01 to 2261-12-31)"},
		{"date after 2261", "attested_by: x\nattested_at: 2300-01-01\n", "a.yaml:2:14: attested_at: 2300-01-01T00:00:00Z is outside the dates"},
		{"missing url", head + "sites:\n  - block_user_apps: true\n", `a.yaml:4:5: missing required key "url" in a site`},
		{"bad url", head + "sites:\n  - url: ftp://acme.atlassian.net\n", `a.yaml:4:10: url: "ftp://acme.atlassian.net" is not a site URL`},
		{"sites not a list", head + "sites: acme\n", `a.yaml:3:8: sites must be a list, got "acme"`},
		{"boolean as a string", head + "sites:\n  - url: a.atlassian.net\n    block_user_apps: \"false\"\n",
			`a.yaml:5:22: block_user_apps must be true or false, got "false"`},
		{"yes is not a boolean", head + "sites:\n  - url: a.atlassian.net\n    block_user_apps: yes\n",
			`a.yaml:5:22: block_user_apps must be true or false, got "yes"`},
		{"empty boolean", head + "sites:\n  - url: a.atlassian.net\n    block_user_apps:\n",
			`a.yaml:5:21: block_user_apps must be true or false, got empty`},
		{"duplicate site", head + "sites:\n  - url: https://a.atlassian.net\n  - url: A.atlassian.net/\n",
			"a.yaml:5:10: site https://A.atlassian.net is listed twice (first on line 4)"},
		{"app without key", head + "sites:\n  - url: a.atlassian.net\n    apps:\n      - vendor_log_access: true\n",
			`a.yaml:6:9: missing required key "key" in an app`},
		{"duplicate app", head + "sites:\n  - url: a.atlassian.net\n    apps:\n      - key: k\n      - key: k\n",
			"a.yaml:7:14: app k is listed twice for this site (first on line 6)"},
		{"bad api_token_access", head + "external_users:\n  policies:\n    - name: External user policy\n      api_token_access: maybe\n",
			`a.yaml:6:25: api_token_access: "maybe" must be allow or block`},
		{"missing api_token_access", head + "external_users:\n  policies:\n    - name: External user policy\n",
			`a.yaml:5:7: missing required key "api_token_access" in a policy`},
		{"no external-user policy", head + "external_users:\n  policies: []\n",
			"a.yaml:4:13: external_users.policies is empty: every organization has the default External user policy"},
		{"missing policies", head + "external_users: {}\n", `a.yaml:3:17: missing required key "policies" in external_users`},
		{"duplicate key", head + "attested_by: again\n", `a.yaml:3:1: key "attested_by" is given twice in the attestation file`},
		{"bad YAML", head + "sites: [\n", "a.yaml:3: invalid YAML: did not find expected node content"},
		{"tab indentation", head + "sites:\n\t- url: acme.atlassian.net\n", "a.yaml:4:1: tabs are not allowed for indentation in YAML: indent with spaces"},
		{"unknown key with a likely meaning", head + "extrnal_users: {}\n",
			`a.yaml:3:1: unknown key "extrnal_users" in the attestation file (did you mean "external_users"?); known keys:`},
		{"two documents", head + "---\nattested_by: b\n", "a.yaml:3:1: only one YAML document is allowed"},
	}
	checkParseErrors(t, tests)
}

// parseErrorCase is a file that Parse refuses, and the start of the error.
type parseErrorCase struct{ name, doc, want string }

// checkParseErrors parses each file and checks it is refused with a located
// *Error starting with want.
func checkParseErrors(t *testing.T, tests []parseErrorCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("a.yaml", []byte(tt.doc))
			var ae *Error
			if !errors.As(err, &ae) {
				t.Fatalf("got %T %v, want an *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got  %q\nwant %q", err.Error(), tt.want)
			}
		})
	}
}

// Issue 12 row 15: an attestation from the future would never go stale.
func TestCheckTime(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		at   string
		want string
	}{
		{"2026-11-20", ""},
		{"2026-11-21", ""}, // a date written east of UTC
		{"2026-11-21T09:00:00Z", "a.yaml:2:14: attested_at 2026-11-21T09:00:00Z is in the future (it is now 2026-11-20T08:00:00Z)"},
		{"2030-01-01", "a.yaml:2:14: attested_at 2030-01-01T00:00:00Z is in the future"},
	}
	for _, tt := range tests {
		f, err := Parse("a.yaml", []byte("attested_by: x\nattested_at: "+tt.at+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		err = f.CheckTime(now)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.at, err)
		case tt.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.want)):
			t.Errorf("%s: got %v, want %q", tt.at, err, tt.want)
		}
	}
}

func TestLoadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load(path)
	var ae *Error
	if !errors.As(err, &ae) || err.Error() != path+": read attestation: no such file or directory" {
		t.Errorf("got %v", err)
	}
	if err := os.WriteFile(path, []byte(head), 0o600); err != nil {
		t.Fatal(err)
	}
	if f, err := Load(path); err != nil || f.Name != path {
		t.Errorf("got %v, %v", f, err)
	}
}

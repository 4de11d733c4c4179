package attestation

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

func acmeSnapshot(t *testing.T) *snapshot.Snapshot {
	t.Helper()
	b, err := os.ReadFile("../../testdata/snapshots/acme.json")
	if err != nil {
		t.Fatal(err)
	}
	var s snapshot.Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// fill replaces every placeholder the way an admin would: a name, a date,
// an allow/block word or a boolean, by the key it belongs to.
func fill(draft string) string {
	repl := map[string]string{"attested_by": "jane@acme.example", "attested_at": "2026-11-21",
		"api_token_access": "block", "key": "com.example.found-it", "name": "Found policy",
		"access": "request", "role": "member", "domain": "acme.example", "product": "Jira",
		"default": "true", "idle_session_minutes": "30", "minimum_strength": "strong", "expiry_days": "0"}
	re := regexp.MustCompile(`(?m)^(\s*(?:- )?)(\w+): ` + Placeholder + `\b`)
	return re.ReplaceAllStringFunc(draft, func(m string) string {
		sub := re.FindStringSubmatch(m)
		v, ok := repl[sub[2]]
		if !ok {
			v = "false"
		}
		return sub[1] + sub[2] + ": " + v
	})
}

func TestDraftIsRefusedUntilFilled(t *testing.T) {
	draft := string(Draft(acmeSnapshot(t), "acme.json"))
	_, err := Parse("attest.yaml", []byte(draft))
	if err == nil {
		t.Fatal("a draft with placeholders parsed")
	}
	line := 1 + strings.Count(draft[:strings.Index(draft, "attested_by:")], "\n")
	want := "attest.yaml:" + itoa(line) + ":14: attested_by is still FILL_IN: this file is a draft from 'atlcheck attest init' with 86 value(s) left to fill in"
	if !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got  %v\nwant %s…", err, want)
	}
	// One placeholder left anywhere is enough to refuse the file.
	filled := fill(draft)
	oneLeft := strings.Replace(filled, "installed_by_admin: false", "installed_by_admin: "+Placeholder, 1)
	if _, err := Parse("attest.yaml", []byte(oneLeft)); err == nil || !strings.Contains(err.Error(), "installed_by_admin is still FILL_IN") || !strings.Contains(err.Error(), "1 value(s) left") {
		t.Errorf("one placeholder left: got %v", err)
	}
	f, err := Parse("attest.yaml", []byte(filled))
	if err != nil {
		t.Fatalf("filled draft does not parse: %v\n%s", err, filled)
	}
	if err := f.CheckSites(acmeSnapshot(t).Sites.Items); err != nil {
		t.Errorf("filled draft names a site the org lacks: %v", err)
	}
}

func TestDraftListsEverySiteAndApp(t *testing.T) {
	s := acmeSnapshot(t)
	f, err := Parse("attest.yaml", []byte(fill(string(Draft(s, "acme.json")))))
	if err != nil {
		t.Fatal(err)
	}
	var sites []string
	apps := map[string][]string{}
	for _, site := range f.Sites {
		sites = append(sites, site.URL)
		for _, a := range site.Apps {
			apps[site.URL] = append(apps[site.URL], a.Key)
		}
		if site.BlockUserApps == nil {
			t.Errorf("%s: block_user_apps not drafted", site.URL)
		}
	}
	for _, site := range s.Sites.Items {
		if !slices.Contains(sites, site.URL) {
			t.Errorf("site %s missing from the draft", site.URL)
		}
	}
	for _, sa := range s.ConnectedApps.Installed.Sites {
		for _, a := range sa.Apps {
			if got := slices.Contains(apps[sa.URL], a.Key); got != a.UserInstalled {
				t.Errorf("%s %s: in draft %v, want %v (third-party apps only)", sa.URL, a.Key, got, a.UserInstalled)
			}
		}
	}
	if got := apps["https://acme-labs.atlassian.net"]; !slices.Equal(got, []string{"com.example.found-it"}) {
		t.Errorf("site whose apps were not read: apps %v, want one placeholder entry to fill", got)
	}
	if n := len(f.ExternalUsers.Policies); n != 2 {
		t.Errorf("got %d external-user policies, want the 2 names the snapshot knows", n)
	}
}

// TestDraftNeverGuesses checks that no value of the draft comes from the
// snapshot's earlier attestation: every setting is a placeholder.
func TestDraftNeverGuesses(t *testing.T) {
	draft := string(Draft(acmeSnapshot(t), "acme.json"))
	for _, key := range []string{"block_user_apps", "vendor_log_access", "update_awaiting_approval", "installed_by_admin", "api_token_access", "attested_by", "attested_at"} {
		re := regexp.MustCompile(`(?m)^\s*` + key + `: (\S+)`)
		for _, m := range re.FindAllStringSubmatch(draft, -1) {
			if m[1] != Placeholder {
				t.Errorf("%s drafted as %q, want %s", key, m[1], Placeholder)
			}
		}
	}
	for _, line := range strings.Split(draft, "\n") {
		if strings.Contains(line, Placeholder+"  #") || !strings.Contains(line, ": "+Placeholder) {
			continue
		}
		t.Errorf("placeholder without a comment saying where to look: %q", line)
	}
}

// TestDraftHostileNames: site and app names come from the org and its
// vendors; they must not add lines, keys or values to the draft.
func TestDraftHostileNames(t *testing.T) {
	s := acmeSnapshot(t)
	s.Sites.Items[0].Name = "evil\nattested_by: mallory"
	s.ConnectedApps.Installed.Sites[0].Apps[2].Name = "x\n      - key: com.evil.app"
	s.ConnectedApps.Installed.Sites[0].Apps[2].Key = `a: b # "c"`
	// U+2028 ends a line for YAML (a comment would stop there).
	s.ConnectedApps.Installed.Sites[0].Apps[2].Vendor = &snapshot.Vendor{Name: "v\u2028      - key: com.evil.two\u2029"}
	s.ExternalUsers.Items[0].Name = "yes"
	filled := fill(string(Draft(s, "x")))
	f, err := Parse("attest.yaml", []byte(filled))
	if err != nil {
		t.Fatalf("%v\n%s", err, filled)
	}
	if f.AttestedBy != "jane@acme.example" {
		t.Errorf("attested_by = %q: a site name injected a key", f.AttestedBy)
	}
	if keys := f.Sites[0].Apps; len(keys) != 3 || keys[0].Key != `a: b # "c"` {
		t.Errorf("apps of site 0 = %+v, want 3 with the hostile key read back verbatim", keys)
	}
	if f.ExternalUsers.Policies[0].Name != "yes" {
		t.Errorf("policy name %q, want the string yes", f.ExternalUsers.Policies[0].Name)
	}
}

// TestDraftCoversEveryBlock fails when the parser accepts a top-level block
// that attest init does not draft (a new attested area must be drafted too).
func TestDraftCoversEveryBlock(t *testing.T) {
	_, err := Parse("a.yaml", []byte("attested_by: x\nattested_at: 2026-11-20\nzz_unknown: 1\n"))
	m := regexp.MustCompile(`known keys: (.*)$`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("cannot read the known keys from %v", err)
	}
	drafted := []string{"attested_at", "attested_by"}
	for _, b := range DraftBlocks {
		drafted = append(drafted, b.Key)
	}
	known := strings.Split(m[1], ", ")
	slices.Sort(drafted)
	if !slices.Equal(known, drafted) {
		t.Errorf("the parser knows top-level keys %v, attest init drafts %v: add a DraftBlock", known, drafted)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

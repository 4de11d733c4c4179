package collector

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
)

func TestProgressPlain(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, false)
	p.AreaStarted("api_keys")
	p.PageFetched("api_keys", 1, 3)
	p.PageFetched("api_keys", 2, 5)
	p.AreaDone("api_keys", Summary{Items: 5, Pages: 2})
	p.AreaDone("orgs", Summary{Items: 1, Pages: 1})
	p.AreaDone("app_access", Summary{Err: errors.New("GET /admin/v2/orgs/{orgId}/app-access-settings/domains: 403 ADMIN-UAM-403-1 Forbidden")})
	p.AreaDone("connected_apps.installed", Summary{Items: 7, Note: "3 sites, 1 not collected"})
	p.AreaDone("external_users", Summary{Items: 2, Note: "attestation"})
	want := `api_keys: 5 items (2 pages)
orgs: 1 item (1 page)
app_access: not collected: GET /admin/v2/orgs/{orgId}/app-access-settings/domains: 403 ADMIN-UAM-403-1 Forbidden
connected_apps.installed: 7 items (3 sites, 1 not collected)
external_users: 2 items (attestation)
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestProgressTerminal(t *testing.T) {
	var b bytes.Buffer
	p := NewProgress(&b, true)
	p.AreaStarted("api_keys")
	p.AreaStarted("api_tokens")
	p.PageFetched("api_keys", 1, 100)
	p.AreaDone("api_keys", Summary{Items: 100, Pages: 1})
	p.AreaDone("api_tokens", Summary{Items: 0, Pages: 1})
	want := clearLine + "api_keys started" +
		clearLine + "api_keys started · api_tokens started" +
		clearLine + "api_keys 1 page, 100 items · api_tokens started" +
		clearLine + "api_keys: 100 items (1 page)\n" + clearLine + "api_tokens started" +
		clearLine + "api_tokens: 0 items (1 page)\n" + clearLine
	if b.String() != want {
		t.Errorf("got:\n%q\nwant:\n%q", b.String(), want)
	}
	if IsTerminal(&b) {
		t.Error("a buffer is not a terminal")
	}
}

// TestProgressDuringCollect: every area ends with one line.
func TestProgressDuringCollect(t *testing.T) {
	srv := newFake(t, testOrg(t), fakeapi.Options{})
	var b syncBuffer
	opts := fakeOptions(srv, &syncBuffer{}, &sleeps{})
	opts.Progress = NewProgress(&b, false)
	if _, err := Collect(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	for _, want := range []string{
		"orgs: 1 item (1 page)", "sites: 3 items (2 pages)", "api_keys: 4 items (2 pages)", "api_tokens: 5 items (3 pages)",
		"managed_accounts: 5 items (3 pages)", "verified_domains: 3 items (2 pages)", "app_access: 3 items (2 pages)",
		"connected_apps.installed: 3 items (3 sites, 1 not collected)",
		"connected_apps.settings: not collected: no attestation file given (--attestation)",
		"external_users: not collected: no attestation file given (--attestation)",
		"service_accounts: 3 items (2 pages)", "service_account_tokens: 4 items (4 pages; 3 service accounts)",
		"oauth_clients: 3 items (2 pages)",
		"org_policies: 3 items (2 pages)",
		"authentication_policy_members: 1 item (1 page)",
		"authentication_policies: not collected: no attestation file given (--attestation)",
		"audit_log: 5 items (4 pages; 5 signals, 2 without an action in the org's list)",
	} {
		found := false
		for _, l := range lines {
			found = found || l == want
		}
		if !found {
			t.Errorf("missing progress line %q in:\n%s", want, b.String())
		}
	}
	if len(lines) != 17 {
		t.Errorf("got %d lines, want 17", len(lines))
	}
}

// TestProgressETA: an area whose size is known shows its share and the time
// left, on the status line and, off a terminal, every 30 s.
func TestProgressETA(t *testing.T) {
	clock := testNow
	for _, terminal := range []bool{true, false} {
		var b bytes.Buffer
		wp := NewProgress(&b, terminal).(*writerProgress)
		wp.now = func() time.Time { return clock }
		var p Progress = wp
		p.AreaStarted("managed_accounts")
		p.(Expecter).AreaExpected("managed_accounts", 1000, 100000)
		clock = clock.Add(10 * time.Second)
		p.PageFetched("managed_accounts", 100, 10000) // 10 % in 10 s: 90 s left
		clock = clock.Add(30 * time.Second)
		p.PageFetched("managed_accounts", 400, 40000) // 40 % in 40 s: 1 minute left
		p.AreaDone("managed_accounts", Summary{Items: 100000, Pages: 1000, Note: "4 chains"})
		got := b.String()
		want := []string{
			"managed_accounts 100/1,000 pages, 10,000/100,000 items, ETA 2m",
			"managed_accounts 400/1,000 pages, 40,000/100,000 items, ETA 1m",
			"managed_accounts: 100000 items (1000 pages; 4 chains)\n",
		}
		if !terminal {
			want = []string{"managed_accounts: 400/1,000 pages, 40,000/100,000 items, ETA 1m\n",
				"managed_accounts: 100000 items (1000 pages; 4 chains)\n"}
			if strings.Contains(got, "100/1,000") {
				t.Errorf("off a terminal, a line before 30 s: %q", got)
			}
		}
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("terminal=%t: no %q in %q", terminal, w, got)
			}
		}
	}
}

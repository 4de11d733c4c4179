package collector

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// secretKey is the fake's key in the fault table; it must appear nowhere.
const secretKey = "sk-TEST-0123456789-SECRET"

// areas maps the names of the areas an API collects to their envelopes.
func areas(s *snapshot.Snapshot) map[string]snapshot.Area {
	out := map[string]snapshot.Area{}
	for _, def := range snapshot.Registry {
		if def.Source != snapshot.SourceAttestation {
			out[def.Name] = *def.Envelope(s)
		}
	}
	return out
}

// outcome is what a fault case expects.
type outcome struct {
	fatal     bool   // a *FatalError
	config    bool   // a *ConfigError
	attest    bool   // an *attestation.Error
	errText   string // substring of the error
	area      string // the one area not collected ("" = all collected)
	status    int
	code      string
	endpoint  string
	message   string // substring of the area's error message
	waits     int    // retry waits expected (each 2 s for the rate-limit storms)
	siteError string // a site of installed apps not collected (URL), besides the fixture's sandbox
}

func TestCollectFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults []fakeapi.Fault
		opts   func(*Options)
		want   outcome
	}{
		{name: "no fault"},
		{name: "wrong org id", opts: func(o *Options) { o.OrgID = "org-nope" },
			want: outcome{fatal: true, errText: `organization "org-nope" not found: the API key sees "org-1111" (Acme Test)`}},
		{name: "wrong key: 401", opts: func(o *Options) { o.APIKey = "sk-WRONG-KEY-987" },
			want: outcome{fatal: true, errText: "GET /admin/v1/orgs: 401 Unauthorized"}},
		{name: "401 on one area is fatal", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.Unauthorized}},
			want: outcome{fatal: true, errText: "the admin API refused the API key (invalid or expired): api_keys: GET /admin/api-access/v1/orgs/{orgId}/api-keys: 401"}},
		{name: "404 on an org-level call, org listed: the area only", faults: []fakeapi.Fault{{Route: "verified_domains", Kind: fakeapi.NotFound}},
			want: outcome{area: snapshot.AreaVerifiedDomains, status: 404, code: "ADMIN-404-1",
				message: "GET /admin/v1/orgs/{orgId}/domains: 404 ADMIN-404-1 Not Found: Unknown resource"}},
		{name: "404 on an org-level call, org list refused: fatal", opts: func(o *Options) { o.OrgID = "org-1111" },
			faults: []fakeapi.Fault{{Route: "orgs", Kind: fakeapi.Forbidden}, {Route: "api_keys", Kind: fakeapi.NotFound}},
			want:   outcome{fatal: true, errText: "organization not found (wrong org id?): api_keys: GET /admin/api-access/v1/orgs/{orgId}/api-keys: 404"}},
		{name: "404 on page 2 (expired cursor): the area only", faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.ExpiredCursor}},
			want: outcome{area: snapshot.AreaManagedAccounts, status: 404, code: "ADMIN-404-1",
				message: "users/search: 404 ADMIN-404-1 Not Found: the cursor has expired (page 2)"}},
		{name: "403 on one area", faults: []fakeapi.Fault{{Route: "api_tokens", Kind: fakeapi.Forbidden}},
			want: outcome{area: snapshot.AreaAPITokens, status: 403, code: "ADMIN-403-3",
				endpoint: "GET /admin/api-access/v1/orgs/{orgId}/api-tokens",
				message:  "GET /admin/api-access/v1/orgs/{orgId}/api-tokens: 403 ADMIN-403-3 Forbidden: the API key lacks a scope for this resource"}},
		{name: "403 on one domain detail", faults: []fakeapi.Fault{{Route: "app_access.detail", Kind: fakeapi.Forbidden, Times: 1}},
			want: outcome{area: snapshot.AreaAppAccess, status: 403, endpoint: "GET /admin/v2/orgs/{orgId}/app-access-settings/domains/{domain}"}},
		{name: "404 on one domain detail is not fatal", faults: []fakeapi.Fault{{Route: "app_access.detail", Kind: fakeapi.NotFound, Times: 1}},
			want: outcome{area: snapshot.AreaAppAccess, status: 404}},
		{name: "403 on one site", faults: []fakeapi.Fault{{Route: "site:https://acme.atlassian.net", Kind: fakeapi.Forbidden}},
			want: outcome{siteError: "https://acme.atlassian.net"}},
		{name: "401 on a site is not fatal", faults: []fakeapi.Fault{{Route: "site:https://acme-old.atlassian.net", Kind: fakeapi.Unauthorized}},
			want: outcome{siteError: "https://acme-old.atlassian.net"}},
		{name: "429 storm, retry-after seconds", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.RateLimit, Times: 3}},
			want: outcome{waits: 3}},
		{name: "429 storm, retry-after date", faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.RateLimitDate, Times: 3}},
			want: outcome{waits: 3}},
		{name: "429 storm, x-ratelimit-reset", faults: []fakeapi.Fault{{Route: "sites", Kind: fakeapi.RateLimitReset, Times: 3}},
			want: outcome{waits: 3}},
		{name: "429 storm, no header", faults: []fakeapi.Fault{{Route: "verified_domains", Kind: fakeapi.RateLimitBare, Times: 3}},
			want: outcome{waits: 3}},
		{name: "5xx within the budget", faults: []fakeapi.Fault{{Route: "app_access.detail", Kind: fakeapi.ServerError, Times: 2}},
			want: outcome{waits: 2}},
		{name: "5xx beyond the budget", faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.ServerError}},
			want: outcome{area: snapshot.AreaManagedAccounts, status: 503, code: "ADMIN-500-1", waits: 4,
				message: "POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search: 503 ADMIN-500-1 Service Unavailable: the service is unavailable (gave up after 5 attempts)"}},
		{name: "429 beyond the budget", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.RateLimit}},
			want: outcome{area: snapshot.AreaAPIKeys, status: 429, waits: 4, message: "(gave up after 5 attempts)"}},
		// The timeout holds for every request of the run, so it is long
		// enough for the fake's other answers on a loaded machine.
		{name: "timeout", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.Slow, Delay: 5 * time.Second}},
			opts: func(o *Options) { o.RequestTimeout = time.Second },
			want: outcome{area: snapshot.AreaAPIKeys, message: "no response within 1s"}},
		{name: "truncated JSON", faults: []fakeapi.Fault{{Route: "verified_domains", Kind: fakeapi.Truncated}},
			want: outcome{area: snapshot.AreaVerifiedDomains, status: 200, message: "GET /admin/v1/orgs/{orgId}/domains: truncated response body"}},
		{name: "malformed JSON", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.Malformed}},
			want: outcome{area: snapshot.AreaAPIKeys, status: 200, message: "malformed JSON in response"}},
		{name: "repeating cursor", faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.CursorLoop}},
			want: outcome{area: snapshot.AreaManagedAccounts, message: "pagination loop"}},
		{name: "next link to another host", faults: []fakeapi.Fault{{Route: "verified_domains", Kind: fakeapi.ForeignNext}},
			want: outcome{area: snapshot.AreaVerifiedDomains, endpoint: "GET /admin/v1/orgs/{orgId}/domains",
				message: "refused next link to another host: https://evil.example.com"}},
		{name: "huge body", faults: []fakeapi.Fault{{Route: "api_tokens", Kind: fakeapi.Huge, Size: 3 << 20}},
			opts: func(o *Options) { o.MaxBodyBytes = 1 << 20 },
			want: outcome{area: snapshot.AreaAPITokens, status: 200, message: "response body too large: more than 1 MiB"}},
		{name: "non-loopback http API URL", opts: func(o *Options) { o.APIURL = "http://api.atlassian.com" },
			want: outcome{config: true, errText: "admin API URL: http://api.atlassian.com: plain http:// is only allowed for loopback hosts"}},
		{name: "API unreachable", opts: func(o *Options) { o.APIURL, o.HTTPClient = closedURL(t), nil },
			want: outcome{fatal: true, errText: "cannot be reached"}},
		{name: "attestation site not in org", opts: func(o *Options) {
			o.Attestation = mustParse(t, "attested_by: a\nattested_at: 2026-11-20\nsites:\n  - url: https://acme.atlassian.net\n  - url: https://other.atlassian.net\n")
		}, want: outcome{attest: true, errText: "attestation.yaml:5:10: site https://other.atlassian.net is not one of the organization's sites"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFake(t, testOrg(t), fakeapi.Options{
				APIKey: secretKey, Faults: tt.faults, RealHosts: true, Now: func() time.Time { return testNow },
			})
			logs, sl := &syncBuffer{}, &sleeps{}
			opts := realHostOptions(srv, logs, sl)
			opts.APIKey = secretKey
			if tt.opts != nil {
				tt.opts(&opts)
			}
			snap, err := Collect(context.Background(), opts)
			texts := map[string]string{"the debug log": logs.String()}
			if err != nil {
				texts["the error"] = err.Error()
			}
			if snap != nil {
				texts["the snapshot"] = string(marshal(t, snap))
			}
			mustNotLeak(t, secretKey, texts)
			mustNotLeak(t, "sk-WRONG-KEY-987", texts)
			checkOutcome(t, tt.want, snap, err)
			waits := sl.all()
			if len(waits) != tt.want.waits {
				t.Errorf("got %d retry waits %v, want %d", len(waits), waits, tt.want.waits)
			}
			for _, w := range waits {
				announced := strings.HasPrefix(tt.name, "429 storm") && tt.name != "429 storm, no header"
				if w > defaultMaxWait || (announced && w != 2*time.Second) {
					t.Errorf("got a retry wait of %s, want the announced 2s, never above the cap", w)
				}
			}
		})
	}
}

// dependsOn names the area whose items an area is collected for: when that
// one fails, so does this one.
var dependsOn = map[string]string{
	snapshot.AreaAuthPolicyMembers: snapshot.AreaManagedAccounts,
}

// checkOutcome compares a Collect result with the expected outcome.
func checkOutcome(t *testing.T, want outcome, snap *snapshot.Snapshot, err error) {
	t.Helper()
	var fe *FatalError
	var ce *ConfigError
	var ae *attestation.Error
	switch {
	case want.fatal || want.config || want.attest:
		if snap != nil {
			t.Error("got a snapshot, want none")
		}
		if want.fatal != errors.As(err, &fe) || want.config != errors.As(err, &ce) || want.attest != errors.As(err, &ae) {
			t.Fatalf("got error %T %v, want fatal=%v config=%v attestation=%v", err, err, want.fatal, want.config, want.attest)
		}
		if !strings.Contains(err.Error(), want.errText) {
			t.Errorf("got error %q, want it to contain %q", err, want.errText)
		}
		return
	case err != nil:
		t.Fatalf("got error %v, want a snapshot", err)
	}
	for name, a := range areas(snap) {
		if name != want.area {
			if !a.Collected && !(dependsOn[name] == want.area && want.area != "") {
				t.Errorf("%s: not collected (%+v), want collected", name, a.Error)
			}
			continue
		}
		e := a.Error
		switch {
		case a.Collected || e == nil:
			t.Errorf("%s: collected, want not collected", name)
		case e.Status != want.status || (want.code != "" && e.Code != want.code) ||
			(want.endpoint != "" && e.Endpoint != want.endpoint) || !strings.Contains(e.Message, want.message):
			t.Errorf("%s: got error %+v, want status %d code %q endpoint %q message containing %q",
				name, *e, want.status, want.code, want.endpoint, want.message)
		}
	}
	for _, s := range snap.ConnectedApps.Installed.Sites {
		// The fixture records the sandbox site as refused (403).
		failed := s.URL == want.siteError || s.URL == "https://acme-sandbox.atlassian.net"
		if s.Collected == failed {
			t.Errorf("site %s: collected=%v, want %v", s.URL, s.Collected, !failed)
		}
	}
	if _, err := snapshot.Parse("collected", marshal(t, snap)); err != nil {
		t.Errorf("the snapshot does not validate: %v", err)
	}
}

// closedURL is a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// mustParse parses an attestation document named attestation.yaml.
func mustParse(t *testing.T, text string) *attestation.File {
	t.Helper()
	f, err := attestation.Parse("attestation.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck"
	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

const secretKey = "atl-SECRET-key-4f9a1c"

// fakeOrg starts the fake admin API serving the demo org with the secret key.
// roomyEvents lets the CLI tests' collections read the audit log without
// being paced for a minute (the collector's tests keep the documented 10
// requests a minute).
var roomyEvents = fakeapi.RateLimitOptions{Limit: 1000, Window: time.Minute}

func fakeOrg(t *testing.T, faults ...fakeapi.Fault) *fakeapi.Server {
	t.Helper()
	var org snapshot.Snapshot
	if err := json.Unmarshal(atlcheck.DemoSnapshot, &org); err != nil {
		t.Fatal(err)
	}
	srv := fakeapi.New(&org, fakeapi.Options{APIKey: secretKey, Faults: faults, PageSize: 5, EventsRateLimit: roomyEvents})
	t.Cleanup(srv.Close)
	return srv
}

// TestScanFaults runs scan against the fake in each fault mode and checks
// the exit code, the message, that no partial output file is left, and that
// the API key appears in no output.
func TestScanFaults(t *testing.T) {
	org := "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
	tests := []struct {
		name    string
		faults  []fakeapi.Fault
		env     map[string]string
		args    []string
		code    int
		want    []string
		written bool
	}{
		{name: "ok", code: exitFindings, written: true},
		{name: "missing key", env: map[string]string{envAPIKey: ""}, code: exitUsage, want: []string{"no API key", envAPIKey}},
		{name: "key file unreadable", env: map[string]string{envAPIKey: ""}, args: []string{"--api-key-file", "/nonexistent/key"}, code: exitUsage, want: []string{"--api-key-file"}},
		{name: "wrong org", args: []string{"--org", "no-such-org"}, code: exitCollection, want: []string{"no-such-org"}},
		{name: "401", faults: []fakeapi.Fault{{Route: "orgs", Kind: fakeapi.Unauthorized}}, code: exitCollection, want: []string{"401", "/admin/v1/orgs"}},
		{name: "403 on one area", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.Forbidden}}, code: exitFindings, written: true},
		{name: "truncated JSON", faults: []fakeapi.Fault{{Route: "api_tokens", Kind: fakeapi.Truncated}}, code: exitFindings, written: true},
		{name: "cursor loop", faults: []fakeapi.Fault{{Route: "managed_accounts", Kind: fakeapi.CursorLoop}}, code: exitFindings, written: true},
		{name: "next to another host", faults: []fakeapi.Fault{{Route: "api_keys", Kind: fakeapi.ForeignNext, Host: "evil.example"}}, code: exitFindings, written: true},
		{name: "request timeout", faults: []fakeapi.Fault{{Route: "verified_domains", Kind: fakeapi.Slow, Delay: 2 * time.Second}}, args: []string{"--request-timeout", "300ms"}, code: exitFindings, written: true},
		{name: "non-loopback http", args: []string{"--api-url", "http://api.example.com"}, code: exitUsage, want: []string{"http://api.example.com"}},
		{name: "unreachable", args: []string{"--api-url", "http://127.0.0.1:1"}, code: exitCollection, want: []string{"127.0.0.1:1"}},
		{name: "attestation unknown key", args: []string{"--attestation", writeFile(t, "a.yaml", "attested_by: a@b.c\nattested_at: 2026-11-20\nsurprise: 1\n")}, code: exitUsage, want: []string{"a.yaml:3:1", "surprise"}},
		{name: "attestation bad date", args: []string{"--attestation", writeFile(t, "a.yaml", "attested_by: a@b.c\nattested_at: last week\n")}, code: exitUsage, want: []string{"a.yaml:2:"}},
		{name: "attestation bad access value", args: []string{"--attestation", writeFile(t, "a.yaml", "attested_by: a@b.c\nattested_at: 2026-11-20\nexternal_users:\n  policies:\n    - name: P\n      api_token_access: maybe\n")}, code: exitUsage, want: []string{"a.yaml:6:", "maybe"}},
		{name: "attestation site not in org", args: []string{"--attestation", writeFile(t, "a.yaml", "attested_by: a@b.c\nattested_at: 2026-11-20\nsites:\n  - url: https://elsewhere.atlassian.net\n    block_user_apps: true\n")}, code: exitUsage, want: []string{"a.yaml:4:", "elsewhere.atlassian.net"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := fakeOrg(t, tt.faults...)
			t.Setenv(envAPIKey, secretKey)
			t.Setenv(envOrgID, "")
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			dir := t.TempDir()
			out := filepath.Join(dir, "results.sarif")
			args := append([]string{"scan", "--api-url", srv.URL(), "--org", org, "--format", "sarif", "--output", out, "--quiet", "--verbose", "--log-format", "json"}, tt.args...)
			stdout, stderr, code := cli(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, tt.code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			files, _ := os.ReadDir(dir)
			if tt.written != (len(files) == 2) {
				t.Errorf("files in output dir: %d, want report+snapshot=%v", len(files), tt.written)
			}
			all := stdout + stderr
			for _, f := range files {
				b, _ := os.ReadFile(filepath.Join(dir, f.Name()))
				all += string(b)
				if strings.HasSuffix(f.Name(), ".snapshot.json") {
					if _, err := snapshot.Parse(f.Name(), b); err != nil {
						t.Errorf("written snapshot does not validate: %v", err)
					}
				}
			}
			if strings.Contains(all, secretKey) {
				t.Errorf("the API key leaked into an output")
			}
		})
	}
}

// TestOrgIDNotFoundNamesItsSource: an org id the key does not see, given by
// $ATLASSIAN_ORG_ID or the config's org_id rather than --org, is traced to
// where it came from (an old variable in a CI environment is easy to miss).
func TestOrgIDNotFoundNamesItsSource(t *testing.T) {
	t.Setenv(envAPIKey, secretKey)
	cfg := writeFile(t, "c.yaml", "org_id: from-config\n")
	out := filepath.Join(t.TempDir(), "s.json")
	for _, tt := range []struct {
		env  string
		args []string
		want string
	}{
		{"from-env", nil, `organization "from-env" (from $ATLASSIAN_ORG_ID) not found`},
		{"", []string{"--config", cfg}, `organization "from-config" (from the config's org_id) not found`},
		{"from-env", []string{"--org", "from-flag", "--config", cfg}, `organization "from-flag" not found`},
	} {
		t.Setenv(envOrgID, tt.env)
		srv := fakeOrg(t)
		_, stderr, code := cli(t, append([]string{"scan", "--api-url", srv.URL(), "--quiet", "-o", out}, tt.args...)...)
		if code != exitCollection || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v (ATLASSIAN_ORG_ID=%q): exit %d, stderr %q; want exit 3 and %q", tt.args, tt.env, code, stderr, tt.want)
		}
	}
}

// TestOutputThatIsADirectoryFailsBeforeCollecting: 'scan -o reports/' (or
// collect's, or --snapshot-out) names a directory; the run stops with exit 2
// naming it before any request, rather than after collecting the whole org.
func TestOutputThatIsADirectoryFailsBeforeCollecting(t *testing.T) {
	t.Setenv(envAPIKey, secretKey)
	dir := t.TempDir()
	for _, args := range [][]string{
		{"scan", "--output", dir},
		{"scan", "--output", filepath.Join(dir, "r.sarif"), "--snapshot-out", dir},
		{"collect", "--output", dir},
	} {
		srv := fakeOrg(t)
		_, stderr, code := cli(t, append(args, "--api-url", srv.URL(), "--quiet")...)
		if code != exitUsage || !strings.Contains(stderr, dir+" is a directory: name the file to write") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming the directory", args, code, stderr)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%v: %d requests before the error, want none", args, n)
		}
	}
}

// TestScanAreaFailureReported checks that a 403 on one area shows up as
// ATL-COL-001 and not_evaluated policies, never as a pass.
func TestScanAreaFailureReported(t *testing.T) {
	srv := fakeOrg(t, fakeapi.Fault{Route: "api_keys", Kind: fakeapi.Forbidden})
	t.Setenv(envAPIKey, secretKey)
	out := filepath.Join(t.TempDir(), "r.json")
	_, stderr, code := cli(t, "scan", "--api-url", srv.URL(), "--format", "json", "--output", out, "--quiet", "--fail-on", "none")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(out)
	var rep struct {
		Snapshot struct {
			Path *string `json:"path"`
		} `json:"snapshot"`
		Policies []struct{ ID, Status, Reason string } `json:"policies"`
		Findings []struct {
			PolicyID string `json:"policy_id"`
			Resource string `json:"resource"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Policies {
		if strings.HasPrefix(p.ID, "ATL-KEY-") && (p.Status != "not_evaluated" || !strings.Contains(p.Reason, "403")) {
			t.Errorf("%s = %s (%s), want not_evaluated naming the 403", p.ID, p.Status, p.Reason)
		}
	}
	found := false
	for _, f := range rep.Findings {
		found = found || (f.PolicyID == "ATL-COL-001" && f.Resource == "api_keys")
	}
	if !found {
		t.Errorf("no ATL-COL-001 for api_keys")
	}
	if rep.Snapshot.Path != nil {
		t.Errorf("snapshot.path = %q, want null without --snapshot-out", *rep.Snapshot.Path)
	}
}

// TestCollectOrgDiscovery: with no --org, the only org the key sees is used.
func TestCollectOrgDiscovery(t *testing.T) {
	srv := fakeOrg(t)
	t.Setenv(envAPIKey, "")
	keyFile := writeFile(t, "key", secretKey+"\n")
	out := filepath.Join(t.TempDir(), "snap.json")
	_, stderr, code := cli(t, "collect", "--api-url", srv.URL(), "--api-key-file", keyFile, "--output", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc, err := snapshot.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := doc.Full()
	if err != nil {
		t.Fatal(err)
	}
	if snap.Org.Name != "Acme Corp" || !snap.APIKeys.Collected || len(snap.ManagedAccounts.Items) != 30 {
		t.Errorf("collected %+v", snap.Org)
	}
	if !strings.Contains(stderr, "managed_accounts: 30 items") {
		t.Errorf("progress lines missing from stderr: %s", stderr)
	}
}

// TestDemo runs the credential-free demo: collect + check + report against
// the built-in fake, with findings from every area.
func TestDemo(t *testing.T) {
	stdout, stderr, code := cli(t, "demo", "--quiet")
	// The count grows with the demo org (every area plants findings); the
	// JSON report's own count is what it must say.
	if code != exitFindings || !strings.Contains(stderr, fmt.Sprintf("gate failed: %d findings at or above high", demoGateCount(t))) {
		t.Fatalf("exit %d: %s; want the defaults of check (text, --fail-on high), whose gate fails on the demo org", code, stderr)
	}
	for _, id := range []string{"ATL-AAS-001", "ATL-KEY-001", "ATL-TOK-002", "ATL-EXT-001", "ATL-APP-004", "ATL-ACC-001", "ATL-COL-001", "ATL-EXC-002",
		"ATL-ORG-001", "ATL-ORG-002", "ATL-ORG-003", "ATL-ORG-004", "ATL-ORG-005", "ATL-AUT-001", "ATL-AUT-004", "ATL-ACC-005",
		"ATL-ACC-006", "ATL-ACC-007", "ATL-ACC-008", "ATL-ACC-009", "ATL-TOK-004"} {
		if !strings.Contains(stdout, id) {
			t.Errorf("demo report lacks %s", id)
		}
	}
	if !strings.HasPrefix(stdout, "atlcheck report: Acme Corp") || strings.Contains(stdout, "\x1b") {
		t.Errorf("not the plain text report:\n%.300s", stdout)
	}
	if strings.Contains(stderr, "--format html") {
		t.Error("--quiet printed the hints")
	}
	_, stderr, _ = cli(t, "demo")
	for _, want := range []string{"managed_accounts: 30 items", "atlcheck demo --format html -o report.html", "--group-by control"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("demo's stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// demoGateCount is the number of findings the demo's JSON report counts for
// the default gate.
func demoGateCount(t *testing.T) int {
	t.Helper()
	stdout, _, _ := cli(t, "demo", "--quiet", "--format", "json")
	var rep struct {
		Gate struct{ Count int } `json:"gate"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || rep.Gate.Count == 0 {
		t.Fatalf("demo JSON report: %v, gate %+v", err, rep.Gate)
	}
	return rep.Gate.Count
}

// TestScanInterrupted: Ctrl-C during collection ends the run promptly with
// exit 130 and leaves no output file. The interrupt comes once a request is
// waiting on the fake (not after a fixed delay, which a loaded machine may
// spend before collecting), and every answer would take ten minutes, so
// "promptly" can be a minute without depending on the machine's speed.
func TestScanInterrupted(t *testing.T) {
	srv := fakeOrg(t, fakeapi.Fault{Route: "*", Kind: fakeapi.Slow, Delay: 10 * time.Minute})
	t.Setenv(envAPIKey, secretKey)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"scan", "--api-url", srv.URL(), "--quiet", "--format", "sarif", "--output", filepath.Join(dir, "r.sarif")}, &stdout, &stderr)
	}()
	for deadline := time.Now().Add(time.Minute); srv.MaxInFlight() == 0; {
		select {
		case err := <-done:
			t.Fatalf("scan ended before its first request: %v", err)
		case <-time.After(time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("scan sent no request within a minute")
		}
	}
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("scan still running a minute after the interrupt")
	}
	if code := exitCode(err); code != exitInterrupted {
		t.Fatalf("exit %d (%v), want %d", code, err, exitInterrupted)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("files left behind: %v", files)
	}
}

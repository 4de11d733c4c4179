package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck"
	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/fleet"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// fakeFleet serves several fake orgs behind one admin API address, as
// Atlassian does: each org's key reaches that org only. keys maps a key to
// the fake serving its org; any other key gets a 401.
func fakeFleet(t *testing.T, keys map[string]*fakeapi.Server) string {
	t.Helper()
	proxies := map[string]*httputil.ReverseProxy{}
	for key, srv := range keys {
		u, err := url.Parse(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		// The Host header is left as it came, so the fake's next links
		// point back at this address.
		proxies["Bearer "+key] = httputil.NewSingleHostReverseProxy(u)
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := proxies[r.Header.Get("Authorization")]
		if !ok {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"code": 401, "message": "Unauthorized"}`)
			return
		}
		p.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// demoOrgAs is the demo org with another id and name.
func demoOrgAs(t *testing.T, id, name string) *snapshot.Snapshot {
	t.Helper()
	var org snapshot.Snapshot
	if err := json.Unmarshal(atlcheck.DemoSnapshot, &org); err != nil {
		t.Fatal(err)
	}
	org.Org = snapshot.Org{ID: id, Name: name}
	return &org
}

// TestFleetEndToEnd is the fleet's "done when": a fleet file of 3 orgs
// drives the matrix; each matrix entry runs scan against the fake admin API
// with the key from the env var the entry names; fleet report sums up the
// three JSON reports, and shows a missing one as missing.
func TestFleetEndToEnd(t *testing.T) {
	dir := t.TempDir()
	att := filepath.Join(dir, "acme-attestation.yaml")
	if err := os.WriteFile(att, atlcheck.DemoAttestation, 0o644); err != nil {
		t.Fatal(err)
	}
	eu := writeFile(t, "eu.yaml", "parameters:\n  admins: {min: 1, max: 9}\n")
	orgs := []struct{ id, name, env, key string }{
		{"org-eu-0001", "Acme EU", "ATLASSIAN_KEY_EU", "atl-SECRET-eu-7c1d"},
		{"org-us-0002", "Acme US", "ATLASSIAN_KEY_US", "atl-SECRET-us-2b8e"},
		{"org-apac-0003", "Acme APAC", "ATLASSIAN_KEY_APAC", "atl-SECRET-apac-5f3a"},
	}
	var fleetYAML strings.Builder
	fleetYAML.WriteString("fleet:\n  orgs:\n")
	keys := map[string]*fakeapi.Server{}
	for i, o := range orgs {
		fmt.Fprintf(&fleetYAML, "    - id: %s\n      name: %s\n      key_env: %s\n      attestation: %s\n", o.id, o.name, o.env, att)
		if i == 0 {
			fmt.Fprintf(&fleetYAML, "      config: %s\n", eu)
		}
		var faults []fakeapi.Fault
		if i == 2 {
			faults = append(faults, fakeapi.Fault{Route: "api_keys", Kind: fakeapi.Forbidden})
		}
		srv := fakeapi.New(demoOrgAs(t, o.id, o.name), fakeapi.Options{APIKey: o.key, PageSize: 5, Faults: faults, RealHosts: true, EventsRateLimit: roomyEvents})
		t.Cleanup(srv.Close)
		keys[o.key] = srv
		t.Setenv(o.env, o.key)
	}
	api := fakeFleet(t, keys)
	fleetFile := filepath.Join(dir, "fleet.yaml")
	if err := os.WriteFile(fleetFile, []byte(fleetYAML.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envAPIKey, "")
	t.Setenv(envOrgID, "")

	stdout, stderr, code := cli(t, "fleet", "matrix", "--config", fleetFile)
	if code != 0 {
		t.Fatalf("fleet matrix: exit %d: %s", code, stderr)
	}
	var m fleet.Matrix
	if err := json.Unmarshal([]byte(stdout), &m); err != nil {
		t.Fatalf("matrix is not JSON: %v\n%s", err, stdout)
	}
	if len(m.Shards) != 1 || len(m.Shards[0].Include) != 3 {
		t.Fatalf("matrix = %+v, want one shard of 3", m)
	}
	var reports []string
	for i, e := range m.Shards[0].Include {
		if e.ID != orgs[i].id || e.KeyEnv != orgs[i].env || e.Attestation != att {
			t.Errorf("entry %d = %+v", i, e)
		}
		wantConfig := fleetFile
		if i == 0 {
			wantConfig = eu
		}
		if e.Config != wantConfig {
			t.Errorf("entry %d config = %q, want %q", i, e.Config, wantConfig)
		}
		// What the workflow's matrix job does: the secret named by key_env
		// becomes the action's ATLASSIAN_ADMIN_API_KEY.
		t.Setenv(envAPIKey, os.Getenv(e.KeyEnv))
		out := filepath.Join(dir, "reports", e.ID, "atlcheck.json")
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := cli(t, "scan", "--api-url", api, "--org", e.ID, "--attestation", e.Attestation, "--config", e.Config,
			"--format", "json", "--output", out, "--fail-on", "high", "--quiet", "--no-step-summary")
		if code != exitOK && code != exitFindings {
			t.Fatalf("scan %s: exit %d: %s", e.ID, code, stderr)
		}
		reports = append(reports, out)
	}
	// A key reaches its own org only.
	t.Setenv(envAPIKey, orgs[0].key)
	if _, stderr, code := cli(t, "collect", "--api-url", api, "--org", orgs[1].id, "--quiet"); code != exitCollection {
		t.Errorf("org EU's key on org US: exit %d, want %d: %s", code, exitCollection, stderr)
	}

	stdout, stderr, code = cli(t, append([]string{"fleet", "report", "--config", fleetFile, "--format", "json"}, reports...)...)
	var rep struct {
		Failed bool          `json:"failed"`
		Totals fleet.Totals  `json:"totals"`
		Orgs   []fleetOrgRow `json:"orgs"`
		Worst  []struct {
			OrgID    string `json:"org_id"`
			Severity string `json:"severity"`
		} `json:"worst_findings"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("fleet report (exit %d) is not JSON: %v\n%s%s", code, err, stdout, stderr)
	}
	if len(rep.Orgs) != 3 || rep.Totals.Orgs != 3 || rep.Totals.Current != 3 {
		t.Fatalf("fleet report: %+v", rep)
	}
	sum := 0
	for i, o := range rep.Orgs {
		if o.ID != orgs[i].id || o.Name != orgs[i].name || o.Report != fleet.ReportCurrent || o.Summary == nil || o.AgeSeconds == nil || *o.AgeSeconds > 600 {
			t.Errorf("row %d = %+v", i, o)
			continue
		}
		sum += o.Summary.High
	}
	// Each row's gate is the org's own, what made it fail included (the
	// APAC org's api_keys policies whose area answered 403).
	for i, o := range rep.Orgs {
		raw, err := os.ReadFile(reports[i])
		if err != nil {
			t.Fatal(err)
		}
		var own struct {
			Gate struct {
				Count        int `json:"count"`
				NotEvaluated int `json:"not_evaluated"`
			} `json:"gate"`
		}
		if err := json.Unmarshal(raw, &own); err != nil {
			t.Fatal(err)
		}
		if o.Gate == nil || o.Gate.Count != own.Gate.Count || o.Gate.NotEvaluated != own.Gate.NotEvaluated || !strings.HasPrefix(o.Gate.Verdict, "failed: ") {
			t.Errorf("row %d gate = %+v, the org's report says %+v", i, o.Gate, own.Gate)
		}
	}
	if g := rep.Orgs[2].Gate; g == nil || g.NotEvaluated == 0 || !strings.Contains(g.Verdict, "not evaluated (area failed) at or above high") {
		t.Errorf("APAC's gate does not count its api_keys policies: %+v", g)
	}
	if rep.Totals.High != sum || sum == 0 {
		t.Errorf("total high %d, rows add up to %d", rep.Totals.High, sum)
	}
	// No site credentials: installed apps have no source in every org.
	if got := strings.Join(rep.Orgs[2].NotEvaluated, ","); got != "api_keys,connected_apps.installed" {
		t.Errorf("APAC's api_keys answered 403: not evaluated %v, want api_keys and connected_apps.installed", got)
	}
	if got := strings.Join(rep.Orgs[0].NotEvaluated, ","); got != "connected_apps.installed" {
		t.Errorf("EU: not evaluated %v, want connected_apps.installed", got)
	}
	if len(rep.Worst) == 0 || rep.Worst[0].Severity != "critical" {
		t.Errorf("worst findings start with %+v", rep.Worst)
	}
	if code != exitFindings || !rep.Failed {
		t.Errorf("the demo org fails its gate: exit %d (failed %v), want %d", code, rep.Failed, exitFindings)
	}

	// One org's report is missing: its row says so.
	stdout, _, _ = cli(t, append([]string{"fleet", "report", "--config", fleetFile}, reports[0], reports[2])...)
	if !strings.Contains(stdout, "| Acme US `org-us-0002` | ❓ missing |") {
		t.Errorf("the missing report is not shown as missing:\n%s", stdout)
	}
	for _, o := range orgs {
		if strings.Contains(stdout, o.key) {
			t.Errorf("fleet report printed a key")
		}
	}

	// The second of two shards of 2 expects the third org only.
	stdout, stderr, code = cli(t, "fleet", "report", "--config", fleetFile, "--shard", "1", "--max-jobs", "2", "--format", "json", reports[2])
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || len(rep.Orgs) != 1 || rep.Orgs[0].ID != orgs[2].id || rep.Totals.Missing != 0 {
		t.Errorf("fleet report --shard 1: exit %d, %v: %+v %s", code, err, rep.Orgs, stderr)
	}
}

type fleetOrgRow struct {
	ID, Name, Report string
	Summary          *struct{ High int } `json:"summary"`
	AgeSeconds       *int64              `json:"age_seconds"`
	NotEvaluated     []string            `json:"not_evaluated_areas"`
	Gate             *struct {
		Count        int    `json:"count"`
		NotEvaluated int    `json:"not_evaluated"`
		Verdict      string `json:"verdict"`
	} `json:"gate"`
}

// TestFleetMatrixShards checks that 300 orgs shard into GitHub-sized
// matrices, every org exactly once and in order, and that no command prints
// the value of a key variable.
func TestFleetMatrixShards(t *testing.T) {
	var b strings.Builder
	b.WriteString("fleet:\n  orgs:\n")
	for i := range 300 {
		env := fmt.Sprintf("KEY_ORG_%03d", i)
		fmt.Fprintf(&b, "    - {id: org-%03d, name: Org %d, key_env: %s, attestation: att/%03d.yaml}\n", i, i, env, i)
		t.Setenv(env, "atl-SECRET-"+env)
	}
	file := writeFile(t, "fleet.yaml", b.String())
	tests := []struct {
		args  []string
		sizes []int
	}{
		{nil, []int{256, 44}},
		{[]string{"--max-jobs", "100"}, []int{100, 100, 100}},
		{[]string{"--max-jobs", "7"}, append(repeat(7, 42), 6)},
		{[]string{"--max-jobs", "1"}, repeat(1, 300)},
	}
	for _, tt := range tests {
		stdout, stderr, code := cli(t, append([]string{"fleet", "matrix", "--config", file}, tt.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, stderr)
		}
		if strings.Contains(stdout, "atl-SECRET") {
			t.Fatal("the matrix contains a key")
		}
		var m fleet.Matrix
		if err := json.Unmarshal([]byte(stdout), &m); err != nil {
			t.Fatal(err)
		}
		if len(m.Shards) != len(tt.sizes) {
			t.Fatalf("%v: %d shards, want %d", tt.args, len(m.Shards), len(tt.sizes))
		}
		next := 0
		for k, sh := range m.Shards {
			if len(sh.Include) != tt.sizes[k] {
				t.Errorf("%v: shard %d has %d orgs, want %d", tt.args, k, len(sh.Include), tt.sizes[k])
			}
			for _, e := range sh.Include {
				if want := fmt.Sprintf("org-%03d", next); e.ID != want || e.Config != file {
					t.Fatalf("%v: shard %d: got %s (config %s), want %s", tt.args, k, e.ID, e.Config, want)
				}
				next++
			}
		}
		if next != 300 {
			t.Errorf("%v: %d orgs in all shards, want 300", tt.args, next)
		}
	}

	stdout, _, code := cli(t, "fleet", "matrix", "--config", file, "--shard", "1")
	var sh fleet.Shard
	if err := json.Unmarshal([]byte(stdout), &sh); code != 0 || err != nil || len(sh.Include) != 44 || sh.Include[0].ID != "org-256" {
		t.Errorf("--shard 1: exit %d, %v, %d orgs", code, err, len(sh.Include))
	}
	stdout, _, code = cli(t, "fleet", "index", "--config", file, "299")
	var e fleet.Entry
	if err := json.Unmarshal([]byte(stdout), &e); code != 0 || err != nil || e.ID != "org-299" || e.KeyEnv != "KEY_ORG_299" || e.Attestation != "att/299.yaml" {
		t.Errorf("index 299: exit %d, %v, %+v", code, err, e)
	}
	for _, bad := range [][]string{
		{"fleet", "matrix", "--config", file, "--shard", "2"},
		{"fleet", "matrix", "--config", file, "--max-jobs", "257"},
		{"fleet", "matrix", "--config", file, "--max-jobs", "0"},
		{"fleet", "matrix"},
		{"fleet", "index", "--config", file, "300"},
		{"fleet", "index", "--config", file, "-1"},
		{"fleet", "index", "--config", file},
		{"fleet", "matrix", "--config", writeFile(t, "plain.yaml", "org_id: x\n")},
		{"fleet", "matrix", "--config", writeFile(t, "bad.yaml", "fleet:\n  orgs:\n    - {id: a, name: A, key_env: 'ATATT3x-pasted=key', attestation: a.yaml}\n")},
		{"fleet", "nope"},
	} {
		stdout, stderr, code := cli(t, bad...)
		if code != exitUsage || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, want exit 2 and no output", bad, code, stdout)
		}
		if strings.Contains(stderr, "pasted=key") || strings.Contains(stderr, "atl-SECRET") {
			t.Errorf("%v: the error echoes a key: %s", bad, stderr)
		}
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestFleetReportWarningIsInert checks that the warning for an unreadable
// report, which names the file and quotes what is wrong with it, starts no
// workflow command and drives no terminal on stderr (the CI log), nor does
// the Markdown printed on stdout.
func TestFleetReportWarningIsInert(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "r\n::error::forged\x1b[2J.json")
	if err := os.WriteFile(bad, []byte("{\"tool\": {\"name\": \"\n::add-mask::x\"}}"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := cli(t, "fleet", "report", bad)
	if code != exitFindings || !strings.Contains(stderr, "atlcheck: warning: ") {
		t.Fatalf("exit %d, stderr %q: want the unreadable report as a warning and exit 1", code, stderr)
	}
	for _, line := range strings.Split(stdout+stderr, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") || strings.Contains(line, "\x1b") {
			t.Errorf("output line %q is not inert", line)
		}
	}
}

// TestFleetReportNamesOtherFiles: a snapshot or a SARIF log among the
// reports (reports/*/atlcheck.* globs pick up every file of an artifact) is
// named for what it is, in the warning and the org's row.
func TestFleetReportNamesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	sarif := filepath.Join(dir, "atlcheck.sarif")
	if _, stderr, code := cli(t, "check", acmeSnapshot, "--format", "sarif", "-o", sarif, "--fail-on", "none"); code != 0 {
		t.Fatalf("sarif: exit %d: %s", code, stderr)
	}
	_, stderr, code := cli(t, "fleet", "report", acmeSnapshot, sarif, "--format", "json", "-o", filepath.Join(dir, "f.json"))
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"acme.json is a snapshot, not an atlcheck JSON report: give the JSON report of one org's run",
		"atlcheck.sarif is a SARIF log (a report atlcheck writes for code scanning), not an atlcheck JSON report",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

// TestFleetGateMessageCounts: the failed fleet gate's message counts in
// English for one org and one report (it said "1 of 1 orgs", "1 have no
// current report", "1 report files").
func TestFleetGateMessageCounts(t *testing.T) {
	dir := t.TempDir()
	rep := filepath.Join(dir, "atlcheck.json")
	if _, stderr, code := cli(t, "check", acmeSnapshot, "--format", "json", "-o", rep, "--fail-on", "none"); code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	rep2 := filepath.Join(dir, "minimal.json")
	if _, stderr, code := cli(t, "check", minimal, "--format", "json", "-o", rep2, "--fail-on", "none"); code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"tool": {"name": "x"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{rep}, "0 of 1 org failed their gate, 1 has no current report (1 stale, 0 missing), 0 report files unreadable"},
		{[]string{rep, rep2, bad}, "0 of 2 orgs failed their gate, 2 have no current report (2 stale, 0 missing), 1 report file unreadable"},
	} {
		stdout, stderr, code := cli(t, append([]string{"fleet", "report", "--now", "2030-01-01T00:00:00Z"}, tc.args...)...)
		if code != exitFindings || !strings.Contains(stderr, "fleet gate failed: "+tc.want) {
			t.Errorf("fleet report %v: exit %d, stderr %q; want exit 1 and %q", tc.args, code, stderr, tc.want)
		}
		if n := len(tc.args); n == 1 && !strings.Contains(stdout, "1 org: 0 current, 1 stale, 0 missing.") {
			t.Errorf("one org: the Markdown's counts line is not in the singular:\n%s", stdout)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestAttestInitFromSnapshot(t *testing.T) {
	stdout, stderr, code := cli(t, "attest", "init", acmeSnapshot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"attested_by: FILL_IN", "- url: https://acme-labs.atlassian.net", "- key: com.helpdesk.ai-triage", "admin.atlassian.com > Security > External users"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("draft lacks %q", want)
		}
	}
	same, _, _ := cli(t, "attest", "init", "--snapshot", acmeSnapshot)
	if same != stdout {
		t.Error("attest init FILE and --snapshot FILE differ")
	}
}

func TestAttestInitOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "attest.yaml")
	if _, stderr, code := cli(t, "attest", "init", acmeSnapshot, "-o", out); code != 0 || !strings.Contains(stderr, "fill in every FILL_IN") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if err := os.WriteFile(out, []byte("attested_by: hours of work\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := cli(t, "attest", "init", acmeSnapshot, "-o", out); code != exitUsage || !strings.Contains(stderr, "already exists; pass --force") {
		t.Errorf("overwrite without --force: exit %d, %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); string(b) != "attested_by: hours of work\n" {
		t.Error("an existing attestation was overwritten")
	}
	if _, _, code := cli(t, "attest", "init", acmeSnapshot, "-o", out, "--force"); code != 0 {
		t.Errorf("--force: exit %d", code)
	}
	if _, stderr, code := cli(t, "attest", "init", out); code != exitUsage || !strings.Contains(stderr, "is an attestation draft from 'atlcheck attest init' (fill in every FILL_IN") {
		t.Errorf("a draft given as the snapshot: exit %d, %s", code, stderr)
	}
	if _, stderr, code := cli(t, "check", out); code != exitUsage || !strings.Contains(stderr, "is an attestation draft") {
		t.Errorf("check given a draft: exit %d, %s", code, stderr)
	}
}

// TestAttestInitLiveAndDraftRefused drafts from a live collect of the fake
// API, then gives the unfilled draft to scan and collect: both refuse it and
// write nothing; once filled, scan accepts it.
func TestAttestInitLiveAndDraftRefused(t *testing.T) {
	srv := fakeOrg(t)
	t.Setenv(envAPIKey, secretKey)
	t.Setenv(envOrgID, "")
	org := "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b"
	draft := filepath.Join(t.TempDir(), "attest.yaml")
	if _, stderr, code := cli(t, "attest", "init", "--api-url", srv.URL(), "--org", org, "--quiet", "-o", draft); code != 0 {
		t.Fatalf("live attest init: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(draft)
	if err != nil || !strings.Contains(string(b), "from a live collect") {
		t.Fatalf("draft: %v\n%s", err, b)
	}
	for _, cmd := range []string{"collect", "scan"} {
		out := filepath.Join(t.TempDir(), "out")
		stdout, stderr, code := cli(t, cmd, "--api-url", srv.URL(), "--org", org, "--quiet", "--attestation", draft, "-o", out)
		if code != exitUsage || !strings.Contains(stderr, "attested_by is still FILL_IN: this file is a draft from 'atlcheck attest init'") {
			t.Errorf("%s with a draft: exit %d, stderr %s", cmd, code, stderr)
		}
		if _, err := os.Stat(out); err == nil || stdout != "" {
			t.Errorf("%s wrote output for a draft", cmd)
		}
	}
	filled := regexp.MustCompile(`(?m)^(\s*(?:- )?)(\w+): FILL_IN`).ReplaceAllStringFunc(string(b), func(m string) string {
		switch {
		case strings.Contains(m, "attested_by"):
			return strings.Replace(m, "FILL_IN", "jane@acme.example", 1)
		case strings.Contains(m, "attested_at"):
			return strings.Replace(m, "FILL_IN", "2026-11-20", 1)
		case strings.Contains(m, "api_token_access"):
			return strings.Replace(m, "FILL_IN", "block", 1)
		case strings.Contains(m, "key:"), strings.Contains(m, "name:"), strings.Contains(m, " role:"):
			return strings.Replace(m, "FILL_IN", "placeholder-filled", 1)
		case strings.Contains(m, " access:"):
			return strings.Replace(m, "FILL_IN", "request", 1)
		case strings.Contains(m, "domain:"):
			return strings.Replace(m, "FILL_IN", "acme.example", 1)
		case strings.Contains(m, "product:"):
			return strings.Replace(m, "FILL_IN", "Jira", 1)
		case strings.Contains(m, "idle_session_minutes:"):
			return strings.Replace(m, "FILL_IN", "30", 1)
		case strings.Contains(m, "minimum_strength:"):
			return strings.Replace(m, "FILL_IN", "strong", 1)
		case strings.Contains(m, "expiry_days:"):
			return strings.Replace(m, "FILL_IN", "0", 1)
		}
		return strings.Replace(m, "FILL_IN", "true", 1)
	})
	if err := os.WriteFile(draft, []byte(filled), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := cli(t, "scan", "--api-url", srv.URL(), "--org", org, "--quiet", "--attestation", draft, "--fail-on", "none", "-o", filepath.Join(t.TempDir(), "r.txt")); code != 0 {
		t.Errorf("scan with the filled draft: exit %d: %s", code, stderr)
	}
}

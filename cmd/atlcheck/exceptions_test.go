package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	acmeSnapshot = "../../testdata/snapshots/acme.json"
	acmeConfig   = "../../testdata/config/acme.yaml"
)

type jsonReport struct {
	Summary struct {
		Suppressed int `json:"suppressed"`
	} `json:"summary"`
	Policies []struct{ ID, Status string } `json:"policies"`
	Findings []struct {
		PolicyID   string `json:"policy_id"`
		Resource   string `json:"resource"`
		Suppressed bool   `json:"suppressed"`
	} `json:"findings"`
}

func checkJSON(t *testing.T, snapshotPath string, extra ...string) jsonReport {
	t.Helper()
	out := filepath.Join(t.TempDir(), "r.json")
	args := append([]string{"check", "--snapshot", snapshotPath, "--format", "json", "--fail-on", "none", "--output", out}, extra...)
	if _, stderr, code := cli(t, args...); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep jsonReport
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep
}

func finding(rep jsonReport, policy, resourcePart string) (found, suppressed bool) {
	for _, f := range rep.Findings {
		if f.PolicyID == policy && strings.Contains(f.Resource, resourcePart) {
			return true, f.Suppressed
		}
	}
	return false, false
}

// TestExceptionExpiresBetweenRuns runs the demo config over the demo org
// twice: on the snapshot day the exception suppresses its finding; on a
// snapshot taken after the expiry day, the finding counts again and
// ATL-EXC-001 names the expired exception.
func TestExceptionExpiresBetweenRuns(t *testing.T) {
	first := checkJSON(t, acmeSnapshot, "--config", acmeConfig)
	if found, suppressed := finding(first, "ATL-KEY-004", "1a03"); !found || !suppressed {
		t.Fatalf("first run: ATL-KEY-004 found=%v suppressed=%v, want a suppressed finding", found, suppressed)
	}
	if found, _ := finding(first, "ATL-EXC-001", ""); found {
		t.Fatalf("first run: unexpected ATL-EXC-001")
	}
	raw, err := os.ReadFile(acmeSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	later := strings.Replace(string(raw), `"collected_at": "2026-11-20T08:00:00Z"`, `"collected_at": "2026-12-16T08:00:00Z"`, 1)
	if later == string(raw) {
		t.Fatal("fixture's collected_at not found")
	}
	second := checkJSON(t, writeFile(t, "later.json", later), "--config", acmeConfig)
	if found, suppressed := finding(second, "ATL-KEY-004", "1a03"); !found || suppressed {
		t.Errorf("second run: ATL-KEY-004 found=%v suppressed=%v, want an unsuppressed finding", found, suppressed)
	}
	if found, _ := finding(second, "ATL-EXC-001", "ATL-KEY-004:*1a03"); !found {
		t.Errorf("second run: no ATL-EXC-001 for the expired exception")
	}
}

func TestExceptionValidationAgainstCatalog(t *testing.T) {
	cfg := "exceptions:\n  - policy: ATL-NOPE-001\n    resource: x\n    reason: r\n    owner: o\n    expires: 2026-12-01\n"
	_, stderr, code := cli(t, "check", "--snapshot", acmeSnapshot, "--config", writeFile(t, "c.yaml", cfg), "--output", filepath.Join(t.TempDir(), "r"))
	if code != exitUsage || !strings.Contains(stderr, "c.yaml:2:5:") || !strings.Contains(stderr, `unknown policy id "ATL-NOPE-001"`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	cfg = strings.Replace(strings.Replace(cfg, "ATL-NOPE-001", "ATL-KEY-004", 1), "2026-12-01", "2028-01-01", 1)
	_, stderr, code = cli(t, "check", "--snapshot", acmeSnapshot, "--config", writeFile(t, "c.yaml", cfg))
	if code != exitUsage || !strings.Contains(stderr, "more than 365 days after the snapshot") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

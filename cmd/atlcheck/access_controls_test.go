package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/report"
)

// TestAccessControlFindingsInEveryFormat: the demo org plants a finding for
// every login and access-control policy (issue 16), and every report format
// names each of them.
func TestAccessControlFindingsInEveryFormat(t *testing.T) {
	ids := []string{"ATL-ORG-001", "ATL-ORG-002", "ATL-ORG-003", "ATL-ORG-004", "ATL-ORG-005", "ATL-AUT-001", "ATL-AUT-002",
		"ATL-AUT-003", "ATL-AUT-004", "ATL-ACC-005", "ATL-ACC-006", "ATL-ACC-007", "ATL-ACC-008", "ATL-ACC-009", "ATL-TOK-004"}
	for _, format := range report.Formats {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report")
			if _, stderr, code := cli(t, "check", "--snapshot", "../../testdata/snapshots/acme.json", "--config", "../../testdata/config/acme.yaml",
				"--format", format, "--fail-on", "none", "-o", out); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if !strings.Contains(string(data), id) {
					t.Errorf("%s report lacks %s", format, id)
				}
			}
		})
	}
}

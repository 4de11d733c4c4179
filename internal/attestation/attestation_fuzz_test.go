package attestation

// Fuzz test for the attestation reader. `go test` runs the seeds
// (testdata/fuzz/FuzzParse/ and the f.Add calls); `make fuzz` explores.

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// FuzzParse checks that Parse never panics, that every error is a located
// *Error naming the file, and that an accepted attestation whose sites are
// the org's, applied to a valid snapshot, leaves a snapshot that still
// validates against the schema.
func FuzzParse(f *testing.F) {
	for _, p := range []string{"../../testdata/attestation/acme.yaml", "testdata/valid.yaml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "attested_by: a\nattested_at: 2026-11-02\n",
		"attested_by: a\nattested_at: 2026-11-02T10:00:00+02:00\nsites: []\nexternal_users:\n  policies: []\n",
		"attested_by: a\nattested_at: 2026-11-02\nsites:\n  - url: MIN.atlassian.net/\n    block_user_apps: true\n    apps:\n      - key: k\n        installed_by_admin: false\n        installed_by: acc\n",
		"attested_by: a\nattested_at: 2026-11-02\nexternal_users:\n  policies:\n    - {name: 'Ext «x» 🌍', api_token_access: ALLOW}\n",
		"attested_by: a\nattested_at: 2026-11-02\n---\nx: 1\n",
		"attested_by: &a x\nattested_at: *a\n", "attested_at: [\n", "sites: 1\n", "\xff",
	} {
		f.Add([]byte(s))
	}
	base, err := os.ReadFile("../snapshot/testdata/minimal.json")
	if err != nil {
		f.Fatal(err)
	}
	doc, err := snapshot.Parse("minimal.json", base)
	if err != nil {
		f.Fatal(err)
	}
	typed, err := doc.Full()
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			var ae *Error
			if !errors.As(err, &ae) || ae.File != "fuzz.yaml" || ae.Line < 0 || ae.Column < 0 {
				t.Fatalf("error %T %q is not a located *attestation.Error naming the file", err, err)
			}
			return
		}
		snap := *typed
		if file.CheckSites(snap.Sites.Items) != nil {
			return // the CLI stops here with that error
		}
		file.Apply(&snap, now)
		out, err := json.Marshal(&snap)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := snapshot.Parse("applied.json", out); err != nil {
			t.Fatalf("the attestation makes the snapshot invalid: %v", err)
		}
	})
}

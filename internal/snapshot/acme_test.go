package snapshot

import (
	"os"
	"testing"
)

// TestAcmeDemoSnapshot keeps the demo organization's snapshot valid against
// the schema and the Go types.
func TestAcmeDemoSnapshot(t *testing.T) {
	const path = "../../testdata/snapshots/acme.json"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read demo snapshot: %v", err)
	}
	doc, err := Parse(path, data)
	if err != nil {
		t.Fatalf("parse demo snapshot: %v", err)
	}
	snap, err := doc.Full()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := snap.Org.Name, "Acme Corp"; got != want {
		t.Errorf("org name: got %q, want %q", got, want)
	}
	if got, want := snap.CollectedAt.UTC().Format("2006-01-02T15:04:05Z"), "2026-11-20T08:00:00Z"; got != want {
		t.Errorf("collected_at: got %s, want %s", got, want)
	}
	if got, want := len(snap.Sites.Items), 3; got != want {
		t.Errorf("sites: got %d, want %d", got, want)
	}
	if got := len(snap.ManagedAccounts.Items); got < 25 {
		t.Errorf("managed accounts: got %d, want at least 25", got)
	}
	for _, def := range Registry {
		a := def.Envelope(snap)
		if a.Source != def.Source || !a.Collected || a.CollectedAt == nil {
			t.Errorf("area %s: got source %q, collected %v, collected_at %v; want a collected area with source %s and time",
				def.Name, a.Source, a.Collected, a.CollectedAt, def.Source)
		}
	}
	settings := snap.ConnectedApps.Settings
	if settings.AttestedAt == nil || settings.AttestedBy == "" {
		t.Errorf("connected_apps.settings: attestation must record attested_by and attested_at")
	}
	failed := 0
	for _, site := range snap.ConnectedApps.Installed.Sites {
		if !site.Collected {
			failed++
			if site.Error == nil || site.Error.Status != 403 {
				t.Errorf("site %s: got error %+v, want a 403", site.URL, site.Error)
			}
		}
	}
	if failed != 1 {
		t.Errorf("installed-apps sites not collected: got %d, want 1", failed)
	}
}

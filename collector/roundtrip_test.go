package collector

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestRoundTrip collects from a fake built from a snapshot, through the
// fake's transport with the real site hosts (as the demo does), and gets the
// same snapshot back; the result validates against the schema.
func TestRoundTrip(t *testing.T) {
	want := testOrg(t)
	srv := newFake(t, want, fakeapi.Options{RealHosts: true})
	logs, sl := &syncBuffer{}, &sleeps{}
	opts := realHostOptions(srv, logs, sl)
	opts.Attestation = loadAttestation(t, "testdata/org.yaml")

	got, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	sameSnapshot(t, got, want)
	if _, err := snapshot.Parse("collected", marshal(t, got)); err != nil {
		t.Fatalf("the collected snapshot does not validate: %v", err)
	}
	if n := len(sl.all()); n != 0 {
		t.Errorf("got %d retry waits, want 0", n)
	}
	if !strings.Contains(logs.String(), `"endpoint":"/admin/api-access/v1/orgs/{orgId}/api-keys"`) {
		t.Errorf("debug log has no request record with the endpoint template:\n%s", logs.String())
	}
}

// TestRoundTripAcme collects the demo org (testdata/snapshots/acme.json) with
// its attestation. The fixture carries no raw API items and words site errors
// its own way, so raw and error messages are left out of the comparison.
func TestRoundTripAcme(t *testing.T) {
	const snapPath, attPath = "../testdata/snapshots/acme.json", "../testdata/attestation/acme.yaml"
	if !exists(snapPath) || !exists(attPath) {
		t.Skip("demo org not present")
	}
	want := loadSnapshot(t, snapPath)
	srv := newFake(t, want, fakeapi.Options{RealHosts: true})
	opts := realHostOptions(srv, &syncBuffer{}, &sleeps{})
	// The demo's clock and previous run, as the demo collects it.
	opts.Now = func() time.Time { return want.CollectedAt }
	opts.AuditLog.Since, opts.AuditLog.Basis = *want.AuditLog.Window.From, want.AuditLog.Window.Basis
	opts.Attestation = loadAttestation(t, attPath)
	got, err := Collect(context.Background(), opts)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	sameSnapshot(t, got, want, "raw", "message")
	if _, err := snapshot.Parse("collected", marshal(t, got)); err != nil {
		t.Fatalf("the collected snapshot does not validate: %v", err)
	}
}

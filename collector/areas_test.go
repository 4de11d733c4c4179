package collector

import (
	"context"
	"testing"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestAdminAreasFollowTheRegistry fails when an area the admin API collects
// is registered without its list endpoint here, or the other way round.
func TestAdminAreasFollowTheRegistry(t *testing.T) {
	for _, def := range snapshot.Registry {
		_, listed := adminAreas[def.Name]
		if (def.Source == snapshot.SourceAPI) != listed {
			t.Errorf("area %s (source %s): in adminAreas %v, want %v", def.Name, def.Source, listed, def.Source == snapshot.SourceAPI)
		}
	}
	for area, ep := range adminAreas {
		if _, gone := removable[ep]; orgLevel[ep] == gone {
			t.Errorf("area %s: %s in orgLevel %v, want %v (a removable endpoint never says wrong org)", area, ep, orgLevel[ep], !gone)
		}
	}
}

// TestCollectFillsEveryRegisteredArea fails when the collector leaves a
// registered area's envelope empty, with and without an attestation file.
func TestCollectFillsEveryRegisteredArea(t *testing.T) {
	for _, attested := range []bool{false, true} {
		srv := newFake(t, testOrg(t), fakeapi.Options{RealHosts: true})
		opts := realHostOptions(srv, &syncBuffer{}, &sleeps{})
		if attested {
			opts.Attestation = loadAttestation(t, "testdata/org.yaml")
		}
		snap, err := Collect(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, def := range snapshot.Registry {
			a := def.Envelope(snap)
			if a.Source == "" || a.CollectedAt == nil || (!a.Collected && a.Error == nil) {
				t.Errorf("attestation %v: area %s: got %+v, want a filled envelope", attested, def.Name, a)
			}
			if a.Collected && a.Source != def.Source && !(def.Attestable && a.Source == snapshot.SourceAttestation) {
				t.Errorf("attestation %v: area %s: got source %s, want %s", attested, def.Name, a.Source, def.Source)
			}
		}
	}
}

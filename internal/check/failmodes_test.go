package check

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/collector"
	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// TestAccessControlAreasFailClosed collects the demo org from the fake admin
// API with each failure mode of the login and access-control areas on their
// route, then checks the result: every policy that requires the area is
// not_evaluated with the reason (never a pass, never a finding), and it
// counts for the gate only when the area failed (a missing scope, a
// malformed body), not when the API says the area does not exist or the
// plan does not include it.
func TestAccessControlAreasFailClosed(t *testing.T) {
	modes := []struct {
		name   string
		kind   fakeapi.FaultKind
		failed bool
		// reason and detail are in the reason of each policy that requires the area.
		reason, detail string
	}{
		{"403 missing scope", fakeapi.Forbidden, true, "was not collected: HTTP 403 ADMIN-403-3", "lacks a scope"},
		{"403 plan", fakeapi.NotOnPlan, false, "has no data source: HTTP 403 ADMIN-403-3: " + collector.PlanUnavailable, "Premium"},
		{"404 endpoint not available", fakeapi.NotFound, false, "has no data source: HTTP 404 ADMIN-404-1", "not available"},
		{"malformed body", fakeapi.Malformed, true, "was not collected: HTTP 200", "malformed JSON in response"},
	}
	areas := []struct{ area, route string }{
		{snapshot.AreaOrgPolicies, "org_policies"},
		{snapshot.AreaAuthPolicyMembers, "authentication_policy_members"},
	}
	// Every expectation is set, so that no policy passes for want of a parameter.
	engine, cfg := builtinPoliciesWith(t, "parameters:\n  org_policies:\n    generative_ai: restricted\n")
	for _, a := range areas {
		for _, m := range modes {
			t.Run(a.area+"/"+m.name, func(t *testing.T) {
				doc := collectDemoWith(t, fakeapi.Fault{Route: a.route, Kind: m.kind})
				run, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg, Options: Options{FailOn: model.SeverityLow}})
				if err != nil {
					t.Fatal(err)
				}
				required := 0
				for _, pr := range run.Policies {
					if !slices.Contains(pr.Policy.Requires, a.area) {
						continue
					}
					required++
					if pr.Status != model.StatusNotEvaluated || !strings.Contains(pr.Reason, a.area+" "+m.reason) ||
						!strings.Contains(pr.Reason, m.detail) || pr.AreaFailed != m.failed {
						t.Errorf("%s: got %s (%q, area failed %v), want not_evaluated with %q, area failed %v",
							pr.Policy.ID, pr.Status, pr.Reason, pr.AreaFailed, a.area+" "+m.reason, m.failed)
					}
				}
				if required == 0 {
					t.Fatalf("no policy requires %s", a.area)
				}
				for _, f := range run.Findings {
					if p, _ := engine.Policy(f.PolicyID); slices.Contains(p.Requires, a.area) {
						t.Errorf("finding %s %s from an area that was not collected", f.PolicyID, f.Resource)
					}
				}
			})
		}
	}
}

// collectDemoWith collects the demo org (testdata/snapshots/acme.json, with
// its attestation) from the fake admin API with faults, as atlcheck demo
// does, and parses the snapshot the collector wrote.
func collectDemoWith(t *testing.T, faults ...fakeapi.Fault) *snapshot.Document {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/snapshots/acme.json")
	if err != nil {
		t.Fatal(err)
	}
	var org snapshot.Snapshot
	if err := json.Unmarshal(raw, &org); err != nil {
		t.Fatal(err)
	}
	att, err := attestation.Load("../../testdata/attestation/acme.yaml")
	if err != nil {
		t.Fatal(err)
	}
	srv := fakeapi.New(&org, fakeapi.Options{RealHosts: true, Faults: faults})
	t.Cleanup(srv.Close)
	at := org.CollectedAt
	snap, err := collector.Collect(context.Background(), collector.Options{
		APIKey: fakeapi.DefaultAPIKey, SiteEmail: fakeapi.DefaultSiteEmail, SiteToken: fakeapi.DefaultSiteToken,
		HTTPClient: srv.HTTPClient(), Now: func() time.Time { return at }, Attestation: att,
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(snap)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := snapshot.Parse("collected.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

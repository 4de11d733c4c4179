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
// route (org policies, the authentication policy membership, and the users
// search that carries the accounts' last activity), then checks the result:
// every policy that requires the area is not_evaluated with the reason
// (never a pass, never a finding), and it counts for the gate only when the
// area failed (a missing scope, a malformed body), not when the API says the
// area does not exist or the plan does not include it. The users search is
// no plan feature and cannot be removed: each of its refusals fails the area.
func TestAccessControlAreasFailClosed(t *testing.T) {
	type mode struct {
		name   string
		kind   fakeapi.FaultKind
		failed bool
		// reason and detail are in the reason of each policy that requires the area.
		reason, detail string
	}
	scope := mode{"403 missing scope", fakeapi.Forbidden, true, "was not collected: HTTP 403 ADMIN-403-3", "lacks a scope"}
	malformed := mode{"malformed body", fakeapi.Malformed, true, "was not collected: HTTP 200", "malformed JSON in response"}
	optional := []mode{scope,
		{"403 plan", fakeapi.NotOnPlan, false, "has no data source: HTTP 403 ADMIN-403-3: " + collector.PlanUnavailable, "Premium"},
		{"404 endpoint not available", fakeapi.NotFound, false, "has no data source: HTTP 404 ADMIN-404-1", "not available"},
		malformed,
	}
	areas := []struct {
		area, route string
		modes       []mode
	}{
		{snapshot.AreaOrgPolicies, "org_policies", optional},
		{snapshot.AreaAuthPolicyMembers, "authentication_policy_members", optional},
		{snapshot.AreaManagedAccounts, "managed_accounts", []mode{scope,
			{"403 plan", fakeapi.NotOnPlan, true, "was not collected: HTTP 403 ADMIN-403-3", "Premium"},
			{"404 endpoint not available", fakeapi.NotFound, true, "was not collected: HTTP 404 ADMIN-404-1", "Unknown resource"},
			malformed,
		}},
	}
	// Every expectation is set, so that no policy passes for want of a parameter.
	engine, cfg := builtinPoliciesWith(t, "parameters:\n  org_policies:\n    generative_ai: restricted\n")
	for _, a := range areas {
		for _, m := range a.modes {
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
						t.Errorf("%s: got %s (%q, area failed %v), want not_evaluated with %q and %q, area failed %v",
							pr.Policy.ID, pr.Status, pr.Reason, pr.AreaFailed, a.area+" "+m.reason, m.detail, m.failed)
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

// TestAccessControlBadValuesFailClosed serves the bodies in their documented
// shape with one field holding a value the spec does not allow (a last
// activity that is no time, a resource status that is none of the
// documented ones, a policy id that is no string): the items are unreadable,
// ATL-COL-003 names the area, and no policy that requires the area passes
// (a policy without findings is not_evaluated, counting for the gate). The
// policies whose planted findings are all on unreadable items must be
// not_evaluated: an activity date that cannot be read is neither dormant nor
// active.
func TestAccessControlBadValuesFailClosed(t *testing.T) {
	cases := []struct {
		area         string
		fault        fakeapi.Fault
		notEvaluated []string
	}{
		{snapshot.AreaManagedAccounts, fakeapi.Fault{Route: "managed_accounts", Kind: fakeapi.BadValue, Key: "lastActiveTimestamp", Value: `"last tuesday"`},
			[]string{"ATL-ACC-007", "ATL-ACC-008"}},
		{snapshot.AreaOrgPolicies, fakeapi.Fault{Route: "org_policies", Kind: fakeapi.BadValue, Key: "applicationStatus", Value: `"maybe"`},
			[]string{"ATL-ORG-002", "ATL-ORG-003"}},
		{snapshot.AreaAuthPolicyMembers, fakeapi.Fault{Route: "authentication_policy_members", Kind: fakeapi.BadValue, Key: "policyId", Value: `{"x":1}`},
			[]string{"ATL-AUT-001", "ATL-AUT-004", "ATL-ACC-005"}},
	}
	engine, cfg := builtinPoliciesWith(t, "parameters:\n  org_policies:\n    generative_ai: restricted\n")
	for _, c := range cases {
		t.Run(c.area+"/"+c.fault.Key, func(t *testing.T) {
			doc := collectDemoWith(t, c.fault)
			run, err := Evaluate(context.Background(), Input{Doc: doc, Engine: engine, Config: cfg, Options: Options{FailOn: model.SeverityLow}})
			if err != nil {
				t.Fatal(err)
			}
			for _, pr := range run.Policies {
				if !slices.Contains(pr.Policy.Requires, c.area) {
					continue
				}
				if slices.Contains(c.notEvaluated, pr.Policy.ID) && pr.Status != model.StatusNotEvaluated {
					t.Errorf("%s: got %s with %d findings, want not_evaluated (its planted findings are on unreadable items)", pr.Policy.ID, pr.Status, pr.Findings)
				}
				switch pr.Status {
				case model.StatusPass:
					t.Errorf("%s passes with unreadable %s items", pr.Policy.ID, c.area)
				case model.StatusNotEvaluated:
					if !strings.Contains(pr.Reason, c.area) || !strings.Contains(pr.Reason, "unreadable") || !pr.AreaFailed {
						t.Errorf("%s: reason %q (area failed %v), want %s's unreadable items, counting for the gate", pr.Policy.ID, pr.Reason, pr.AreaFailed, c.area)
					}
				}
			}
			named := false
			for _, f := range run.Findings {
				named = named || (f.PolicyID == "ATL-COL-003" && strings.Contains(f.Message, c.area))
			}
			if !named {
				t.Errorf("no ATL-COL-003 finding names %s", c.area)
			}
		})
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

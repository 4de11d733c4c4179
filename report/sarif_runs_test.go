package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/codescanning"
	"github.com/atlcheck/atlcheck/internal/model"
)

// failArea marks an area failed in run the way check does: the area is
// incomplete, the policies that need it are not evaluated and have no
// findings.
func failArea(run *model.Run, area string) {
	for i := range run.Areas {
		if run.Areas[i].Name == area {
			run.Areas[i] = model.AreaResult{Name: area, Reason: "was not collected: 403 Forbidden"}
		}
	}
	skipped := map[string]bool{}
	for i, p := range run.Policies {
		if slices.Contains(p.Policy.Requires, area) {
			run.Policies[i].Status, run.Policies[i].Reason, run.Policies[i].Findings = model.StatusNotEvaluated, area+" was not collected", 0
			skipped[p.Policy.ID] = true
		}
	}
	run.Findings = slices.DeleteFunc(run.Findings, func(f model.Finding) bool { return skipped[f.PolicyID] })
}

// knowAll marks every policy's findings known, as check does when the
// baseline knew them all.
func knowAll(run *model.Run) {
	for i := range run.Policies {
		run.Policies[i].FindingsKnown = true
	}
}

// uploader renders runs as SARIF and uploads them to one code scanning
// stand-in, returning what each upload changed.
func uploader(t *testing.T) (*codescanning.Repo, func(*model.Run) []codescanning.Change) {
	repo := &codescanning.Repo{}
	return repo, func(run *model.Run) []codescanning.Change {
		t.Helper()
		_, b := decodeSARIF(t, run)
		changes, err := repo.Upload(b)
		if err != nil {
			t.Fatal(err)
		}
		return changes
	}
}

// TestSARIFFailedAreaKeepsItsAlerts uploads a good night, a night where
// api_keys answers 403, and a good night again to the code scanning
// stand-in: the failed night changes no alert at all, and the next good
// night finds them all still open.
func TestSARIFFailedAreaKeepsItsAlerts(t *testing.T) {
	good := func() *model.Run {
		run := fixtureRun()
		run.Areas = fixtureAreaStatus()
		for i := range run.Areas {
			run.Areas[i] = model.AreaResult{Name: run.Areas[i].Name, Collected: true}
		}
		for i := range run.Policies {
			if run.Policies[i].Status == model.StatusNotEvaluated {
				run.Policies[i].Status, run.Policies[i].Reason = model.StatusPass, ""
			}
		}
		return run
	}
	repo, upload := uploader(t)
	upload(good())
	open := len(repo.Open())
	if open != 6 {
		t.Fatalf("%d open alerts after the first night, want the 6 unsuppressed findings", open)
	}
	bad := good()
	failArea(bad, "api_keys")
	if n := len(bad.Findings); n != 4 {
		t.Fatalf("failed night has %d findings, want 4", n)
	}
	if changes := upload(bad); len(changes) != 0 {
		t.Errorf("the night api_keys failed changed alerts: %+v", changes)
	}
	if changes := upload(good()); len(changes) != 0 {
		t.Errorf("the good night after changed alerts: %+v", changes)
	}
	// A real fix in an area that was collected does close its alert.
	fixed := good()
	fixed.Findings = slices.DeleteFunc(fixed.Findings, func(f model.Finding) bool { return f.Resource == "key-0001" })
	changes := upload(fixed)
	if len(changes) != 1 || changes[0].To != codescanning.Fixed || changes[0].Key.RuleID != "ATL-KEY-001" {
		t.Errorf("fixing key-0001 changed %+v, want its one alert fixed", changes)
	}
}

// TestSARIFPartialAreaIsWithheld: a run whose area is collected only in part
// (some sites failed) is left out too. Without a baseline its findings are
// not written (the incomplete run is left out as well: it could not carry
// what it held before); with a baseline that does not know the run, they are
// results of the incomplete run, and the baseline's findings of its policies
// that could not be re-checked are carried forward there.
func TestSARIFPartialAreaIsWithheld(t *testing.T) {
	partial := func() *model.Run {
		run := fixtureRun()
		for i := range run.Areas {
			if run.Areas[i].Name == "verified_domains" {
				run.Areas[i] = model.AreaResult{Name: "verified_domains", Collected: true, Partial: "was collected in part"}
			}
		}
		return run
	}
	log, _ := decodeSARIF(t, partial())
	if runByKey(log, "verified_domains") != nil || runByKey(log, "incomplete") != nil {
		t.Error("the run of a partial area, or the incomplete run, was written without a baseline")
	}
	if tot := sarifTotalsOf(t, log); tot.Withheld != 1 || tot.InIncompleteRun != 0 {
		t.Errorf("totals %+v, want the ATL-DOM-001 finding withheld", tot)
	}
	var texts []string
	for _, n := range log.Runs[0].Invocations[0].Notifications {
		texts = append(texts, n.Message.Text)
	}
	if all := strings.Join(texts, "\n"); !strings.Contains(all, "Its 1 finding is not uploaded") ||
		!strings.Contains(all, "With --baseline (the last run's JSON report) this run is uploaded, or its findings are") {
		t.Errorf("general run notifications %q, want the withheld finding counted in plain English and --baseline named", texts)
	}

	run := partial()
	run.Baseline = &model.BaselineRef{Path: "last.json"}
	gone := model.Finding{PolicyID: "ATL-DOM-001", Resource: "old.example", Title: "t", Message: "m",
		Severity: model.SeverityMedium, Fingerprint: model.Fingerprint("ATL-DOM-001", "old.example")}
	run.Unverified = []model.Finding{gone}
	log, _ = decodeSARIF(t, run)
	inc := runByKey(log, "incomplete")
	if runByKey(log, "verified_domains") != nil || inc == nil {
		t.Fatal("with a baseline that does not know the run: want it left out and the incomplete run written")
	}
	if tot := sarifTotalsOf(t, log); tot.Withheld != 0 || tot.InIncompleteRun != 1 || tot.CarriedForward != 1 {
		t.Errorf("totals %+v, want the finding in the incomplete run and the unverified one carried forward", tot)
	}
	var fps []string
	for _, r := range inc.Results {
		fps = append(fps, r.PartialFingerprints["primaryLocationLineHash"])
	}
	if !slices.Contains(fps, gone.Fingerprint) || len(fps) != 2 {
		t.Errorf("incomplete run fingerprints %v, want the finding and the carried %s", fps, gone.Fingerprint)
	}
}

// TestSARIFRunGroupsBeyondTwenty: a run whose policies fall into more groups
// than GitHub takes runs is an error, never a silently merged run (the area
// registry keeps real runs within 20 by construction).
func TestSARIFRunGroupsBeyondTwenty(t *testing.T) {
	run := emptyRun()
	run.Policies = nil
	for i := range 19 {
		area := string(rune('a'+i)) + "_area"
		run.Policies = append(run.Policies, model.PolicyResult{Policy: model.Policy{ID: "P-" + area, Requires: []string{area},
			Severity: model.SeverityLow}, Status: model.StatusPass})
		run.Areas = append(run.Areas, model.AreaResult{Name: area, Collected: true})
	}
	var buf strings.Builder
	if err := WriteSARIF(&buf, run); err == nil || !strings.Contains(err.Error(), "21 runs, over GitHub's limit of 20") {
		t.Errorf("got %v, want the run limit refused", err)
	}
	run.Policies = run.Policies[:18]
	log, _ := decodeSARIF(t, run)
	if len(log.Runs) != maxSARIFRuns {
		t.Errorf("%d runs, want %d (general + 18 + incomplete)", len(log.Runs), maxSARIFRuns)
	}
}

func TestSARIFCategory(t *testing.T) {
	if got := sarifCategory("org/1 x", "api_keys+managed_accounts"); got != "atlcheck/org-1-x/api_keys+managed_accounts/" {
		t.Errorf("category = %q", got)
	}
}

// TestSARIFPartialAreaCarriesForward: with a baseline, the run of an area
// collected in part is written; the baseline's findings it could not
// re-check are carried forward, so no alert closes, and a new finding in
// the part that was read opens its alert.
func TestSARIFPartialAreaCarriesForward(t *testing.T) {
	_, upload := uploader(t)
	upload(fixtureRun())
	night := fixtureRun()
	for i := range night.Areas {
		if night.Areas[i].Name == "api_keys" {
			night.Areas[i] = model.AreaResult{Name: "api_keys", Collected: true, Partial: "was collected in part"}
		}
	}
	gone := slices.IndexFunc(night.Findings, func(f model.Finding) bool { return f.Resource == "key-0001" })
	lost := night.Findings[gone]
	night.Findings = slices.Delete(night.Findings, gone, gone+1)
	added := model.Finding{PolicyID: "ATL-KEY-001", Severity: model.SeverityHigh, Title: "Admin API keys must have scopes",
		Resource: "key-0002", Message: "API key key-0002 has no scopes", Fingerprint: model.Fingerprint("ATL-KEY-001", "key-0002")}
	night.Findings = append(night.Findings, added)
	night.Baseline = &model.BaselineRef{Path: "previous.json", Unverified: 1}
	night.Unverified = []model.Finding{lost}
	knowAll(night)

	log, _ := decodeSARIF(t, night)
	keys := runByKey(log, "api_keys")
	if keys == nil {
		t.Fatal("the partial api_keys run was left out although a baseline was given")
	}
	carried := 0
	for _, res := range keys.Results {
		if res.Properties.CarriedForward {
			carried++
			if res.PartialFingerprints["primaryLocationLineHash"] != lost.Fingerprint {
				t.Errorf("carried result has fingerprint %v", res.PartialFingerprints)
			}
		}
	}
	if carried != 1 || len(keys.Invocations[0].Notifications) != 1 {
		t.Errorf("%d carried results, notifications %+v; want 1 and a note on the partial area", carried, keys.Invocations[0].Notifications)
	}
	changes := upload(night)
	if len(changes) != 1 || changes[0].Key.Fingerprint != added.Fingerprint || changes[0].To != codescanning.Open {
		t.Errorf("changes %+v, want only the new key's alert opened", changes)
	}
}

package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/codescanning"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// customPolicies writes a custom policy directory: one policy per areas
// list, each with a finding on the org, so it opens an alert.
func customPolicies(t *testing.T, prefix string, requires ...[]string) string {
	t.Helper()
	dir := t.TempDir()
	for i, areas := range requires {
		quoted := make([]string, len(areas))
		for j, a := range areas {
			quoted[j] = fmt.Sprintf("%q", a)
		}
		src := fmt.Sprintf(`package custom.p%d

# METADATA
# title: Custom policy %d
# description: A custom policy needing %s.
# custom:
#   id: %s-%03d
#   severity: low
#   remediation: Nothing to do.
#   references: [https://example.com/custom]
#   tags: [custom]
#   requires: [%s]
deny contains finding if {
	finding := {"policy_id": rego.metadata.rule().custom.id, "resource": input.org.id, "message": "custom finding"}
}
`, i, i, strings.Join(areas, ", "), prefix, i, strings.Join(quoted, ", "))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%d.rego", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runCategories maps each rule of a SARIF report to its run's category.
func runCategories(t *testing.T, sarif []byte) (map[string]string, int) {
	t.Helper()
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			AutomationDetails struct {
				ID string `json:"id"`
			} `json:"automationDetails"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &log); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range log.Runs {
		for _, rule := range r.Tool.Driver.Rules {
			if cat, dup := out[rule.ID]; dup {
				t.Errorf("rule %s is in two runs: %s and %s", rule.ID, cat, r.AutomationDetails.ID)
			}
			out[rule.ID] = r.AutomationDetails.ID
		}
	}
	return out, len(log.Runs)
}

// TestCategoriesStableAcrossNights uploads the demo org's SARIF night after
// night to the code scanning stand-in while custom policies come and go,
// each needing a set of areas that no built-in policy needs: no built-in
// policy's category changes, no rule moves, no built-in alert changes, and
// the file stays within GitHub's 20 runs even with a policy for every area.
func TestCategoriesStableAcrossNights(t *testing.T) {
	var repo codescanning.Repo
	upload := func(sarif []byte) []codescanning.Change {
		t.Helper()
		changes, err := repo.Upload(sarif)
		if err != nil {
			t.Fatalf("GitHub would reject the upload: %v", err)
		}
		return changes
	}
	first := sarifOf(t, acmeSnapshot)
	before, _ := runCategories(t, first)
	upload(first)

	var every [][]string
	for _, area := range snapshot.Areas {
		every = append(every, []string{area})
	}
	nights := map[string]string{
		"new area sets": customPolicies(t, "CUS-A", []string{"external_users", "api_keys"}, []string{"sites"},
			[]string{"verified_domains", "oauth_clients"}, []string{"connected_apps.settings", "service_accounts", "sites"}),
		"a policy for every area": customPolicies(t, "CUS-B", every...),
	}
	for _, name := range []string{"new area sets", "a policy for every area"} {
		sarif := sarifOf(t, acmeSnapshot, "--policies", nights[name])
		cats, runs := runCategories(t, sarif)
		if runs > codescanning.MaxRunsPerFile {
			t.Errorf("%s: %d runs, over GitHub's %d", name, runs, codescanning.MaxRunsPerFile)
		}
		for id, cat := range before {
			if cats[id] != cat {
				t.Errorf("%s: built-in %s moved from %s to %s", name, id, cat, cats[id])
			}
		}
		for _, c := range upload(sarif) {
			if !strings.HasPrefix(c.Key.RuleID, "CUS-") {
				t.Errorf("%s: built-in alert changed: %+v", name, c)
			}
		}
		// The night without the custom policies again.
		for _, c := range upload(first) {
			if !strings.HasPrefix(c.Key.RuleID, "CUS-") || c.To != codescanning.Fixed {
				t.Errorf("%s, the night after: %+v, want only the custom alerts fixed", name, c)
			}
		}
	}
	if len(repo.Moves) != 0 {
		t.Errorf("rules moved category across nights: %+v", repo.Moves)
	}
	if len(repo.PathChanges) != 0 {
		t.Errorf("results changed file path across nights (GitHub opens them as new alerts): %+v", repo.PathChanges[0])
	}
}

// TestMigrationFromAreaSetCategories replays the upgrade from the categories
// of one run per set of areas (atlcheck/<org>/api_keys+managed_accounts/ and
// the like) on the stand-in: the policies that needed several areas move to
// their group's category, the old categories become stale and keep those
// alerts open even once fixed, until they are deleted, which docs/github.md
// says to do once. The single-area categories carry on unchanged.
func TestMigrationFromAreaSetCategories(t *testing.T) {
	now := sarifOf(t, acmeSnapshot)
	old := oldAreaSetCategories(t, now)
	var repo codescanning.Repo
	if _, err := repo.Upload(old); err != nil {
		t.Fatal(err)
	}
	changes, err := repo.Upload(now)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.To != codescanning.Open || c.From != "" {
			t.Errorf("the upgrade changed %+v; want only the moved policies' alerts found again in their new category", c)
		}
	}
	moved := map[string]bool{}
	for _, m := range repo.Moves {
		moved[m.RuleID] = true
		if !strings.Contains(m.From, "+") && !strings.HasSuffix(m.From, "/other") {
			t.Errorf("%s moved from a single-area category %s", m.RuleID, m.From)
		}
	}
	for _, id := range []string{"ATL-KEY-003", "ATL-TOK-002", "ATL-ACC-004", "ATL-ACC-005", "ATL-AUT-001", "ATL-AUT-004",
		"ATL-AAS-003", "ATL-AAS-005", "ATL-SVC-001", "ATL-ORG-001"} {
		if !moved[id] {
			t.Errorf("%s did not move; moves %+v", id, repo.Moves)
		}
	}
	var uploaded []string
	cats, _ := runCategories(t, now)
	for _, c := range cats {
		uploaded = append(uploaded, strings.TrimSuffix(c, "/"))
	}
	stale := repo.StaleConfigurations("atlcheck", uploaded)
	// Stale: exactly the old categories of several areas (and "other"),
	// none of one area (docs/github.md, Migration).
	var want []string
	for _, c := range repo.Configurations("atlcheck") {
		k := strings.TrimPrefix(c, acmeCategory)
		if strings.Contains(k, "+") || k == "other" {
			want = append(want, c)
		}
	}
	if len(want) == 0 || !slices.Equal(stale, want) {
		t.Errorf("stale configurations after the upgrade:\n  %v\nwant (docs/github.md, Migration):\n  %v", stale, want)
	}
	for _, cat := range stale {
		repo.DeleteConfiguration("atlcheck", cat)
	}
	// Every alert is open in exactly its new category now.
	for a, in := range repo.OpenAlerts() {
		if len(in) != 1 || in[0]+"/" != cats[a.RuleID] {
			t.Errorf("alert %+v open in %v, want only %s", a, in, cats[a.RuleID])
		}
	}
}

// acmeCategory is the start of every category of the demo org's SARIF.
const acmeCategory = "atlcheck/6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b/"

// oldAreaSetCategories rewrites a SARIF report into the categories of the
// scheme before SARIF groups: one run per set of required areas, named by
// the sorted areas joined with "+".
func oldAreaSetCategories(t *testing.T, sarif []byte) []byte {
	t.Helper()
	key := map[string]string{}
	for _, p := range policyList(t) {
		areas := slices.Clone(p.Requires)
		slices.Sort(areas)
		key[p.ID] = strings.Join(slices.Compact(areas), "+")
		if key[p.ID] == "" {
			key[p.ID] = "general"
		}
	}
	var log map[string]any
	if err := json.Unmarshal(sarif, &log); err != nil {
		t.Fatal(err)
	}
	// The old scheme's keys in order of first appearance by policy id
	// (general first); past 19 keys the rest shared one "other" run.
	ids := slices.Sorted(maps.Keys(key))
	oldKeys := []string{"general"}
	for _, id := range ids {
		if !slices.Contains(oldKeys, key[id]) {
			oldKeys = append(oldKeys, key[id])
		}
	}
	for _, id := range ids {
		if i := slices.Index(oldKeys, key[id]); i >= 19 {
			key[id] = "other"
		}
	}
	byKey := map[string]map[string]any{}
	var order []string
	for _, r := range log["runs"].([]any) {
		run := r.(map[string]any)
		if run["automationDetails"].(map[string]any)["id"] == acmeCategory+"incomplete/" {
			continue // the old scheme left these runs out
		}
		driver := run["tool"].(map[string]any)["driver"].(map[string]any)
		for _, rule := range driver["rules"].([]any) {
			id := rule.(map[string]any)["id"].(string)
			k := key[id]
			nr, ok := byKey[k]
			if !ok {
				nr = map[string]any{"tool": map[string]any{"driver": map[string]any{"name": driver["name"], "rules": []any{}}},
					"automationDetails": map[string]any{"id": acmeCategory + k + "/"}, "results": []any{}}
				byKey[k] = nr
				order = append(order, k)
			}
			d := nr["tool"].(map[string]any)["driver"].(map[string]any)
			d["rules"] = append(d["rules"].([]any), rule)
		}
		for _, res := range run["results"].([]any) {
			k := key[res.(map[string]any)["ruleId"].(string)]
			byKey[k]["results"] = append(byKey[k]["results"].([]any), res)
		}
	}
	var runs []any
	for _, k := range order {
		runs = append(runs, byKey[k])
	}
	b, err := json.Marshal(map[string]any{"$schema": log["$schema"], "version": "2.1.0", "runs": runs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// policyList is the built-in catalog as `atlcheck policies --format json` prints it.
func policyList(t *testing.T) []struct {
	ID       string   `json:"id"`
	Requires []string `json:"requires"`
} {
	t.Helper()
	stdout, stderr, code := cli(t, "policies", "--format", "json")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var list []struct {
		ID       string   `json:"id"`
		Requires []string `json:"requires"`
	}
	if err := json.Unmarshal([]byte(stdout), &list); err != nil {
		t.Fatal(err)
	}
	return list
}

// night is one scheduled run as the action makes it: the SARIF report and
// the JSON report (the next night's baseline), with the previous night's
// JSON report as the baseline when there is one.
type night struct {
	sarif    []byte
	json     string
	stderr   string
	withheld []string // categories left out, from the notifications
}

func runNight(t *testing.T, snapshotPath, baselinePath string, extra ...string) night {
	t.Helper()
	dir := t.TempDir()
	if baselinePath != "" {
		extra = append(extra, "--baseline", baselinePath)
	}
	sarifPath, jsonPath := filepath.Join(dir, "r.sarif"), filepath.Join(dir, "r.json")
	_, stderr, code := cli(t, append([]string{"check", "--snapshot", snapshotPath, "--format", "sarif", "--fail-on", "none", "--output", sarifPath}, extra...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, e, code := cli(t, append([]string{"check", "--snapshot", snapshotPath, "--format", "json", "--fail-on", "none", "--output", jsonPath}, extra...)...); code != exitOK {
		t.Fatalf("exit %d: %s", code, e)
	}
	b, err := os.ReadFile(sarifPath)
	if err != nil {
		t.Fatal(err)
	}
	n := night{sarif: b, json: jsonPath, stderr: stderr}
	for _, line := range strings.Split(stderr, "\n") {
		if rest, ok := strings.CutPrefix(line, "atlcheck: warning: Run "); ok {
			n.withheld = append(n.withheld, strings.TrimPrefix(strings.Fields(rest)[0], acmeCategory))
		}
	}
	return n
}

// TestCarryForwardAcrossFailedNights: with the previous night's JSON report
// as the baseline (the nightly workflow), the token list failing two nights
// in a row closes no alert: the first failed night carries the token
// findings forward, and so does the second, from the first one's
// unverified[]. Every category is uploaded each night, so the other alerts
// update as usual; the good night after changes no token alert.
func TestCarryForwardAcrossFailedNights(t *testing.T) {
	var repo codescanning.Repo
	upload := func(n night) []codescanning.Change {
		t.Helper()
		changes, err := repo.Upload(n.sarif)
		if err != nil {
			t.Fatalf("GitHub would reject the upload: %v", err)
		}
		return changes
	}
	good, bad := acmeSnapshot, failedTokens(t)
	n1 := runNight(t, good, "")
	upload(n1)
	tokens := 0
	for a := range repo.OpenAlerts() {
		if strings.HasPrefix(a.RuleID, "ATL-TOK-") {
			tokens++
		}
	}
	if tokens == 0 {
		t.Fatal("the demo org has no token alerts; the test proves nothing")
	}
	prev := n1.json
	for i := range 2 {
		n := runNight(t, bad, prev)
		if slices.Contains(n.withheld, "api_tokens/") || slices.Contains(n.withheld, "managed_accounts/") {
			t.Errorf("failed night %d left out %v although the baseline knew the token findings", i+1, n.withheld)
		}
		for _, c := range upload(n) {
			if c.To == codescanning.Fixed || !strings.HasPrefix(c.Key.RuleID, "ATL-COL-") {
				t.Errorf("failed night %d changed %+v; only the collection alert may open", i+1, c)
			}
		}
		prev = n.json
	}
	for _, c := range upload(runNight(t, good, prev)) {
		if strings.HasPrefix(c.Key.RuleID, "ATL-TOK-") {
			t.Errorf("the good night after changed token alert %+v", c)
		}
	}
	if len(repo.Moves) != 0 {
		t.Errorf("moves: %+v", repo.Moves)
	}
}

// uploadListed uploads one night to the stand-in and returns what the
// repository's alert list shows as newly open and newly closed: an alert is
// listed open while any category has it open.
func uploadListed(t *testing.T, repo *codescanning.Repo, sarif []byte) (opened, closed []codescanning.Alert, changes []codescanning.Change) {
	t.Helper()
	before := repo.Listed()
	changes, err := repo.Upload(sarif)
	if err != nil {
		t.Fatalf("GitHub would reject the upload: %v", err)
	}
	opened, closed = codescanning.ListChanges(before, repo.Listed())
	return opened, closed, changes
}

// TestWithheldUntilABaselineKnows: without a baseline a failed area's
// categories are left out (loudly: a warning on stderr naming --baseline)
// and none of their alerts closes; a baseline written on such a night does
// not know the findings either, so the next failed night leaves them out
// too instead of closing them. What was read still reaches code scanning
// through the incomplete run, whose alerts are the same alerts.
func TestWithheldUntilABaselineKnows(t *testing.T) {
	var repo codescanning.Repo
	good, bad := acmeSnapshot, failedTokens(t)
	uploadListed(t, &repo, runNight(t, good, "").sarif)
	n2 := runNight(t, bad, "")
	// api_tokens fails: its group and the group of TOK-002 (which also
	// needs managed_accounts) are left out; one site's apps are never read
	// in the demo.
	// in the demo; without a baseline the incomplete run is left out too.
	if want := []string{"api_tokens/", "connected_apps.installed/", "managed_accounts/", "incomplete/"}; !slices.Equal(n2.withheld, want) {
		t.Errorf("withheld %v, want %v", n2.withheld, want)
	}
	if !strings.Contains(n2.stderr, "With --baseline (the last run's JSON report) this run is uploaded, or its findings are") ||
		!regexp.MustCompile(`Its [0-9]+ findings are not uploaded`).MatchString(n2.stderr) {
		t.Errorf("stderr does not say what is not uploaded and what would upload the withheld runs:\n%s", n2.stderr)
	}
	// With a baseline that did not know them, the runs stay out, and what
	// was read goes into the incomplete run.
	n3 := runNight(t, bad, n2.json)
	if !slices.Contains(n3.withheld, "api_tokens/") || slices.Contains(n3.withheld, "incomplete/") ||
		!strings.Contains(n3.stderr, "does not know the last findings of ATL-TOK-001") {
		t.Errorf("with a baseline that did not know the token findings, withheld %v:\n%s", n3.withheld, n3.stderr)
	}
	for _, n := range []night{n2, n3} {
		opened, closed, changes := uploadListed(t, &repo, n.sarif)
		if len(closed) != 0 {
			t.Errorf("a failed night closed %+v", closed)
		}
		for _, a := range opened {
			if !strings.HasPrefix(a.RuleID, "ATL-COL-") {
				t.Errorf("a failed night opened %+v; only the collection alert may open", a)
			}
		}
		for _, c := range changes {
			if c.To == codescanning.Fixed {
				t.Errorf("a failed night closed %+v in its category", c)
			}
		}
	}
	opened, closed, _ := uploadListed(t, &repo, runNight(t, good, n3.json).sarif)
	for _, a := range append(opened, closed...) {
		if strings.HasPrefix(a.RuleID, "ATL-TOK-") || strings.HasPrefix(a.RuleID, "ATL-ACC-") {
			t.Errorf("the good night after changed %+v", a)
		}
	}
}

// editSnapshot writes a copy of the demo snapshot changed by edit.
func editSnapshot(t *testing.T, name string, edit func(doc map[string]any)) string {
	t.Helper()
	raw, err := os.ReadFile(acmeSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return writeFile(t, name, string(b))
}

// installedSites is the installed-apps sites of a snapshot document.
func installedSites(doc map[string]any) []any {
	return doc["connected_apps"].(map[string]any)["installed"].(map[string]any)["sites"].([]any)
}

// userApp is a user-installed app, which ATL-APP-004 finds (no allow-list).
func userApp(key string) map[string]any {
	return map[string]any{"key": key, "product": "jira", "name": "App " + key, "version": "1.0.0", "enabled": true,
		"user_installed": true, "vendor": map[string]any{"name": "Vendor", "url": "https://vendor.example"}}
}

// TestPartialAreaStaysLive is issue 13's permanently unreadable site: in the
// demo org the app manager of acme-labs never answers, so
// connected_apps.installed is read in part every night, from the very first
// one. No night may close an alert it could not check, and none may hold
// back what it found:
//   - without a baseline nothing of the area is uploaded (its category and
//     the incomplete run are left out, and stderr says to pass --baseline);
//   - with the previous night's JSON report as the baseline (the nightly
//     workflow), the category is still left out (no report ever knew its
//     acme-labs findings), but its findings are uploaded in the incomplete
//     run: a new app on a site that was read is an alert the same night; an
//     app removed stays open, carried forward, as the policy was checked
//     over part of the sites only;
//   - the night acme-labs answers again, the category is uploaded whole and
//     the alerts close or stay as they are; the incomplete run is empty.
func TestPartialAreaStaysLive(t *testing.T) {
	appAlert := func(resource string) codescanning.Alert {
		return codescanning.Alert{Tool: "atlcheck", RuleID: "ATL-APP-004", Fingerprint: model.Fingerprint("ATL-APP-004", resource)}
	}
	labs := func(apps ...any) func(map[string]any) {
		return func(doc map[string]any) {
			for _, s := range installedSites(doc) {
				if site := s.(map[string]any); site["url"] == "https://acme-labs.atlassian.net" {
					site["collected"], site["apps"] = true, apps
					delete(site, "error")
				}
			}
		}
	}
	withApp := func(key string) func(map[string]any) {
		return func(doc map[string]any) {
			site := installedSites(doc)[0].(map[string]any)
			site["apps"] = append(site["apps"].([]any), userApp(key))
		}
	}
	cfg := []string{"--config", acmeConfig} // its app allow-list, so ATL-APP-004 checks
	newApp := appAlert("https://acme.atlassian.net#com.new.risky")
	withNew := editSnapshot(t, "new.json", withApp("com.new.risky"))
	var repo codescanning.Repo

	// Without a baseline: nothing of the area is uploaded, loudly.
	n1 := runNight(t, acmeSnapshot, "", cfg...)
	if want := []string{"connected_apps.installed/", "incomplete/"}; !slices.Equal(n1.withheld, want) {
		t.Errorf("first night withheld %v, want %v", n1.withheld, want)
	}
	if !strings.Contains(n1.stderr, "With --baseline (the last run's JSON report) this run is uploaded, or its findings are") {
		t.Errorf("stderr does not name --baseline:\n%s", n1.stderr)
	}
	uploadListed(t, &repo, n1.sarif)
	n2 := runNight(t, withNew, "", cfg...)
	if opened, closed, _ := uploadListed(t, &repo, n2.sarif); slices.Contains(opened, newApp) || len(closed) != 0 {
		t.Errorf("without a baseline: opened %v closed %v; want nothing of the area uploaded", opened, closed)
	}

	// The nightly workflow: the previous night's report as the baseline.
	n3 := runNight(t, withNew, n2.json, cfg...)
	if want := []string{"connected_apps.installed/"}; !slices.Equal(n3.withheld, want) {
		t.Errorf("with a baseline withheld %v, want %v", n3.withheld, want)
	}
	opened, closed, _ := uploadListed(t, &repo, n3.sarif)
	if !slices.Contains(opened, newApp) || len(closed) != 0 {
		t.Errorf("with a baseline: opened %v closed %v; want the new app's alert open the same night, nothing closed", opened, closed)
	}
	// The app removed: acme-labs is still unread, so it is carried forward.
	n4 := runNight(t, acmeSnapshot, n3.json, cfg...)
	if _, closed, _ := uploadListed(t, &repo, n4.sarif); len(closed) != 0 {
		t.Errorf("a night with acme-labs unread closed %v", closed)
	}
	if !repo.Listed()[newApp] {
		t.Error("the removed app's alert closed although its policy was checked over part of the sites only")
	}
	// acme-labs answers again: the category is uploaded whole.
	n5 := runNight(t, editSnapshot(t, "back.json", labs()), n4.json, cfg...)
	if len(n5.withheld) != 0 {
		t.Errorf("a complete night withheld %v", n5.withheld)
	}
	_, closed, _ = uploadListed(t, &repo, n5.sarif)
	closed = slices.DeleteFunc(closed, func(a codescanning.Alert) bool { return a.RuleID == "ATL-COL-001" }) // acme-labs' gap
	if !slices.Equal(closed, []codescanning.Alert{newApp}) {
		t.Errorf("the complete night closed %v, want only the removed app's alert", closed)
	}
	for a, in := range repo.OpenAlerts() {
		if slices.Contains(in, acmeCategory+"incomplete") {
			t.Errorf("alert %+v still open in the incomplete run after a complete night", a)
		}
	}
}

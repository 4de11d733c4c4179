package codescanning

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// sarif builds a log with one run per category, each holding results with
// the given fingerprints (rule R).
func sarif(t *testing.T, runs map[string][]string) []byte {
	t.Helper()
	type result struct {
		RuleID              string            `json:"ruleId"`
		Message             map[string]string `json:"message"`
		Locations           []map[string]any  `json:"locations"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	var out []map[string]any
	for cat, fps := range runs {
		results := []result{}
		for _, fp := range fps {
			results = append(results, result{RuleID: "R", Message: map[string]string{"text": "m."},
				Locations: []map[string]any{{"physicalLocation": map[string]any{
					"artifactLocation": map[string]string{"uri": "s.json"}, "region": map[string]int{"startLine": 1}}}},
				PartialFingerprints: map[string]string{"primaryLocationLineHash": fp}})
		}
		out = append(out, map[string]any{
			"tool":              map[string]any{"driver": map[string]any{"name": "t", "rules": []any{}}},
			"automationDetails": map[string]string{"id": cat + "/"},
			"results":           results,
		})
	}
	b, err := json.Marshal(map[string]any{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": out})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUploadReplacesOnlyItsCategories(t *testing.T) {
	var repo Repo
	if _, err := repo.Upload(sarif(t, map[string][]string{"a": {"1", "2"}, "b": {"3"}})); err != nil {
		t.Fatal(err)
	}
	// b is not uploaded: its alert stays open; a loses 2: fixed.
	changes, err := repo.Upload(sarif(t, map[string][]string{"a": {"1"}}))
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Key.Fingerprint != "2" || changes[0].To != Fixed {
		t.Errorf("changes = %+v, want only alert 2 fixed", changes)
	}
	if repo.Alerts[Key{"t", "b", "R", "3"}] != Open {
		t.Error("the alert of a category that was not uploaded was closed")
	}
	// An empty run of b closes its alert.
	changes, _ = repo.Upload(sarif(t, map[string][]string{"b": {}}))
	if len(changes) != 1 || changes[0].Key.Category != "b" || changes[0].To != Fixed {
		t.Errorf("changes = %+v, want b's alert fixed", changes)
	}
}

func TestParseRejects(t *testing.T) {
	many := map[string][]string{}
	for i := range MaxRunsPerFile + 1 {
		many[fmt.Sprint("c", i)] = nil
	}
	big := make([]string, MaxResultsRejected+1)
	for i := range big {
		big[i] = fmt.Sprint(i)
	}
	dup := strings.Replace(string(sarif(t, map[string][]string{"a": nil, "b": nil})), `"b/"`, `"a/x"`, 1)
	tests := map[string][]byte{
		"too many runs":    sarif(t, many),
		"too many results": sarif(t, map[string][]string{"a": big}),
		"same category":    []byte(dup),
		"not sarif":        []byte(`{"version": "2.0.0", "runs": []}`),
	}
	for name, in := range tests {
		if _, err := Parse(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := Parse(sarif(t, map[string][]string{"a": {"1"}})); err != nil {
		t.Errorf("a valid file is rejected: %v", err)
	}
}

func TestStoredKeepsTheMostSevere(t *testing.T) {
	results := make([]Result, MaxResultsStored+10)
	for i := range results {
		results[i].Level = "note"
	}
	results[len(results)-1].Level = "error"
	got := stored(results)
	if len(got) != MaxResultsStored || got[0].Level != "error" {
		t.Errorf("stored %d results starting with %q, want %d starting with the error", len(got), got[0].Level, MaxResultsStored)
	}
}

// TestMovedRuleStrandsItsAlerts: a rule whose results move to another
// category is recorded as a move; its alert stays open through the old,
// stale configuration even after the new one no longer finds it, until that
// configuration is deleted (the migration step GitHub documents).
func TestMovedRuleStrandsItsAlerts(t *testing.T) {
	var repo Repo
	if _, err := repo.Upload(sarif(t, map[string][]string{"old": {"1"}})); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Upload(sarif(t, map[string][]string{"new": {"1"}})); err != nil {
		t.Fatal(err)
	}
	if want := []Move{{Tool: "t", RuleID: "R", From: "old", To: "new", Stranded: 1}}; !slices.Equal(repo.Moves, want) {
		t.Errorf("moves %+v, want %+v", repo.Moves, want)
	}
	alert := Alert{"t", "R", "1"}
	if got := repo.OpenAlerts()[alert]; !slices.Equal(got, []string{"new", "old"}) {
		t.Errorf("alert 1 open in %v, want both configurations", got)
	}
	// Fixed in the new category: still open, through the stale one.
	if _, err := repo.Upload(sarif(t, map[string][]string{"new": {}})); err != nil {
		t.Fatal(err)
	}
	if got := repo.OpenAlerts()[alert]; !slices.Equal(got, []string{"old"}) {
		t.Errorf("after the fix alert 1 is open in %v, want the stale configuration only", got)
	}
	if got := repo.StaleConfigurations("t", []string{"new"}); !slices.Equal(got, []string{"old"}) {
		t.Errorf("stale configurations %v, want [old]", got)
	}
	repo.DeleteConfiguration("t", "old")
	if len(repo.OpenAlerts()) != 0 {
		t.Errorf("open alerts after deleting the stale configuration: %v", repo.OpenAlerts())
	}
	// A rule that keeps its category is no move, night after night.
	var stable Repo
	for range 3 {
		if _, err := stable.Upload(sarif(t, map[string][]string{"a": {"1"}, "b": {"2"}})); err != nil {
			t.Fatal(err)
		}
	}
	if len(stable.Moves) != 0 {
		t.Errorf("moves %+v for a rule that kept its category", stable.Moves)
	}
}

// TestListedAcrossConfigurations: an alert open in two configurations stays
// listed while either has it open.
func TestListedAcrossConfigurations(t *testing.T) {
	var repo Repo
	if _, err := repo.Upload(sarif(t, map[string][]string{"a": {"1"}, "b": {"1", "2"}})); err != nil {
		t.Fatal(err)
	}
	before := repo.Listed()
	if _, err := repo.Upload(sarif(t, map[string][]string{"b": {}})); err != nil {
		t.Fatal(err)
	}
	opened, closed := ListChanges(before, repo.Listed())
	if len(opened) != 0 || !slices.Equal(closed, []Alert{{"t", "R", "2"}}) {
		t.Errorf("opened %v closed %v, want only alert 2 closed (alert 1 is still open in a)", opened, closed)
	}
}

// TestParseRejectsWhatGitHubDocuments: the required properties and the
// length limits of "SARIF support for code scanning" (supported properties:
// required ones may not be empty; rule name 255 characters, short and full
// description 1024), and codeql-action's upload-lib countResultsInSarif
// ("Invalid SARIF. Missing 'results' array in run").
func TestParseRejectsWhatGitHubDocuments(t *testing.T) {
	rule := func(edit func(r map[string]any)) []byte {
		r := map[string]any{"id": "R", "name": "Rule", "shortDescription": map[string]string{"text": "s"},
			"fullDescription": map[string]string{"text": "f"}, "help": map[string]string{"text": "h"}}
		if edit != nil {
			edit(r)
		}
		b := sarif(t, map[string][]string{"a": {"1"}})
		var log map[string]any
		if err := json.Unmarshal(b, &log); err != nil {
			t.Fatal(err)
		}
		log["runs"].([]any)[0].(map[string]any)["tool"].(map[string]any)["driver"].(map[string]any)["rules"] = []any{r}
		out, err := json.Marshal(log)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	edit := func(b []byte, from, to string) []byte {
		t.Helper()
		if !strings.Contains(string(b), from) {
			t.Fatalf("%s not in %s", from, b)
		}
		return []byte(strings.Replace(string(b), from, to, 1))
	}
	valid := rule(nil)
	tests := map[string][]byte{
		"no $schema":         edit(valid, `"$schema":"https://json.schemastore.org/sarif-2.1.0.json",`, ""),
		"results null":       edit(valid, `"results":[`, `"results":null,"x":[`),
		"no tool name":       edit(valid, `"name":"t"`, `"name":""`),
		"empty message":      edit(valid, `"text":"m."`, `"text":" "`),
		"no artifact uri":    edit(valid, `"uri":"s.json"`, `"uri":""`),
		"no start line":      edit(valid, `"startLine":1`, `"startLine":0`),
		"rule name over 255": rule(func(r map[string]any) { r["name"] = strings.Repeat("N", MaxRuleNameChars+1) }),
		"short description 1025": rule(func(r map[string]any) {
			r["shortDescription"] = map[string]string{"text": strings.Repeat("s", MaxDescriptionChars+1)}
		}),
		"full description 1025": rule(func(r map[string]any) {
			r["fullDescription"] = map[string]string{"text": strings.Repeat("f", MaxDescriptionChars+1)}
		}),
		// GitHub's characters: counted as UTF-16 code units here (an emoji
		// is two), the stricter of the usual counts.
		"full description in emoji": rule(func(r map[string]any) {
			r["fullDescription"] = map[string]string{"text": strings.Repeat("🔑", MaxDescriptionChars/2+1)}
		}),
		"no short description": rule(func(r map[string]any) { delete(r, "shortDescription") }),
		"no full description":  rule(func(r map[string]any) { r["fullDescription"] = map[string]string{"text": ""} }),
		"no help":              rule(func(r map[string]any) { delete(r, "help") }),
		"no rule id":           rule(func(r map[string]any) { r["id"] = "" }),
	}
	for name, in := range tests {
		if _, err := Parse(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	at := rule(func(r map[string]any) {
		r["name"] = strings.Repeat("N", MaxRuleNameChars)
		r["shortDescription"] = map[string]string{"text": strings.Repeat("é", MaxDescriptionChars)}
	})
	if _, err := Parse(at); err != nil {
		t.Errorf("a rule at the limits is rejected: %v", err)
	}
}

// TestPathChangeIsRecorded: the same result under another file path is a
// new alert on GitHub (the old one closes); the stand-in records it.
func TestPathChangeIsRecorded(t *testing.T) {
	var repo Repo
	night := sarif(t, map[string][]string{"a": {"1"}})
	for range 2 {
		if _, err := repo.Upload(night); err != nil {
			t.Fatal(err)
		}
	}
	if len(repo.PathChanges) != 0 {
		t.Fatalf("path changes %+v for the same path", repo.PathChanges)
	}
	moved := []byte(strings.Replace(string(night), `"uri":"s.json"`, `"uri":"scans/2026-12-02.json"`, 1))
	if _, err := repo.Upload(moved); err != nil {
		t.Fatal(err)
	}
	if want := []PathChange{{Key: Key{"t", "a", "R", "1"}, From: "s.json", To: "scans/2026-12-02.json"}}; !slices.Equal(repo.PathChanges, want) {
		t.Errorf("path changes %+v, want %+v", repo.PathChanges, want)
	}
}

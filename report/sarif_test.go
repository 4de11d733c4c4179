package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/codescanning"
	"github.com/atlcheck/atlcheck/internal/model"
)

// decodeSARIF renders run as SARIF with opts and decodes it back into our
// structs, after checking it against GitHub's ingestion limits.
func decodeSARIF(t *testing.T, run *model.Run, opts ...SARIFOptions) (sarifLog, []byte) {
	t.Helper()
	var o SARIFOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	var buf bytes.Buffer
	if err := writeSARIF(&buf, run, o); err != nil {
		t.Fatalf("writeSARIF: %v", err)
	}
	if _, err := codescanning.Parse(buf.Bytes()); err != nil {
		t.Fatalf("GitHub would reject the SARIF: %v", err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("decode sarif: %v", err)
	}
	checkSARIFAccounting(t, log, run)
	return log, buf.Bytes()
}

// sarifTotalsOf reads the log's atlcheck/totals property.
func sarifTotalsOf(t *testing.T, log sarifLog) sarifTotals {
	t.Helper()
	b, err := json.Marshal(log.Properties["atlcheck/totals"])
	if err != nil {
		t.Fatal(err)
	}
	var tot sarifTotals
	if err := json.Unmarshal(b, &tot); err != nil {
		t.Fatal(err)
	}
	return tot
}

// checkSARIFAccounting: every finding is a result, counted in an aggregate,
// a suppressed finding left out, or in a withheld run; the counts agree with
// the results actually written; titles are short.
func checkSARIFAccounting(t *testing.T, log sarifLog, run *model.Run) {
	t.Helper()
	tot := sarifTotalsOf(t, log)
	if tot.Findings != len(run.Findings) || tot.Individual+tot.Folded+tot.SuppressedOmitted+tot.Withheld != tot.Findings {
		t.Errorf("totals %+v do not account for the %d findings", tot, len(run.Findings))
	}
	results, aggregates, folded := 0, 0, 0
	for _, r := range log.Runs {
		for _, res := range r.Results {
			results++
			if res.Properties.Folded > 0 {
				aggregates++
				folded += res.Properties.Folded
			}
			if first := firstSentence(res.Message.Text); utf8.RuneCountInString(first) > maxTitleRunes {
				t.Errorf("result %s: first sentence has %d runes: %q", res.RuleID, utf8.RuneCountInString(first), first)
			}
		}
	}
	if results != tot.Results || results != tot.Individual+tot.Aggregates+tot.CarriedForward || aggregates != tot.Aggregates || folded != tot.Folded {
		t.Errorf("totals %+v, but the file has %d results, %d aggregates for %d findings", tot, results, aggregates, folded)
	}
	if results > tot.MaxResults {
		t.Errorf("%d results, over the limit of %d", results, tot.MaxResults)
	}
}

// runByKey finds the run whose category ends in /key.
func runByKey(log sarifLog, key string) *sarifRun {
	for i, r := range log.Runs {
		if strings.HasSuffix(r.AutomationDetails.ID, "/"+key+"/") {
			return &log.Runs[i]
		}
	}
	return nil
}

func TestSARIFRunsPerAreaSet(t *testing.T) {
	run := fixtureRun()
	log, _ := decodeSARIF(t, run)
	var ids []string
	for _, r := range log.Runs {
		ids = append(ids, r.AutomationDetails.ID)
	}
	want := []string{"atlcheck/org-0001/general/", "atlcheck/org-0001/api_keys/", "atlcheck/org-0001/api_tokens/",
		"atlcheck/org-0001/app_access/", "atlcheck/org-0001/connected_apps.installed/", "atlcheck/org-0001/managed_accounts/",
		"atlcheck/org-0001/verified_domains/"}
	if !slices.Equal(ids, want) {
		t.Fatalf("runs %v, want %v (external_users withheld: no source)", ids, want)
	}
	general := log.Runs[0]
	if len(general.Tool.Driver.Rules) != 1 || general.Tool.Driver.Rules[0].ID != "ACME-001" {
		t.Errorf("general run rules = %+v, want the custom policy that needs no area", general.Tool.Driver.Rules)
	}
	notes := general.Invocations[0].Notifications
	// The external_users run, and the incomplete run (no baseline).
	if len(notes) != 2 || !strings.Contains(notes[1].Message.Text, "atlcheck/org-0001/incomplete/ is left out") || !strings.Contains(notes[0].Message.Text, "atlcheck/org-0001/external_users/ is left out") ||
		!strings.Contains(notes[0].Message.Text, "ATL-EXT-001") || !strings.Contains(notes[0].Message.Text, "keeps its alerts") {
		t.Errorf("general run notifications = %+v, want one naming the withheld external_users run", notes)
	}
	keys := runByKey(log, "api_keys")
	if keys == nil || len(keys.Tool.Driver.Rules) != 2 || len(keys.Results) != 2 {
		t.Fatalf("api_keys run = %+v, want 2 rules and 2 results (the suppressed one left out)", keys)
	}
	seen := map[string]bool{}
	for _, r := range log.Runs {
		for i, res := range r.Results {
			rules := r.Tool.Driver.Rules
			if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID {
				t.Errorf("%s result %d: ruleIndex %d does not point at rule %s", r.AutomationDetails.ID, i, res.RuleIndex, res.RuleID)
			}
			fp := res.PartialFingerprints["primaryLocationLineHash"]
			if fp == "" || seen[fp] {
				t.Errorf("result %d: fingerprint %q empty or repeated", i, fp)
			}
			seen[fp] = true
		}
		if inv := r.Invocations[0]; inv.ExitCode != 1 || !inv.ExecutionSuccessful {
			t.Errorf("invocation %+v", inv)
		}
	}
}

func TestSARIFResultsMatchFindings(t *testing.T) {
	run := fixtureRun()
	log, _ := decodeSARIF(t, run)
	byFP := map[string]sarifResult{}
	for _, r := range log.Runs {
		for _, res := range r.Results {
			byFP[res.PartialFingerprints["primaryLocationLineHash"]] = res
		}
	}
	for _, f := range run.Findings {
		res, ok := byFP[f.Fingerprint]
		if f.Suppressed {
			if ok {
				t.Errorf("suppressed finding %s %s is a result", f.PolicyID, f.Resource)
			}
			continue
		}
		if !ok {
			t.Errorf("finding %s %s has no result", f.PolicyID, f.Resource)
			continue
		}
		loc := res.Locations[0].PhysicalLocation
		if loc.Region.StartLine < 1 || loc.ArtifactLocation.URI != run.Snapshot.Path {
			t.Errorf("result %s: location %+v", f.Resource, loc)
		}
		if res.Message.Text != f.Message || res.Properties.Resource != f.Resource || res.Level != sarifLevel(f.Severity) ||
			res.BaselineState != f.BaselineState {
			t.Errorf("result %+v does not match finding %+v", res, f)
		}
	}
}

func TestSARIFSuppressedLeftOutByDefault(t *testing.T) {
	log, _ := decodeSARIF(t, fixtureRun())
	keys := runByKey(log, "api_keys")
	if !strings.Contains(fmt.Sprint(keys.Properties["atlcheck/suppressedFindings"]), "omitted") {
		t.Errorf("run properties %v do not say suppressed findings are omitted", keys.Properties)
	}
	if tot := sarifTotalsOf(t, log); tot.SuppressedOmitted != 1 {
		t.Errorf("totals %+v, want 1 suppressed finding omitted", tot)
	}
	log, _ = decodeSARIF(t, fixtureRun(), SARIFOptions{IncludeSuppressed: true})
	var s []sarifSuppression
	for _, res := range runByKey(log, "api_keys").Results {
		if len(res.Suppressions) > 0 {
			s = res.Suppressions
		}
	}
	if len(s) != 1 || s[0].Kind != "external" || s[0].Status != "accepted" ||
		!strings.Contains(s[0].Justification, "Legacy CI key") || !strings.Contains(s[0].Justification, "secops@example.com") ||
		!strings.Contains(s[0].Justification, "2026-03-31") {
		t.Errorf("got suppressions %+v, want one accepted external with reason, owner and expiry", s)
	}
}

func TestSARIFLevels(t *testing.T) {
	tests := []struct {
		sev          model.Severity
		level, score string
	}{
		{model.SeverityCritical, "error", "9.5"},
		{model.SeverityHigh, "error", "8.0"},
		{model.SeverityMedium, "warning", "5.5"},
		{model.SeverityLow, "note", "3.0"},
		{model.SeverityInfo, "note", ""},
	}
	for _, tt := range tests {
		if got := sarifLevel(tt.sev); got != tt.level {
			t.Errorf("sarifLevel(%s) = %q, want %q", tt.sev, got, tt.level)
		}
		if got := securitySeverity(tt.sev); got != tt.score {
			t.Errorf("securitySeverity(%s) = %q, want %q", tt.sev, got, tt.score)
		}
	}
}

func TestSARIFPositionsAndPlaceholder(t *testing.T) {
	run := fixtureRun()
	run.Snapshot.Path = ""
	run.Findings[0].Line, run.Findings[0].Column = 0, 0
	log, _ := decodeSARIF(t, run)
	r := *runByKey(log, "managed_accounts")
	if got := r.Artifacts[0].Location.URI; got != placeholderSnapshotURI {
		t.Errorf("artifact uri = %q, want placeholder %q", got, placeholderSnapshotURI)
	}
	loc := r.Results[0].Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != placeholderSnapshotURI || loc.Region.StartLine != 1 || loc.Region.StartColumn != 0 {
		t.Errorf("got %+v, want placeholder uri, line 1 and no column", loc)
	}
}

func TestSARIFUnknownPolicyGetsRule(t *testing.T) {
	run := fixtureRun()
	run.Policies = nil
	log, _ := decodeSARIF(t, run)
	if len(log.Runs) != 2 || runByKey(log, "incomplete") == nil || len(runByKey(log, "incomplete").Results) != 0 {
		t.Fatalf("%d runs, want the general run and the empty incomplete run", len(log.Runs))
	}
	r := log.Runs[0]
	if len(r.Results) != len(run.Findings)-1 {
		t.Errorf("%d results, want every unsuppressed finding", len(r.Results))
	}
	for i, res := range r.Results {
		if rule := r.Tool.Driver.Rules[res.RuleIndex]; rule.ID != res.RuleID || rule.ShortDescription.Text == "" {
			t.Errorf("result %d: got rule %+v for %s", i, rule, res.RuleID)
		}
	}
}

func TestSARIFURI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "snapshot.json"},
		{"scans/acme.json", "scans/acme.json"},
		{"./scans/../acme snapshot.json", "acme%20snapshot.json"},
		{`scans\acme.json`, "scans/acme.json"},
		{"a:b.json", "a%3Ab.json"},
		{"a#b?c%.json", "a%23b%3Fc%25.json"},
		{"données/é.json", "donn%C3%A9es/%C3%A9.json"},
		{"/tmp/acme.json", "file:///tmp/acme.json"},
		{`C:\scans\acme.json`, "file:///C:/scans/acme.json"},
	}
	for _, tt := range tests {
		if got := sarifURI(tt.in); got != tt.want {
			t.Errorf("sarifURI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSemanticVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.4.0", "1.4.0"},
		{"v1.4.0", "1.4.0"},
		{"1.4.0-rc.1+abc", "1.4.0-rc.1+abc"},
		{"dev", ""},
		{"1.4", ""},
		{"01.4.0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := semanticVersion(tt.in); got != tt.want {
			t.Errorf("semanticVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPascalName(t *testing.T) {
	tests := []struct{ title, id, want string }{
		{"Admin API keys must have scopes", "ATL-KEY-001", "AdminApiKeysMustHaveScopes"},
		{"Custom: no «dev» sites ✨", "X-1", "CustomNoDevSites"},
		{"2FA for admins", "ATL-ACC-005", "Rule2faForAdmins"},
		{"", "ATL-X-1", "AtlX1"},
		{"…", "…", ""},
	}
	for _, tt := range tests {
		if got := pascalName(tt.title, tt.id); got != tt.want {
			t.Errorf("pascalName(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

// TestSARIFRuleTextFitsGitHub: a custom policy's title and description have
// no length limit, GitHub's rule name has 255 characters and the short and
// full descriptions 1024 each (SARIF support for code scanning,
// reportingDescriptor). They are cut, in UTF-16 code units (an emoji is two),
// never mid-rune; the help keeps the whole description.
func TestSARIFRuleTextFitsGitHub(t *testing.T) {
	run := fixtureRun()
	p := &run.Policies[0].Policy
	p.Title = "Keys " + strings.Repeat("very 🔑 long ", 300) + "title"
	p.Description = strings.Repeat("Описание 🔑. ", 400)
	log, _ := decodeSARIF(t, run) // codescanning.Parse checks the limits
	var rule *sarifRule
	for _, r := range log.Runs {
		for i := range r.Tool.Driver.Rules {
			if r.Tool.Driver.Rules[i].ID == p.ID {
				rule = &r.Tool.Driver.Rules[i]
			}
		}
	}
	if rule == nil {
		t.Fatalf("no rule %s", p.ID)
	}
	for name, got := range map[string]string{"short": rule.ShortDescription.Text, "full": rule.FullDescription.Text} {
		if !utf8.ValidString(got) || !strings.HasSuffix(got, "…") || len(utf16.Encode([]rune(got))) > 1024 || len(utf16.Encode([]rune(got))) < 1020 {
			t.Errorf("%s description: %d UTF-16 units, want just under 1024 ending in …", name, len(utf16.Encode([]rune(got))))
		}
	}
	if n := len(utf16.Encode([]rune(rule.Name))); n > 255 || n < 250 {
		t.Errorf("name: %d UTF-16 units, want up to 255", n)
	}
	if !strings.Contains(rule.Help.Text, p.Description) {
		t.Error("the help lost the whole description")
	}
}

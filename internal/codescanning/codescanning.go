// Package codescanning is a local stand-in for GitHub code scanning's SARIF
// ingestion, for tests: it checks an upload against GitHub's documented limits
// and keeps alerts the way GitHub documents it, so a test can ask which
// alerts a sequence of uploads opens, keeps and closes. It follows:
//
//   - "SARIF support for code scanning" (docs.github.com, code-security/…/
//     sarif-support-for-code-scanning): runAutomationDetails.id is
//     "category/run-id", the category being everything before the last "/";
//     an upload of a tool and category replaces that category's earlier
//     results ("the earlier results are overwritten"); only
//     partialFingerprints.primaryLocationLineHash identifies a result; up to
//     10 locations per result; 10 MB per gzip-compressed file.
//   - its supported properties: required ones "must" have a value, "the
//     empty string is not supported" ($schema, version, runs, tool.driver
//     name and rules, a rule's id, shortDescription.text, fullDescription.text
//     and help.text, a result's message.text, locations and
//     partialFingerprints, a location's artifactLocation.uri and
//     region.startLine); a rule's name is "limited to 255 characters", its
//     short and full descriptions to 1024 (counted here in UTF-16 code units,
//     the stricter of the usual counts: an emoji is two).
//   - github/codeql-action src/upload-lib.ts countResultsInSarif: a run
//     without a results array fails the upload ("Invalid SARIF. Missing
//     'results' array in run").
//   - its limits table (data/reusables/code-scanning/sarif-limits.md): 20 runs
//     per file, 25,000 results per run of which the top 5,000 by severity are
//     stored, 20 tags per rule of which 10 are kept. atlcheck's own tighter
//     targets (1,000 rules per run, 10 tags) are checked by Check.
//   - "About code scanning alerts", alerts from multiple configurations: an
//     alert (tool, rule, fingerprint) can be found by several configurations
//     (tool + category), each with its own state; a configuration that is not
//     uploaded again keeps its state as it was ("stale configurations … will
//     display outdated alert statuses, and the stale alerts will stay open
//     indefinitely"), and the alert stays open while any configuration has it
//     open. "Removing stale configurations and alerts from a branch" (the
//     tool status page, or the REST API's "delete a code scanning analysis")
//     is DeleteConfiguration.
//   - the 2025-07-21 change (github.blog changelog "code scanning will stop
//     combining multiple SARIF runs uploaded in the same SARIF file", and
//     github/codeql-action src/upload-lib.ts throwIfCombineSarifFilesDisabled):
//     a delivery with two runs of the same tool and category is rejected.
//   - GitHub does not act on SARIF suppressions or baselineState: every stored
//     result is an open alert (atlcheck's measurement, docs/github.md).
package codescanning

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
)

// GitHub's limits, and atlcheck's tighter targets where the issue set them.
const (
	MaxRunsPerFile        = 20
	MaxResultsRejected    = 25000 // more results per run than this: the upload is rejected
	MaxResultsStored      = 5000  // results stored per run; the rest are dropped
	MaxRulesPerRun        = 1000  // atlcheck's target (GitHub rejects above 25,000)
	MaxTagsPerRule        = 10    // GitHub keeps 10 (rejects above 20)
	MaxLocationsPerResult = 10
	MaxGzipBytes          = 10_000_000
	MaxTitleRunes         = 120 // atlcheck's target for a message's first sentence
	MaxRuleNameChars      = 255
	MaxDescriptionChars   = 1024 // shortDescription.text and fullDescription.text
)

// Log is the part of a SARIF log that ingestion reads.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Rule is one reportingDescriptor.
type Rule struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	ShortDescription *Text  `json:"shortDescription"`
	FullDescription  *Text  `json:"fullDescription"`
	Help             *Text  `json:"help"`
	Properties       struct {
		Tags []string `json:"tags"`
	} `json:"properties"`
}

// Text is a message or multiformatMessageString.
type Text struct {
	Text string `json:"text"`
}

// Location is the part of a result's location that ingestion reads.
type Location struct {
	PhysicalLocation *struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

// Run is one SARIF run.
type Run struct {
	Tool struct {
		Driver struct {
			Name  string `json:"name"`
			Rules []Rule `json:"rules"`
		} `json:"driver"`
	} `json:"tool"`
	AutomationDetails *struct {
		ID string `json:"id"`
	} `json:"automationDetails"`
	Results []Result `json:"results"`
}

// Result is one SARIF result.
type Result struct {
	RuleID  string `json:"ruleId"`
	Level   string `json:"level"`
	Message struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations           []Location        `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

// Category is the run's category: its automationDetails.id up to the last "/".
func (r Run) Category() string {
	if r.AutomationDetails == nil {
		return ""
	}
	id := r.AutomationDetails.ID
	i := strings.LastIndex(id, "/")
	if i < 0 {
		return ""
	}
	return id[:i]
}

// Parse reads a SARIF file and checks it the way an upload is checked: it
// returns an error for what GitHub rejects (and for what atlcheck promises
// never to write).
func Parse(sarif []byte) (*Log, error) {
	if n, err := gzipLen(sarif); err != nil {
		return nil, err
	} else if n > MaxGzipBytes {
		return nil, fmt.Errorf("file is %d bytes gzip-compressed, over %d", n, MaxGzipBytes)
	}
	var log Log
	if err := json.Unmarshal(sarif, &log); err != nil {
		return nil, fmt.Errorf("sarif is not valid json: %w", err)
	}
	if log.Version != "2.1.0" {
		return nil, fmt.Errorf("sarif version %q, want 2.1.0", log.Version)
	}
	if strings.TrimSpace(log.Schema) == "" {
		return nil, fmt.Errorf("no $schema (required)")
	}
	if err := resultsArrays(sarif); err != nil {
		return nil, err
	}
	if len(log.Runs) > MaxRunsPerFile {
		return nil, fmt.Errorf("rejecting SARIF, as there are more runs than allowed (%d > %d)", len(log.Runs), MaxRunsPerFile)
	}
	seen := map[string]bool{}
	for i, r := range log.Runs {
		key := r.Tool.Driver.Name + "\x00" + r.Category()
		if seen[key] {
			return nil, fmt.Errorf("a delivery cannot contain multiple runs with the same category (run %d: %q)", i, r.Category())
		}
		seen[key] = true
		if n := len(r.Results); n > MaxResultsRejected {
			return nil, fmt.Errorf("run %d: rejecting SARIF, as it has more results per run than allowed (%d > %d)", i, n, MaxResultsRejected)
		}
		if n := len(r.Tool.Driver.Rules); n > MaxRulesPerRun {
			return nil, fmt.Errorf("run %d: %d rules, over %d", i, n, MaxRulesPerRun)
		}
		if strings.TrimSpace(r.Tool.Driver.Name) == "" {
			return nil, fmt.Errorf("run %d: no tool.driver.name (required)", i)
		}
		for _, rule := range r.Tool.Driver.Rules {
			if err := checkRule(rule); err != nil {
				return nil, fmt.Errorf("run %d: %w", i, err)
			}
		}
		for j, res := range r.Results {
			if strings.TrimSpace(res.Message.Text) == "" {
				return nil, fmt.Errorf("run %d result %d: no message.text (required)", i, j)
			}
			if n := len(res.Locations); n == 0 || n > MaxLocationsPerResult {
				return nil, fmt.Errorf("run %d result %d: %d locations, want 1 to %d", i, j, n, MaxLocationsPerResult)
			}
			for _, l := range res.Locations {
				if pl := l.PhysicalLocation; pl == nil || pl.ArtifactLocation.URI == "" || pl.Region.StartLine < 1 {
					return nil, fmt.Errorf("run %d result %d: a location without physicalLocation.artifactLocation.uri and region.startLine (required)", i, j)
				}
			}
			if res.PartialFingerprints["primaryLocationLineHash"] == "" {
				return nil, fmt.Errorf("run %d result %d: no primaryLocationLineHash", i, j)
			}
		}
	}
	return &log, nil
}

// checkRule checks a rule's required properties and their lengths.
func checkRule(rule Rule) error {
	if rule.ID == "" {
		return fmt.Errorf("a rule without id (required)")
	}
	if n := len(rule.Properties.Tags); n > MaxTagsPerRule {
		return fmt.Errorf("rule %s has %d tags, over %d", rule.ID, n, MaxTagsPerRule)
	}
	if n := utf16Len(rule.Name); n > MaxRuleNameChars {
		return fmt.Errorf("rule %s: name is %d characters, over %d", rule.ID, n, MaxRuleNameChars)
	}
	for _, d := range []struct {
		name string
		text *Text
		max  int
	}{
		{"shortDescription", rule.ShortDescription, MaxDescriptionChars},
		{"fullDescription", rule.FullDescription, MaxDescriptionChars},
		{"help", rule.Help, 0},
	} {
		switch {
		case d.text == nil || strings.TrimSpace(d.text.Text) == "":
			return fmt.Errorf("rule %s: no %s.text (required)", rule.ID, d.name)
		case d.max > 0 && utf16Len(d.text.Text) > d.max:
			return fmt.Errorf("rule %s: %s.text is %d characters, over %d", rule.ID, d.name, utf16Len(d.text.Text), d.max)
		}
	}
	return nil
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// resultsArrays checks that every run's results is a JSON array (null or
// missing fails codeql-action's upload).
func resultsArrays(sarif []byte) error {
	var raw struct {
		Runs []struct {
			Results json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &raw); err != nil {
		return fmt.Errorf("sarif is not valid json: %w", err)
	}
	for i, r := range raw.Runs {
		if t := bytes.TrimSpace(r.Results); len(t) == 0 || t[0] != '[' {
			return fmt.Errorf("run %d: Invalid SARIF. Missing 'results' array in run", i)
		}
	}
	return nil
}

func gzipLen(b []byte) (int, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}

// Key identifies an alert: the configuration (tool, category), the rule and
// the fingerprint.
type Key struct {
	Tool, Category, RuleID, Fingerprint string
}

// State is an alert's state.
type State string

// Alert states.
const (
	Open  State = "open"
	Fixed State = "fixed"
)

// Repo holds the alerts of one branch.
type Repo struct {
	// Alerts is each configuration's state of each alert it found.
	Alerts map[Key]State
	// Moves records every rule that an upload put under another category
	// than the one it was last uploaded in. The old configuration is then
	// stale and keeps its alerts of the rule open for good (Stranded counts
	// them), while the new one opens them again: a category scheme that is
	// stable across nights never moves a rule.
	Moves []Move
	// home is the categories (space-separated) each tool's rule was last
	// uploaded in.
	home map[[2]string]string
	// PathChanges records every result found again under another file path
	// (its first location's artifactLocation.uri) than the last time. GitHub
	// tracks an alert by its path as well as its fingerprint ("SARIF support
	// for code scanning", reporting consistent filepaths: "If the filepaths
	// differ for the same result, each time there is a new analysis a new
	// alert will be created, and the old one will be closed"), and paths that
	// change every run are what trips the repository's alert limit, after
	// which every upload is blocked (troubleshooting-sarif-uploads/
	// results-exceed-limit). Keys here leave the path out, so a change is
	// recorded rather than played: a report fit for code scanning has none.
	PathChanges []PathChange
	// path is each alert's last path.
	path map[Key]string
}

// PathChange is a result whose file path changed between two uploads.
type PathChange struct {
	Key      Key
	From, To string
}

// Move is a rule whose results changed category.
type Move struct {
	Tool, RuleID, From, To string
	// Stranded is how many of the rule's alerts were open in From.
	Stranded int
}

// Change is one alert whose state an upload changed.
type Change struct {
	Key      Key
	From, To State // From is "" for a new alert
}

// Upload ingests a SARIF file: each run replaces its configuration's
// analysis. Alerts of that configuration missing from the run are fixed,
// results open (or reopen) alerts, and configurations the file does not
// contain keep theirs. It returns what changed, in a stable order.
func (r *Repo) Upload(sarif []byte) ([]Change, error) {
	log, err := Parse(sarif)
	if err != nil {
		return nil, err
	}
	if r.Alerts == nil {
		r.Alerts = map[Key]State{}
	}
	var changes []Change
	set := func(k Key, to State) {
		if from := r.Alerts[k]; from != to {
			changes = append(changes, Change{Key: k, From: from, To: to})
			r.Alerts[k] = to
		}
	}
	if r.home == nil {
		r.home = map[[2]string]string{}
	}
	homes := map[[2]string][]string{}
	for _, run := range log.Runs {
		for _, rule := range ruleIDs(run) {
			k := [2]string{run.Tool.Driver.Name, rule}
			homes[k] = append(homes[k], run.Category())
		}
	}
	for k, cats := range homes {
		slices.Sort(cats)
		to := strings.Join(slices.Compact(cats), " ")
		if from, ok := r.home[k]; ok && from != to {
			stranded := 0
			for _, cat := range strings.Fields(from) {
				if !slices.Contains(cats, cat) {
					stranded += r.openIn(k[0], cat, k[1])
				}
			}
			r.Moves = append(r.Moves, Move{Tool: k[0], RuleID: k[1], From: from, To: to, Stranded: stranded})
		}
		r.home[k] = to
	}
	slices.SortFunc(r.Moves, func(a, b Move) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	for _, run := range log.Runs {
		tool, cat := run.Tool.Driver.Name, run.Category()
		present := map[Key]bool{}
		for _, res := range stored(run.Results) {
			k := Key{tool, cat, res.RuleID, res.PartialFingerprints["primaryLocationLineHash"]}
			present[k] = true
			set(k, Open)
			uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
			if from, ok := r.path[k]; ok && from != uri {
				r.PathChanges = append(r.PathChanges, PathChange{Key: k, From: from, To: uri})
			}
			if r.path == nil {
				r.path = map[Key]string{}
			}
			r.path[k] = uri
		}
		for k, st := range r.Alerts {
			if k.Tool == tool && k.Category == cat && st == Open && !present[k] {
				set(k, Fixed)
			}
		}
	}
	slices.SortFunc(changes, func(a, b Change) int {
		return strings.Compare(fmt.Sprint(a.Key), fmt.Sprint(b.Key))
	})
	return changes, nil
}

// ruleIDs are the rules a run names or has results of, each once.
func ruleIDs(run Run) []string {
	var out []string
	for _, rule := range run.Tool.Driver.Rules {
		out = append(out, rule.ID)
	}
	for _, res := range run.Results {
		out = append(out, res.RuleID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// openIn counts the open alerts of the rule in the configuration (tool,
// category).
func (r *Repo) openIn(tool, category, rule string) int {
	n := 0
	for k, st := range r.Alerts {
		if st == Open && k.Tool == tool && k.Category == category && k.RuleID == rule {
			n++
		}
	}
	return n
}

// Alert identifies an alert as GitHub lists it: one per tool, rule and
// fingerprint, whichever configurations found it.
type Alert struct {
	Tool, RuleID, Fingerprint string
}

// OpenAlerts are the alerts open in at least one configuration: what the
// repository's alert list shows as open.
func (r *Repo) OpenAlerts() map[Alert][]string {
	out := map[Alert][]string{}
	for k, st := range r.Alerts {
		if st == Open {
			a := Alert{k.Tool, k.RuleID, k.Fingerprint}
			out[a] = append(out[a], k.Category)
		}
	}
	for _, cats := range out {
		slices.Sort(cats)
	}
	return out
}

// Configurations are the categories of a tool that hold alerts, sorted.
func (r *Repo) Configurations(tool string) []string {
	var out []string
	for k := range r.Alerts {
		if k.Tool == tool {
			out = append(out, k.Category)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// StaleConfigurations are the categories of a tool that have open alerts
// but were not in the last upload that had this tool: the ones GitHub's
// tool status page shows as stale, to delete once.
func (r *Repo) StaleConfigurations(tool string, lastUpload []string) []string {
	var out []string
	for _, cat := range r.Configurations(tool) {
		if slices.Contains(lastUpload, cat) {
			continue
		}
		for k, st := range r.Alerts {
			if k.Tool == tool && k.Category == cat && st == Open {
				out = append(out, cat)
				break
			}
		}
	}
	return out
}

// DeleteConfiguration removes a configuration and its alert states, as
// deleting its analyses on the tool status page does; an alert that only it
// had open is closed.
func (r *Repo) DeleteConfiguration(tool, category string) {
	for k := range r.Alerts {
		if k.Tool == tool && k.Category == category {
			delete(r.Alerts, k)
		}
	}
}

// stored keeps the results GitHub stores: all of them up to 5,000, else the
// 5,000 most severe (error, then warning, then note).
func stored(results []Result) []Result {
	if len(results) <= MaxResultsStored {
		return results
	}
	rank := map[string]int{"error": 0, "warning": 1, "": 1, "note": 2, "none": 3}
	sorted := slices.Clone(results)
	slices.SortStableFunc(sorted, func(a, b Result) int { return rank[a.Level] - rank[b.Level] })
	return sorted[:MaxResultsStored]
}

// Open returns the open alerts.
func (r *Repo) Open() []Key {
	var out []Key
	for k, st := range r.Alerts {
		if st == Open {
			out = append(out, k)
		}
	}
	return out
}

// Listed is what the repository's alert list shows as open: each alert open
// in at least one configuration.
func (r *Repo) Listed() map[Alert]bool {
	out := map[Alert]bool{}
	for a := range r.OpenAlerts() {
		out[a] = true
	}
	return out
}

// ListChanges compares two Listed views: the alerts that opened and those
// that closed between them, each sorted.
func ListChanges(before, after map[Alert]bool) (opened, closed []Alert) {
	for a := range after {
		if !before[a] {
			opened = append(opened, a)
		}
	}
	for a := range before {
		if !after[a] {
			closed = append(closed, a)
		}
	}
	by := func(a, b Alert) int {
		return strings.Compare(a.RuleID+"\x00"+a.Fingerprint, b.RuleID+"\x00"+b.Fingerprint)
	}
	slices.SortFunc(opened, by)
	slices.SortFunc(closed, by)
	return opened, closed
}

package report

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

const (
	sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"
	// defaultInfoURI is the tool's home when the run does not name one.
	defaultInfoURI = "https://github.com/atlcheck/atlcheck"
	// placeholderSnapshotURI is the artifact every location points at when
	// the run's snapshot was not written to a file (Snapshot.Path is ""):
	// SARIF and GitHub code scanning need a location on every result.
	placeholderSnapshotURI = "snapshot.json"
)

// SARIFOptions tune the SARIF writer; the zero value is the default.
type SARIFOptions struct {
	// MaxResults is the most results the file holds, all runs together:
	// 1 to MaxSARIFResults; 0 means MaxSARIFResults.
	MaxResults int
	// IncludeSuppressed writes suppressed findings as results with an
	// accepted suppression. Off by default: GitHub code scanning ignores
	// SARIF suppressions and would open an alert for each.
	IncludeSuppressed bool
}

// GitHub's other documented limits that the writer keeps to.
const (
	maxSARIFRules     = 1000
	maxSARIFTags      = 10
	maxSARIFGzipBytes = 10_000_000
)

// WriteSARIF renders run as a SARIF 2.1.0 log with the default options.
func WriteSARIF(w io.Writer, run *model.Run) error {
	return writeSARIF(w, run, SARIFOptions{})
}

// writeSARIF renders run as a SARIF 2.1.0 log for GitHub code scanning and
// other SARIF viewers: one run per SARIF group (sarif_runs.go), one rule
// per policy of the run, one result per finding or per folded policy
// (sarif_fold.go), every result located in the snapshot file. When the
// gzip-compressed log would exceed GitHub's 10 MB, the result budget is
// lowered by a quarter until it fits.
func writeSARIF(w io.Writer, run *model.Run, opts SARIFOptions) error {
	budget := opts.MaxResults
	if budget == 0 {
		budget = MaxSARIFResults
	}
	if budget < 1 || budget > MaxSARIFResults {
		return fmt.Errorf("sarif result limit %d is out of range (1 to %d)", budget, MaxSARIFResults)
	}
	for {
		log, err := buildSARIF(run, opts.IncludeSuppressed, budget)
		if err != nil {
			return err
		}
		b, err := encodeSARIF(log)
		if err != nil {
			return err
		}
		size, err := gzipSize(b)
		if err != nil {
			return err
		}
		if size <= maxSARIFGzipBytes {
			return writeAll(w, "sarif", b)
		}
		if budget <= 1 {
			return fmt.Errorf("the SARIF report is %d bytes gzip-compressed, over GitHub's limit of %d", size, maxSARIFGzipBytes)
		}
		budget = max(budget*3/4, 1)
	}
}

func encodeSARIF(log sarifLog) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return nil, fmt.Errorf("encode sarif report: %w", err)
	}
	return escape.JSONControls(buf.Bytes()), nil
}

// gzipSize is the size of b compressed as GitHub's upload compresses it.
func gzipSize(b []byte) (int, error) {
	var n countWriter
	zw := gzip.NewWriter(&n)
	if _, err := zw.Write(b); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int(n), nil
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// buildSARIF assembles the log; it is separate from writeSARIF for tests.
func buildSARIF(run *model.Run, includeSuppressed bool, budget int) (sarifLog, error) {
	p, err := planSARIF(run, includeSuppressed)
	if err != nil {
		return sarifLog{}, err
	}
	folded, err := planFold(p.written, budget)
	if err != nil {
		return sarifLog{}, err
	}
	totals := sarifTotals{Findings: len(run.Findings), MaxResults: budget,
		SuppressedOmitted: p.suppressedOmitted, Withheld: p.withheldFindings, InIncompleteRun: p.heldCount}
	log := sarifLog{Schema: sarifSchema, Version: "2.1.0"}
	for i, g := range p.groups {
		if g.withheld != "" {
			continue
		}
		r, err := sarifRunOf(run, p, i, folded, budget)
		if err != nil {
			return sarifLog{}, err
		}
		totals.Results += len(r.Results)
		acc := r.Properties["atlcheck/accounting"].(sarifAccounting)
		totals.Individual += acc.Individual
		totals.Folded += acc.Folded
		totals.Aggregates += acc.Aggregates
		totals.CarriedForward += acc.CarriedForward
		totals.CarriedFolded += acc.CarriedFolded
		log.Runs = append(log.Runs, r)
	}
	log.Properties = map[string]any{"atlcheck/totals": totals}
	return log, nil
}

// sarifTotals account for every finding of the run in the whole file:
// Individual + Folded + SuppressedOmitted + Withheld = Findings, and
// Results = Individual + Aggregates + CarriedForward. InIncompleteRun counts
// the findings (individual or folded) of runs left out that the
// "incomplete" run holds (sarif_runs.go); Withheld those not written at all
// (the incomplete run left out too). The baseline's
// findings a run could not re-check and carries forward (sarif_runs.go) are
// CarriedForward when written as results of their own and CarriedFolded
// when counted in an aggregate.
type sarifTotals struct {
	Findings          int `json:"findings"`
	Results           int `json:"results"`
	Individual        int `json:"individual"`
	Folded            int `json:"folded"`
	Aggregates        int `json:"aggregates"`
	SuppressedOmitted int `json:"suppressedOmitted"`
	Withheld          int `json:"withheld"`
	InIncompleteRun   int `json:"inIncompleteRun"`
	CarriedForward    int `json:"carriedForward"`
	CarriedFolded     int `json:"carriedFolded"`
	MaxResults        int `json:"maxResults"`
}

// sarifAccounting is the same count for one run.
type sarifAccounting struct {
	Findings          int `json:"findings"`
	Individual        int `json:"individual"`
	Folded            int `json:"folded"`
	Aggregates        int `json:"aggregates"`
	SuppressedOmitted int `json:"suppressedOmitted"`
	CarriedForward    int `json:"carriedForward"`
	CarriedFolded     int `json:"carriedFolded"`
}

// sarifPlan is where each finding goes: which run, and whether it is written.
type sarifPlan struct {
	// groups are the runs: general, the SARIF groups, and last the
	// incomplete run, which holds the findings of the groups left out.
	groups []runGroup
	// byGroup are the findings of each group's policies, in run order (for
	// the incomplete run: those of every group left out).
	byGroup [][]model.Finding
	// carried are the baseline findings each partial group carries forward.
	carried [][]model.Finding
	// written are the findings due to be results, before folding: those of
	// the runs written, and the carried ones.
	written           []model.Finding
	suppressedOmitted int
	// heldCount counts the findings due to be results of the incomplete run,
	// withheldFindings those of runs left out that are not written at all.
	heldCount         int
	withheldFindings  int
	includeSuppressed bool
}

// planSARIF decides which run each finding goes to and whether it is
// written, and which findings of the baseline each run carries forward.
func planSARIF(run *model.Run, includeSuppressed bool) (sarifPlan, error) {
	groups, err := sarifRunGroups(run)
	if err != nil {
		return sarifPlan{}, err
	}
	groupOf := map[string]int{}
	for i, g := range groups {
		for _, pr := range g.policies {
			groupOf[pr.Policy.ID] = i
		}
	}
	groups = append(groups, incompleteGroup(run, groups))
	held := len(groups) - 1
	inc := groups[held]
	p := sarifPlan{groups: groups, byGroup: make([][]model.Finding, len(groups)), carried: make([][]model.Finding, len(groups)),
		includeSuppressed: includeSuppressed}
	for _, f := range run.Findings {
		i := groupOf[f.PolicyID] // a finding of an unknown policy goes to the general run
		p.byGroup[i] = append(p.byGroup[i], f)
		if groups[i].withheld != "" {
			p.byGroup[held] = append(p.byGroup[held], f)
		}
		switch {
		case f.Suppressed && !includeSuppressed:
			p.suppressedOmitted++
		case groups[i].withheld != "" && inc.withheld != "":
			p.withheldFindings++
		case groups[i].withheld != "":
			p.heldCount++
			p.written = append(p.written, f)
		default:
			p.written = append(p.written, f)
		}
	}
	for _, f := range run.Unverified {
		i, ok := groupOf[f.PolicyID]
		if !ok || f.Suppressed && !includeSuppressed {
			continue
		}
		if groups[i].withheld != "" && inc.withheld == "" {
			i = held // its run is left out: the incomplete run carries it
		}
		if groups[i].partial != "" {
			p.carried[i] = append(p.carried[i], f)
			p.written = append(p.written, f)
		}
	}
	return p, nil
}

// sarifRunOf builds the run of group i.
func sarifRunOf(run *model.Run, p sarifPlan, i int, folded map[string]bool, budget int) (sarifRun, error) {
	g := p.groups[i]
	rules, index := sarifRules(g.policies, append(slices.Clone(p.byGroup[i]), p.carried[i]...))
	if len(rules) > maxSARIFRules {
		return sarifRun{}, fmt.Errorf("SARIF run %s would have %d rules, over GitHub's limit of %d", g.key, len(rules), maxSARIFRules)
	}
	uri := sarifURI(run.Snapshot.Path)
	artifact := sarifArtifact{
		Location: sarifAL{URI: uri},
		Roles:    []string{"analysisTarget"},
		MimeType: "application/json",
	}
	if run.Snapshot.SHA256 != "" {
		artifact.Hashes = map[string]string{"sha-256": run.Snapshot.SHA256}
	}
	results, acc := sarifResults(p.byGroup[i], p.carried[i], resultContext{index: index, uri: uri, folded: folded,
		budget: budget, includeSuppressed: p.includeSuppressed, why: g.partial})
	notes := sarifNotifications(g, append(slices.Clone(p.byGroup[i]), p.carried[i]...), folded, budget)
	if g.partial != "" {
		notes = append(notes, partialNotification(g, len(p.carried[i])))
	}
	if i == 0 {
		notes = append(notes, withheldNotifications(run, p)...)
	}
	if g.key == incompleteRunKey {
		notes = append(notes, incompleteNotification(run, p))
	}
	props := sarifRunProperties(run, g, p.byGroup[i])
	props["atlcheck/accounting"] = acc
	return sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:            cmp.Or(run.Tool.Name, "atlcheck"),
			Version:         run.Tool.Version,
			SemanticVersion: semanticVersion(run.Tool.Version),
			InformationURI:  cmp.Or(run.Tool.InfoURI, defaultInfoURI),
			Rules:           rules,
			Properties:      driverProperties(run.Tool),
		}},
		AutomationDetails: sarifAutomation{ID: sarifCategory(run.OrgID, g.key)},
		Invocations: []sarifInvocation{{
			ExecutionSuccessful: true,
			ExitCode:            run.ExitCode,
			Notifications:       notes,
		}},
		ColumnKind: "utf16CodeUnits",
		Artifacts:  []sarifArtifact{artifact},
		Results:    results,
		Properties: props,
	}, nil
}

// driverProperties records the build's commit and policy bundle digest, so
// an auditor can tell which policies produced the log.
func driverProperties(t model.Tool) map[string]string {
	props := map[string]string{}
	if t.Commit != "" {
		props["commit"] = t.Commit
	}
	if t.PolicyDigest != "" {
		props["policyDigest"] = t.PolicyDigest
	}
	if t.CustomPolicyDigest != "" {
		props["customPolicyDigest"] = t.CustomPolicyDigest
	}
	if len(props) == 0 {
		return nil
	}
	return props
}

// resultContext is what every result of one run is made with.
type resultContext struct {
	index             map[string]int
	uri               string
	folded            map[string]bool
	budget            int
	includeSuppressed bool
	// why the run carries findings forward ("" when it carries none).
	why string
}

// sarifResults maps a run's findings, in run order, and then the baseline's
// findings it carries forward, to results: one each, or one aggregate per
// folded policy at the place of its first finding (carried ones included).
// Suppressed findings are left out unless included.
func sarifResults(findings, carried []model.Finding, c resultContext) ([]sarifResult, sarifAccounting) {
	acc := sarifAccounting{Findings: len(findings)}
	results := make([]sarifResult, 0, min(len(findings)+len(carried), c.budget))
	byPolicy := map[string][]model.Finding{}
	carriedIn := map[string]int{}
	for _, f := range findings {
		if c.folded[f.PolicyID] && !f.Suppressed {
			byPolicy[f.PolicyID] = append(byPolicy[f.PolicyID], f)
		}
	}
	for _, f := range carried {
		if c.folded[f.PolicyID] {
			byPolicy[f.PolicyID] = append(byPolicy[f.PolicyID], f)
			carriedIn[f.PolicyID]++
		}
	}
	aggregate := func(f model.Finding) {
		group := byPolicy[f.PolicyID]
		if group == nil {
			return // the aggregate is written once, at its first finding
		}
		byPolicy[f.PolicyID] = nil
		n := carriedIn[f.PolicyID]
		results = append(results, aggregateResult(group, n, cmp.Or(f.Title, f.PolicyID), c.budget, c.index[f.PolicyID], c.uri))
		acc.Folded += len(group) - n
		acc.CarriedFolded += n
		acc.Aggregates++
	}
	for _, f := range findings {
		switch {
		case f.Suppressed && !c.includeSuppressed:
			acc.SuppressedOmitted++
		case c.folded[f.PolicyID] && !f.Suppressed:
			aggregate(f)
		default:
			results = append(results, sarifResultOf(f, c.index[f.PolicyID], c.uri))
			acc.Individual++
		}
	}
	for _, f := range carried {
		if c.folded[f.PolicyID] {
			aggregate(f)
			continue
		}
		results = append(results, carriedResult(f, c.index, c.uri, c.why))
		acc.CarriedForward++
	}
	return results, acc
}

// carriedResult is a baseline finding its run could not re-check: it stays
// an open alert, marked as carried forward.
func carriedResult(f model.Finding, index map[string]int, uri, why string) sarifResult {
	r := sarifResultOf(f, index[f.PolicyID], uri)
	r.Message.Text = shortMessage("Not re-checked in this run, carried forward from the last one: "+why+". "+f.Message,
		"Not re-checked in this run", f.Resource)
	r.BaselineState = model.BaselineUnchanged
	r.Properties.CarriedForward = true
	return r
}

// policySet is the set of the policies' ids.
func policySet(policies []model.PolicyResult) map[string]bool {
	out := make(map[string]bool, len(policies))
	for _, p := range policies {
		out[p.Policy.ID] = true
	}
	return out
}

// sarifResultOf is the result of one finding.
func sarifResultOf(f model.Finding, ruleIndex int, uri string) sarifResult {
	return sarifResult{
		RuleID:              sarifRuleID(f.PolicyID),
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: shortMessage(f.Message, cmp.Or(f.Title, f.PolicyID), f.Resource)},
		Locations:           sarifLocations(uri, f),
		PartialFingerprints: map[string]string{"primaryLocationLineHash": f.Fingerprint},
		Suppressions:        sarifSuppressions(f),
		BaselineState:       f.BaselineState,
		Properties: sarifResultProps{
			Resource: truncateRunes(f.Resource, maxResourceRunes),
			Path:     f.Path,
			Severity: f.Severity.String(),
		},
	}
}

// sarifLocations is a result's one location: the finding's place in the
// snapshot file (the run's only artifact).
func sarifLocations(uri string, f model.Finding) []sarifLocation {
	artifact := 0
	return []sarifLocation{{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifAL{URI: uri, Index: &artifact},
		Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 0)},
	}}}
}

// sarifSuppressions records the accepted-risk exception of a suppressed
// finding; the justification carries the reason, owner, expiry and ticket.
func sarifSuppressions(f model.Finding) []sarifSuppression {
	if !f.Suppressed {
		return nil
	}
	s := sarifSuppression{Kind: "external", Status: "accepted"}
	if e := f.Suppression; e != nil {
		s.Justification = suppressionText(e)
		s.Properties = map[string]string{"owner": e.Owner, "expires": e.Expires}
		if e.Ticket != "" {
			s.Properties["ticket"] = e.Ticket
		}
	}
	return []sarifSuppression{s}
}

// suppressionText is "reason (owner: o, expires: d, ticket: t)".
func suppressionText(e *model.Suppression) string {
	var extra []string
	for _, kv := range [][2]string{{"owner", e.Owner}, {"expires", e.Expires}, {"ticket", e.Ticket}} {
		if kv[1] != "" {
			extra = append(extra, kv[0]+": "+kv[1])
		}
	}
	if len(extra) == 0 {
		return e.Reason
	}
	return strings.TrimSpace(e.Reason + " (" + strings.Join(extra, ", ") + ")")
}

// sarifURI turns the snapshot path into a URI reference: forward slashes,
// each segment percent-encoded (":" too, so a first segment is never read as
// a scheme), absolute paths as file:// URIs. An empty path becomes the
// placeholder "snapshot.json".
func sarifURI(p string) string {
	if p == "" {
		return placeholderSnapshotURI
	}
	p = strings.ReplaceAll(p, `\`, "/")
	prefix := ""
	if len(p) >= 3 && p[1] == ':' && p[2] == '/' && unicode.IsLetter(rune(p[0])) { // C:/x
		prefix, p = "file:///"+p[:2], p[2:]
	} else if strings.HasPrefix(p, "/") {
		prefix = "file://"
	}
	p = path.Clean(p)
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
	}
	return prefix + strings.Join(segs, "/")
}

// semverPattern is the official SemVer 2.0.0 pattern, with an optional "v".
var semverPattern = regexp.MustCompile(`^v?((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?)$`)

// semanticVersion returns version without a leading "v" when it is a
// semantic version, else "".
func semanticVersion(version string) string {
	m := semverPattern.FindStringSubmatch(version)
	if m == nil {
		return ""
	}
	return m[1]
}

package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// Folding keeps a SARIF file within GitHub's result limits (docs/github.md,
// "Result limits"). GitHub stores at most 5,000 results per run, keeping the
// most severe, and rejects an upload with more than 25,000. atlcheck never
// lets GitHub choose: when the results of all written runs would exceed the
// budget (5,000, or less with --sarif-max-results), whole policies are folded,
// one aggregate result each, until the rest fits. Policies are folded from the
// least severe up; among equals, the one with the most findings first, then
// by id from the end, so the same org folds the same policies every night.
// Then each folded policy that fits again without going over (one folded
// early, before a larger one) is unfolded, the last folded first: as few
// policies as needed are folded, the least severe ones.
// An aggregate names its count and its first resources, and keeps a
// fingerprint of its own (policy id + "folded"), stable while the policy
// stays folded. Every finding is either a result or counted in an aggregate.

// MaxSARIFResults is GitHub code scanning's limit of stored results per run.
const MaxSARIFResults = 5000

// foldSample is how many resources an aggregate names.
const foldSample = 20

// foldedResource is the resource the fingerprint of an aggregate is made of;
// a NUL cannot start a real resource id from the snapshot.
const foldedResource = "\x00folded"

// foldCandidate is one policy's findings that are due to be written.
type foldCandidate struct {
	policy   string
	severity model.Severity
	n        int
}

// planFold returns the policies to fold so that at most budget results
// remain, or an error when even one result per policy is too many.
func planFold(findings []model.Finding, budget int) (map[string]bool, error) {
	counts := map[string]*foldCandidate{}
	var order []*foldCandidate
	for _, f := range findings {
		c, ok := counts[f.PolicyID]
		if !ok {
			c = &foldCandidate{policy: f.PolicyID, severity: f.Severity}
			counts[f.PolicyID] = c
			order = append(order, c)
		}
		c.n++
	}
	total := len(findings)
	folded := map[string]bool{}
	if total <= budget {
		return folded, nil
	}
	slices.SortFunc(order, func(a, b *foldCandidate) int {
		return cmp.Or(cmp.Compare(severityRank(b.severity), severityRank(a.severity)),
			cmp.Compare(b.n, a.n), cmp.Compare(b.policy, a.policy))
	})
	var chosen []*foldCandidate
	for _, c := range order {
		if total <= budget {
			break
		}
		if c.n < 2 {
			continue // folding one finding saves nothing
		}
		folded[c.policy] = true
		chosen = append(chosen, c)
		total -= c.n - 1
	}
	if total > budget {
		return nil, fmt.Errorf("the SARIF report needs at least %d results (one per policy with findings), more than the limit of %d", total, budget)
	}
	// A policy folded early may fit again once a larger one was folded after
	// it: unfold those, the last folded (most severe) first.
	for i := len(chosen) - 1; i >= 0; i-- {
		if c := chosen[i]; total+c.n-1 <= budget {
			delete(folded, c.policy)
			total += c.n - 1
		}
	}
	return folded, nil
}

// aggregateResult is the one result that stands for a folded policy's
// findings (in run order, at least two), of which the last carried were
// carried forward from the baseline.
func aggregateResult(findings []model.Finding, carried int, title string, budget, ruleIndex int, uri string) sarifResult {
	first := findings[0]
	n := len(findings)
	sample := make([]string, 0, min(n, foldSample))
	for _, f := range findings[:min(n, foldSample)] {
		sample = append(sample, truncateRunes(f.Resource, 80))
	}
	kept := ""
	if carried > 0 {
		kept = fmt.Sprintf(" (%s of them not re-checked in this run and carried forward from the last one)", thousands(carried))
	}
	text := fmt.Sprintf("%s: %s resources%s, folded into one alert. "+
		"atlcheck folds the least severe policies to keep the report within %s SARIF results. "+
		"The first %d: %s. The JSON report lists all of them (findings with policy_id %s).",
		title, thousands(n), kept, thousands(budget), len(sample), strings.Join(sample, ", "), first.PolicyID)
	return sarifResult{
		RuleID:              sarifRuleID(first.PolicyID),
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(first.Severity),
		Message:             sarifText{Text: shortMessage(text, title, thousands(n)+" resources")},
		Locations:           sarifLocations(uri, first),
		PartialFingerprints: map[string]string{"primaryLocationLineHash": model.Fingerprint(first.PolicyID, foldedResource)},
		Properties: sarifResultProps{
			Path:            commonPointer(findings),
			Severity:        first.Severity.String(),
			Folded:          n,
			FoldedResources: sample,
		},
	}
}

// commonPointer is the longest JSON Pointer prefix (whole segments) of the
// findings' paths, e.g. "/api_tokens/items".
func commonPointer(findings []model.Finding) string {
	prefix := strings.Split(findings[0].Path, "/")
	for _, f := range findings[1:] {
		segs := strings.Split(f.Path, "/")
		n := 0
		for n < len(prefix) && n < len(segs) && prefix[n] == segs[n] {
			n++
		}
		prefix = prefix[:n]
	}
	return strings.Join(prefix, "/")
}

package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode"

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

// WriteSARIF renders run as a SARIF 2.1.0 log for GitHub code scanning and
// other SARIF viewers: one rule per policy of the run, one result per finding
// (suppressed findings carry an accepted suppression), every result located
// in the snapshot file.
func WriteSARIF(w io.Writer, run *model.Run) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(buildSARIF(run)); err != nil {
		return fmt.Errorf("encode sarif report: %w", err)
	}
	return writeAll(w, "sarif", buf.Bytes())
}

// buildSARIF assembles the log; it is separate from WriteSARIF for tests.
func buildSARIF(run *model.Run) sarifLog {
	rules, index := sarifRules(run)
	uri := sarifURI(run.Snapshot.Path)
	artifact := sarifArtifact{
		Location: sarifAL{URI: uri},
		Roles:    []string{"analysisTarget"},
		MimeType: "application/json",
	}
	if run.Snapshot.SHA256 != "" {
		artifact.Hashes = map[string]string{"sha-256": run.Snapshot.SHA256}
	}
	return sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{{
		Tool: sarifTool{Driver: sarifDriver{
			Name:            cmp.Or(run.Tool.Name, "atlcheck"),
			Version:         run.Tool.Version,
			SemanticVersion: semanticVersion(run.Tool.Version),
			InformationURI:  cmp.Or(run.Tool.InfoURI, defaultInfoURI),
			Rules:           rules,
			Properties:      driverProperties(run.Tool),
		}},
		AutomationDetails: sarifAutomation{ID: "atlcheck/" + run.OrgID + "/"},
		Invocations: []sarifInvocation{{
			ExecutionSuccessful: true,
			ExitCode:            run.ExitCode,
			Notifications:       sarifNotifications(run, index),
		}},
		ColumnKind: "utf16CodeUnits",
		Artifacts:  []sarifArtifact{artifact},
		Results:    sarifResults(run, index, uri),
		Properties: sarifRunProperties(run),
	}}}
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

// sarifResults maps each finding, in run order, to a result.
func sarifResults(run *model.Run, index map[string]int, uri string) []sarifResult {
	results := make([]sarifResult, 0, len(run.Findings))
	artifact := 0
	for _, f := range run.Findings {
		region := sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 0)}
		msg := f.Message
		if msg == "" {
			msg = f.Title
		}
		results = append(results, sarifResult{
			RuleID:    f.PolicyID,
			RuleIndex: index[f.PolicyID],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifAL{URI: uri, Index: &artifact},
				Region:           region,
			}}},
			PartialFingerprints: map[string]string{"primaryLocationLineHash": f.Fingerprint},
			Suppressions:        sarifSuppressions(f),
			BaselineState:       f.BaselineState,
			Properties: sarifResultProps{
				Resource: f.Resource,
				Path:     f.Path,
				Severity: f.Severity.String(),
			},
		})
	}
	return results
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

// sarifNotifications reports each policy that could not be evaluated as a
// warning notification tied to its rule, so a gap in coverage is visible in
// the log and not mistaken for a pass.
func sarifNotifications(run *model.Run, index map[string]int) []sarifNotification {
	var out []sarifNotification
	for _, p := range run.Policies {
		if p.Status != model.StatusNotEvaluated {
			continue
		}
		msg := p.Policy.ID + " was not evaluated"
		if p.Reason != "" {
			msg += ": " + p.Reason
		}
		out = append(out, sarifNotification{
			Level:          "warning",
			Message:        sarifText{Text: msg},
			AssociatedRule: sarifRuleRef{ID: p.Policy.ID, Index: index[p.Policy.ID]},
		})
	}
	return out
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

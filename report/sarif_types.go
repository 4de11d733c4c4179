package report

// sarifLog is the subset of SARIF 2.1.0 that atlcheck writes, in our own
// structs rather than github.com/owenrumney/go-sarif/v3. That library
// (v3.3.1, tried first) declares index and offset fields as plain ints that
// its constructors set to the -1 "unset" sentinel and that cannot be omitted
// (artifactLocation.index, artifact.parentIndex and length,
// region.byteOffset and charOffset, location.id, result.rank); the SARIF
// Multitool flags the -1 indexes as SARIF2004 warnings on every result and
// artifact. It also writes about twenty empty arrays and defaults
// ("language", "contents", "kind") per run. Here every field is either set
// on purpose or omitted, so the log stays small and, for a release version,
// passes the Multitool without a warning.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
	// Properties account for every finding across the runs (atlcheck/totals).
	Properties map[string]any `json:"properties,omitempty"`
}

type sarifRun struct {
	Tool              sarifTool         `json:"tool"`
	AutomationDetails sarifAutomation   `json:"automationDetails"`
	Invocations       []sarifInvocation `json:"invocations"`
	ColumnKind        string            `json:"columnKind"`
	Artifacts         []sarifArtifact   `json:"artifacts"`
	Results           []sarifResult     `json:"results"`
	Properties        map[string]any    `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
	// Properties name the commit and the policy bundle digest of the build.
	Properties map[string]string `json:"properties,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name,omitempty"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	HelpURI              string            `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleProperty `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	Tags             []string `json:"tags"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Precision        string   `json:"precision"`
	Severity         string   `json:"severity"`
}

// sarifText is SARIF's message and multiformatMessageString.
type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	ExitCode            int                 `json:"exitCode"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string        `json:"level"`
	Message        sarifText     `json:"message"`
	AssociatedRule *sarifRuleRef `json:"associatedRule,omitempty"`
}

type sarifRuleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

type sarifArtifact struct {
	Location sarifAL           `json:"location"`
	Roles    []string          `json:"roles"`
	MimeType string            `json:"mimeType"`
	Hashes   map[string]string `json:"hashes,omitempty"`
}

// sarifAL is an artifactLocation.
type sarifAL struct {
	URI   string `json:"uri"`
	Index *int   `json:"index,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	BaselineState       string             `json:"baselineState,omitempty"`
	Properties          sarifResultProps   `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifAL     `json:"artifactLocation"`
	Region           sarifRegion `json:"region"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string            `json:"kind"`
	Status        string            `json:"status"`
	Justification string            `json:"justification,omitempty"`
	Properties    map[string]string `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Resource string `json:"resource,omitempty"`
	Path     string `json:"path"`
	Severity string `json:"severity"`
	// Folded is the number of findings an aggregate result stands for, and
	// FoldedResources the first of their resources.
	Folded          int      `json:"folded,omitempty"`
	FoldedResources []string `json:"foldedResources,omitempty"`
	// CarriedForward marks a finding of the baseline that this run could not
	// re-check (its area was collected in part).
	CarriedForward bool `json:"carriedForward,omitempty"`
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"

	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/inputfile"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// loadSnapshot reads a snapshot file. When the file is not a snapshot but
// another file atlcheck reads or writes (a report, a SARIF log, a diff, an
// attestation or config file), the error says what it is and which file was
// meant, instead of a schema error about a missing schema_version.
func loadSnapshot(ctx context.Context, path string) (*snapshot.Document, error) {
	doc, err := readSnapshot(ctx, path)
	if err == nil {
		return doc, nil
	}
	if kind := sniffFile(path); kind != "" && kind != kindSnapshot {
		return nil, usagef("%s is %s, not a snapshot: give the snapshot file it was made from "+
			"(written by 'atlcheck collect --output FILE' or 'atlcheck scan --snapshot-out FILE')", path, kind)
	}
	return nil, withCode(exitUsage, err)
}

// oneSnapshot returns the snapshot path given as --snapshot or as the one
// positional argument of cmd (check FILE).
func oneSnapshot(cmd, flagValue string, args []string) (string, error) {
	switch {
	case len(args) > 1:
		return "", usagef("%s: want one snapshot file, got %d arguments (%s)", cmd, len(args), strings.Join(args, " "))
	case len(args) == 1 && flagValue != "" && args[0] != flagValue:
		return "", usagef("%s: give the snapshot once, as --snapshot or as an argument, not both", cmd)
	case len(args) == 1:
		return args[0], nil
	}
	return flagValue, nil
}

// The kinds of file sniff names that a command given the wrong file compares
// against: its own kind is not an error of kind.
const (
	kindSnapshot   = "a snapshot"
	kindJSONReport = "an atlcheck JSON report (use it as --baseline)"
)

// sniffFile names the kind of the atlcheck file at path (see sniff).
func sniffFile(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	return sniff(f)
}

// sniff names the kind of an atlcheck file, from its first bytes and, for
// JSON, its top-level keys; "" when it looks like none of them (the reader's
// own error is then the useful one).
func sniff(in io.Reader) string {
	r := bufio.NewReaderSize(in, 64<<10)
	if head, _ := r.Peek(len(inputfile.BOM)); string(head) == inputfile.BOM {
		_, _ = r.Discard(len(inputfile.BOM))
	}
	head, _ := r.Peek(64 << 10)
	text := strings.TrimSpace(string(head))
	lower := strings.ToLower(text)
	switch {
	case strings.HasPrefix(text, "{"):
		return sniffJSON(r)
	case strings.HasPrefix(lower, "<!doctype html"), strings.HasPrefix(lower, "<html"):
		return "an HTML report"
	case strings.HasPrefix(text, "<?xml") && strings.Contains(text, "<testsuite"), strings.HasPrefix(text, "<testsuite"):
		return "a JUnit XML report"
	case strings.HasPrefix(text, "# atlcheck report"):
		return "a Markdown report"
	case strings.HasPrefix(text, "# Drift of ") || strings.HasPrefix(text, "Drift of "):
		return "a diff of two snapshots"
	case strings.HasPrefix(text, "policy,severity,title,"):
		return "a CSV report"
	case strings.HasPrefix(text, "::error") || strings.HasPrefix(text, "::warning") || strings.HasPrefix(text, "::notice"):
		return "a GitHub annotations report"
	case strings.HasPrefix(text, "atlcheck "):
		return "a text report"
	case (yamlKey(text, "attested_by") || yamlKey(text, "attested_at")) && strings.Contains(text, attestation.Placeholder):
		return "an attestation draft from 'atlcheck attest init' (fill in every " + attestation.Placeholder + ", then give it to collect or scan with --attestation)"
	case yamlKey(text, "attested_by") || yamlKey(text, "attested_at"):
		return "an attestation file (give it to collect or scan with --attestation)"
	case yamlKey(text, "parameters") || yamlKey(text, "exceptions") || yamlKey(text, "org_id"):
		return "a config file (give it with --config)"
	}
	return ""
}

// yamlKey reports whether a line of text (comments aside) starts with key:.
func yamlKey(text, key string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), key+":") {
			return true
		}
	}
	return false
}

// sniffJSON reads the top-level keys of a JSON object (skipping their values
// without keeping them) and names the atlcheck output they belong to.
func sniffJSON(r io.Reader) string {
	dec := json.NewDecoder(r)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	keys := map[string]bool{}
	var schema string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		key, _ := t.(string)
		keys[key] = true
		if key == "$schema" {
			_ = dec.Decode(&schema)
			continue
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
		skip = skip[:0]
	}
	switch {
	case keys["schema_version"] && keys["org"]:
		return kindSnapshot
	case strings.Contains(strings.ToLower(schema), "sarif") || (keys["runs"] && keys["version"]):
		return "a SARIF log (a report atlcheck writes for code scanning)"
	case keys["findings"] && keys["summary"] && keys["gate"]:
		return kindJSONReport
	case keys["format_version"] && keys["changes"]:
		return "a diff of two snapshots (atlcheck diff --format json)"
	}
	return ""
}

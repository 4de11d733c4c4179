package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// multitoolRuleKinds are the rule sets the golden SARIF must pass: GitHub
// code scanning's ingestion rules and the SARIF specification's.
const multitoolRuleKinds = "Gh;Sarif"

// TestSARIFMultitool validates the golden SARIF files with the SARIF
// Multitool (npm @microsoft/sarif-multitool, installed into node_modules by
// the Makefile) and fails on every error it reports. The tool exits 0 even
// when it finds errors, so its output is read line by line.
func TestSARIFMultitool(t *testing.T) {
	tool := multitoolPath(t)
	edge, err := filepath.Abs(filepath.Join(t.TempDir(), "edge.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(edge, render(t, "sarif", edgeRun()), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{filepath.Join("testdata", "golden", "run.sarif"), filepath.Join("testdata", "golden", "empty.sarif"), edge}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			file, err := filepath.Abs(name)
			if err != nil {
				t.Fatal(err)
			}
			out := runMultitool(t, tool, file)
			if !strings.Contains(out, "Analysis completed successfully") {
				t.Fatalf("sarif-multitool did not complete:\n%s", out)
			}
			for _, line := range strings.Split(out, "\n") {
				if strings.Contains(line, ": error") {
					t.Errorf("sarif-multitool: %s", line)
				}
			}
		})
	}
}

// multitoolPath finds node_modules/.bin/sarif-multitool at the repository
// root. When it is missing the test is skipped, or fails when
// ATLCHECK_REQUIRE_SARIF_MULTITOOL=1 (as make test sets).
func multitoolPath(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	tool := filepath.Join(root, "node_modules", ".bin", "sarif-multitool")
	if _, err := os.Stat(tool); err == nil {
		return tool
	}
	msg := "sarif-multitool not found at " + tool + "; install it with " +
		"`npm install --no-save --no-audit --no-fund @microsoft/sarif-multitool` in the repository root (or `make test`)"
	if os.Getenv("ATLCHECK_REQUIRE_SARIF_MULTITOOL") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// runMultitool runs `sarif-multitool validate` on file and returns its
// combined output. A non-zero exit means it could not run, which fails the
// test.
func runMultitool(t *testing.T, tool, file string) string {
	t.Helper()
	args := []string{"validate", file, "--rule-kind", multitoolRuleKinds,
		"--output", filepath.Join(t.TempDir(), "out.sarif"), "--log", "ForceOverwrite"}
	if real, err := filepath.EvalSymlinks(tool); err == nil && strings.HasSuffix(real, ".js") {
		// The npm wrapper re-runs its arguments through a shell, where the
		// ";" of "Gh;Sarif" would end the command: quote every argument.
		for i, a := range args {
			args[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	// The .NET runtime aborts without ICU unless globalization is invariant.
	cmd.Env = append(os.Environ(), "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("sarif-multitool could not run: %v\n%s", err, out.String())
	}
	return out.String()
}

package ghaction

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The tests below run the action's bash scripts as GitHub runs a
// `shell: bash` step (bash --noprofile --norc -eo pipefail FILE), with the
// step's env: expressions resolved from test inputs, against a fake atlcheck
// (and a fake go for the build step).

// fakeAtlcheck records its arguments in $FAKE_LOG, one per line and "--"
// after each call, writes the report (a JSON report with 7 unsuppressed
// findings when --format json) and the snapshot, and exits with $FAKE_EXIT,
// or 0 with --fail-on none. An exit of 2 or more writes nothing.
const fakeAtlcheck = `#!/usr/bin/env bash
printf '%s\n' "$@" -- >> "$FAKE_LOG"
fmt=text out= snapout= failon=high
while [ $# -gt 0 ]; do
  case "$1" in
    --format) fmt=$2; shift ;;
    --output) out=$2; shift ;;
    --snapshot-out) snapout=$2; shift ;;
    --fail-on) failon=$2; shift ;;
  esac
  shift
done
code=${FAKE_EXIT:-0}
if [ "$failon" = none ]; then code=0; fi
if [ "$code" -ge 2 ]; then exit "$code"; fi
if [ -n "$snapout" ]; then echo '{}' > "$snapout"; fi
if [ -n "$out" ]; then
  case "$fmt" in
    json) echo '{"summary": {"critical": 1, "high": 2, "medium": 0, "low": 3, "info": 1, "suppressed": 4, "not_evaluated": 0}}' > "$out" ;;
    github) echo '::error file=x.json,line=1,title=ATL-1 t::m' > "$out" ;;
    *) echo "$fmt report" > "$out" ;;
  esac
fi
exit "$code"
`

// simpleExprRE is an env: value that is exactly one context reference.
var simpleExprRE = regexp.MustCompile(`^\$\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}$`)

// stepRun is one run of a step's script.
type stepRun struct {
	code    int
	log     string            // stdout and stderr
	outputs map[string]string // what it wrote to GITHUB_OUTPUT
	calls   [][]string        // the fake atlcheck's calls
}

// runStep runs the script of the action's step id in dir. inputs override the
// inputs' defaults; ctx resolves the other expressions (steps.…, github.…);
// env is added to the process environment.
func runStep(t *testing.T, id, dir string, inputs, ctx, env map[string]string) stepRun {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	a, _ := loadAction(t)
	st := stepByID(t, a, id)
	if st.Shell != "bash" {
		t.Fatalf("step %s: shell %q, want bash", id, st.Shell)
	}
	tmp := t.TempDir()
	script := filepath.Join(tmp, "step.sh")
	if err := os.WriteFile(script, []byte(st.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(tmp, "github_output")
	logFile := filepath.Join(tmp, "calls")
	environ := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + tmp,
		"GITHUB_OUTPUT=" + outFile,
		"RUNNER_TEMP=" + tmp,
		"RUNNER_OS=Linux",
		"FAKE_LOG=" + logFile,
	}
	for name, value := range st.Env {
		if m := simpleExprRE.FindStringSubmatch(value); m != nil {
			ref := m[1]
			if in, ok := strings.CutPrefix(ref, "inputs."); ok {
				decl, declared := a.Inputs[in]
				if !declared {
					t.Fatalf("step %s: env %s names undeclared input %s", id, name, in)
				}
				value = decl.Default
				if v, ok := inputs[in]; ok {
					value = v
				}
			} else if v, ok := ctx[ref]; ok {
				value = v
			} else {
				t.Fatalf("step %s: env %s: the test does not know %s", id, name, ref)
			}
		} else if strings.Contains(value, "${{") {
			t.Fatalf("step %s: env %s is %q; keep env values to one context reference", id, name, value)
		}
		environ = append(environ, name+"="+value)
	}
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	for k := range inputs {
		if _, ok := a.Inputs[k]; !ok {
			t.Fatalf("the test sets undeclared input %s", k)
		}
	}
	cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir = dir
	cmd.Env = environ
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	err = cmd.Run()
	r := stepRun{log: buf.String(), outputs: map[string]string{}}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if data, err := os.ReadFile(outFile); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(data))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), "=")
			if !ok {
				t.Fatalf("GITHUB_OUTPUT line %q is not name=value", sc.Text())
			}
			if _, dup := r.outputs[k]; dup {
				t.Errorf("output %s written twice", k)
			}
			r.outputs[k] = v
		}
	}
	if data, err := os.ReadFile(logFile); err == nil {
		var call []string
		for line := range strings.SplitSeq(strings.TrimSuffix(string(data), "\n"), "\n") {
			if line == "--" {
				r.calls = append(r.calls, call)
				call = nil
				continue
			}
			call = append(call, line)
		}
	}
	return r
}

// runAction runs the action's run step in a fresh work directory with the
// fake atlcheck. files are created (empty JSON) in the work directory first.
func runAction(t *testing.T, inputs, env map[string]string, files ...string) (stepRun, string) {
	t.Helper()
	if _, err := exec.LookPath("jq"); err != nil {
		if _, err := exec.LookPath("python3"); err != nil {
			t.Skip("neither jq nor python3 is installed")
		}
	}
	bin := filepath.Join(t.TempDir(), "atlcheck")
	if err := os.WriteFile(bin, []byte(fakeAtlcheck), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := runStep(t, "run", dir, inputs, map[string]string{"steps.install.outputs.path": bin}, env)
	return r, dir
}

func args(s string) []string { return strings.Fields(s) }

func wantCalls(t *testing.T, r stepRun, want ...[]string) {
	t.Helper()
	if len(r.calls) != len(want) {
		t.Fatalf("atlcheck ran %d times, want %d: %q\n%s", len(r.calls), len(want), r.calls, r.log)
	}
	for i := range want {
		if !slices.Equal(r.calls[i], want[i]) {
			t.Errorf("call %d:\n got %q\nwant %q", i, r.calls[i], want[i])
		}
	}
}

func wantOutputs(t *testing.T, r stepRun, want map[string]string) {
	t.Helper()
	for k, v := range want {
		if got, ok := r.outputs[k]; !ok || got != v {
			t.Errorf("output %s = %q (set: %v), want %q\n%s", k, got, ok, v, r.log)
		}
	}
}

func wantCode(t *testing.T, r stepRun, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\n%s", r.code, code, r.log)
	}
}

// TestRunSetsEveryOutput checks that a run writes each declared output.
func TestRunSetsEveryOutput(t *testing.T) {
	a, _ := loadAction(t)
	for _, exit := range []string{"0", "1", "3"} {
		r, _ := runAction(t, map[string]string{"snapshot": "s.json"}, map[string]string{"FAKE_EXIT": exit}, "s.json")
		got := slices.Sorted(maps.Keys(r.outputs))
		var want []string
		for name, out := range a.Outputs {
			if strings.Contains(out.Value, "steps.run.") {
				want = append(want, name)
			}
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("exit %s: outputs written %v, declared %v", exit, got, want)
		}
	}
}

func TestRunCheck(t *testing.T) {
	r, _ := runAction(t, map[string]string{
		"snapshot": "snap/acme.json",
		"config":   "c.yaml",
		"policies": "p1\n p2  p3\n",
	}, nil, "snap/acme.json")
	wantCode(t, r, 0)
	common := "--config c.yaml --policies p1 --policies p2 --policies p3"
	wantCalls(t, r,
		args("check --snapshot snap/acme.json "+common+" --format sarif --output atlcheck.sarif --fail-on high"),
		args("check --snapshot snap/acme.json "+common+" --format json --output atlcheck.json --fail-on high --no-step-summary"))
	wantOutputs(t, r, map[string]string{
		"sarif-file": "atlcheck.sarif", "report-file": "atlcheck.sarif", "json-file": "atlcheck.json",
		"snapshot-file": "snap/acme.json", "findings": "7", "gate": "pass", "exit-code": "0",
	})
}

func TestRunScanGateFails(t *testing.T) {
	r, dir := runAction(t, map[string]string{
		"org-id":      "org-1",
		"attestation": "att.yaml",
		"output":      "reports/out.sarif",
		"fail-on":     "medium",
	}, map[string]string{"FAKE_EXIT": "1", "ATLASSIAN_ADMIN_API_KEY": "k"})
	wantCode(t, r, 1)
	wantCalls(t, r,
		args("scan --org org-1 --attestation att.yaml --snapshot-out reports/out.sarif.snapshot.json --format sarif --output reports/out.sarif --fail-on medium"),
		args("check --snapshot reports/out.sarif.snapshot.json --format json --output reports/out.json --fail-on medium --no-step-summary"))
	wantOutputs(t, r, map[string]string{
		"sarif-file": "reports/out.sarif", "json-file": "reports/out.json",
		"snapshot-file": "reports/out.sarif.snapshot.json", "findings": "7", "gate": "fail", "exit-code": "1",
	})
	if strings.Contains(r.log, "ATLASSIAN_ADMIN_API_KEY is not set") {
		t.Error("warned about a key that is set")
	}
	if _, err := os.Stat(filepath.Join(dir, "reports", "out.json")); err != nil {
		t.Error(err)
	}
}

func TestRunScanWithoutKeyWarns(t *testing.T) {
	r, _ := runAction(t, map[string]string{"snapshot-out": "s/snap.json"}, map[string]string{"FAKE_EXIT": "2"})
	wantCode(t, r, 2)
	wantCalls(t, r, args("scan --snapshot-out s/snap.json --format sarif --output atlcheck.sarif --fail-on high"))
	if !strings.Contains(r.log, "::warning::atlcheck: ATLASSIAN_ADMIN_API_KEY is not set") {
		t.Errorf("no warning about the missing key:\n%s", r.log)
	}
}

// TestRunErrorsPassThrough checks that an error exit code (2 or more) ends the
// step with that code, with the outputs set and no JSON report attempted.
func TestRunErrorsPassThrough(t *testing.T) {
	for _, tc := range []struct {
		exit string
		code int
	}{{"2", 2}, {"3", 3}, {"130", 130}} {
		r, _ := runAction(t, map[string]string{"org-id": "o"},
			map[string]string{"FAKE_EXIT": tc.exit, "ATLASSIAN_ADMIN_API_KEY": "k"})
		wantCode(t, r, tc.code)
		if len(r.calls) != 1 {
			t.Errorf("exit %s: atlcheck ran %d times, want 1", tc.exit, len(r.calls))
		}
		wantOutputs(t, r, map[string]string{
			"sarif-file": "", "report-file": "", "json-file": "", "snapshot-file": "",
			"findings": "", "gate": "error", "exit-code": tc.exit,
		})
	}
}

func TestRunBaseline(t *testing.T) {
	r, _ := runAction(t, map[string]string{
		"snapshot":         "s.json",
		"baseline":         "previous/atlcheck.json",
		"fail-on-new-only": "true",
		"step-summary":     "false",
	}, nil, "s.json", "previous/atlcheck.json")
	wantCode(t, r, 0)
	wantCalls(t, r,
		args("check --snapshot s.json --no-step-summary --baseline previous/atlcheck.json --format sarif --output atlcheck.sarif --fail-on high --fail-on-new-only"),
		args("check --snapshot s.json --baseline previous/atlcheck.json --format json --output atlcheck.json --fail-on high --fail-on-new-only --no-step-summary"))
}

// TestRunMissingBaseline checks that a first run, whose baseline does not
// exist yet, runs without one and without --fail-on-new-only.
func TestRunMissingBaseline(t *testing.T) {
	r, _ := runAction(t, map[string]string{
		"snapshot":         "s.json",
		"baseline":         "previous/atlcheck.json",
		"fail-on-new-only": "true",
	}, nil, "s.json")
	wantCode(t, r, 0)
	wantCalls(t, r,
		args("check --snapshot s.json --format sarif --output atlcheck.sarif --fail-on high"),
		args("check --snapshot s.json --format json --output atlcheck.json --fail-on high --no-step-summary"))
	if !strings.Contains(r.log, "::warning::atlcheck: baseline previous/atlcheck.json does not exist") {
		t.Errorf("no warning about the missing baseline:\n%s", r.log)
	}
}

// TestRunJSONFormat checks that a JSON report is counted as it is, without a
// second run.
func TestRunJSONFormat(t *testing.T) {
	r, _ := runAction(t, map[string]string{"snapshot": "s.json", "format": "json", "output": "r.json"},
		map[string]string{"FAKE_EXIT": "1"}, "s.json")
	wantCode(t, r, 1)
	wantCalls(t, r, args("check --snapshot s.json --format json --output r.json --fail-on high"))
	wantOutputs(t, r, map[string]string{"sarif-file": "", "report-file": "r.json", "json-file": "r.json", "findings": "7", "gate": "fail"})
}

func TestRunJSONOutputPaths(t *testing.T) {
	for _, tc := range []struct {
		output, jsonOutput, format, want string
	}{
		{"atlcheck.sarif", "", "sarif", "atlcheck.json"},
		{"a.b/report", "", "markdown", "a.b/report.json"},
		{"r.json", "", "sarif", "r.json.report.json"},
		{"out.md", "keep/me.json", "markdown", "keep/me.json"},
	} {
		r, _ := runAction(t, map[string]string{"snapshot": "s.json", "format": tc.format, "output": tc.output, "json-output": tc.jsonOutput}, nil, "s.json")
		wantCode(t, r, 0)
		wantOutputs(t, r, map[string]string{"report-file": tc.output, "json-file": tc.want})
	}
}

// TestRunPrintsAnnotations checks that the github format's workflow commands
// reach the log, and that a text report's lines cannot act as commands.
func TestRunPrintsAnnotations(t *testing.T) {
	r, _ := runAction(t, map[string]string{"snapshot": "s.json", "format": "github", "output": "a.txt"}, nil, "s.json")
	wantCode(t, r, 0)
	if !strings.Contains(r.log, "\n::error file=x.json,line=1,title=ATL-1 t::m\n") {
		t.Errorf("the annotations are not in the log:\n%s", r.log)
	}
	r, _ = runAction(t, map[string]string{"snapshot": "s.json", "format": "text", "output": "r.txt"}, nil, "s.json")
	wantCode(t, r, 0)
	m := regexp.MustCompile(`(?s)::stop-commands::(\S+)\ntext report\n::(\S+)::`).FindStringSubmatch(r.log)
	if m == nil || m[1] != m[2] {
		t.Errorf("the text report is not wrapped in stop-commands:\n%s", r.log)
	}
}

// TestRunRejectsLineBreaks checks that a path with a line break, which could
// forge outputs, is refused before atlcheck runs.
func TestRunRejectsLineBreaks(t *testing.T) {
	r, _ := runAction(t, map[string]string{"snapshot": "s.json", "output": "a.sarif\ngate=pass"}, nil, "s.json")
	wantCode(t, r, 2)
	wantCalls(t, r)
	wantOutputs(t, r, map[string]string{"gate": "error", "exit-code": "2"})
}

// TestBuildStep runs the build step with a fake go: it builds ./cmd/atlcheck
// in the action's directory into $RUNNER_TEMP and stamps the version or
// commit of the action's ref.
func TestBuildStep(t *testing.T) {
	goDir := t.TempDir()
	fakeGo := `#!/usr/bin/env bash
{ pwd; printf '%s\n' "$@"; echo "GOTOOLCHAIN=$GOTOOLCHAIN GOFLAGS=$GOFLAGS CGO_ENABLED=$CGO_ENABLED"; } > "$FAKE_LOG"
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then printf '#!/bin/sh\necho fake atlcheck\n' > "$2"; chmod +x "$2"; fi
  shift
done
`
	if err := os.WriteFile(filepath.Join(goDir, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	sha := strings.Repeat("ab", 20)
	for ref, ldflags := range map[string]string{
		"v1.2.3": "-X github.com/atlcheck/atlcheck/internal/version.version=v1.2.3",
		sha:      "-X github.com/atlcheck/atlcheck/internal/version.commit=" + sha,
		"main":   "",
		"":       "",
	} {
		actionPath := t.TempDir()
		logFile := filepath.Join(t.TempDir(), "go.log")
		env := map[string]string{
			"PATH":               goDir + string(os.PathListSeparator) + os.Getenv("PATH"),
			"GITHUB_ACTION_PATH": actionPath,
			"FAKE_LOG":           logFile,
		}
		r := runStep(t, "install", t.TempDir(), nil, map[string]string{"github.action_ref": ref, "steps.release.outputs.path": ""}, env)
		wantCode(t, r, 0)
		data, err := os.ReadFile(logFile)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if real, _ := filepath.EvalSymlinks(actionPath); lines[0] != actionPath && lines[0] != real {
			t.Errorf("ref %q: go ran in %s, want the action's directory %s", ref, lines[0], actionPath)
		}
		got := lines[1 : len(lines)-1]
		bin := r.outputs["path"]
		if filepath.Base(bin) != "atlcheck" {
			t.Errorf("ref %q: path output %q", ref, bin)
		}
		want := []string{"build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", bin, "./cmd/atlcheck"}
		if !slices.Equal(got, want) {
			t.Errorf("ref %q: go %q, want %q", ref, got, want)
		}
		if env := lines[len(lines)-1]; env != "GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0" {
			t.Errorf("ref %q: build environment %s", ref, env)
		}
		if !strings.Contains(r.log, "fake atlcheck") {
			t.Errorf("ref %q: the build step does not run the binary's version command:\n%s", ref, r.log)
		}
	}
}

// TestRunWithRealBinary builds atlcheck and runs the action's run step on the
// demo snapshot: the SARIF report and the JSON report exist, and the findings
// output is the JSON report's count of unsuppressed findings.
func TestRunWithRealBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds atlcheck")
	}
	snapshot := filepath.Join(repoRoot, "testdata", "snapshots", "acme.json")
	data, err := os.ReadFile(snapshot)
	if err != nil {
		t.Skip("no demo snapshot:", err)
	}
	if _, err := exec.LookPath("jq"); err != nil {
		if _, err := exec.LookPath("python3"); err != nil {
			t.Skip("neither jq nor python3 is installed")
		}
	}
	bin := filepath.Join(t.TempDir(), "atlcheck")
	build := exec.Command("go", "build", "-o", bin, "./cmd/atlcheck")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "acme.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(t.TempDir(), "summary.md")
	r := runStep(t, "run", dir,
		map[string]string{"snapshot": "acme.json", "fail-on": "none", "output": "out/atlcheck.sarif"},
		map[string]string{"steps.install.outputs.path": bin},
		map[string]string{"GITHUB_STEP_SUMMARY": summary})
	wantCode(t, r, 0)
	wantOutputs(t, r, map[string]string{"sarif-file": "out/atlcheck.sarif", "json-file": "out/atlcheck.json", "gate": "pass"})

	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
		Properties struct {
			Totals struct {
				Findings, Individual, Folded, SuppressedOmitted, Withheld int
			} `json:"atlcheck/totals"`
		} `json:"properties"`
	}
	readJSON(t, filepath.Join(dir, "out", "atlcheck.sarif"), &sarif)
	if sarif.Version != "2.1.0" || len(sarif.Runs) < 2 {
		t.Errorf("SARIF version %q with %d runs, want one per area set", sarif.Version, len(sarif.Runs))
	}
	var report struct {
		Summary map[string]int `json:"summary"`
	}
	readJSON(t, filepath.Join(dir, "out", "atlcheck.json"), &report)
	s := report.Summary
	want := s["critical"] + s["high"] + s["medium"] + s["low"] + s["info"]
	if got := r.outputs["findings"]; got != strconv.Itoa(want) {
		t.Errorf("findings output %q, the JSON report counts %d", got, want)
	}
	results := 0
	for _, run := range sarif.Runs {
		results += len(run.Results)
	}
	tot := sarif.Properties.Totals
	if tot.Findings != want+s["suppressed"] || tot.Individual+tot.Folded+tot.SuppressedOmitted+tot.Withheld != tot.Findings ||
		results != tot.Individual || tot.SuppressedOmitted != s["suppressed"] {
		t.Errorf("SARIF has %d results and totals %+v; the JSON report %d findings, %d suppressed", results, tot, want+s["suppressed"], s["suppressed"])
	}
	md, err := os.ReadFile(summary)
	if err != nil || len(md) == 0 {
		t.Errorf("the job summary was not written: %v", err)
	}

	// The same run with a gate: exit 1 and gate fail, outputs still set, and
	// the JSON report records that gate (fleet report and history read it).
	r = runStep(t, "run", dir,
		map[string]string{"snapshot": "acme.json", "fail-on": "info", "step-summary": "false"},
		map[string]string{"steps.install.outputs.path": bin}, nil)
	if want > 0 {
		wantCode(t, r, 1)
		wantOutputs(t, r, map[string]string{"gate": "fail", "exit-code": "1", "sarif-file": "atlcheck.sarif",
			"json-file": "atlcheck.json", "findings": strconv.Itoa(want)})
		var gated struct {
			Gate struct {
				FailOn string `json:"fail_on"`
				Failed bool   `json:"failed"`
			} `json:"gate"`
		}
		readJSON(t, filepath.Join(dir, "atlcheck.json"), &gated)
		if gated.Gate.FailOn != "info" || !gated.Gate.Failed {
			t.Errorf("JSON report gate %+v, want fail_on info and failed: the gate the step ran", gated.Gate)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestRunReportLimits(t *testing.T) {
	r, _ := runAction(t, map[string]string{
		"snapshot": "s.json", "sarif-max-results": "1000", "sarif-include-suppressed": "true",
		"markdown-for": "pr", "max-bytes": "9000", "full-report": "the artifact",
	}, nil, "s.json")
	wantCode(t, r, 0)
	wantCalls(t, r,
		append(args("check --snapshot s.json --sarif-max-results 1000 --sarif-include-suppressed --markdown-for pr --max-bytes 9000"),
			append([]string{"--full-report", "the artifact"}, args("--format sarif --output atlcheck.sarif --fail-on high")...)...),
		args("check --snapshot s.json --format json --output atlcheck.json --fail-on high --no-step-summary"))
	// Without full-report, the note names the workflow run.
	r, _ = runAction(t, map[string]string{"snapshot": "s.json"},
		map[string]string{"GITHUB_RUN_ID": "42", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "o/r"}, "s.json")
	if i := slices.Index(r.calls[0], "--full-report"); i < 0 || r.calls[0][i+1] != "the workflow run https://github.com/o/r/actions/runs/42" {
		t.Errorf("calls %q, want --full-report naming the run", r.calls[0])
	}
}

package ghaction

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const fleetFile = ".github/workflows/atlcheck-fleet.yml"

// TestFleetWorkflow checks the example fleet workflow's parts: a job that
// computes the matrix with `atlcheck fleet matrix`, a matrix job per org
// running the action with the key from the secret its key_env names, a
// SARIF upload per org from outside the checkout, and a summary job running
// `atlcheck fleet report`.
func TestFleetWorkflow(t *testing.T) {
	data := readFile(t, fleetFile)
	var wf struct {
		Jobs map[string]struct {
			Needs    yaml.Node `yaml:"needs"`
			Strategy struct {
				FailFast *bool  `yaml:"fail-fast"`
				Matrix   string `yaml:"matrix"`
			} `yaml:"strategy"`
			Steps []step `yaml:"steps"`
		} `yaml:"jobs"`
	}
	decodeStrict(t, fleetFile, data, &wf, false)
	runs := func(job, cmd string) bool {
		for _, st := range wf.Jobs[job].Steps {
			if strings.Contains(st.Run, `"$ATLCHECK" `+cmd) {
				return true
			}
		}
		return false
	}
	if !runs("matrix", "fleet matrix") {
		t.Error("the matrix job does not run atlcheck fleet matrix")
	}
	for _, job := range []string{"scan", "upload"} {
		s := wf.Jobs[job].Strategy
		if s.Matrix != "${{ fromJSON(needs.matrix.outputs.matrix) }}" || s.FailFast == nil || *s.FailFast {
			t.Errorf("job %s: strategy %+v, want the matrix job's matrix and fail-fast: false", job, s)
		}
	}
	var action *step
	for i, st := range wf.Jobs["scan"].Steps {
		if st.Uses == "./" {
			action = &wf.Jobs["scan"].Steps[i]
		}
	}
	if action == nil {
		t.Fatal("the scan job does not run the action")
	}
	if got := action.Env["ATLASSIAN_ADMIN_API_KEY"]; got != "${{ secrets[matrix.key_env] }}" {
		t.Errorf("the scan's key is %q, want the secret the org's key_env names", got)
	}
	for input, want := range map[string]string{"org-id": "matrix.id", "attestation": "matrix.attestation", "config": "matrix.config"} {
		if !strings.Contains(action.With[input], want) {
			t.Errorf("the action's %s is %q, want %s", input, action.With[input], want)
		}
	}
	// Each SARIF run names its own category, atlcheck/<org id>/<areas>/
	// (report/sarif_runs.go); the upload's category input only fills in a
	// run that names none, and stays per org so orgs never share one.
	uploads := usesPrefix(wf.Jobs["upload"].Steps, uploadSARIF)
	if len(uploads) != 1 || !strings.Contains(uploads[0].With["category"], "${{ matrix.id }}") {
		t.Fatalf("want one SARIF upload per org with a per-org fallback category, got %+v", uploads)
	}
	// The report is downloaded outside the checkout (upload-sarif re-hashes
	// every file under the checkout that a result points at: the snapshot)
	// and uploaded from there.
	downloads := usesPrefix(wf.Jobs["upload"].Steps, downloadArtifact)
	if len(downloads) != 1 || !strings.HasPrefix(downloads[0].With["path"], "${{ runner.temp }}/") ||
		!strings.HasPrefix(uploads[0].With["sarif_file"], downloads[0].With["path"]) {
		t.Errorf("want the org's report downloaded under ${{ runner.temp }} and uploaded from there, got %+v then %+v", downloads, uploads)
	}
	for _, st := range wf.Jobs["scan"].Steps {
		if strings.HasPrefix(st.Uses, uploadSARIF) {
			t.Error("the job holding the key uploads SARIF")
		}
	}
	if !runs("summary", "fleet report") {
		t.Error("the summary job does not run atlcheck fleet report")
	}
}

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
// SARIF upload per org under its own category, and a summary job running
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
	uploads := usesPrefix(wf.Jobs["upload"].Steps, uploadSARIF)
	if len(uploads) != 1 || uploads[0].With["category"] != "atlcheck/${{ matrix.id }}/" {
		t.Errorf("want one SARIF upload per org with category atlcheck/<org id>/, got %+v", uploads)
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

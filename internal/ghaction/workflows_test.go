package ghaction

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	uploadSARIF      = "github/codeql-action/upload-sarif@"
	uploadArtifact   = "actions/upload-artifact@"
	downloadArtifact = "actions/download-artifact@"
	scheduledFile    = ".github/workflows/atlcheck-scheduled.yml"
)

// permissionMap decodes a permissions: node. A missing node is (nil, false);
// "read-all" and "write-all" are reported as errors by the caller through the
// scalar return.
func permissionMap(t *testing.T, where string, n *yaml.Node) (perms map[string]string, present bool, scalar string) {
	t.Helper()
	switch n.Kind {
	case 0:
		return nil, false, ""
	case yaml.ScalarNode:
		return nil, true, n.Value
	case yaml.MappingNode:
		perms = map[string]string{}
		if err := n.Decode(&perms); err != nil {
			t.Errorf("%s: permissions: %v", where, err)
		}
		return perms, true, ""
	}
	t.Errorf("%s: permissions is neither a map nor a scalar", where)
	return nil, true, ""
}

func loadWorkflow(t *testing.T, file string) (*workflow, *yaml.Node) {
	t.Helper()
	data := readFile(t, file)
	var wf workflow
	decodeStrict(t, file, data, &wf, false)
	var root yaml.Node
	decodeStrict(t, file, data, &root, false)
	return &wf, &root
}

func usesPrefix(steps []step, prefix string) []step {
	var out []step
	for _, st := range steps {
		if strings.HasPrefix(st.Uses, prefix) {
			out = append(out, st)
		}
	}
	return out
}

// TestWorkflows checks every workflow: pinned actions, no expression in a
// script, and least-privilege permissions: the workflow grants reads at most,
// and a job gets security-events: write only to upload SARIF, and actions:
// read when it downloads another run's artifact.
func TestWorkflows(t *testing.T) {
	for _, file := range workflowFiles(t) {
		t.Run(file, func(t *testing.T) {
			wf, root := loadWorkflow(t, file)
			if wf.Name == "" || wf.On.Kind == 0 {
				t.Error("a workflow needs name: and on:")
			}
			if len(wf.Jobs) == 0 {
				t.Fatal("no jobs")
			}
			checkUsesAndRuns(t, file, root)

			top, present, scalar := permissionMap(t, file, &wf.Permissions)
			if !present {
				t.Error("no top-level permissions: (the default token may be read-write)")
			}
			if scalar != "" {
				t.Errorf("top-level permissions: %s; list the permissions the jobs need", scalar)
			}
			for scope, level := range top {
				if level != "read" && level != "none" {
					t.Errorf("top-level permissions grant %s: %s; grant writes in the job that needs them", scope, level)
				}
			}

			for name, j := range wf.Jobs {
				where := file + ": job " + name
				perms, present, scalar := permissionMap(t, where, &j.Permissions)
				if scalar != "" {
					t.Errorf("%s: permissions: %s; list the permissions it needs", where, scalar)
				}
				if !present {
					perms = top
				}
				sarif := len(usesPrefix(j.Steps, uploadSARIF)) > 0
				for scope, level := range perms {
					if level != "write" {
						continue
					}
					if scope != "security-events" {
						t.Errorf("%s: grants %s: write, which no job here needs", where, scope)
					} else if !sarif {
						t.Errorf("%s: grants security-events: write but uploads no SARIF", where)
					}
				}
				if sarif && perms["security-events"] != "write" {
					t.Errorf("%s: uploads SARIF without security-events: write", where)
				}
				for _, st := range usesPrefix(j.Steps, downloadArtifact) {
					if st.With["github-token"] != "" && perms["actions"] != "read" {
						t.Errorf("%s: downloads another run's artifact without actions: read", where)
					}
				}
				if j.Uses == "" && len(j.Steps) == 0 {
					t.Errorf("%s: no steps", where)
				}
			}
		})
	}
}

// TestCIWorkflow checks that the project's CI runs the same entry point as
// every other CI run, with read-only contents.
func TestCIWorkflow(t *testing.T) {
	wf, _ := loadWorkflow(t, ".github/workflows/ci.yml")
	top, _, _ := permissionMap(t, "ci.yml", &wf.Permissions)
	if top["contents"] != "read" {
		t.Errorf("ci.yml: permissions contents is %q, want read", top["contents"])
	}
	var runsCI bool
	for _, j := range wf.Jobs {
		for _, st := range j.Steps {
			if strings.TrimSpace(st.Run) == "bash .ci/run" {
				runsCI = true
				for _, want := range []string{"actions/checkout@", "actions/setup-go@", "actions/setup-node@"} {
					if len(usesPrefix(j.Steps, want)) == 0 {
						t.Errorf("ci.yml: the job that runs .ci/run does not use %s", want)
					}
				}
			}
		}
	}
	if !runsCI {
		t.Error("ci.yml: no step runs `bash .ci/run`")
	}
}

// TestScheduledWorkflow checks the example workflow's parts: a nightly
// schedule and a manual trigger, the action, the SARIF upload with a
// category, the JSON report kept as an artifact and the previous run's used
// as the baseline.
func TestScheduledWorkflow(t *testing.T) {
	wf, _ := loadWorkflow(t, scheduledFile)
	var on map[string]yaml.Node
	if err := wf.On.Decode(&on); err != nil {
		t.Fatalf("on: %v", err)
	}
	for _, trigger := range []string{"schedule", "workflow_dispatch"} {
		if _, ok := on[trigger]; !ok {
			t.Errorf("on: has no %s", trigger)
		}
	}
	var action, sarif, upload, download []step
	for _, j := range wf.Jobs {
		for _, st := range j.Steps {
			if st.Uses == "./" || strings.HasPrefix(st.Uses, "atlcheck/atlcheck@") {
				action = append(action, st)
			}
		}
		sarif = append(sarif, usesPrefix(j.Steps, uploadSARIF)...)
		upload = append(upload, usesPrefix(j.Steps, uploadArtifact)...)
		download = append(download, usesPrefix(j.Steps, downloadArtifact)...)
	}
	if len(action) != 1 {
		t.Fatalf("%d steps run the atlcheck action, want 1", len(action))
	}
	run := action[0]
	if !strings.Contains(run.Env["ATLASSIAN_ADMIN_API_KEY"], "secrets.") {
		t.Error("the action step does not take ATLASSIAN_ADMIN_API_KEY from a secret in env:")
	}
	baseline := run.With["baseline"]
	if baseline == "" {
		t.Error("the action step has no baseline")
	}
	if len(sarif) != 1 || sarif[0].With["category"] == "" || sarif[0].With["sarif_file"] == "" {
		t.Errorf("want one upload-sarif step with sarif_file and category, got %+v", sarif)
	}
	if len(upload) != 1 || !strings.Contains(upload[0].With["path"], "json-file") {
		t.Errorf("want one upload-artifact step keeping the JSON report, got %+v", upload)
	}
	name := upload[0].With["name"]
	var previous bool
	for _, d := range download {
		if d.With["name"] != name {
			t.Errorf("a download-artifact step downloads %q, the report artifact is %q", d.With["name"], name)
		}
		if d.With["run-id"] != "" && d.With["github-token"] != "" {
			previous = true
			if !strings.HasPrefix(baseline, d.With["path"]+"/") {
				t.Errorf("baseline %q is not under the previous report's download path %q", baseline, d.With["path"])
			}
		}
	}
	if !previous {
		t.Error("no step downloads the previous run's report (download-artifact with run-id and github-token)")
	}
	// Every download lands outside the checkout, so upload-sarif finds no
	// snapshot to re-hash (it hashes files under the checkout that results
	// point at) and nothing reads the previous run's files as the repository's.
	var sarifUnderDownload bool
	for _, d := range download {
		if !strings.HasPrefix(d.With["path"], "${{ runner.temp }}/") {
			t.Errorf("download-artifact path %q is not under ${{ runner.temp }}: it would land in the checkout", d.With["path"])
		}
		if d.With["run-id"] == "" && strings.HasPrefix(sarif[0].With["sarif_file"], d.With["path"]) {
			sarifUnderDownload = true
		}
	}
	if !sarifUnderDownload {
		t.Errorf("upload-sarif's sarif_file %q is not the downloaded report", sarif[0].With["sarif_file"])
	}
}

// usesLineRE matches the line that runs the action: uses: ./ in this
// repository, uses: atlcheck/atlcheck@… in the documentation's copy.
var usesLineRE = regexp.MustCompile(`(?m)^(\s*)uses: (\./|atlcheck/atlcheck@\S+)(\s+#.*)?$`)

// TestDocsCopyOfScheduledWorkflow checks that docs/github.md shows the
// example workflow as it is, but for the line that runs the action.
func TestDocsCopyOfScheduledWorkflow(t *testing.T) {
	normalize := func(s string) string {
		return strings.TrimSpace(usesLineRE.ReplaceAllString(s, "${1}uses: ATLCHECK_ACTION"))
	}
	want := normalize(string(readFile(t, scheduledFile)))
	doc := string(readFile(t, "docs/github.md"))
	blocks := fencedBlocks(doc, "yaml")
	if slices.ContainsFunc(blocks, func(b string) bool { return normalize(b) == want }) {
		return
	}
	for _, b := range blocks {
		if strings.Contains(b, "schedule:") {
			t.Errorf("docs/github.md's workflow differs from %s; copy the file into the document again.\n--- docs ---\n%s", scheduledFile, b)
			return
		}
	}
	t.Errorf("docs/github.md has no copy of %s", scheduledFile)
}

// fencedBlocks returns the contents of the ```lang blocks of a Markdown text.
func fencedBlocks(md, lang string) []string {
	var blocks []string
	var cur []string
	in := false
	for line := range strings.SplitSeq(md, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```"+lang:
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return blocks
}

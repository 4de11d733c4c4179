package ghaction

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	inputRefRE   = regexp.MustCompile(`\binputs\.([A-Za-z_][A-Za-z0-9_-]*)`)
	stepOutRE    = regexp.MustCompile(`^\s*steps\.([A-Za-z_][A-Za-z0-9_-]*)\.outputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*$`)
	stepRefRE    = regexp.MustCompile(`\bsteps\.([A-Za-z_][A-Za-z0-9_-]*)\.`)
	goLineRE     = regexp.MustCompile(`(?m)^go (\S+)\s*$`)
	credentialRE = regexp.MustCompile(`(?i)key|token|secret|password|credential`)
)

func TestActionMetadata(t *testing.T) {
	a, _ := loadAction(t)
	if a.Name == "" || a.Description == "" {
		t.Error("action.yml needs a name and a description")
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using is %q, want composite", a.Runs.Using)
	}
	for _, name := range []string{"org-id", "attestation", "snapshot", "config", "policies", "fail-on", "format", "output", "baseline"} {
		if _, ok := a.Inputs[name]; !ok {
			t.Errorf("input %s is missing", name)
		}
	}
	for name, want := range map[string]string{"fail-on": "high", "format": "sarif", "output": "atlcheck.sarif"} {
		if got := a.Inputs[name].Default; got != want {
			t.Errorf("input %s defaults to %q, want %q", name, got, want)
		}
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
		// The Admin API key and the site token come from env, never from an
		// input (inputs are logged in the step's header).
		if credentialRE.MatchString(name) {
			t.Errorf("input %s looks like a credential; credentials come from env", name)
		}
	}
	for _, name := range []string{"sarif-file", "findings", "gate"} {
		if _, ok := a.Outputs[name]; !ok {
			t.Errorf("output %s is missing", name)
		}
	}
}

// TestActionExpressions checks that every inputs.X an expression names is
// declared, every declared input is used, and every step an expression names
// exists before the place it is named.
func TestActionExpressions(t *testing.T) {
	a, root := loadAction(t)
	used := map[string]bool{}
	walkScalars(root, "", func(s scalar) {
		for _, m := range expressionRE.FindAllStringSubmatch(s.value, -1) {
			expr := m[1]
			if strings.Contains(expr, "inputs[") {
				t.Errorf("action.yml:%d: write inputs.NAME, not inputs[…], so the test can check it: %s", s.line, m[0])
			}
			for _, r := range inputRefRE.FindAllStringSubmatch(expr, -1) {
				used[r[1]] = true
				if _, ok := a.Inputs[r[1]]; !ok {
					t.Errorf("action.yml:%d: %s names input %q, which is not declared", s.line, m[0], r[1])
				}
			}
		}
	})
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %s is declared but never used", name)
		}
	}

	ids := map[string]int{} // step id → index
	for i, st := range a.Runs.Steps {
		if st.ID == "" {
			continue
		}
		if _, dup := ids[st.ID]; dup {
			t.Errorf("step id %s is used twice", st.ID)
		}
		ids[st.ID] = i
	}
	for i, st := range a.Runs.Steps {
		var values []string
		for _, v := range st.Env {
			values = append(values, v)
		}
		for _, v := range st.With {
			values = append(values, v)
		}
		values = append(values, st.If, st.WorkingDirectory)
		for _, v := range values {
			for _, r := range stepRefRE.FindAllStringSubmatch(v, -1) {
				if j, ok := ids[r[1]]; !ok || j >= i {
					t.Errorf("step %q refers to step %q, which is not an earlier step", st.Name, r[1])
				}
			}
		}
	}
}

// TestActionOutputs checks that every output has a value read from a step's
// outputs and that the step exists and writes it.
func TestActionOutputs(t *testing.T) {
	a, _ := loadAction(t)
	if len(a.Outputs) == 0 {
		t.Fatal("action.yml declares no output")
	}
	byID := map[string]step{}
	for _, st := range a.Runs.Steps {
		if st.ID != "" {
			byID[st.ID] = st
		}
	}
	for name, out := range a.Outputs {
		if out.Description == "" {
			t.Errorf("output %s has no description", name)
		}
		if out.Value == "" {
			t.Errorf("output %s has no value (a composite action's output needs one)", name)
			continue
		}
		m := expressionRE.FindStringSubmatch(out.Value)
		if m == nil || m[0] != strings.TrimSpace(out.Value) {
			t.Errorf("output %s: value %q is not one expression", name, out.Value)
			continue
		}
		r := stepOutRE.FindStringSubmatch(m[1])
		if r == nil {
			t.Errorf("output %s: value %q is not steps.ID.outputs.NAME", name, out.Value)
			continue
		}
		st, ok := byID[r[1]]
		if !ok {
			t.Errorf("output %s: no step has id %q", name, r[1])
			continue
		}
		if !strings.Contains(st.Run, r[2]+"=") {
			t.Errorf("output %s: step %q never writes %s= to GITHUB_OUTPUT", name, r[1], r[2])
		}
	}
}

func TestActionSteps(t *testing.T) {
	a, root := loadAction(t)
	if len(a.Runs.Steps) == 0 {
		t.Fatal("action.yml has no steps")
	}
	for i, st := range a.Runs.Steps {
		label := st.Name
		if label == "" {
			label = st.ID
		}
		switch {
		case st.Run != "" && st.Uses != "":
			t.Errorf("step %d (%s) has both run and uses", i, label)
		case st.Run != "":
			// A composite action's run steps must name their shell.
			if st.Shell == "" {
				t.Errorf("step %d (%s) has no shell:", i, label)
			}
		case st.Uses == "":
			t.Errorf("step %d (%s) has neither run nor uses", i, label)
		}
	}
	uses := checkUsesAndRuns(t, "action.yml", root)
	if !slices.ContainsFunc(uses, func(u string) bool { return strings.HasPrefix(u, "actions/setup-go@") }) {
		t.Error("action.yml does not set up Go with actions/setup-go")
	}
}

// TestActionGoVersion checks that the Go the action installs is the one
// go.mod's go line names.
func TestActionGoVersion(t *testing.T) {
	m := goLineRE.FindSubmatch(readFile(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	want := string(m[1])
	a, _ := loadAction(t)
	found := false
	for _, st := range a.Runs.Steps {
		if !strings.HasPrefix(st.Uses, "actions/setup-go@") {
			continue
		}
		found = true
		if got := st.With["go-version"]; got != want {
			t.Errorf("setup-go installs Go %q, go.mod says %q", got, want)
		}
		if st.With["go-version-file"] != "" {
			t.Error("setup-go: go-version-file would read the caller's repository, not the action's")
		}
	}
	if !found {
		t.Error("no actions/setup-go step")
	}
}

// TestActionBuildsFromItsSource checks that the binary is built from the
// action's own checkout into the runner's temp directory.
func TestActionBuildsFromItsSource(t *testing.T) {
	a, _ := loadAction(t)
	st := stepByID(t, a, "install")
	for _, want := range []string{`cd "$GITHUB_ACTION_PATH"`, "go build", `-o "$bin" ./cmd/atlcheck`, `bin="$RUNNER_TEMP/atlcheck"`} {
		if !strings.Contains(st.Run, want) {
			t.Errorf("the build step does not contain %q", want)
		}
	}
}

// stepByID returns the action's step with that id.
func stepByID(t *testing.T, a *actionFile, id string) step {
	t.Helper()
	for _, st := range a.Runs.Steps {
		if st.ID == id {
			return st
		}
	}
	t.Fatalf("action.yml has no step with id %q", id)
	return step{}
}

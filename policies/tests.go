package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestResult is the outcome of one Rego test rule.
type TestResult struct {
	File     string
	Line     int
	Name     string // package-qualified, e.g. atlassian.api_keys_test.test_fail_unscoped
	Passed   bool
	Error    string // evaluation error, if any
	Duration time.Duration
}

// TestReport is the outcome of a Rego test run.
type TestReport struct {
	Results []TestResult
	Passed  int
	Failed  int
	// Uncovered lists policy ids that no test_fail_* rule names.
	Uncovered []string
}

// RunTests runs the Rego unit tests (test_* rules in *_test.rego) of the
// built-in and custom policies in process, like `opa test`, with the default
// parameters loaded at data.atlcheck.parameters and the area registry at
// data.atlcheck.areas.
func RunTests(ctx context.Context, opts Options) (*TestReport, error) {
	opts.Tests = true
	engine, err := New(ctx, opts) // checks the metadata contract too
	if err != nil {
		return nil, err
	}
	modules, _, _, err := parse(opts)
	if err != nil {
		return nil, err
	}
	var params map[string]any
	if err := json.Unmarshal(DefaultParametersJSON(), &params); err != nil {
		return nil, fmt.Errorf("parameter defaults: %w", err)
	}
	store := storeOf(map[string]any{"parameters": params})
	ch, err := tester.NewRunner().
		SetCompiler(newCompiler()).
		SetStore(store).
		RaiseBuiltinErrors(true).
		SetModules(modules).
		RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("run rego tests: %w", err)
	}
	rep := &TestReport{}
	for r := range ch {
		tr := TestResult{Name: strings.TrimPrefix(r.Package, "data.") + "." + r.Name, Passed: r.Pass(), Duration: r.Duration}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		if r.Error != nil {
			tr.Error = r.Error.Error()
		}
		if tr.Passed {
			rep.Passed++
		} else {
			rep.Failed++
		}
		rep.Results = append(rep.Results, tr)
	}
	sort.Slice(rep.Results, func(i, j int) bool { return rep.Results[i].Name < rep.Results[j].Name })
	rep.Uncovered = uncovered(engine, modules)
	return rep, nil
}

// uncovered lists the policy ids that no test_fail_* rule mentions. A failing
// case asserts the whole expected finding, so its text names the policy id.
func uncovered(e *Engine, modules map[string]*ast.Module) []string {
	var failTexts []string
	for _, m := range modules {
		for _, r := range m.Rules {
			if strings.HasPrefix(ruleName(r), "test_fail_") && r.Location != nil {
				failTexts = append(failTexts, string(r.Location.Text))
			}
		}
	}
	var out []string
	for _, p := range e.Policies() {
		found := false
		for _, t := range failTexts {
			if strings.Contains(t, `"`+p.ID+`"`) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, p.ID)
		}
	}
	return out
}

package policies

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// RawFinding is a finding as a policy emitted it, before the run adds
// severity, fingerprint and location.
type RawFinding struct {
	PolicyID string
	Resource string
	Path     string
	Message  string
}

// Result is what one evaluation produced.
type Result struct {
	// Findings in no particular order.
	Findings []RawFinding
	// Notes are reasons policies gave for their status, by policy id.
	Notes map[string]string
}

// Prepared is the engine bound to one set of parameters, ready to evaluate
// snapshots. It is safe to evaluate many inputs with one Prepared.
type Prepared struct {
	engine *Engine
	query  rego.PreparedEvalQuery
}

// Prepare binds the run's data (data.atlcheck: "parameters" and
// "exceptions") and prepares one query that reads every policy package's deny
// and notes rules at once.
func (e *Engine) Prepare(ctx context.Context, data map[string]any) (*Prepared, error) {
	var exprs []string
	for i, pkg := range e.packages {
		exprs = append(exprs, fmt.Sprintf("d%d = %s.deny", i, pkg.path))
		if pkg.hasNotes {
			exprs = append(exprs, fmt.Sprintf("n%d = %s.notes", i, pkg.path))
		}
	}
	if len(exprs) == 0 {
		exprs = append(exprs, "true")
	}
	store := inmem.NewFromObject(map[string]any{"atlcheck": data})
	q, err := rego.New(
		rego.Compiler(e.compiler),
		rego.Store(store),
		rego.Query(strings.Join(exprs, "; ")),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	return &Prepared{engine: e, query: q}, nil
}

// ToInput converts a decoded JSON document into an OPA value once, so that
// evaluation does not convert it again.
func ToInput(doc any) (ast.Value, error) {
	v, err := ast.InterfaceToValue(doc)
	if err != nil {
		return nil, fmt.Errorf("convert snapshot for policies: %w", err)
	}
	return v, nil
}

// Eval evaluates every policy over the input.
func (p *Prepared) Eval(ctx context.Context, input ast.Value) (*Result, error) {
	rs, err := p.query.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluate policies: %w", err)
	}
	res := &Result{Notes: map[string]string{}}
	if len(rs) == 0 {
		return res, nil
	}
	bindings := rs[0].Bindings
	for i, pkg := range p.engine.packages {
		set, _ := bindings[fmt.Sprintf("d%d", i)].([]any)
		for _, item := range set {
			f, err := p.engine.rawFinding(pkg.path, item)
			if err != nil {
				return nil, err
			}
			res.Findings = append(res.Findings, f)
		}
		notes, _ := bindings[fmt.Sprintf("n%d", i)].([]any)
		for _, item := range notes {
			obj, _ := item.(map[string]any)
			id, _ := obj["policy_id"].(string)
			reason, _ := obj["reason"].(string)
			if _, known := p.engine.byID[id]; !known || reason == "" {
				return nil, fmt.Errorf("%s.notes: each note needs a known policy_id and a reason, got %v", pkg.path, item)
			}
			res.Notes[id] = reason
		}
	}
	sort.Slice(res.Findings, func(i, j int) bool {
		a, b := res.Findings[i], res.Findings[j]
		if a.PolicyID != b.PolicyID {
			return a.PolicyID < b.PolicyID
		}
		return a.Resource < b.Resource
	})
	return res, nil
}

// rawFinding checks the shape of one finding object.
func (e *Engine) rawFinding(pkg string, item any) (RawFinding, error) {
	obj, ok := item.(map[string]any)
	if !ok {
		return RawFinding{}, fmt.Errorf("%s.deny: a finding must be an object, got %v", pkg, item)
	}
	str := func(k string) string { s, _ := obj[k].(string); return s }
	f := RawFinding{PolicyID: str("policy_id"), Resource: str("resource"), Path: str("path"), Message: str("message")}
	pol, known := e.byID[f.PolicyID]
	switch {
	case !known:
		return f, fmt.Errorf("%s.deny: finding has unknown policy_id %q", pkg, f.PolicyID)
	case f.Resource == "":
		return f, fmt.Errorf("%s.deny: %s finding has no resource", pkg, f.PolicyID)
	case f.Path != "" && !strings.HasPrefix(f.Path, "/"):
		return f, fmt.Errorf("%s.deny: %s finding path %q is not a JSON Pointer", pkg, f.PolicyID, f.Path)
	}
	if f.Message == "" {
		f.Message = pol.Title
	}
	return f, nil
}

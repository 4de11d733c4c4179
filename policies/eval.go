package policies

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
)

// Result is what one evaluation produced.
type Result struct {
	// Findings sorted by policy id and resource, with the policy's severity,
	// title and remediation and the fingerprint; the run adds the location,
	// suppression and baseline state to the same values.
	Findings []model.Finding
	// Notes are reasons policies gave for their status, by policy id.
	Notes map[string]string
	// NotEvaluated are the policies that said they cannot be evaluated (a
	// note with "status": "not_evaluated"), by policy id.
	NotEvaluated map[string]NotEvaluated
	// Facts are the area states and expired exceptions, as lib.facts defines them.
	Facts RunFacts
}

// NotEvaluated is a policy's own statement that it cannot be evaluated: a
// note {"policy_id", "status": "not_evaluated", "reason", "area_failed"}.
// The run reports the policy not evaluated with the reason and drops its
// findings; area_failed true makes it count for the gate like a policy
// whose area failed (part of its data could not be read).
type NotEvaluated struct {
	Reason     string
	AreaFailed bool
}

// Prepared is the engine bound to one set of parameters, ready to evaluate
// snapshots. It is safe to evaluate many inputs with one Prepared, also
// concurrently.
type Prepared struct {
	engine  *Engine
	queries []pkgQuery
	facts   rego.PreparedEvalQuery // lib.facts.run
}

// pkgQuery is the prepared query of one policy package. Packages are
// independent, so they are evaluated in parallel over the same parsed input.
type pkgQuery struct {
	pkg   pkgRules
	query rego.PreparedEvalQuery
}

// Prepare binds the run's data (data.atlcheck: "parameters" and
// "exceptions", plus the area registry as "areas") and prepares one query
// per policy package that reads its deny and notes rules.
func (e *Engine) Prepare(ctx context.Context, data map[string]any) (*Prepared, error) {
	store := storeOf(data)
	p := &Prepared{engine: e}
	var err error
	if p.facts, err = e.factsQuery(ctx, rego.Store(store), rego.Query("data.lib.facts.run")); err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	for _, pkg := range e.packages {
		exprs := []string{"d = " + pkg.path + ".deny"}
		if pkg.hasNotes {
			exprs = append(exprs, "n = "+pkg.path+".notes")
		}
		q, err := rego.New(
			rego.Compiler(e.compiler),
			rego.Store(store),
			rego.Query(strings.Join(exprs, "; ")),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("prepare policies: %w", err)
		}
		p.queries = append(p.queries, pkgQuery{pkg: pkg, query: q})
	}
	return p, nil
}

// storeOf is the policies' data store: data.atlcheck holds the run's data
// and the area registry.
func storeOf(data map[string]any) storage.Store {
	return inmem.NewFromObject(map[string]any{"atlcheck": withAreas(data)})
}

// withAreas adds the snapshot's area registry to the run's data as
// data.atlcheck.areas: the policies read the registry, never a copy of it.
func withAreas(data map[string]any) map[string]any {
	out := maps.Clone(data)
	if out == nil {
		out = map[string]any{}
	}
	out["areas"] = snapshot.RegistryData()
	return out
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

// Eval evaluates every policy over the input, one package per goroutine on
// up to GOMAXPROCS cores. The result does not depend on the scheduling.
func (p *Prepared) Eval(ctx context.Context, input ast.Value) (*Result, error) {
	type outcome struct {
		rs  rego.ResultSet
		err error
	}
	// Job i < len(queries) is package i; the last job is lib.facts.run.
	jobs := len(p.queries) + 1
	outcomes := make([]outcome, jobs)
	var facts RunFacts
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int, jobs)
	for i := range jobs {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), jobs) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if ctx.Err() != nil {
					outcomes[i].err = ctx.Err()
					continue
				}
				var rs rego.ResultSet
				var err error
				if i == len(p.queries) {
					if err = evalFacts(ctx, p.facts, input, &facts); err != nil {
						err = fmt.Errorf("lib.facts.run: %w", err)
					}
				} else {
					rs, err = p.queries[i].query.Eval(ctx, rego.EvalParsedInput(input))
				}
				outcomes[i] = outcome{rs, err}
				if err != nil {
					cancel()
				}
			}
		}()
	}
	wg.Wait()
	// Report the first real error in package order, not a cancellation it caused.
	var firstErr error
	for _, o := range outcomes {
		if o.err != nil && !errors.Is(o.err, context.Canceled) {
			firstErr = o.err
			break
		}
	}
	if firstErr == nil {
		for _, o := range outcomes {
			if o.err != nil {
				firstErr = o.err
				break
			}
		}
	}
	if err := parent.Err(); err != nil && firstErr != nil {
		// Interrupted or past the time limit: say so, not what OPA's cancel looked like.
		return nil, fmt.Errorf("evaluate policies: %w", err)
	}
	if firstErr != nil {
		return nil, fmt.Errorf("evaluate policies: %w", firstErr)
	}
	res := &Result{Notes: map[string]string{}, NotEvaluated: map[string]NotEvaluated{}, Facts: facts}
	for i, q := range p.queries {
		rs := outcomes[i].rs
		if len(rs) == 0 {
			continue
		}
		pkg := q.pkg
		set, _ := rs[0].Bindings["d"].([]any)
		for _, item := range set {
			f, err := p.engine.rawFinding(pkg.path, item)
			if err != nil {
				return nil, err
			}
			res.Findings = append(res.Findings, f)
		}
		notes, _ := rs[0].Bindings["n"].([]any)
		for _, item := range notes {
			obj, _ := item.(map[string]any)
			id, _ := obj["policy_id"].(string)
			reason, _ := obj["reason"].(string)
			if _, known := p.engine.byID[id]; !known || reason == "" {
				return nil, fmt.Errorf("%s.notes: each note needs a known policy_id and a reason, got %v", pkg.path, item)
			}
			if !p.engine.ownsPolicy(pkg.path, id) {
				return nil, fmt.Errorf("%s.notes: note for %s, which this package does not define: a package may only give notes for its own policies", pkg.path, id)
			}
			status, hasStatus := obj["status"]
			failed, hasFailed := obj["area_failed"]
			_, isBool := failed.(bool)
			switch {
			case hasStatus && status != "not_evaluated":
				return nil, fmt.Errorf("%s.notes: note for %s has status %v: the only status a note may give is \"not_evaluated\"", pkg.path, id, status)
			case hasFailed && (!hasStatus || !isBool):
				return nil, fmt.Errorf("%s.notes: note for %s: area_failed must be true or false, on a note with status \"not_evaluated\"", pkg.path, id)
			case hasStatus:
				area, _ := failed.(bool)
				res.NotEvaluated[id] = NotEvaluated{Reason: reason, AreaFailed: area}
				continue
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

// rawFinding checks the shape of one finding object and completes it from
// its policy's metadata.
func (e *Engine) rawFinding(pkg string, item any) (model.Finding, error) {
	obj, ok := item.(map[string]any)
	if !ok {
		return model.Finding{}, fmt.Errorf("%s.deny: a finding must be an object, got %v", pkg, item)
	}
	str := func(k string) string { s, _ := obj[k].(string); return s }
	f := model.Finding{PolicyID: str("policy_id"), Resource: str("resource"), Path: str("path"), Message: str("message")}
	pol, known := e.byID[f.PolicyID]
	switch {
	case !known:
		return f, fmt.Errorf("%s.deny: finding has unknown policy_id %q", pkg, f.PolicyID)
	case !e.ownsPolicy(pkg, f.PolicyID):
		return f, fmt.Errorf("%s.deny: finding for %s, which this package does not define: a package may only report its own policies", pkg, f.PolicyID)
	case f.Resource == "":
		return f, fmt.Errorf("%s.deny: %s finding has no resource", pkg, f.PolicyID)
	case f.Path != "" && !strings.HasPrefix(f.Path, "/"):
		return f, fmt.Errorf("%s.deny: %s finding path %q is not a JSON Pointer", pkg, f.PolicyID, f.Path)
	}
	if f.Message == "" {
		f.Message = pol.Title
	}
	f.Severity, f.Title, f.Remediation = pol.Severity, pol.Title, pol.Remediation
	f.Fingerprint = model.Fingerprint(f.PolicyID, f.Resource)
	return f, nil
}

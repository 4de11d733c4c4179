package check

import (
	"context"

	"github.com/atlcheck/atlcheck/internal/baseline"
	"github.com/atlcheck/atlcheck/internal/config"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/internal/snapshot"
	"github.com/atlcheck/atlcheck/policies"
)

// Input is everything one check run is made of.
type Input struct {
	// Doc is the validated snapshot.
	Doc *snapshot.Document
	// Engine is the compiled policy set (built-in and custom).
	Engine *policies.Engine
	// Config gives the policy parameters and the exceptions.
	Config *config.Config
	// Baseline is an earlier run to compare with; nil compares with nothing.
	Baseline *baseline.Baseline
	// Prepared, when set, is Engine prepared with Config's policy data, for
	// callers that check many snapshots with one config; nil prepares it.
	Prepared *policies.Prepared
	Options
}

// Evaluate turns a snapshot, the policies, the config and a baseline into a
// finished run, in the one order that is right: check the exceptions
// against the catalog, evaluate, decide each policy's status (not evaluated
// when an area it requires was not collected), suppress what unexpired
// exceptions cover, classify against the baseline, then compute statuses,
// summary and gate once, and hide what --min-severity leaves out. Every
// error is an input error (bad exceptions, a baseline of another org, a
// policy that fails at evaluation).
func Evaluate(ctx context.Context, in Input) (*model.Run, error) {
	now := in.Doc.Header.CollectedAt
	known := func(id string) bool { _, ok := in.Engine.Policy(id); return ok }
	if err := in.Config.CheckExceptions(known, now); err != nil {
		return nil, err
	}
	prepared := in.Prepared
	if prepared == nil {
		var err error
		if prepared, err = in.Engine.Prepare(ctx, in.Config.PolicyData()); err != nil {
			return nil, err
		}
	}
	res, err := prepared.Eval(ctx, in.Doc.Input)
	if err != nil {
		return nil, err
	}
	opts := in.Options
	opts.Parameters = in.Config.ParameterMap()
	run, unreadable, err := newRun(ctx, in.Engine, res, in.Doc, opts)
	if err != nil {
		return nil, err
	}
	suppress(run, in.Config.Exceptions, res.Facts.ExpiredExceptions)
	if in.Baseline != nil {
		if err := baseline.Apply(run, in.Baseline); err != nil {
			return nil, err
		}
		run.Gate.NewOnly = in.NewOnly
	} else {
		for i := range run.Policies {
			run.Policies[i].FindingsKnown = run.Checked(run.Policies[i])
		}
	}
	finish(run, unreadable)
	hideBelow(run, in.MinSeverity)
	run.SinceLastRun = sinceLastRun(in.Doc, run)
	return run, nil
}

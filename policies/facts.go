package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// AreaState says whether an area's data can be evaluated, as
// policies/lib/areas.rego defines it.
type AreaState struct {
	Collected bool `json:"collected"`
	// NoSource is true when no data source was configured for the area, or
	// an API said the area is not available.
	NoSource bool `json:"no_source"`
	// Failed is true when the area has a source but could not be collected.
	Failed bool `json:"failed"`
	// Unreadable counts the items the collector could not read: while there
	// are any, no policy that requires the area passes.
	Unreadable int `json:"unreadable"`
	// Note is where the area's data came from, when there is something to
	// know; the policies that require the area carry it as their reason.
	Note string `json:"note"`
	// Error is the area's error in words: "HTTP 403 ADMIN-UAM-403-1:
	// Forbidden (GET /path)", or the message of an area without a source.
	Error string `json:"error"`
	// Reason is why the area cannot be evaluated: "was not collected:
	// <error>", "has no data source: <message>", or "is missing from the
	// snapshot"; "" when it was collected.
	Reason string `json:"reason"`
}

// RunFacts are what a check run needs besides the findings (lib.facts.run).
type RunFacts struct {
	// Areas is the state of every registered area, by name.
	Areas map[string]AreaState `json:"areas"`
	// ExpiredExceptions are the indexes of the config's exceptions that
	// have expired at the snapshot time and suppress nothing.
	ExpiredExceptions []int `json:"expired_exceptions"`
}

// DriftFacts are the security meanings of one snapshot that the drift
// report uses (lib.facts.drift), so that it reads them as the policies do.
type DriftFacts struct {
	Areas map[string]AreaState `json:"areas"`
	// SiteErrors are the sites whose installed apps were not collected.
	SiteErrors []struct {
		URL   string `json:"url"`
		Error string `json:"error"`
	} `json:"site_errors"`
	OrgAdminRole string `json:"org_admin_role"`
	// InactiveKeys and InactiveTokens are the keys and tokens that are not
	// active, with the reason ("status REVOKED", "expired on 2026-10-01").
	InactiveKeys   []Inactive `json:"inactive_keys"`
	InactiveTokens []Inactive `json:"inactive_tokens"`
	// The service accounts, service-account tokens and OAuth clients that
	// are out of use, with the reason.
	InactiveServiceAccounts      []Inactive `json:"inactive_service_accounts"`
	InactiveServiceAccountTokens []Inactive `json:"inactive_service_account_tokens"`
	InactiveOAuthClients         []Inactive `json:"inactive_oauth_clients"`
	DepartedAccounts             []string   `json:"departed_accounts"`
	OrgAdmins                    []string   `json:"org_admins"`
	// AdminRoles are the roles held in the snapshot that count as admin roles.
	AdminRoles []string `json:"admin_roles"`
}

// Inactive is a key or token that is not active, and why.
type Inactive struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// factsQuery prepares a query of one lib.facts rule over the engine's
// compiled policies.
func (e *Engine) factsQuery(ctx context.Context, opts ...func(*rego.Rego)) (rego.PreparedEvalQuery, error) {
	return rego.New(append(opts, rego.Compiler(e.compiler), rego.StrictBuiltinErrors(true))...).PrepareForEval(ctx)
}

// evalFacts evaluates a prepared lib.facts query and decodes its value into out.
func evalFacts(ctx context.Context, q rego.PreparedEvalQuery, input ast.Value, out any) error {
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return fmt.Errorf("lib.facts is undefined")
	}
	b, err := json.Marshal(rs[0].Expressions[0].Value)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// drift is the built-in policies prepared with the default data, for the
// drift report (which has no config).
var drift = sync.OnceValues(func() (*driftReader, error) {
	ctx := context.Background()
	e, err := New(ctx, Options{})
	if err != nil {
		return nil, err
	}
	var params map[string]any
	if err := json.Unmarshal(DefaultParametersJSON(), &params); err != nil {
		return nil, fmt.Errorf("parameter defaults: %w", err)
	}
	store := storeOf(map[string]any{"parameters": params, "exceptions": []any{}})
	q, err := e.factsQuery(ctx, rego.Store(store), rego.Query("data.lib.facts.drift"))
	if err != nil {
		return nil, fmt.Errorf("prepare drift facts: %w", err)
	}
	return &driftReader{q}, nil
})

type driftReader struct{ query rego.PreparedEvalQuery }

// Drift evaluates the drift facts of one snapshot (its policy input).
func Drift(ctx context.Context, input ast.Value) (*DriftFacts, error) {
	r, err := drift()
	if err != nil {
		return nil, err
	}
	var f DriftFacts
	if err := evalFacts(ctx, r.query, input, &f); err != nil {
		return nil, fmt.Errorf("evaluate drift facts: %w", err)
	}
	return &f, nil
}

package collector

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// endpointOrgs lists the organizations the API key can see.
const endpointOrgs = "/admin/v1/orgs"

// decodeOrg reads an organization: id and attributes.name.
func decodeOrg(r *reader) (snapshot.Org, string) {
	o := snapshot.Org{ID: r.id("id")}
	if attrs := r.obj("attributes"); attrs != nil {
		o.Name = attrs.str("name")
	}
	return o, o.ID
}

// listOrgs returns every organization the key sees (GET /admin/v1/orgs).
func (c *client) listOrgs(ctx context.Context, t *tracker) ([]snapshot.Org, error) {
	p := pager{method: http.MethodGet, endpoint: endpointOrgs, url: c.apiURL(endpointOrgs)}
	orgs, unreadable, err := collectList(ctx, c, p, t, decodeOrg)
	for _, u := range unreadable {
		c.logger.Warn("an organization in the list could not be read", "id", u.ID, "problem", u.Problems[0].Reason)
	}
	return orgs, err
}

// resolveOrg finds the organization to collect: the one given, which must be
// among those the key sees, or the only one the key sees.
func (r *run) resolveOrg(ctx context.Context) (snapshot.Org, error) {
	r.progress.AreaStarted("orgs")
	t := &tracker{area: "orgs", progress: r.progress}
	orgs, err := r.c.listOrgs(ctx, t)
	r.progress.AreaDone("orgs", Summary{Items: len(orgs), Pages: t.pages, Err: err})
	if err != nil {
		if ierr := interrupted(ctx); ierr != nil {
			return snapshot.Org{}, ierr
		}
		if ferr := r.fatalCause("orgs", err); ferr != nil {
			return snapshot.Org{}, &FatalError{Err: ferr}
		}
		if r.opts.OrgID != "" {
			// The list is only a check; the org-level calls will tell a wrong id by their 404.
			r.c.logger.Warn("cannot list organizations; using the given org id", "error", err.Error())
			return snapshot.Org{ID: r.opts.OrgID}, nil
		}
		return snapshot.Org{}, &FatalError{Err: fmt.Errorf("discover the organization: %w", err)}
	}
	org, err := pickOrg(orgs, r.opts.OrgID, r.opts.OrgIDFrom)
	r.orgListed = err == nil
	return org, err
}

// pickOrg applies the org id rules to the organizations the key sees.
// from names where id came from, for the message ("" names none).
func pickOrg(orgs []snapshot.Org, id, from string) (snapshot.Org, error) {
	if id != "" {
		for _, o := range orgs {
			if o.ID == id {
				return o, nil
			}
		}
		if from != "" {
			from = " (from " + from + ")"
		}
		return snapshot.Org{}, &FatalError{Err: fmt.Errorf("organization %q%s not found: the API key sees %s", id, from, orgList(orgs))}
	}
	switch len(orgs) {
	case 0:
		return snapshot.Org{}, &FatalError{Err: fmt.Errorf("the API key sees no organization")}
	case 1:
		return orgs[0], nil
	}
	return snapshot.Org{}, &ConfigError{Msg: fmt.Sprintf("the API key sees %d organizations; choose one with --org: %s", len(orgs), orgList(orgs))}
}

// orgList renders organizations as id (name) for messages.
func orgList(orgs []snapshot.Org) string {
	if len(orgs) == 0 {
		return "no organization"
	}
	parts := make([]string, len(orgs))
	for i, o := range orgs {
		parts[i] = fmt.Sprintf("%q", o.ID)
		if o.Name != "" {
			parts[i] += " (" + o.Name + ")"
		}
	}
	return strings.Join(parts, ", ")
}

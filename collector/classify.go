package collector

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// adminAreas maps every registered area the admin API collects to its
// organization-level list endpoint (TestAdminAreasFollowTheRegistry keeps it
// complete).
var adminAreas = map[string]string{
	snapshot.AreaSites:           endpointWorkspaces,
	snapshot.AreaVerifiedDomains: endpointDomains,
	snapshot.AreaAppAccess:       endpointAppAccess,
	snapshot.AreaAPIKeys:         endpointAPIKeys,
	snapshot.AreaAPITokens:       endpointAPITokens,
	snapshot.AreaManagedAccounts: endpointUsersSearch,
	// The non-human identities: the tokens are listed per service account,
	// but the service accounts list is where they start.
	snapshot.AreaServiceAccounts:      endpointServiceAccounts,
	snapshot.AreaServiceAccountTokens: endpointServiceAccounts,
	snapshot.AreaOAuthClients:         endpointOAuthClients,
	snapshot.AreaOrgPolicies:          endpointOrgPolicies,
	// The members are asked about once the accounts are known.
	snapshot.AreaAuthPolicyMembers: endpointAuthPolicyMembers,
	snapshot.AreaAuditLog:          endpointEventActions,
}

// orgLevel is the set of the admin areas' list endpoints, except those
// Atlassian may have removed (removable). When the org id could not be
// checked against GET /admin/v1/orgs (the list was refused and the id was
// given), a 404 on the first page of one of them means the id is wrong,
// which stops the run. Once the org is listed, only that list decides
// "unknown org" (contract Part C.1): a 404 is then an area error.
var orgLevel = func() map[string]bool {
	out := map[string]bool{}
	for _, def := range snapshot.Registry {
		ep, ok := adminAreas[def.Name]
		if _, gone := removable[ep]; ok && !gone && def.Source == snapshot.SourceAPI {
			out[ep] = true
		}
	}
	return out
}()

// removable lists the endpoints Atlassian may have removed, with the
// statuses that say so and why: such an answer makes the area "not
// available" (source none, like a source that is not configured), never a
// wrong org id. The app access settings GETs were dropped from the published
// Organizations API spec between 2026-08-17 and 2026-08-21 (contract Part
// C.1; swagger.v3.json copies in mondoohq/cnspec content/validation/).
var removable = map[string]struct {
	statuses []int
	why      string
}{
	endpointAppAccess:       {[]int{http.StatusNotFound, http.StatusGone}, whyAppAccess},
	endpointAppAccessDomain: {[]int{http.StatusGone}, whyAppAccess},
	endpointOrgPolicies:     {[]int{http.StatusNotFound, http.StatusGone}, whyOrgPolicies},
	endpointAuthPolicyMembers: {[]int{http.StatusNotFound, http.StatusGone},
		"the authentication policy membership API is not available for this organization (it answered that it does not exist)"},
}

const whyAppAccess = "the app access settings API is not available (Atlassian removed it from its published spec in August 2026); " +
	"attest the approved domains in the attestation file (approved_domains)"

const whyOrgPolicies = "the org policies API is not available for this organization (it answered that the list does not exist)"

// planGated lists the endpoints whose data depends on the organization's
// plan, with what needs which plan: a refusal that names the plan means "not
// available on this plan", which is neither a failure (the key is fine) nor
// a pass (contract Part C.7: IP allow-lists need a Premium or Enterprise
// plan; "a 403 for plan reasons is 'not available on this plan'").
var planGated = map[string]string{
	endpointOrgPolicies:       "IP allow-lists need a Premium or Enterprise plan; data security policies need Atlassian Guard",
	endpointAuthPolicyMembers: "more than one authentication policy needs Atlassian Guard Standard",
	// Part C.7: "Activity coverage depends on the plan"; the events
	// reference (api-group-events) documents no 403, so only a refusal that
	// names the plan is read so: a scope refusal stays a failure.
	endpointEventActions: "the org audit log's coverage depends on the plan (Atlassian Guard)",
	endpointEvents:       "the org audit log's coverage depends on the plan (Atlassian Guard)",
}

// notAvailable returns why err means the area's API is gone, or not
// available on the organization's plan; "" otherwise.
func notAvailable(err error) string {
	var ae *APIError
	if !errors.As(err, &ae) {
		return ""
	}
	if r, ok := removable[ae.Endpoint]; ok && slices.Contains(r.statuses, ae.Status) {
		return r.why
	}
	if needs, ok := planGated[ae.Endpoint]; ok && refusedForPlan(ae) {
		msg := PlanUnavailable + " (" + needs + ")"
		if said := cmp.Or(ae.Detail, ae.Title); said != "" && said != http.StatusText(ae.Status) {
			msg += `; the API said: "` + said + `"`
		}
		return msg
	}
	return ""
}

// PlanUnavailable opens the error message of an area that the
// organization's plan does not include.
const PlanUnavailable = "not available on this plan"

// planWords are the words with which a refusal names the plan rather than the
// request (the same test public clients apply to Atlassian's entitlement
// refusals, e.g. jira.js tests/live/setup/entitlement.ts, "a refusal that
// names the plan"). A 402 Payment Required (ADMIN-402-1 in earlier copies of
// the spec) always means the plan.
var planWords = []string{"plan", "premium", "enterprise", "upgrade", "subscription", "licen", "entitle",
	"atlassian guard", "atlassian access", "not available for your"}

// refusedForPlan reports whether an error refuses the request because of the
// organization's plan. Any other 403 (a missing scope, not an org admin) is a
// failure of the area.
func refusedForPlan(ae *APIError) bool {
	if ae.Status == http.StatusPaymentRequired {
		return true
	}
	if ae.Status != http.StatusForbidden {
		return false
	}
	text := strings.ToLower(ae.Code + " " + ae.Title + " " + ae.Detail)
	if strings.Contains(text, "scope") {
		return false // "the key lacks the read:policies:admin scope"
	}
	return slices.ContainsFunc(planWords, func(w string) bool { return strings.Contains(text, w) })
}

// fatalCause returns the error that stops the run when err, from an admin
// API area, is fatal: a 401, a 404 on the first page of an org-level endpoint
// while the org id is unconfirmed, or the API unreachable. It returns nil for
// errors that fail only the area.
func (r *run) fatalCause(area string, err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		switch {
		case ae.Status == http.StatusUnauthorized:
			return fmt.Errorf("the admin API refused the API key (invalid or expired): %s: %w", area, err)
		case ae.Status == http.StatusNotFound && orgLevel[ae.Endpoint] && ae.Page <= 1 && !r.orgListed:
			return fmt.Errorf("organization not found (wrong org id?): %s: %w", area, err)
		}
		return nil
	}
	if unreachable(err) {
		return fmt.Errorf("the admin API at %s cannot be reached: %w", r.c.api.Redacted(), err)
	}
	return nil
}

// unreachable reports whether err means no HTTP exchange could happen:
// connection refused, DNS failure, or a TLS/certificate failure.
func unreachable(err error) bool {
	var (
		dnsErr   *net.DNSError
		opErr    *net.OpError
		recErr   tls.RecordHeaderError
		verErr   *tls.CertificateVerificationError
		authErr  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		validErr x509.CertificateInvalidError
	)
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.As(err, &dnsErr), errors.As(err, &recErr), errors.As(err, &verErr),
		errors.As(err, &authErr), errors.As(err, &hostErr), errors.As(err, &validErr):
		return true
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// areaError describes err for the snapshot: status, Atlassian code, the
// failing method and endpoint, and the message.
func areaError(err error) *snapshot.AreaError {
	out := &snapshot.AreaError{Message: err.Error()}
	var ae *APIError
	var re *RequestError
	switch {
	case errors.As(err, &ae):
		out.Status, out.Code, out.Endpoint = ae.Status, ae.Code, ae.Method+" "+ae.Endpoint
	case errors.As(err, &re):
		out.Status, out.Endpoint = re.Status, re.Method+" "+re.Endpoint
	}
	return out
}

package collector

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
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
}

// orgLevel is the set of the admin areas' list endpoints: a 404 on one of
// them means the organization id is wrong, which stops the run. A 404 on a
// per-item endpoint (one domain's detail) only fails its area.
var orgLevel = func() map[string]bool {
	out := map[string]bool{}
	for _, def := range snapshot.Registry {
		if ep, ok := adminAreas[def.Name]; ok && def.Source == snapshot.SourceAPI {
			out[ep] = true
		}
	}
	return out
}()

// fatalCause returns the error that stops the run when err, from an admin
// API area, is fatal: a 401, a 404 on an org-level endpoint, or the API
// unreachable. It returns nil for errors that fail only the area.
func (c *client) fatalCause(area string, err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		switch {
		case ae.Status == http.StatusUnauthorized:
			return fmt.Errorf("the admin API refused the API key (invalid or expired): %s: %w", area, err)
		case ae.Status == http.StatusNotFound && orgLevel[ae.Endpoint]:
			return fmt.Errorf("organization not found (wrong org id?): %s: %w", area, err)
		}
		return nil
	}
	if unreachable(err) {
		return fmt.Errorf("the admin API at %s cannot be reached: %w", c.api.Redacted(), err)
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

// Package attestation reads the attestation file, the YAML document in which
// an organization admin records the Atlassian settings that no API exposes,
// and applies it to a snapshot.
package attestation

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/dates"
	"github.com/atlcheck/atlcheck/internal/fileerr"
	"github.com/atlcheck/atlcheck/internal/inputfile"
)

// File is a parsed attestation file.
type File struct {
	// Name is the file name used in error messages.
	Name string
	// AttestedBy is who checked the settings in admin.atlassian.com.
	AttestedBy string
	// AttestedAt is when, in UTC; a plain date is midnight UTC.
	AttestedAt time.Time
	// HasSites is true when the file has a sites block (possibly empty).
	HasSites bool
	// Sites are the attested connected-app settings per site.
	Sites []Site
	// ExternalUsers is nil when the file has no external_users block.
	ExternalUsers *ExternalUsers
	// ApprovedDomains is nil when the file has no approved_domains block;
	// it covers the app access area when that API does not answer.
	ApprovedDomains []ApprovedDomain
	// AuthPolicies is nil when the file has no authentication_policies block.
	AuthPolicies []AuthPolicy

	// atLine and atColumn locate attested_at.
	atLine, atColumn int
}

// CheckTime returns an *Error at attested_at when the attestation claims a
// time after now (beyond dates.Skew): an attestation from the future would
// never go stale.
func (f *File) CheckTime(now time.Time) error {
	if !dates.InFuture(f.AttestedAt, now) {
		return nil
	}
	return &Error{File: f.Name, Line: f.atLine, Column: f.atColumn, Msg: fmt.Sprintf(
		"attested_at %s is in the future (it is now %s): write when the settings were checked",
		f.AttestedAt.Format(time.RFC3339), now.UTC().Format(time.RFC3339))}
}

// Site is the attested connected-app settings of one site.
type Site struct {
	// URL is the site URL with a scheme and without a trailing slash.
	URL string
	// BlockUserApps is Connected apps > Settings > "Block user apps"; nil when not attested.
	BlockUserApps *bool
	// Apps are the attested per-app states.
	Apps []App
	// Line and Column locate the site's url in the file.
	Line, Column int
}

// App is what the admin saw for one installed app. A nil boolean was not attested.
type App struct {
	Key                    string
	VendorLogAccess        *bool
	UpdateAwaitingApproval *bool
	InstalledByAdmin       *bool
	// InstalledBy is the installer's account id, when known.
	InstalledBy string
	// Line is where the app's entry starts.
	Line int
}

// ExternalUsers is the attested external-user security policies.
type ExternalUsers struct {
	Policies []Policy
}

// Policy is one external-user policy and its API token access.
type Policy struct {
	Name string
	// APITokenAccess is "allow" or "block" (lower case).
	APITokenAccess string
	// Line is where the policy's entry starts.
	Line int
}

// Error is a problem with an attestation file, located by line and column
// when possible. The CLI treats it as a usage error.
type Error = fileerr.Error

// Load reads and parses the attestation file at path. Every error it returns
// is an *Error.
func Load(path string) (*File, error) {
	data, err := inputfile.Read(context.Background(), path)
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("read attestation: %v", unwrapPath(err))}
	}
	return Parse(path, data)
}

// unwrapPath drops the *os.PathError wrapper, whose path the message already names.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// SiteKey is the form in which site URLs are compared: no scheme, lower case,
// no trailing slash. A bare host is taken as https.
func SiteKey(u string) string {
	s := strings.ToLower(strings.TrimSpace(u))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	return strings.TrimRight(s, "/")
}

// Package collector reads an Atlassian Cloud organization's admin settings
// from the organization admin APIs and the sites' app APIs into a snapshot,
// and merges in the attestation file for the settings no API exposes.
//
// Collect returns an error only when the whole run cannot go on (see
// FatalError, ConfigError and attestation.Error); anything that goes wrong in
// one area is recorded in the snapshot as that area not being collected.
package collector

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/attestation"
	"github.com/atlcheck/atlcheck/internal/redact"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// Defaults for Options left at their zero value.
const (
	DefaultConcurrency    = 4
	DefaultRequestTimeout = 30 * time.Second
)

// Options configure a collection.
type Options struct {
	// APIURL is the admin API base URL; "" means DefaultAPIURL. Plain http://
	// is accepted for loopback hosts only.
	APIURL string
	// APIKey is the organization admin API key. It is sent only in the
	// Authorization header of admin API requests and never logged.
	APIKey string
	// OrgID selects the organization; "" discovers it when the key sees exactly one.
	OrgID string
	// OrgIDFrom says where OrgID came from when it was not --org (such as
	// "$ATLASSIAN_ORG_ID"), so that an id the key does not see is traced to
	// its source; "" names none.
	OrgIDFrom string
	// SiteEmail and SiteToken are a site admin's email and API token for the
	// sites' app APIs; without them installed apps have no source.
	SiteEmail, SiteToken string
	// Attestation is the parsed attestation file, nil when none was given.
	Attestation *attestation.File
	// HTTPClient is the client to send requests with (tests, the demo);
	// nil means a default client. Its Transport is wrapped with the retries.
	HTTPClient *http.Client
	// Now is the clock for collected_at; nil means time.Now.
	Now func() time.Time
	// Concurrency bounds the requests in flight; 0 means DefaultConcurrency.
	Concurrency int
	// RequestTimeout bounds each attempt of each request, body included; 0
	// means DefaultRequestTimeout. The overall deadline is ctx's.
	RequestTimeout time.Duration
	// Timeout bounds the whole collection (see TimeoutError). 0 derives it
	// from the org's size: DefaultTimeout, or TimeAllowancePerPage per page
	// of its longest chain once the users count is known, whichever is
	// longer. A negative value sets no limit beyond ctx's deadline.
	Timeout time.Duration
	// SplitAbove is the size (accounts, from the users count) above which
	// the users search is split into concurrent chains; 0 means 5,000.
	SplitAbove int
	// Progress is told about areas and pages; nil reports nothing. A
	// Progress that is also an Expecter is told each counted area's size.
	Progress Progress
	// Logger receives a debug record per request; nil discards.
	Logger *slog.Logger
	// ToolVersion is written to the snapshot and the User-Agent.
	ToolVersion string
	// Sleep waits between retries; nil means a real, cancellable wait. Tests
	// inject a recorder so that nothing really sleeps.
	Sleep func(ctx context.Context, d time.Duration) error
	// MaxBodyBytes caps each response body; 0 means 32 MiB.
	MaxBodyBytes int64
	// MaxAreaBytes caps the response bodies of one area, all pages and
	// requests together; 0 means DefaultMaxAreaBytes. Past it the area is
	// not collected (ErrAreaTooLarge).
	MaxAreaBytes int64
	// SiteHosts are the hosts besides *.atlassian.net that site credentials
	// may be sent to (exact names, or "*.example.com" for its subdomains).
	SiteHosts []string
	// Redactor masks every secret of the process in every string from the
	// APIs before it is stored (error bodies, items, links); nil means one
	// that knows the options' credentials. The collector adds them to it.
	Redactor *redact.Redactor
	// MaxPages caps the pages followed per list. 0 derives the caps from the
	// org's size: a counted list (the users search) may take the pages its
	// count needs plus 10 % and 10; the others 10,000 or ten per page of the
	// users search, whichever is more. A value > 0 is one fixed cap for all.
	MaxPages int
	// AuditLog says which part of the org audit log is read (the window since
	// the last run) and how much of it.
	AuditLog AuditLogOptions
}

// Collect reads the organization into a new snapshot. It returns a
// *ConfigError for unusable options, a *FatalError when the admin API
// refuses the key, the organization is not found, the API cannot be reached
// or ctx ends, and an *attestation.Error when the attestation names a site
// the organization does not have. Any other failure marks only its area as
// not collected.
func Collect(ctx context.Context, opts Options) (*snapshot.Snapshot, error) {
	opts = withDefaults(opts)
	c, err := newClient(opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r := &run{c: c, opts: opts, progress: opts.Progress, limit: startTimeLimit(opts, cancel)}
	defer r.limit.stop()
	org, err := r.resolveOrg(ctx)
	if prev := opts.AuditLog.PreviousOrgID; err == nil && prev != "" && prev != org.ID {
		return nil, &ConfigError{Msg: fmt.Sprintf("the previous snapshot (--previous) is of organization %s, this collection of %s: give the same org's last snapshot", prev, org.ID)}
	}
	if err == nil {
		var snap *snapshot.Snapshot
		if snap, err = r.collect(ctx, org); err == nil {
			return r.finish(snap)
		}
	}
	var te *TimeoutError
	if errors.As(context.Cause(ctx), &te) {
		return nil, &FatalError{Err: te}
	}
	return nil, err
}

// finish merges the attestation into a collected snapshot.
func (r *run) finish(snap *snapshot.Snapshot) (*snapshot.Snapshot, error) {
	opts := r.opts
	if att := opts.Attestation; att != nil {
		if snap.Sites.Collected {
			if err := att.CheckSites(snap.Sites.Items); err != nil {
				return nil, err
			}
		}
		att.Apply(snap, opts.Now())
	}
	r.reportAttested(snap)
	return redactSnapshot(snap, r.c.redact)
}

// redactSnapshot masks the secrets that survived the bodies' masking in a
// decoded form (a key sent back \u-escaped reads as the key once decoded).
func redactSnapshot(snap *snapshot.Snapshot, r *redact.Redactor) (*snapshot.Snapshot, error) {
	data, err := json.Marshal(snap)
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	if masked := r.Bytes(data); &masked[0] != &data[0] {
		var out snapshot.Snapshot
		if err := json.Unmarshal(masked, &out); err != nil {
			return nil, fmt.Errorf("decode masked snapshot: %w", err)
		}
		return &out, nil
	}
	return snap, nil
}

// withDefaults fills the zero options.
func withDefaults(opts Options) Options {
	if opts.APIURL == "" {
		opts.APIURL = DefaultAPIURL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.Progress == nil {
		opts.Progress = nopProgress{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = defaultMaxBody
	}
	if opts.ToolVersion == "" {
		opts.ToolVersion = "dev"
	}
	if opts.MaxAreaBytes <= 0 {
		opts.MaxAreaBytes = DefaultMaxAreaBytes
	}
	if opts.Redactor == nil {
		opts.Redactor = redact.New()
	}
	opts.Redactor.Add(opts.APIKey)
	opts.Redactor.AddBasic(opts.SiteEmail, opts.SiteToken)
	opts.AuditLog = auditDefaults(opts.AuditLog)
	return opts
}

// newClient validates the options and builds the client.
func newClient(opts Options) (*client, error) {
	if strings.TrimSpace(opts.APIKey) == "" {
		return nil, &ConfigError{Msg: "no admin API key given"}
	}
	api, err := checkBaseURL(opts.APIURL)
	if err != nil {
		return nil, &ConfigError{Msg: fmt.Sprintf("admin API URL: %v", err)}
	}
	hc := &http.Client{}
	if opts.HTTPClient != nil {
		*hc = *opts.HTTPClient
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	limit := newLimiter(opts.Concurrency, opts.Now, opts.Sleep)
	hc.Transport = &retryTransport{
		base: base, attempts: defaultAttempts, maxWait: defaultMaxWait, baseDelay: defaultBaseDelay,
		timeout: opts.RequestTimeout, sleep: opts.Sleep, now: opts.Now, logger: opts.Logger, limit: limit,
	}
	// Never follow redirects: a redirect could carry the credentials elsewhere.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c := &client{
		http: hc, api: api, apiKey: opts.APIKey,
		siteEmail: opts.SiteEmail, siteToken: opts.SiteToken,
		userAgent: "atlcheck/" + opts.ToolVersion,
		maxBody:   opts.MaxBodyBytes, fixedCap: opts.MaxPages > 0, splitMin: cmp.Or(max(opts.SplitAbove, 0), defaultSplitMin),
		limit:  limit,
		logger: opts.Logger,
		redact: opts.Redactor, siteHosts: opts.SiteHosts,
	}
	c.maxPages.Store(int64(cmp.Or(max(opts.MaxPages, 0), defaultMaxPages)))
	return c, nil
}

// interrupted turns the end of ctx into a fatal error, nil while ctx is live.
func interrupted(ctx context.Context) error {
	if err := context.Cause(ctx); err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return &FatalError{Err: fmt.Errorf("collection deadline exceeded: %w", err)}
		}
		return &FatalError{Err: fmt.Errorf("collection interrupted: %w", err)}
	}
	return nil
}

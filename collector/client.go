package collector

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/redact"
)

// Size and page caps.
const (
	defaultMaxBody  = 32 << 20 // bytes per response body
	defaultMaxPages = 10000    // pages per area
	maxErrorBody    = 1 << 20  // bytes read from an error response
)

// authKind selects the credential a request carries.
type authKind int

const (
	authAdmin authKind = iota // Bearer org API key (api.atlassian.com)
	authSite                  // HTTP Basic site email + API token (site APIs)
)

// client talks to the admin API and the site APIs. Every endpoint goes
// through newRequest and do.
type client struct {
	http      *http.Client
	api       *url.URL
	apiKey    string
	siteEmail string
	siteToken string
	userAgent string
	maxBody   int64
	// maxPages caps the pages of a list that has no count of its own; it
	// rises with the org's size (raiseCap) unless fixedCap (Options.MaxPages).
	maxPages atomic.Int64
	fixedCap bool
	// splitMin: a users search of at most this many accounts is one chain.
	splitMin int
	limit    *limiter // bounds and paces the requests in flight
	logger   *slog.Logger
	// redact masks the process's secrets in every body before it is read.
	redact *redact.Redactor
	// siteHosts are the hosts besides *.atlassian.net that site credentials may go to.
	siteHosts []string
}

// cap is the page cap of a list without a count.
func (c *client) cap() int { return int(c.maxPages.Load()) }

// raiseCap lifts the cap of the lists without a count for an org whose users
// search takes userPages pages: other lists (API tokens, several per user)
// may take up to otherPagesPerUserPage times as many, and never fewer than
// the default.
func (c *client) raiseCap(userPages int) {
	if c.fixedCap {
		return
	}
	want := int64(max(defaultMaxPages, otherPagesPerUserPage*userPages))
	for {
		cur := c.maxPages.Load()
		if want <= cur || c.maxPages.CompareAndSwap(cur, want) {
			return
		}
	}
}

// otherPagesPerUserPage: see raiseCap.
const otherPagesPerUserPage = 10

// call describes one request.
type call struct {
	method string
	// endpoint is the path template, e.g. /admin/v1/orgs/{orgId}/domains.
	endpoint string
	url      *url.URL
	body     any
	auth     authKind
	// accept is the Accept header; "" means application/json.
	accept string
	// readOnly marks a POST search that changes nothing and may be retried.
	readOnly bool
	// priority orders requests waiting for a slot: the pages left in the
	// request's chain when known, else 0; chain names that chain (0: none).
	priority int
	chain    uint64
}

// apiURL expands a path template with escaped values on the admin API base.
func (c *client) apiURL(tmpl string, vals ...string) *url.URL {
	return joinURL(c.api, expand(tmpl, vals...))
}

// expand replaces each {placeholder} of tmpl, in order, with an escaped value.
func expand(tmpl string, vals ...string) string {
	var b strings.Builder
	rest := tmpl
	for _, v := range vals {
		i, j := strings.IndexByte(rest, '{'), strings.IndexByte(rest, '}')
		if i < 0 || j < i {
			break
		}
		b.WriteString(rest[:i])
		b.WriteString(url.PathEscape(v))
		rest = rest[j+1:]
	}
	b.WriteString(rest)
	return b.String()
}

// joinURL appends an escaped path to a base URL.
func joinURL(base *url.URL, escapedPath string) *url.URL {
	u := *base
	u.RawPath = base.EscapedPath() + escapedPath
	u.Path, _ = url.PathUnescape(u.RawPath)
	return &u
}

// newRequest builds a request with the credential, User-Agent, Accept and a
// JSON body when c.body is set.
func (c *client) newRequest(ctx context.Context, cl call) (*http.Request, error) {
	var body io.Reader
	if cl.body != nil {
		data, err := json.Marshal(cl.body)
		if err != nil {
			return nil, fmt.Errorf("encode request body: %w", err)
		}
		body = bytes.NewReader(data)
	}
	ctx = context.WithValue(ctx, infoKey{}, &reqInfo{endpoint: cl.endpoint, readOnly: cl.readOnly, priority: cl.priority, chain: cl.chain})
	req, err := http.NewRequestWithContext(ctx, cl.method, cl.url.String(), body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", cmp.Or(cl.accept, "application/json"))
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	switch cl.auth {
	case authAdmin:
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	case authSite:
		req.SetBasicAuth(c.siteEmail, c.siteToken)
	}
	return req, nil
}

// do sends req and decodes a 2xx JSON body into v. It returns an *APIError
// for an HTTP error status and a *RequestError for anything else.
func (c *client) do(ctx context.Context, req *http.Request, v any) error {
	info := infoFrom(req.Context())
	fail := func(status int, err error) error {
		return &RequestError{Method: req.Method, Endpoint: info.endpoint, Status: status, Err: err}
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fail(0, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		data, _ := readCapped(resp.Body, maxErrorBody)
		if err := spend(ctx, len(data)); err != nil {
			return fail(resp.StatusCode, err)
		}
		// A server that echoes what it was sent must not put a credential
		// into a message: every body is masked before it is read.
		apiErr := parseAPIError(req.Method, info.endpoint, resp.StatusCode, c.redact.Bytes(validUTF8(data)))
		apiErr.Attempts = info.attempts
		return apiErr
	}
	if resp.ContentLength > c.maxBody {
		return fail(resp.StatusCode, tooLarge(c.maxBody))
	}
	data, err := readCapped(resp.Body, c.maxBody)
	switch {
	case errors.Is(err, ErrBodyTooLarge):
		return fail(resp.StatusCode, tooLarge(c.maxBody))
	case err != nil && ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		return fail(resp.StatusCode, fmt.Errorf("response body not complete within the request timeout: %w", err))
	case err != nil:
		return fail(resp.StatusCode, fmt.Errorf("truncated response body: %w", withoutAddrs(err)))
	}
	if err := spend(ctx, len(data)); err != nil {
		return fail(resp.StatusCode, err)
	}
	if v == nil {
		return nil
	}
	if err := json.Unmarshal(c.redact.Bytes(validUTF8(data)), v); err != nil {
		return fail(resp.StatusCode, fmt.Errorf("malformed JSON in response: %w", err))
	}
	return nil
}

// validUTF8 replaces every invalid UTF-8 sequence of a body with U+FFFD, so
// that what the API sends reaches the snapshot (raw items included) as valid
// UTF-8 JSON. encoding/json would do it for decoded strings only, not for
// the raw items kept as received.
func validUTF8(data []byte) []byte {
	if utf8.Valid(data) {
		return data
	}
	return bytes.ToValidUTF8(data, []byte("\uFFFD"))
}

// withoutAddrs drops the local and remote addresses that a network error
// names ("read tcp 10.0.0.5:51234->…: connection reset by peer"): the message
// goes into the snapshot, which should be deterministic and name no hosts of
// the machine that collected it.
func withoutAddrs(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return fmt.Errorf("%s: %w", op.Op, op.Err)
	}
	return err
}

// readCapped reads at most limit bytes, failing with ErrBodyTooLarge past it.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return data, err
	}
	if int64(len(data)) > limit {
		return nil, ErrBodyTooLarge
	}
	return data, nil
}

// tooLarge says which cap a body went over.
func tooLarge(limit int64) error {
	if limit%(1<<20) == 0 {
		return fmt.Errorf("%w: more than %d MiB", ErrBodyTooLarge, limit>>20)
	}
	return fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, limit)
}

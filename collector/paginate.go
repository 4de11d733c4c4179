package collector

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
)

// pager describes one paginated list.
type pager struct {
	method   string // GET, or POST for the read-only searches
	endpoint string // path template, for errors and logs
	// url is the first page's URL; for GET its query holds the filters.
	url *url.URL
	// body holds a POST search's filters.
	body map[string]any
	// cursorAlone sends a POST's later pages as {"cursor": …} alone: the
	// workspaces search rejects a body holding cursor and anything else
	// (swagger.v3.json, queryWorkspacesV2: "When a cursor is provided in the
	// request body, no other properties may be present").
	cursorAlone bool
	// items names the list in a page: "" means data; the sites' app
	// managers call it plugins, the service accounts list items.
	// Alternatives separated by "|" are tried in order (the first present
	// wins), for an endpoint whose list key is not documented.
	items string
	// accept overrides the Accept header (the app managers' media type).
	accept string
	auth   authKind
	// sizeParam ("limit" or "pageSize") and size ask for large pages. If the
	// API refuses the first page with 400, it is asked again with fallback
	// (0 leaves the parameter out).
	sizeParam string
	size      int
	fallback  int
	// counted marks a list whose length the API counted (expect items):
	// its page cap follows from the count and the page size served.
	counted bool
	expect  int
	// chainPages is how many pages the chain is expected to take (0:
	// unknown); the pages it has left are its requests' priority.
	chainPages int
	// maxPages caps this list's pages (ErrPageCap beyond); 0 means the
	// client's cap.
	maxPages int
}

// pageCap is the most pages p may take: from its count when it has one
// (the pages the count needs at the size the first page showed, plus 10 %
// and 10 pages for a list that grows meanwhile), else the client's cap.
func (p pager) pageCap(c *client, perPage int) int {
	if p.maxPages > 0 {
		return p.maxPages
	}
	if !p.counted || perPage <= 0 || c.fixedCap {
		return c.cap()
	}
	need := (p.expect + perPage - 1) / perPage
	return need + need/10 + 10
}

// fail wraps a pagination problem as a *RequestError of this list.
func (p pager) fail(err error) error {
	return &RequestError{Method: p.method, Endpoint: p.endpoint, Err: err}
}

// envelope is one page: data (or plugins) plus links.next or meta.next.
type envelope[T any] struct {
	Data    []T `json:"data"`
	Plugins []T `json:"plugins"`
	Items   []T `json:"items"`
	Links   struct {
		Next json.RawMessage `json:"next"`
	} `json:"links"`
	Meta struct {
		Next json.RawMessage `json:"next"`
	} `json:"meta"`
}

// nextLink returns links.next, else meta.next; a string or an {"href":…}
// object; "" at the end.
func (e *envelope[T]) nextLink() string {
	for _, raw := range []json.RawMessage{e.Links.Next, e.Meta.Next} {
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
		var obj struct {
			Href string `json:"href"`
		}
		if json.Unmarshal(raw, &obj) == nil && strings.TrimSpace(obj.Href) != "" {
			return strings.TrimSpace(obj.Href)
		}
	}
	return ""
}

// paginate fetches every page of p and hands each page's items to onPage.
// A next link that starts with http is fetched as-is (GET, same scheme, host
// and port only) or has its cursor parameter used (POST); any other next is
// sent back as the cursor with the original filters. A next seen before, or
// more than maxPages pages, stops with an error. It returns the page count.
//
// onPage runs on its own goroutine, one page behind the requests: a page's
// items are decoded while the next page is on its way, so that decoding
// adds nothing to a long chain's wall time. After onPage fails no further
// page is asked for (one already on its way is dropped), and its error is
// returned.
func paginate[T any](ctx context.Context, c *client, p pager, onPage func(items []T) error) (int, error) {
	lists := make(chan []T, 1)
	stop := make(chan struct{})
	done := make(chan struct{})
	var handErr error
	go func() {
		defer close(done)
		for list := range lists {
			if handErr != nil {
				continue
			}
			if handErr = onPage(list); handErr != nil {
				close(stop)
			}
		}
	}()
	n, err := fetchPages(ctx, c, p, func(list []T) error {
		select {
		case lists <- list:
		case <-stop:
			return errStopped
		}
		// Both cases may be ready (onPage failed and the goroutine drops what
		// is left): select picks one at random, so stop is looked at again.
		select {
		case <-stop:
			return errStopped
		default:
			return nil
		}
	})
	close(lists)
	<-done
	if handErr != nil {
		return n, handErr
	}
	return n, err
}

// chainIDs numbers the counted chains (limiter handoff).
var chainIDs atomic.Uint64

// errStopped ends fetchPages after onPage failed.
var errStopped = errors.New("stopped")

// fetchPages is paginate's request loop; hand gets each page's items.
func fetchPages[T any](ctx context.Context, c *client, p pager, hand func(items []T) error) (int, error) {
	seen := map[string]bool{}
	var chain uint64
	if p.chainPages > 0 {
		chain = chainIDs.Add(1)
	}
	var next *url.URL
	cursor, size, pages, limit := "", p.size, 0, c.cap()
	for {
		if err := ctx.Err(); err != nil {
			return pages, p.fail(err)
		}
		if pages >= limit {
			why := ""
			if p.counted && !c.fixedCap {
				why = fmt.Sprintf(" (the count said %d items)", p.expect)
			}
			return pages, p.fail(fmt.Errorf("%w: stopped after %d pages%s", ErrPageCap, pages, why))
		}
		cl := p.call(next, cursor, size)
		cl.priority, cl.chain = max(0, p.chainPages-pages), chain
		req, err := c.newRequest(ctx, cl)
		if err != nil {
			return pages, p.fail(err)
		}
		var env envelope[T]
		err = c.do(ctx, req, &env)
		if pages == 0 && size == p.size && p.size > 0 && p.fallback != p.size && statusOf(err) == http.StatusBadRequest {
			c.logger.Debug("page size refused, retrying with the default", "endpoint", p.endpoint, "size", p.size)
			size = p.fallback
			continue
		}
		if err != nil {
			// Only this request's own answer gets its page: an error that
			// wraps another area's (the cause of a run stopped by a fatal
			// error) is shared, and is not this list's to change.
			if ae, ok := err.(*APIError); ok {
				ae.Page = pages + 1
			}
			return pages, err
		}
		list := env.list(p.items)
		if list == nil {
			// A page without its list is not an empty page: never count it as "nothing found".
			return pages, &RequestError{Method: p.method, Endpoint: p.endpoint, Status: http.StatusOK,
				Err: fmt.Errorf("response has no %s list", cmp.Or(p.items, "data"))}
		}
		pages++
		if pages == 1 {
			limit = p.pageCap(c, len(list))
		}
		if err := hand(list); err != nil {
			return pages, err
		}
		raw := env.nextLink()
		if raw == "" {
			return pages, nil
		}
		if seen[raw] {
			return pages, p.fail(ErrCursorLoop)
		}
		seen[raw] = true
		if next, cursor, err = p.resolveNext(raw); err != nil {
			return pages, err
		}
	}
}

// list returns the page's list named by names ("" is data; alternatives
// separated by "|" are tried in order), nil when none is present.
func (e *envelope[T]) list(names string) []T {
	for _, name := range strings.Split(cmp.Or(names, "data"), "|") {
		var l []T
		switch name {
		case "data":
			l = e.Data
		case "plugins":
			l = e.Plugins
		case "items":
			l = e.Items
		}
		if l != nil {
			return l
		}
	}
	return nil
}

// call builds the request for one page: next as-is when set, else the first
// URL (or body) with the filters, the page size and the cursor.
func (p pager) call(next *url.URL, cursor string, size int) call {
	cl := call{method: p.method, endpoint: p.endpoint, auth: p.auth, accept: p.accept, readOnly: p.method == http.MethodPost}
	if p.method == http.MethodPost {
		body := maps.Clone(p.body)
		if body == nil {
			body = map[string]any{}
		}
		if size > 0 {
			body[p.sizeParam] = size
		}
		if cursor != "" && p.cursorAlone {
			body = map[string]any{}
		}
		if cursor != "" {
			body["cursor"] = cursor
		}
		cl.url, cl.body = p.url, body
		return cl
	}
	if next != nil {
		cl.url = next
		return cl
	}
	u := *p.url
	q := u.Query()
	if size > 0 {
		q.Set(p.sizeParam, strconv.Itoa(size))
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	u.RawQuery = q.Encode()
	cl.url = &u
	return cl
}

// resolveNext interprets a next link: a URL to fetch (GET) or a cursor.
func (p pager) resolveNext(raw string) (*url.URL, string, error) {
	lower := strings.ToLower(raw)
	isURL := strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
	if !isURL && !strings.HasPrefix(raw, "/") {
		return nil, raw, nil // a bare cursor
	}
	u, err := p.url.Parse(raw)
	if err != nil {
		return nil, "", p.fail(fmt.Errorf("next link is not a URL: %w", err))
	}
	if p.method == http.MethodPost {
		cursor := u.Query().Get("cursor")
		if cursor == "" {
			return nil, "", p.fail(fmt.Errorf("next link has no cursor parameter"))
		}
		return nil, cursor, nil
	}
	if !sameOrigin(p.url, u) {
		return nil, "", p.fail(fmt.Errorf("%w: %s://%s", ErrForeignNext, u.Scheme, u.Host))
	}
	return u, "", nil
}

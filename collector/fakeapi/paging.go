package fakeapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// nextStyle is how a family of endpoints writes links.next.
type nextStyle int

const (
	nextFullURL nextStyle = iota // a full URL carrying ?cursor= (v1 lists, workspaces)
	nextCursor                   // a bare cursor token (API Access, users search, app access)
)

// paging is the page request: where to start, how many, and how to link on.
type paging struct {
	style     nextStyle
	sizeParam string
	cursor    string
	size      int
	sizeGiven bool
	// filters: the page size of the first request must come back with every
	// cursor (API Access: "repeat the other filters"); 400 otherwise.
	filters bool
}

// getPaging reads cursor and page size from a GET query.
func getPaging(r *http.Request, style nextStyle, sizeParam string, filters bool) paging {
	q := r.URL.Query()
	p := paging{style: style, sizeParam: sizeParam, cursor: q.Get("cursor"), filters: filters}
	if v := q.Get(sizeParam); v != "" {
		p.size, _ = strconv.Atoi(v)
		p.sizeGiven = true
	}
	return p
}

// postPaging reads cursor and limit from a search body, which is also returned.
func postPaging(r *http.Request, style nextStyle) (paging, map[string]any, error) {
	body := map[string]any{}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return paging{}, nil, fmt.Errorf("request body is not a JSON object: %v", err)
	}
	p := paging{style: style, sizeParam: "limit"}
	p.cursor, _ = body["cursor"].(string)
	if n, ok := body["limit"].(float64); ok {
		p.size, p.sizeGiven = int(n), true
	}
	return p, body, nil
}

// encodeCursor and decodeCursor make opaque cursors from an item offset and
// the page size asked for (0 when none), which must come back with the cursor.
func encodeCursor(offset, size int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(fmt.Sprintf("offset:%d:size:%d", offset, size)))
}

func decodeCursor(c string) (offset, size int, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, false
	}
	n, err := fmt.Sscanf(string(raw), "offset:%d:size:%d", &offset, &size)
	return offset, size, err == nil && n == 2 && offset >= 0
}

// window checks the paging request against n items and returns the page
// bounds and the links object; on a bad request it writes the 400 itself.
func (s *Server) window(w http.ResponseWriter, r *http.Request, n int, p paging) (int, int, map[string]any, bool) {
	if limit := s.maxLimit(r); p.sizeGiven && (p.size < 1 || p.size > limit) {
		writeError(w, r, http.StatusBadRequest, codeBadBody, fmt.Sprintf("%s must be between 1 and %d", p.sizeParam, limit))
		return 0, 0, nil, false
	}
	if lf := linkFaultFrom(r.Context()); lf != nil && lf.Kind == ExpiredCursor && p.cursor != "" {
		writeError(w, r, http.StatusNotFound, codeUnknown, "the cursor has expired")
		return 0, 0, nil, false
	}
	start, asked := 0, 0
	if p.sizeGiven {
		asked = p.size
	}
	if p.cursor != "" {
		var ok bool
		var size int
		if start, size, ok = decodeCursor(p.cursor); !ok {
			writeError(w, r, http.StatusBadRequest, codeBadCursor, "invalid page cursor")
			return 0, 0, nil, false
		}
		if p.filters && size != asked {
			writeError(w, r, http.StatusBadRequest, codeBadCursor, "a cursor must be sent with the filters of the first request")
			return 0, 0, nil, false
		}
	}
	size := s.opts.PageSize
	if p.sizeGiven && p.size < size {
		size = p.size
	}
	start = min(start, n)
	end := min(start+size, n)
	links := map[string]any{"self": origin(r) + r.URL.RequestURI(), "prev": nil, "next": nil}
	switch lf := linkFaultFrom(r.Context()); {
	case lf != nil && lf.Kind == CursorLoop:
		links["next"] = s.nextLink(r, p, start, asked)
	case lf != nil && lf.Kind == ForeignNext:
		host := lf.Host
		if host == "" {
			host = "evil.example.com"
		}
		links["next"] = "https://" + host + r.URL.Path + "?cursor=" + encodeCursor(end, asked)
	case end < n:
		links["next"] = s.nextLink(r, p, end, asked)
	}
	return start, end, links, true
}

// specMaxLimit is each route's documented largest page size
// (swagger.v3.json: workspaces limit ≤ 1000; users search and app access
// limit ≤ 100); API Access documents none, 100 is assumed.
var specMaxLimit = map[string]int{"sites": 1000, "audit_log": 500}

// maxLimit is the largest page size the request's route accepts.
func (s *Server) maxLimit(r *http.Request) int {
	limit := 100
	if n, ok := specMaxLimit[routeOf(r)]; ok {
		limit = n
	}
	if s.opts.MaxLimit > 0 {
		limit = min(limit, s.opts.MaxLimit)
	}
	return limit
}

// nextLink writes the link to the page starting at offset in the family's style.
func (s *Server) nextLink(r *http.Request, p paging, offset, size int) string {
	c := encodeCursor(offset, size)
	if p.style == nextCursor {
		return c
	}
	q := url.Values{}
	if r.Method == http.MethodGet {
		q = r.URL.Query()
	}
	q.Set("cursor", c)
	return origin(r) + r.URL.Path + "?" + q.Encode()
}

// origin is the scheme and host the client used (Transport keeps the
// original host and scheme in Host and X-Forwarded-Proto).
func origin(r *http.Request) string {
	scheme := r.Header.Get("X-Forwarded-Proto")
	if scheme == "" {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// linkKey carries a link fault to the paging of a request.
type linkKey struct{}

// linkFaultFrom returns the link fault of the request, nil when none.
func linkFaultFrom(ctx context.Context) *Fault {
	f, _ := ctx.Value(linkKey{}).(*Fault)
	return f
}

// writeJSON writes v as a 200 JSON response with Atlassian's rate-limit headers.
func (s *Server) writeJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakeapi: response does not marshal: %v", err))
	}
	s.writeBody(w, data)
}

// writeBody writes a JSON body as a 200 with Atlassian's rate-limit headers.
func (s *Server) writeBody(w http.ResponseWriter, data []byte) {
	h := w.Header()
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	if h.Get("X-RateLimit-Remaining") == "" { // no RateLimit budget: a roomy one
		h.Set("X-RateLimit-Limit", "1000")
		h.Set("X-RateLimit-Remaining", "999")
		h.Set("X-RateLimit-Reset", s.opts.Now().Add(time.Minute).UTC().Format(time.RFC3339))
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

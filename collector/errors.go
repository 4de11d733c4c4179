package collector

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
)

// Sentinel causes of a *RequestError, for errors.Is.
var (
	// ErrCursorLoop means a next link or cursor came back a second time.
	ErrCursorLoop = errors.New("pagination loop: the API returned a next cursor it had returned before")
	// ErrPageCap means an area had more pages than the collector follows.
	ErrPageCap = errors.New("too many pages")
	// ErrForeignNext means a next link pointed away from the API's host.
	ErrForeignNext = errors.New("refused next link to another host")
	// ErrBodyTooLarge means a response body was larger than the size cap.
	ErrBodyTooLarge = errors.New("response body too large")

	errNotObject = errors.New("response is not a JSON object")
)

// APIError is an HTTP error status from an Atlassian API, with the error
// code and title parsed from either of Atlassian's error body shapes. It
// never holds credentials.
type APIError struct {
	// Method is the HTTP method, e.g. GET.
	Method string
	// Endpoint is the path template without host or query, e.g. /admin/v1/orgs/{orgId}/domains.
	Endpoint string
	// Status is the HTTP status code.
	Status int
	// Code is Atlassian's error code (e.g. ADMIN-404-2) or the key of a {"key":…} body.
	Code string
	// Title is the error's title, else the status text.
	Title string
	// Detail is the error's detail, when the API gave one.
	Detail string
	// Attempts is how many times the request was sent (more than 1 after retries).
	Attempts int
	// Page is the page of a list that failed, counting from 1; 0 when the
	// request was not a list page.
	Page int
}

// Error returns "METHOD endpoint: status code title: detail", with the page
// of a list when it was not the first.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Endpoint, e.Status)
	for _, s := range []string{e.Code, e.Title} {
		if s != "" {
			b.WriteString(" ")
			b.WriteString(s)
		}
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Page > 1 {
		fmt.Fprintf(&b, " (page %d)", e.Page)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (gave up after %d attempts)", e.Attempts)
	}
	return b.String()
}

// RequestError is a request that failed without an HTTP error status: the
// API could not be reached or timed out, the body was too large, truncated or
// not JSON, or pagination went wrong (see the Err* sentinels).
type RequestError struct {
	Method   string
	Endpoint string
	// Status is the HTTP status of the response, 0 when none arrived.
	Status int
	Err    error
}

// Error returns "METHOD endpoint: cause".
func (e *RequestError) Error() string { return e.Method + " " + e.Endpoint + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *RequestError) Unwrap() error { return e.Err }

// FatalError stops a collection: the admin API refused the key (401), the
// organization was not found, or the API could not be reached. No snapshot is
// produced; the CLI exits with the collection error code.
type FatalError struct {
	Err error
}

// Error returns the cause's message.
func (e *FatalError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *FatalError) Unwrap() error { return e.Err }

// ConfigError is a problem with the options before anything is collected: a
// missing key, an http:// URL for a non-loopback host, or an API key that sees
// several organizations when none was chosen. The CLI treats it as a usage error.
type ConfigError struct {
	Msg string
}

// Error returns the message.
func (e *ConfigError) Error() string { return e.Msg }

// errorBody covers every error body shape Atlassian documents (contract
// Part C.6, Organizations API swagger.v3.json of 2026-06-11 to 2026-08-21):
//
//   - {"errors":[{"id","status","code","title","detail"}]}: most Organizations
//     API errors and every users search error;
//   - {"code","detail","id","status","title"} at the top level: the
//     workspaces search (flat);
//   - {"code": <number>, "message"}: the gateway's 401 and 429;
//   - {"error","message","path","requestId","status","timestamp"}: the
//     domains 403;
//   - {"key": "…"}: the User Management API;
//   - {"message", "status-code"}: the sites' own REST APIs.
type errorBody struct {
	Errors []errorItem `json:"errors"`
	errorItem
	Key     string          `json:"key"`
	Message string          `json:"message"`
	Error   json.RawMessage `json:"error"`
}

// errorItem is one JSON:API-style error; code is a string (ADMIN-404-2) in
// that shape and a number (401) in the gateway's.
type errorItem struct {
	Code   json.RawMessage `json:"code"`
	Title  string          `json:"title"`
	Detail string          `json:"detail"`
}

// maxDetail caps how much of a server-chosen error text is kept.
const maxDetail = 300

// parseAPIError builds an *APIError from an error response's status and body.
func parseAPIError(method, endpoint string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Endpoint: endpoint, Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		item := eb.errorItem
		if len(eb.Errors) > 0 {
			item = eb.Errors[0]
		}
		e.Code, e.Title, e.Detail = errorCode(item.Code, status), item.Title, item.Detail
		if e.Code == "" {
			e.Code = eb.Key
		}
		if e.Title == "" {
			var s string
			if json.Unmarshal(eb.Error, &s) == nil {
				e.Title = s
			}
		}
		if e.Detail == "" {
			e.Detail = eb.Message
		}
	}
	e.Code, e.Title, e.Detail = cleanText(e.Code, 80), cleanText(e.Title, 120), cleanText(e.Detail, maxDetail)
	if e.Title == "" {
		e.Title = http.StatusText(status)
	}
	if e.Detail == e.Title {
		e.Detail = ""
	}
	return e
}

// errorCode reads an error code: a string (ADMIN-404-2), or a number, which
// is kept only when it says more than the HTTP status itself.
func errorCode(raw json.RawMessage, status int) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil && n.String() != strconv.Itoa(status) {
		return n.String()
	}
	return ""
}

// cleanText makes a server-chosen text safe for one line of a message:
// control characters become spaces, runs of spaces collapse, and the text
// is cut at limit runes.
func cleanText(s string, limit int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit-1]) + "…"
	}
	return s
}

// statusOf returns the HTTP status carried by err, 0 when none.
func statusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.Status
	}
	var re *RequestError
	if errors.As(err, &re) {
		return re.Status
	}
	return 0
}

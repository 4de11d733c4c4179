package collector

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
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
	errNoData    = errors.New("response has no data list")
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
	// Code is Atlassian's error code (e.g. ADMIN-UAM-403-1) or the key of a {"key":…} body.
	Code string
	// Title is the error's title, else the status text.
	Title string
	// Detail is the error's detail, when the API gave one.
	Detail string
	// Attempts is how many times the request was sent (more than 1 after retries).
	Attempts int
}

// Error returns "METHOD endpoint: status code title".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Endpoint, e.Status)
	for _, s := range []string{e.Code, e.Title} {
		if s != "" {
			b.WriteString(" ")
			b.WriteString(s)
		}
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

// errorBody covers both Atlassian error shapes and the site APIs' message shape.
type errorBody struct {
	Errors []struct {
		Status json.RawMessage `json:"status"`
		Code   string          `json:"code"`
		Title  string          `json:"title"`
		Detail string          `json:"detail"`
	} `json:"errors"`
	Key     string `json:"key"`
	Message string `json:"message"`
}

// parseAPIError builds an *APIError from an error response's status and body.
func parseAPIError(method, endpoint string, status int, body []byte) *APIError {
	e := &APIError{Method: method, Endpoint: endpoint, Status: status}
	var eb errorBody
	if json.Unmarshal(body, &eb) == nil {
		switch {
		case len(eb.Errors) > 0:
			first := eb.Errors[0]
			e.Code, e.Title, e.Detail = first.Code, first.Title, first.Detail
		case eb.Key != "":
			e.Code = eb.Key
		}
		if e.Detail == "" {
			e.Detail = eb.Message
		}
	}
	if e.Title == "" {
		e.Title = http.StatusText(status)
	}
	return e
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

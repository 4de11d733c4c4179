package fakeapi

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"
)

// FaultKind is a way for an endpoint to misbehave.
type FaultKind int

// The fault kinds.
const (
	// RateLimit answers 429 with Retry-After in seconds.
	RateLimit FaultKind = iota + 1
	// RateLimitDate answers 429 with Retry-After as an HTTP date.
	RateLimitDate
	// RateLimitReset answers 429 with only X-RateLimit-Reset (epoch seconds).
	RateLimitReset
	// RateLimitBare answers 429 with neither header.
	RateLimitBare
	// ServerError answers Status (default 503).
	ServerError
	// Unauthorized answers 401 in Atlassian's error shape.
	Unauthorized
	// Forbidden answers 403 in Atlassian's error shape.
	Forbidden
	// NotFound answers 404 in Atlassian's error shape.
	NotFound
	// Slow waits Delay, then answers normally (or with the next matching fault).
	Slow
	// Malformed answers 200 with a body that is not JSON.
	Malformed
	// Truncated answers 200 with half of the real body and a Content-Length for all of it.
	Truncated
	// CursorLoop answers normally but links.next leads back to the same page.
	CursorLoop
	// ForeignNext answers normally but links.next is a full URL on Host.
	ForeignNext
	// Huge answers 200 with a valid JSON body of Size bytes.
	Huge
	// StallBody answers 200, sends the headers and the start of the body,
	// then stalls (slowloris style) for Delay, or until the client leaves
	// when Delay is 0.
	StallBody
	// ResetMidBody answers 200 with a Content-Length for the real body, sends
	// half of it, then resets the connection (TCP RST).
	ResetMidBody
	// ExpiredCursor answers the first page normally and 404 to every request
	// carrying a cursor, as an expired cursor does.
	ExpiredCursor
	// BadUTF8 answers normally, with invalid UTF-8 bytes put into the first
	// string value of the body.
	BadUTF8
	// Miscount answers the users count off by Size (which may be negative),
	// as a count taken while the directory changes can be.
	Miscount
	// NotOnPlan answers 403 in Atlassian's error shape with a detail that
	// names the organization's plan, as a refusal for a feature the plan does
	// not include does (contract Part C.7).
	NotOnPlan
	// BadValue answers the real body with the value of every key named Key
	// (at any depth) replaced by Value, a JSON text: a body of the documented
	// shape whose one field holds what the spec does not allow (a timestamp
	// that is no time, a status that is no status).
	BadValue
)

// Fault makes one endpoint misbehave.
type Fault struct {
	// Route is a route name (see Request.Route), "site:<site URL>" for one
	// site, or "*" for every route.
	Route string
	Kind  FaultKind
	// Times is how many matching requests the fault applies to; 0 means all.
	Times int
	// Contains, when set, limits the fault to requests whose query string
	// or body contains it (one filter of a search or a count).
	Contains string
	// Status is the ServerError status; 0 means 503.
	Status int
	// RetryAfter is the wait the rate-limit kinds announce; 0 means 2 s.
	RetryAfter time.Duration
	// Delay is how long Slow waits.
	Delay time.Duration
	// Size is Huge's body size in bytes; 0 means 40 MiB.
	Size int
	// Host is ForeignNext's host; "" means evil.example.com.
	Host string
	// Key and Value are BadValue's field name and its replacement (JSON).
	Key, Value string
}

// fault returns the faults that apply to a request of route (and site) and
// counts them: the delay of every matching Slow fault, and the first other
// matching fault (nil when none), so that a slow API can also fail.
func (s *Server) fault(route, site, request string) (time.Duration, *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var delay time.Duration
	for i := range s.opts.Faults {
		f := &s.opts.Faults[i]
		match := f.Route == "*" || f.Route == route ||
			(route == "site" && strings.HasPrefix(f.Route, "site:") && sameSite(strings.TrimPrefix(f.Route, "site:"), site))
		if !match || (f.Times > 0 && s.hits[i] >= f.Times) || !strings.Contains(request, f.Contains) {
			continue
		}
		s.hits[i]++
		if f.Kind != Slow {
			return delay, f
		}
		delay += f.Delay
	}
	return delay, nil
}

// applyFault serves f. It returns true when the response is written, or the
// request to go on with (carrying link faults) when it is not.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault, h http.HandlerFunc) (bool, *http.Request) {
	wait := f.RetryAfter
	if wait == 0 {
		wait = 2 * time.Second
	}
	switch f.Kind {
	case RateLimit:
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Round(time.Second)/time.Second)))
		writeError(w, r, http.StatusTooManyRequests, "", "Rate limit exceeded")
	case RateLimitDate:
		w.Header().Set("Retry-After", s.opts.Now().Add(wait).UTC().Format(http.TimeFormat))
		writeError(w, r, http.StatusTooManyRequests, "", "Rate limit exceeded")
	case RateLimitReset:
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(s.opts.Now().Add(wait).Unix(), 10))
		writeError(w, r, http.StatusTooManyRequests, "", "Rate limit exceeded")
	case RateLimitBare:
		writeError(w, r, http.StatusTooManyRequests, "", "Rate limit exceeded")
	case ServerError:
		status := f.Status
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		writeError(w, r, status, codeInternal, "the service is unavailable")
	case Unauthorized:
		writeError(w, r, http.StatusUnauthorized, "", unauthorizedMessage(routeOf(r) == "site"))
	case Forbidden:
		writeError(w, r, http.StatusForbidden, codeNotAllowed, "the API key lacks a scope for this resource")
	case NotFound:
		writeError(w, r, http.StatusNotFound, codeUnknown, "Unknown resource")
	case NotOnPlan:
		writeError(w, r, http.StatusForbidden, codeNotAllowed, "This feature is only available on Premium and Enterprise plans")
	case Malformed:
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data": [ {"id": "1", oops`))
	case Truncated:
		rec := httptest.NewRecorder()
		h(rec, r)
		body := rec.Body.Bytes()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body[:len(body)/2])
	case CursorLoop, ForeignNext, ExpiredCursor, Miscount:
		return false, r.WithContext(context.WithValue(r.Context(), linkKey{}, f))
	case Huge:
		writeHuge(w, f.Size)
	case StallBody:
		stallBody(w, r, f.Delay)
	case ResetMidBody:
		resetMidBody(w, r, h)
	case BadUTF8:
		badUTF8(w, r, h)
	case BadValue:
		badValue(w, r, h, f.Key, json.RawMessage(f.Value))
	default:
		writeError(w, r, http.StatusInternalServerError, codeInternal, fmt.Sprintf("unknown fault %d", f.Kind))
	}
	return true, r
}

// badUTF8 renders the real response and puts the bytes 0xff 0xfe at the
// start of the first string value after a key.
func badUTF8(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	rec := httptest.NewRecorder()
	h(rec, r)
	body := rec.Body.Bytes()
	if i := bytes.Index(body, []byte(`":"`)); i >= 0 {
		body = append(body[:i+3:i+3], append([]byte{0xff, 0xfe}, body[i+3:]...)...)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rec.Code)
	_, _ = w.Write(body)
}

// badValue renders the real response and replaces the value of every key
// named key, at any depth, with value.
func badValue(w http.ResponseWriter, r *http.Request, h http.HandlerFunc, key string, value json.RawMessage) {
	rec := httptest.NewRecorder()
	h(rec, r)
	var body any
	d := json.NewDecoder(rec.Body)
	d.UseNumber()
	if err := d.Decode(&body); err != nil {
		writeError(w, r, http.StatusInternalServerError, codeInternal, "BadValue: the real response is not JSON")
		return
	}
	var replace func(v any) any
	replace = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if k == key {
					v[k] = value
				} else {
					v[k] = replace(x)
				}
			}
		case []any:
			for i, x := range v {
				v[i] = replace(x)
			}
		}
		return v
	}
	data, err := json.Marshal(replace(body))
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, codeInternal, "BadValue: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rec.Code)
	_, _ = w.Write(data)
}

// writeHuge streams a valid JSON body of about size bytes.
func writeHuge(w http.ResponseWriter, size int) {
	if size <= 0 {
		size = 40 << 20
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"data":[],"padding":"`))
	chunk := []byte(strings.Repeat("x", 64<<10))
	for written := 0; written < size; written += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return // the client stopped reading
		}
	}
	_, _ = w.Write([]byte(`"}`))
}

// stallBody sends the headers and the first bytes of a JSON body, then
// waits for delay (0: until the client goes away) without sending more.
func stallBody(w http.ResponseWriter, r *http.Request, delay time.Duration) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"data":[`))
	_ = http.NewResponseController(w).Flush()
	var timeout <-chan time.Time
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
	case <-r.Context().Done():
	}
}

// resetMidBody renders the real response, sends its headers (with the full
// Content-Length) and half of its body on the raw connection, then closes
// the connection with a TCP RST.
func resetMidBody(w http.ResponseWriter, r *http.Request, h http.HandlerFunc) {
	rec := httptest.NewRecorder()
	h(rec, r)
	body := rec.Body.Bytes()
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // cannot hijack: abort the response instead
	}
	defer conn.Close()
	writeRaw(buf, rec.Code, len(body), body[:len(body)/2])
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST instead of FIN
	}
}

// writeRaw writes a response head with Content-Length n and part of the body.
func writeRaw(buf *bufio.ReadWriter, status, n int, part []byte) {
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
		status, http.StatusText(status), n)
	_, _ = buf.Write(part)
	_ = buf.Flush()
}

// Package redact is the one place that knows every secret the process holds
// (the org admin API key, the site API token and the site Basic credential)
// and removes them from text that came from outside before it is stored or
// printed: an API that echoes "Bearer <key>" in an error body, in an item or
// in a next link must not put the key into the snapshot, a report, the step
// summary or the log.
//
// A secret is known in every form it can take on the way: as sent (raw,
// "Bearer …", the Basic value in base64), as JSON, URL and Markdown escape it,
// so that a report rendered after the fact, where "_" became "\_", is
// covered too.
package redact

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"

	"io"
	"net/url"
	"slices"
	"strings"
	"sync"

	"github.com/atlcheck/atlcheck/internal/escape"
)

// Mask replaces a secret.
const Mask = "[redacted]"

// MinLen is the length below which a string is not taken as a secret: a
// two-letter "secret" would mask ordinary words everywhere.
const MinLen = 8

// Redactor masks the secrets it was given. Its methods are safe for
// concurrent use, and a nil *Redactor masks nothing.
type Redactor struct {
	mu       sync.RWMutex
	forms    []string
	replacer *strings.Replacer
}

// New returns a Redactor that knows secrets.
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add makes the redactor mask each secret (shorter than MinLen: ignored).
func (r *Redactor) Add(secrets ...string) {
	var forms []string
	for _, s := range secrets {
		if len(s) >= MinLen {
			forms = append(forms, variants(s)...)
		}
	}
	r.addForms(forms)
}

// AddBasic makes the redactor mask an HTTP Basic credential: the password
// and the base64 of "user:password" the Authorization header carries.
func (r *Redactor) AddBasic(user, password string) {
	if len(password) < MinLen && len(user+password) < MinLen {
		return
	}
	basic := user + ":" + password
	forms := []string{base64.StdEncoding.EncodeToString([]byte(basic)), base64.RawStdEncoding.EncodeToString([]byte(basic)),
		base64.URLEncoding.EncodeToString([]byte(basic))}
	if len(password) >= MinLen {
		forms = append(forms, variants(password)...)
	}
	r.addForms(forms)
}

// variants are the forms of s a text can hold: raw and as JSON, URL and
// Markdown escape it.
func variants(s string) []string {
	out := []string{s, url.QueryEscape(s), url.PathEscape(s), escape.MDText(s), escape.Control(s)}
	for _, html := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		_ = enc.Encode(s)
		out = append(out, strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:])
	}
	return out
}

func (r *Redactor) addForms(forms []string) {
	if r == nil || len(forms) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, f := range forms {
		if f != "" && !slices.Contains(r.forms, f) {
			r.forms = append(r.forms, f)
		}
	}
	// Longest first, so that a form containing another is masked whole.
	slices.SortFunc(r.forms, func(a, b string) int { return len(b) - len(a) })
	pairs := make([]string, 0, 2*len(r.forms))
	for _, f := range r.forms {
		pairs = append(pairs, f, Mask)
	}
	r.replacer = strings.NewReplacer(pairs...)
}

// String masks every secret in s.
func (r *Redactor) String(s string) string {
	rep := r.current()
	if rep == nil {
		return s
	}
	return rep.Replace(s)
}

// Bytes masks every secret in b (b itself when it holds none).
func (r *Redactor) Bytes(b []byte) []byte {
	if r.current() == nil || !r.contains(b) {
		return b
	}
	return []byte(r.String(string(b)))
}

func (r *Redactor) current() *strings.Replacer {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.replacer
}

func (r *Redactor) contains(b []byte) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, f := range r.forms {
		if bytes.Contains(b, []byte(f)) {
			return true
		}
	}
	return false
}

// Error returns err with every secret masked in its message; errors.Is and
// errors.As still see the original chain. nil stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil || r.current() == nil {
		return err
	}
	msg := err.Error()
	if red := r.String(msg); red != msg {
		return &redacted{msg: red, err: err}
	}
	return err
}

type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// Writer returns w with every Write masked. Each Write is masked whole, so a
// secret split over two writes is not seen; every writer of atlcheck writes a
// line, a log record or a whole report at once.
func (r *Redactor) Writer(w io.Writer) io.Writer { return &writer{r: r, w: w} }

type writer struct {
	r *Redactor
	w io.Writer
}

func (w *writer) Write(p []byte) (int, error) {
	if _, err := w.w.Write(w.r.Bytes(p)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Unwrap returns the writer underneath (to tell whether it is a terminal).
func (w *writer) Unwrap() io.Writer { return w.w }

type ctxKey struct{}

// NewContext returns ctx carrying r.
func NewContext(ctx context.Context, r *Redactor) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the Redactor of ctx, nil when none (which masks nothing).
func FromContext(ctx context.Context) *Redactor {
	r, _ := ctx.Value(ctxKey{}).(*Redactor)
	return r
}

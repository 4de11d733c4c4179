package redact

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"strings"
	"testing"
)

func TestRedactForms(t *testing.T) {
	const key = "atl_SECRET*key<4f9a1c>&x"
	r := New(key, "short")
	r.AddBasic("site.admin@example.com", "site_TOKEN*9b8a7c")
	basic := base64.StdEncoding.EncodeToString([]byte("site.admin@example.com:site_TOKEN*9b8a7c"))
	tests := []string{
		"Bearer " + key, // raw
		`{"detail":"atl_SECRET*key\u003c4f9a1c\u003e\u0026x"}`, // JSON with HTML escaping
		"cursor=atl_SECRET%2Akey%3C4f9a1c%3E%26x",              // URL query escaping
		`atl\_SECRET\*key&lt;4f9a1c&gt;&amp;x`,                 // Markdown
		"Basic " + basic,
		"token site_TOKEN*9b8a7c",
	}
	for _, in := range tests {
		got := r.String(in)
		if !strings.Contains(got, Mask) || strings.Contains(got, "SECRET") || strings.Contains(got, "TOKEN") || strings.Contains(got, basic) {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
	if got := r.String("a short word"); got != "a short word" {
		t.Errorf("a secret under MinLen was masked: %q", got)
	}
	plain := []byte("nothing to hide")
	if got := r.Bytes(plain); &got[0] != &plain[0] {
		t.Error("Bytes copied a text without secrets")
	}
}

func TestRedactErrorWriterContext(t *testing.T) {
	r := New("s3cr3t-value-123")
	err := r.Error(&fs.PathError{Op: "open", Path: "s3cr3t-value-123", Err: fs.ErrNotExist})
	var pe *fs.PathError
	if err.Error() != "open [redacted]: file does not exist" || !errors.As(err, &pe) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Error: %v", err)
	}
	var buf bytes.Buffer
	w := r.Writer(&buf)
	if n, err := w.Write([]byte("key=s3cr3t-value-123\n")); n != 21 || err != nil || buf.String() != "key=[redacted]\n" {
		t.Errorf("Writer wrote %q (%d, %v)", buf.String(), n, err)
	}
	if FromContext(context.Background()) != nil || FromContext(NewContext(context.Background(), r)) != r {
		t.Error("context round trip")
	}
	var none *Redactor
	none.Add("ignored-secret")
	if none.String("x ignored-secret") != "x ignored-secret" || none.Error(nil) != nil {
		t.Error("a nil Redactor must mask nothing")
	}
}

package diff

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/escape"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

var cellCount = escape.TableCells

// hostile is a value that tries to break tables, inject HTML and links, and
// forge terminal lines.
const hostile = "evil|`x`<script>alert(1)</script> [click](https://evil.example)\nnext\x1b[31m"

func hostileDiff(t *testing.T) *Result {
	t.Helper()
	old, next := base(), base()
	old.Org.Name, next.Org.Name = hostile, hostile
	next.ExternalUsers.Items[0].Name = hostile
	// api_token_access can only be allow or block (a snapshot with anything
	// else does not validate): the markup goes into a free-text field.
	next.ExternalUsers.Items[0].APITokenAccess = "allow"
	next.VerifiedDomains.Items[0].Status = "VERIFIED|<b>"
	r, err := Compare(context.Background(), doc(t, old, "old|.json"), doc(t, next, "new.json"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMarkdownEscapesSnapshotValues(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "markdown", hostileDiff(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// The resource cell is a code span (GitHub shows its content as text);
	// everywhere else HTML and links are escaped.
	code := "| ``evil\\|`x`<script>alert(1)</script> [click](https://evil.example)\\nnext\\x1b[31m`` |"
	if !strings.Contains(out, code) {
		t.Errorf("got no resource cell %s in:\n%s", code, out)
	}
	for _, raw := range []string{"<script>", "[click](", "<b>"} {
		if strings.Contains(escape.WithoutCodeSpans(out), raw) {
			t.Errorf("got %q outside a code span, want it escaped:\n%s", raw, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("got a raw escape character in:\n%s", out)
	}
	cells := 0
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") {
			cells = 0
			continue
		}
		if cells == 0 {
			cells = cellCount(line)
		} else if got := cellCount(line); got != cells {
			t.Errorf("got a row of %d cells, want %d: %s", got, cells, line)
		}
	}
}

func TestTextShowsControlCharactersAsEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "text", hostileDiff(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\nnext") {
		t.Errorf("got raw control characters in text output:\n%s", out)
	}
	if !strings.Contains(out, `\nnext\x1b[31m`) {
		t.Errorf("got %q, want the newline and escape shown as \\n and \\x1b", out)
	}
}

func TestNotComparedAreasAreListed(t *testing.T) {
	old, next := base(), base()
	for _, s := range []*snapshot.Snapshot{old, next} {
		s.ExternalUsers.Area = snapshot.Area{Source: snapshot.SourceNone, Error: &snapshot.AreaError{Message: "no attestation file"}}
	}
	r, err := Compare(context.Background(), doc(t, old, "old.json"), doc(t, next, "new.json"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, "markdown", r); err != nil {
		t.Fatal(err)
	}
	want := "| `external_users` |  | not collected in either snapshot |"
	if len(r.Changes) != 0 || !strings.Contains(buf.String(), want) {
		t.Errorf("got %d changes and:\n%s\nwant no change and the row %s", len(r.Changes), buf.String(), want)
	}
}

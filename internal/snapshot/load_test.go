package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/atlcheck/atlcheck/internal/inputfile"
)

func TestParseMinimal(t *testing.T) {
	data, err := os.ReadFile("testdata/minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse("minimal.json", data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if doc.Header.Org.ID != "org-1" || doc.Header.APIKeys.Collected || doc.Header.APIKeys.Error.Status != 403 {
		t.Fatalf("decoded snapshot = %+v", doc.Header)
	}
	if len(doc.SHA256) != 64 {
		t.Fatalf("sha256 = %q", doc.SHA256)
	}
}

// TestParseSkipsByteOrderMark: a snapshot saved with a UTF-8 byte-order
// mark (Notepad, PowerShell's Out-File) reads as the same snapshot, with
// errors at the lines and columns the user sees; its sha256 stays that of
// the file as given. It read "1:2: invalid JSON: invalid character 'ï'"
// before.
func TestParseSkipsByteOrderMark(t *testing.T) {
	data, err := os.ReadFile("testdata/minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Parse("minimal.json", data)
	if err != nil {
		t.Fatal(err)
	}
	marked := append([]byte("\uFEFF"), data...)
	doc, err := Parse("minimal.json", marked)
	if err != nil {
		t.Fatalf("Parse with a byte-order mark: %v", err)
	}
	if doc.Header.Org.ID != plain.Header.Org.ID || doc.Input.Compare(plain.Input) != 0 {
		t.Error("the snapshot with a byte-order mark reads differently")
	}
	if sum := sha256.Sum256(marked); doc.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("sha256 = %s, want the file's own", doc.SHA256)
	}
	_, err = Parse("s.json", []byte("\uFEFF{\"schema_version\": 1,,}"))
	if want := "s.json:1:22: invalid JSON"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %q…", err, want)
	}
}

func TestParseErrors(t *testing.T) {
	valid, err := os.ReadFile("testdata/minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) string {
		if !strings.Contains(string(valid), old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(string(valid), old, new, 1)
	}
	tests := []struct {
		name      string
		doc       string
		wantLine  int
		wantInMsg []string
	}{
		{"empty", "", 0, []string{"snapshot is empty"}},
		{"not json", "{\n  \"a\": 1,,\n}", 2, []string{"invalid JSON"}},
		{"truncated", `{"schema_version": 1`, 1, []string{"invalid JSON"}},
		{"array", `[]`, 1, []string{"must be a JSON object"}},
		{"unknown schema version", replace(`"schema_version": 1`, `"schema_version": 7`), 2, []string{"/schema_version", "unsupported schema_version 7"}},
		{"wrong type", replace(`"collected": true, "items": []},
  "managed_accounts"`, `"collected": "yes", "items": []},
  "managed_accounts"`), 10, []string{"/api_tokens/collected", "boolean"}},
		{"missing org id", replace(`"org": {"id": "org-1", "name": "Minimal"}`, `"org": {"name": "Minimal"}`), 5, []string{"at /org", "id"}},
		{"unknown top-level key", replace(`"tool_version": "0.1.0",`, `"tool_version": "0.1.0", "extra": 1,`), 1, []string{"extra"}},
		{"bad timestamp", replace(`"collected_at": "2026-11-20T08:00:00Z"`, `"collected_at": "yesterday"`), 4, []string{"/collected_at"}},
		// Issue 12 row 15: a date OPA's time builtins cannot read failed evaluation, blamed on a policy file.
		{"timestamp after 2261", replace(`"collected_at": "2026-11-20T08:00:00Z"`, `"collected_at": "3000-01-01T00:00:00Z"`), 4, []string{"/collected_at", "outside the dates atlcheck can compare (1678-01-01 to 2261-12-31)"}},
		{"timestamp before 1678", replace(`"collected_at": "2026-11-20T08:00:00Z"`, `"collected_at": "1600-01-01T00:00:00Z"`), 4, []string{"/collected_at", "outside the dates"}},
		{"attested in the future", replace(`"settings": {"source": "none", "collected": false, "error": {"message": "no attestation file"}, "sites": []}`,
			`"settings": {"source": "attestation", "collected": true, "attested_by": "x", "attested_at": "2030-01-01T00:00:00Z", "sites": []}`),
			14, []string{"/connected_apps/settings/attested_at", "after the snapshot was collected (2026-11-20T08:00:00Z)"}},
		{"not collected without error", replace(`"collected": false, "error": {"status": 403, "code": "ADMIN-UAM-403-1", "endpoint": "GET /admin/api-access/v1/orgs/{orgId}/api-keys", "message": "Forbidden"},`, `"collected": false,`), 9, []string{"/api_keys", "error"}},
		{"duplicate account id", replace(`"items": [{"account_id": "a1", "status": "active",`, `"items": [{"account_id": "a1", "status": "active"}, {"account_id": "a1", "status": "active",`), 11, []string{"/managed_accounts/items/1/account_id", `duplicate account_id "a1"`}},
		{"bad enum", replace(`"source": "none", "collected": false, "error": {"message": "no attestation file"}, "items": []`, `"source": "manual", "collected": false, "error": {"message": "no attestation file"}, "items": []`), 16, []string{"/external_users/source"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("snap.json", []byte(tt.doc))
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want *Error", err)
			}
			if se.Line != tt.wantLine {
				t.Errorf("line: got %d, want %d (%v)", se.Line, tt.wantLine, err)
			}
			for _, s := range tt.wantInMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if !strings.HasPrefix(err.Error(), "snap.json") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.json"))
	if err == nil || !strings.Contains(err.Error(), "nope.json") {
		t.Fatalf("got %v, want an error naming the file", err)
	}
}

// A document that let go of its bytes reads the same bytes again when asked
// (Data, Full), and refuses a file that changed since it was parsed; one that
// came from a pipe or from memory keeps them.
func TestDropRaw(t *testing.T) {
	ctx := context.Background()
	valid, err := os.ReadFile("testdata/minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.json")
	if err := os.WriteFile(path, valid, 0o600); err != nil {
		t.Fatal(err)
	}
	doc, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	doc.DropRaw()
	if doc.Raw != nil {
		t.Fatal("DropRaw kept the bytes of a regular file")
	}
	if got, err := doc.Data(ctx); err != nil || !bytes.Equal(got, valid) {
		t.Fatalf("Data after DropRaw = %d bytes, %v; want the file's %d bytes", len(got), err, len(valid))
	}
	if s, err := doc.Full(); err != nil || s.Org.ID != "org-1" {
		t.Fatalf("Full after DropRaw: %+v, %v", s, err)
	}
	changed := append([]byte{}, valid...)
	changed[len(changed)-2] = ' ' // the same size, other bytes
	for _, data := range [][]byte{changed, append(valid, ' '), valid[:len(valid)-1]} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := doc.Data(ctx); err == nil || !strings.Contains(err.Error(), "snapshot changed while it was checked") {
			t.Errorf("Data of a changed file (%d bytes for %d): %v, want the changed-file error", len(data), len(valid), err)
		}
	}
	os.Remove(path)
	if _, err := doc.Data(ctx); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Data of a removed file: %v, want not exist", err)
	}

	// A file with a byte-order mark: Raw and Data are without it.
	if err := os.WriteFile(path, append([]byte(inputfile.BOM), valid...), 0o600); err != nil {
		t.Fatal(err)
	}
	if doc, err = Load(path); err != nil {
		t.Fatal(err)
	}
	doc.DropRaw()
	if got, err := doc.Data(ctx); err != nil || !bytes.Equal(got, valid) {
		t.Errorf("Data of a file with a byte-order mark = %q…, %v; want the bytes after the mark", got[:min(len(got), 8)], err)
	}

	mem, err := Parse("memory", valid) // no Path: nothing to read again
	if err != nil {
		t.Fatal(err)
	}
	mem.DropRaw()
	if mem.Raw == nil {
		t.Error("DropRaw let go of the bytes of a document with no file")
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	mem.Path = fifo
	mem.DropRaw()
	if mem.Raw == nil {
		t.Error("DropRaw let go of the bytes of a pipe, which cannot be read again")
	}
}

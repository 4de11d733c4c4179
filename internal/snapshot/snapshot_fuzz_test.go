package snapshot

// Fuzz tests for the snapshot loader and the locator. `go test` runs the
// seeds (testdata/fuzz/Fuzz*/ and the f.Add calls); `make fuzz` explores.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// legacyParse is the straightforward loader Parse replaced: decode the whole
// document to plain Go values, validate it, decode it typed, convert it for
// the policies. Parse must agree with it.
func legacyParse(data []byte) (ast.Value, *Snapshot, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, errors.New("empty")
	}
	value, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, nil, &legacySyntaxError{err}
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return nil, nil, errors.New("not an object")
	}
	if v, ok := obj["schema_version"]; ok && fmt.Sprint(v) != "1" {
		return nil, nil, errors.New("schema_version")
	}
	schemas, err := compiledSchemas()
	if err != nil {
		return nil, nil, err
	}
	if err := schemas.root.Validate(value); err != nil {
		return nil, nil, err
	}
	// The typed document is the file decoded, or where encoding/json cannot
	// (a key repeated with values of different types) the validated value
	// (the last one, as the policies see it).
	var snap Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		b, err := json.Marshal(value)
		if err != nil {
			return nil, nil, err
		}
		snap = Snapshot{}
		if err := json.Unmarshal(b, &snap); err != nil {
			return nil, nil, err
		}
	}
	fillMissingAreas(obj, &snap) // areas an older atlcheck did not write read as no source
	input, err := ast.InterfaceToValue(value)
	return input, &snap, err
}

func addSnapshotSeeds(f *testing.F) {
	for _, p := range []string{"testdata/minimal.json", "../../testdata/snapshots/acme.json"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	min, err := os.ReadFile("testdata/minimal.json")
	if err != nil {
		f.Fatal(err)
	}
	m := string(min)
	for _, s := range []string{
		"", "{}", "[]", "null", `{"schema_version": 1`, strings.Repeat("[", 20000),
		strings.Replace(m, `"items": []`, `"items": [{"account_id": "a\u00e9\"\\", "status": "active", "roles": ["x"], "n": 1e400, "dup": 1, "dup": 2}]`, 1),
		strings.Replace(m, `"items": []`, `"items": [{"status": "active"}]`, 1),
		strings.Replace(m, `"items": []`, `"items": [1, {"account_id": ""}]`, 1),
		strings.Replace(m, `"items": []`, "\"items\": [{\"account_id\": \"bad utf8 \xff\", \"status\": \"x\"}]", 1),
		strings.Replace(m, `{`, `{"sites": 1, `, 1),
		strings.Replace(m, `"items": []`, `"items": [], "items": [{"account_id": "late", "status": "active"}]`, 1),
	} {
		f.Add([]byte(s))
	}
}

// FuzzParse checks that Parse never panics, accepts exactly what the
// reference loader accepts, builds the same policy input and typed document,
// and that an accepted document round-trips through its JSON encoding.
func FuzzParse(f *testing.F) {
	addSnapshotSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse("fuzz.json", data)
		wantInput, wantSnap, legacyErr := legacyParse(data)
		if err != nil {
			var se *Error
			if !errors.As(err, &se) && !strings.Contains(err.Error(), "embedded snapshot schema") {
				t.Fatalf("error %T %v is not a located *Error", err, err)
			}
			if legacyErr == nil {
				t.Fatalf("Parse rejects what the reference loader accepts: %v", err)
			}
			var syn *legacySyntaxError
			if errors.As(legacyErr, &syn) && !strings.Contains(err.Error(), "invalid JSON") {
				t.Fatalf("syntax error %v reported as %v", legacyErr, err)
			}
			return
		}
		if legacyErr != nil {
			t.Fatalf("Parse accepts what the reference loader rejects (%v)", legacyErr)
		}
		if doc.Input.Compare(wantInput) != 0 {
			t.Fatalf("policy input differs from the reference:\n got %v\nwant %v", doc.Input, wantInput)
		}
		if full, err := doc.Full(); err != nil || !reflect.DeepEqual(full, wantSnap) {
			t.Fatal("typed snapshot differs from the reference")
		}
		// Round trip: the input re-encoded is an equivalent snapshot.
		plain, err := ast.JSON(doc.Input)
		if err != nil {
			t.Fatal(err)
		}
		again, err := json.Marshal(plain)
		if err != nil {
			t.Fatal(err)
		}
		doc2, err := Parse("again.json", again)
		if err != nil {
			t.Fatalf("re-encoded snapshot rejected: %v\n%s", err, again)
		}
		if doc2.Input.Compare(doc.Input) != 0 {
			t.Fatal("re-encoded snapshot decodes differently")
		}
	})
}

// legacySyntaxError is the reference loader failing to decode JSON at all.
type legacySyntaxError struct{ err error }

func (e *legacySyntaxError) Error() string { return e.err.Error() }

// FuzzLocate checks that Locate never panics on any bytes and pointers, and
// that on valid JSON every position it returns is the first byte of the
// value the pointer names.
func FuzzLocate(f *testing.F) {
	f.Add([]byte("{\n  \"a\": {\"b\": [10, {\"c~d\": \"x\"}, \"é😀\"]},\n  \"e/f\": true\n}"), "/a/b/1/c~0d")
	f.Add([]byte(`{"😀": 1, "k": [1, 2, {"q\"": null}]}`), "/k/2/q\"")
	f.Add([]byte(`[}`), "/0")
	f.Add([]byte(`{"\`), "/x")
	f.Add([]byte(`{"a": 1, "a": [true]}`), "/a/0")
	f.Add([]byte("[\"\\\\\", 7]"), "/1")
	f.Fuzz(func(t *testing.T, data []byte, pointer string) {
		got := Locate(data, []string{pointer, "", "/0", "/items/1"})
		if !json.Valid(data) {
			return
		}
		var doc any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return
		}
		// Check the fuzzed pointer and every pointer of the document (up to a limit).
		ptrs := append(allPointers(doc, "", 200), pointer)
		found := Locate(data, ptrs)
		for _, p := range ptrs {
			want, exists := resolve(doc, p)
			pos, ok := found[p]
			if ok != exists {
				t.Fatalf("Locate(%q) found=%v, but the pointer exists=%v", p, ok, exists)
			}
			if !ok {
				continue
			}
			off := offsetOf(data, pos)
			var at any
			d := json.NewDecoder(bytes.NewReader(data[off:]))
			d.UseNumber()
			if err := d.Decode(&at); err != nil || !reflect.DeepEqual(at, want) {
				t.Fatalf("Locate(%q) = %v (offset %d): value there is %v (%v), want %v", p, pos, off, at, err, want)
			}
		}
		_ = got
	})
}

// allPointers lists the pointers of v's values, depth first, at most limit.
func allPointers(v any, prefix string, limit int) []string {
	out := []string{prefix}
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if len(out) >= limit {
				break
			}
			out = append(out, allPointers(c, prefix+Pointer(k), limit-len(out))...)
		}
	case []any:
		for i, c := range x {
			if len(out) >= limit {
				break
			}
			out = append(out, allPointers(c, prefix+Pointer(itoa(i)), limit-len(out))...)
		}
	}
	return out
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// resolve follows a pointer through a decoded document.
func resolve(v any, p string) (any, bool) {
	tokens, ok := splitPointer(p)
	if !ok {
		return nil, false
	}
	for _, t := range tokens {
		switch x := v.(type) {
		case map[string]any:
			if v, ok = x[t]; !ok {
				return nil, false
			}
		case []any:
			i := -1
			if n, err := json.Number(t).Int64(); err == nil && itoa(int(n)) == t {
				i = int(n)
			}
			if i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// offsetOf turns a line and UTF-16 column back into a byte offset.
func offsetOf(data []byte, pos Position) int {
	off := 0
	for line := 1; line < pos.Line; line++ {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return len(data)
		}
		off += i + 1
	}
	for col := 1; col < pos.Column && off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		off += size
		col++
		if r >= 0x10000 {
			col++
		}
	}
	return off
}

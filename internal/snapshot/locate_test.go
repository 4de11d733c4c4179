package snapshot

import (
	"testing"
)

func TestLocate(t *testing.T) {
	doc := []byte("{\n  \"a\": {\"b\": [10, {\"c~d\": \"x\"}, \"é😀\"]},\n  \"e/f\": true,\n  \"s\": \"q\\\"uote\", \"n\": null\n}")
	tests := []struct {
		pointer string
		want    Position
		found   bool
	}{
		{"", Position{1, 1}, true},
		{"/a", Position{2, 8}, true},
		{"/a/b", Position{2, 14}, true},
		{"/a/b/0", Position{2, 15}, true},
		{"/a/b/1", Position{2, 19}, true},
		{"/a/b/1/c~0d", Position{2, 27}, true},
		{"/a/b/2", Position{2, 33}, true},
		{"/e~1f", Position{3, 10}, true},
		{"/n", Position{4, 24}, true},
		{"/a/b/3", Position{}, false},
		{"/missing", Position{}, false},
		{"no-slash", Position{}, false},
	}
	var ptrs []string
	for _, tt := range tests {
		ptrs = append(ptrs, tt.pointer)
	}
	got := Locate(doc, ptrs)
	for _, tt := range tests {
		pos, ok := got[tt.pointer]
		if ok != tt.found || pos != tt.want {
			t.Errorf("Locate(%q) = %v, %v; want %v, %v", tt.pointer, pos, ok, tt.want, tt.found)
		}
	}
}

func TestLocateUTF16Columns(t *testing.T) {
	doc := []byte(`{"😀": 1, "k": 2}`)
	got := Locate(doc, []string{"/k"})["/k"]
	// The emoji is two UTF-16 code units: {"😀": 1, "k": 2 → column 16.
	if want := (Position{1, 16}); got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestPointer(t *testing.T) {
	if got, want := Pointer("api_keys", "items", "3"), "/api_keys/items/3"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got, want := Pointer("a/b", "c~d"), "/a~1b/c~0d"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

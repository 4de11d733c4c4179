package diff

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const acmePath = "../../testdata/snapshots/acme.json"

// acmeDrift compares the demo org with acmeNext, the same org a week later
// with something changed in every area. The snapshot digests are replaced
// by placeholders, so the goldens do not change when the demo org does.
func acmeDrift(t *testing.T) *Result {
	t.Helper()
	old, next := load(t, acmePath, "acme.json"), load(t, acmeNext(t), "acme-next.json")
	r, err := Compare(context.Background(), old, next)
	if err != nil {
		t.Fatal(err)
	}
	if r.Old.SHA256 != old.SHA256 || r.New.SHA256 != next.SHA256 {
		t.Errorf("got digests %s and %s, want the documents'", r.Old.SHA256, r.New.SHA256)
	}
	r.Old.SHA256, r.New.SHA256 = "<sha256 of acme.json>", "<sha256 of acme-next.json>"
	return r
}

func TestGoldenEveryFormat(t *testing.T) {
	r := acmeDrift(t)
	bytesEqual := func(got, want []byte) bool { return bytes.Equal(got, want) }
	tests := []struct {
		format, file string
		equal        func(got, want []byte) bool
	}{
		{"text", "acme.txt", bytesEqual},
		{"markdown", "acme.md", bytesEqual},
		{"json", "acme.json", jsonEqual},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, tt.format, r); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, buf.Bytes(), tt.equal)
		})
	}
}

// jsonEqual compares two JSON documents after parsing.
func jsonEqual(got, want []byte) bool {
	var g, w any
	if json.Unmarshal(got, &g) != nil || json.Unmarshal(want, &w) != nil {
		return false
	}
	return reflect.DeepEqual(g, w)
}

func TestAcmeDriftTouchesEveryArea(t *testing.T) {
	r := acmeDrift(t)
	for _, area := range snapshot.Areas {
		if !slices.ContainsFunc(r.Changes, func(c Change) bool { return c.Area == area }) {
			t.Errorf("no change in area %s, want the fixture to touch every area", area)
		}
	}
	for _, kind := range []Kind{Added, Removed, Changed} {
		if !slices.ContainsFunc(r.Changes, func(c Change) bool { return c.Kind == kind }) {
			t.Errorf("no %s change, want every kind", kind)
		}
	}
	s := r.Summary
	if got := s.Added + s.Removed + s.Changed; got != len(r.Changes) || s.Changes != len(r.Changes) {
		t.Errorf("summary counts %d changes (%+v), want %d", got, s, len(r.Changes))
	}
}

// TestEveryAreaHasAnItemDiff fails when an area is registered but the diff
// cannot compare its items.
func TestEveryAreaHasAnItemDiff(t *testing.T) {
	for _, def := range snapshot.Registry {
		if itemDiffs[def.Name] == nil {
			t.Errorf("area %s has no item comparison in itemDiffs", def.Name)
		}
	}
	if got, want := len(itemDiffs), len(snapshot.Registry); got != want {
		t.Errorf("itemDiffs has %d areas, the registry %d", got, want)
	}
}

func TestOrderIsDeterministic(t *testing.T) {
	r := acmeDrift(t)
	kinds := []Kind{Added, Removed, Changed}
	for i := 1; i < len(r.Changes); i++ {
		a, b := r.Changes[i-1], r.Changes[i]
		ai, bi := slices.Index(snapshot.Areas, a.Area), slices.Index(snapshot.Areas, b.Area)
		switch {
		case ai < bi:
		case ai > bi:
			t.Errorf("area %s listed after %s, want document order", b.Area, a.Area)
		case slices.Index(kinds, a.Kind) > slices.Index(kinds, b.Kind):
			t.Errorf("%s %s listed after %s %s, want added, removed, changed", b.Kind, b.Resource, a.Kind, a.Resource)
		case a.Kind == b.Kind && strings.ToLower(a.Resource) > strings.ToLower(b.Resource):
			t.Errorf("resource %s listed after %s, want sorted", b.Resource, a.Resource)
		}
	}
}

func TestIdenticalSnapshotsHaveNoChanges(t *testing.T) {
	r, err := Compare(context.Background(), load(t, acmePath, "a.json"), load(t, acmePath, "b.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Changes) != 0 || r.Summary.Changes != 0 {
		t.Errorf("got %d changes, want none: %+v", len(r.Changes), r.Changes)
	}
	var buf bytes.Buffer
	if err := Write(&buf, "text", r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\nNo changes.\n") {
		t.Errorf("got text %q, want it to say No changes.", buf.String())
	}
}

func TestDifferentOrgsAreAnError(t *testing.T) {
	other := base()
	other.Org.ID = "org-2"
	_, err := Compare(context.Background(), doc(t, base(), "old.json"), doc(t, other, "new.json"))
	if err == nil || !strings.Contains(err.Error(), "different organizations") || !strings.Contains(err.Error(), "new.json") {
		t.Errorf("got error %v, want one naming new.json and different organizations", err)
	}
}

func TestUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "sarif", &Result{})
	if err == nil || !strings.Contains(err.Error(), "markdown") {
		t.Errorf("got %v, want an error listing the formats", err)
	}
}

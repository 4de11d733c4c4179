// Package diff compares two snapshots of one organization and lists what
// changed in its admin settings, area by area, with the security direction of
// each change. Items are matched by their stable ids and volatile fields
// (collection times, tool version, last activity, raw API payloads) are never
// compared, so two collections of an unchanged org give no changes.
package diff

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// FormatVersion is the version of the JSON document WriteJSON produces.
const FormatVersion = 1

// Kind is what happened to a resource between the two snapshots.
type Kind string

// The kinds of change, in the order a diff lists them within an area.
const (
	Added   Kind = "added"
	Removed Kind = "removed"
	Changed Kind = "changed"
)

// Risk is the security direction of a change.
type Risk string

// The risk directions. A change that both raises and lowers risk (say, a key
// that gained one scope and lost another) counts as increased.
const (
	RiskNeutral   Risk = "neutral"
	RiskDecreased Risk = "decreased"
	RiskIncreased Risk = "increased"
)

// Result is the drift between two snapshots of one organization.
type Result struct {
	FormatVersion int          `json:"format_version"`
	Org           snapshot.Org `json:"org"`
	Old           Source       `json:"old"`
	New           Source       `json:"new"`
	Summary       Summary      `json:"summary"`
	// NotCompared lists the areas (and sites) whose items were not compared
	// because one snapshot or both lack them.
	NotCompared []NotCompared `json:"not_compared"`
	Changes     []Change      `json:"changes"`
}

// Source identifies one of the two snapshots.
type Source struct {
	Path        string    `json:"path"`
	SHA256      string    `json:"sha256"`
	CollectedAt time.Time `json:"collected_at"`
}

// Summary counts the changes by kind and by risk.
type Summary struct {
	Changes       int `json:"changes"`
	Added         int `json:"added"`
	Removed       int `json:"removed"`
	Changed       int `json:"changed"`
	RiskIncreased int `json:"risk_increased"`
	RiskDecreased int `json:"risk_decreased"`
	RiskNeutral   int `json:"risk_neutral"`
}

// NotCompared is an area, or one site of a per-site area, left out of the diff.
type NotCompared struct {
	Area string `json:"area"`
	// Resource is the site URL for a per-site area, empty for a whole area.
	Resource string `json:"resource,omitempty"`
	Reason   string `json:"reason"`
}

// Change is one resource that was added, removed or changed.
type Change struct {
	Area string `json:"area"`
	Kind Kind   `json:"kind"`
	// Resource is the item's stable id; empty when the area itself changed.
	Resource string `json:"resource"`
	// Summary is one human sentence saying what changed.
	Summary string `json:"summary"`
	Risk    Risk   `json:"risk"`
	// Fields are the compared fields that differ, for changed resources only.
	Fields []Field `json:"fields,omitempty"`
}

// Field is one field of a changed resource with its old and new value;
// nil stands for absent.
type Field struct {
	Name string `json:"name"`
	Old  any    `json:"old"`
	New  any    `json:"new"`
}

// Compare lists the changes from old to new. Both must be snapshots of the
// same organization (same org id). What a change means (a key becoming
// active, an account departing, an area's error) is read from the policies'
// own helpers, evaluated on each snapshot.
func Compare(ctx context.Context, old, new *snapshot.Document) (*Result, error) {
	o, err := old.Full()
	if err != nil {
		return nil, err
	}
	n, err := new.Full()
	if err != nil {
		return nil, err
	}
	if o.Org.ID != n.Org.ID {
		return nil, fmt.Errorf("%s (org %s) and %s (org %s) are snapshots of different organizations",
			old.Path, o.Org.ID, new.Path, n.Org.ID)
	}
	om, err := meaningsOf(ctx, old)
	if err != nil {
		return nil, err
	}
	nm, err := meaningsOf(ctx, new)
	if err != nil {
		return nil, err
	}
	c := &comparer{old: o, new: n, om: om, nm: nm}
	for _, def := range snapshot.Registry {
		if c.envelope(def.Name, *def.Envelope(o), *def.Envelope(n)) {
			itemDiffs[def.Name](c)
		}
	}
	sortChanges(c.changes)
	r := &Result{
		FormatVersion: FormatVersion,
		Org:           snapshot.Org{ID: n.Org.ID, Name: cmp.Or(n.Org.Name, o.Org.Name)},
		Old:           sourceOf(old),
		New:           sourceOf(new),
		NotCompared:   c.notCompared,
		Changes:       c.changes,
	}
	if r.NotCompared == nil {
		r.NotCompared = []NotCompared{}
	}
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	r.Summary = summarize(r.Changes)
	return r, nil
}

func sourceOf(d *snapshot.Document) Source {
	return Source{Path: d.Path, SHA256: d.SHA256, CollectedAt: d.Header.CollectedAt}
}

// sortChanges orders changes by area (document order), kind, then resource.
func sortChanges(changes []Change) {
	kinds := []Kind{Added, Removed, Changed}
	slices.SortStableFunc(changes, func(a, b Change) int {
		return cmp.Or(
			cmp.Compare(slices.Index(snapshot.Areas, a.Area), slices.Index(snapshot.Areas, b.Area)),
			cmp.Compare(slices.Index(kinds, a.Kind), slices.Index(kinds, b.Kind)),
			cmp.Compare(strings.ToLower(a.Resource), strings.ToLower(b.Resource)),
			cmp.Compare(a.Resource, b.Resource),
		)
	})
}

func summarize(changes []Change) Summary {
	s := Summary{Changes: len(changes)}
	for _, c := range changes {
		switch c.Kind {
		case Added:
			s.Added++
		case Removed:
			s.Removed++
		default:
			s.Changed++
		}
		switch c.Risk {
		case RiskIncreased:
			s.RiskIncreased++
		case RiskDecreased:
			s.RiskDecreased++
		default:
			s.RiskNeutral++
		}
	}
	return s
}

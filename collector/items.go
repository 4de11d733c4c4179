package collector

import (
	"cmp"
	"context"
	"encoding/json"
	"reflect"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// itemSet collects one area's items in API order. One bad item never aborts
// the area and never disappears: an item that cannot be read is kept raw as
// unreadable, with its problems (field pointer and reason). An id seen again
// with the same content is dropped (a cursor-paginated list can repeat an
// item when the list changes between pages); seen again with different
// content, every version of it is unreadable, since which one is true cannot
// be known.
type itemSet[T any] struct {
	list       []T
	ids        []string
	byID       map[string]int  // index in list of the item with that id
	bad        map[string]bool // ids with an unreadable version
	dropped    map[int]bool    // indexes in list moved to unreadable
	unreadable []snapshot.UnreadableItem
	// badSeen holds the unreadable items received (id and problems, or the
	// raw text of one without an id), so that one listed again (a page
	// repeated, or both ends of a split search) is kept once.
	badSeen map[string]bool
}

// decodeFunc reads one item's fields and returns the item and its id.
type decodeFunc[T any] func(r *reader) (T, string)

// newItemSet returns an empty set.
func newItemSet[T any]() *itemSet[T] {
	return &itemSet[T]{byID: map[string]int{}, bad: map[string]bool{}, dropped: map[int]bool{}, badSeen: map[string]bool{}}
}

// add decodes one raw item into the set and returns its id (its raw text
// when it has none), which tells repeated items apart.
func (s *itemSet[T]) add(raw json.RawMessage, decode decodeFunc[T]) string {
	r, ok := newReader(raw)
	var item T
	var id string
	if ok {
		item, id = decode(r)
	}
	if !r.ok() {
		key := string(raw)
		if id != "" {
			problems, _ := json.Marshal(*r.problems)
			key = id + "\x00" + string(problems)
		}
		if s.badSeen[key] {
			return cmp.Or(id, key)
		}
		s.badSeen[key] = true
		s.unreadable = append(s.unreadable, snapshot.UnreadableItem{ID: id, Problems: *r.problems, Raw: raw})
		if id == "" || !r.kept() {
			s.markBad(id)
			return cmp.Or(id, key)
		}
		// Only fields the item marks unreadable: listed as unreadable above
		// and kept as read.
	}
	if i, seen := s.byID[id]; seen || s.bad[id] {
		if seen && !s.dropped[i] && reflect.DeepEqual(s.list[i], item) {
			return id
		}
		s.markBad(id)
		s.unreadable = append(s.unreadable, snapshot.UnreadableItem{ID: id, Raw: raw,
			Problems: []snapshot.ItemProblem{{Reason: "the item is listed more than once with different content"}}})
		return id
	}
	s.byID[id] = len(s.list)
	s.list = append(s.list, item)
	s.ids = append(s.ids, id)
	return id
}

// markBad moves the readable version of id, if any, to the unreadable items;
// it is kept in its decoded form, the only one left.
func (s *itemSet[T]) markBad(id string) {
	if id == "" {
		return
	}
	s.bad[id] = true
	i, ok := s.byID[id]
	if !ok || s.dropped[i] {
		return
	}
	s.dropped[i] = true
	raw, _ := json.Marshal(s.list[i])
	s.unreadable = append(s.unreadable, snapshot.UnreadableItem{ID: id, Raw: raw, Problems: []snapshot.ItemProblem{
		{Reason: "the item is listed more than once with different content (this version as decoded)"}}})
}

// result returns the readable items (never nil) and the unreadable ones.
func (s *itemSet[T]) result() ([]T, []snapshot.UnreadableItem) {
	out := make([]T, 0, len(s.list))
	for i, item := range s.list {
		if !s.dropped[i] {
			out = append(out, item)
		}
	}
	return out, s.unreadable
}

// collectList pages through p and decodes every item with decode; t, when
// not nil, is told about each page.
func collectList[T any](ctx context.Context, c *client, p pager, t *tracker, decode decodeFunc[T]) ([]T, []snapshot.UnreadableItem, error) {
	set := newItemSet[T]()
	_, err := paginate(ctx, c, p, func(items []json.RawMessage) error {
		if t != nil {
			t.page(len(items))
		}
		for _, raw := range items {
			set.add(raw, decode)
		}
		return nil
	})
	items, unreadable := set.result()
	return items, unreadable, err
}

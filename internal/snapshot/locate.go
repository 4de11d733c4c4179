package snapshot

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Position is a 1-based line and column in a JSON file. Columns count UTF-16
// code units, SARIF's default column kind.
type Position struct {
	Line   int
	Column int
}

// Locate finds where the values named by JSON Pointers (RFC 6901) start in a
// JSON document, in one pass over the bytes. Pointers that name no value are
// left out of the result. The document must be valid JSON.
func Locate(data []byte, pointers []string) map[string]Position {
	root := &ptrNode{}
	for _, p := range pointers {
		tokens, ok := splitPointer(p)
		if !ok {
			continue
		}
		n := root
		for _, t := range tokens {
			if n.children == nil {
				n.children = map[string]*ptrNode{}
			}
			c := n.children[t]
			if c == nil {
				c = &ptrNode{}
				n.children[t] = c
			}
			n = c
		}
		n.pointers = append(n.pointers, p)
	}
	s := &scanner{data: data, found: map[string]int{}}
	s.skipSpace()
	s.value(root)
	return offsetsToPositions(data, s.found)
}

// PositionAt converts a byte offset into a line and column.
func PositionAt(data []byte, offset int) Position {
	return offsetsToPositions(data, map[string]int{"": offset})[""]
}

// Pointer builds an RFC 6901 JSON Pointer from reference tokens.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

func splitPointer(p string) ([]string, bool) {
	if p == "" {
		return nil, true
	}
	if p[0] != '/' {
		return nil, false
	}
	parts := strings.Split(p[1:], "/")
	for i, t := range parts {
		parts[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(t)
	}
	return parts, true
}

type ptrNode struct {
	pointers []string
	children map[string]*ptrNode
}

// scanner walks valid JSON, descending only into members that lead to a
// wanted pointer and skipping every other value quickly.
type scanner struct {
	data  []byte
	pos   int
	found map[string]int
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value handles the value at s.pos; n is nil when nothing below is wanted.
func (s *scanner) value(n *ptrNode) {
	if n != nil {
		for _, p := range n.pointers {
			s.found[p] = s.pos
		}
	}
	if s.pos >= len(s.data) {
		return
	}
	want := n != nil && len(n.children) > 0
	switch s.data[s.pos] {
	case '{':
		s.object(n, want)
	case '[':
		s.array(n, want)
	case '"':
		s.str()
	default:
		for s.pos < len(s.data) && !strings.ContainsRune(",}] \t\r\n", rune(s.data[s.pos])) {
			s.pos++
		}
	}
}

func (s *scanner) object(n *ptrNode, want bool) {
	s.pos++ // {
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] == '}' {
			s.pos++
			return
		}
		if s.data[s.pos] == ',' {
			s.pos++
			continue
		}
		start := s.pos
		s.str()
		var child *ptrNode
		if want {
			child = n.children[decodeKey(s.data[start:s.pos])]
		}
		s.skipSpace()
		s.pos++ // :
		s.skipSpace()
		s.value(child)
	}
}

func (s *scanner) array(n *ptrNode, want bool) {
	s.pos++ // [
	for i := 0; ; {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] == ']' {
			s.pos++
			return
		}
		if s.data[s.pos] == ',' {
			s.pos++
			i++
			continue
		}
		var child *ptrNode
		if want {
			child = n.children[strconv.Itoa(i)]
		}
		s.value(child)
	}
}

// str skips a string starting at s.pos (the opening quote).
func (s *scanner) str() {
	s.pos++
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case '\\':
			s.pos += 2
		case '"':
			s.pos++
			return
		default:
			s.pos++
		}
	}
}

// decodeKey returns the text of a quoted JSON string.
func decodeKey(quoted []byte) string {
	if len(quoted) < 2 {
		return ""
	}
	inner := quoted[1 : len(quoted)-1]
	if !strings.ContainsRune(string(inner), '\\') {
		return string(inner)
	}
	if s, err := strconv.Unquote(string(quoted)); err == nil {
		return s
	}
	return string(inner)
}

// offsetsToPositions converts byte offsets to positions in one pass.
func offsetsToPositions(data []byte, offsets map[string]int) map[string]Position {
	type item struct {
		key string
		off int
	}
	items := make([]item, 0, len(offsets))
	for k, o := range offsets {
		items = append(items, item{k, min(max(o, 0), len(data))})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].off < items[j].off })
	out := make(map[string]Position, len(items))
	line, lineStart, pos := 1, 0, 0
	for _, it := range items {
		for ; pos < it.off; pos++ {
			if data[pos] == '\n' {
				line++
				lineStart = pos + 1
			}
		}
		out[it.key] = Position{Line: line, Column: utf16Len(data[lineStart:it.off]) + 1}
	}
	return out
}

func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		b = b[size:]
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

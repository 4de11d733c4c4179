package snapshot

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/fileerr"
)

// Position is a 1-based line and column in a JSON file. Columns count UTF-16
// code units, SARIF's default column kind.
type Position struct {
	Line   int
	Column int
}

// Locate finds where the values named by JSON Pointers (RFC 6901) start in a
// JSON document, in one pass over the bytes. Pointers that name no value are
// left out of the result. The document should be valid JSON; on anything
// else Locate still returns (positions are then best effort).
func Locate(data []byte, pointers []string) map[string]Position {
	root := &ptrNode{}
	for _, p := range pointers {
		tokens, ok := splitPointer(p)
		if !ok {
			continue
		}
		n := root
		for _, t := range tokens {
			n = n.child(t)
		}
		n.pointers = append(n.pointers, p)
	}
	s := &scanner{data: data, found: map[string]int{}}
	s.skipSpace()
	s.value(root)
	out := make(map[string]Position, len(s.found))
	for p, pos := range fileerr.Positions(data, s.found) {
		out[p] = Position(pos)
	}
	return out
}

// PositionAt converts a byte offset into a line and column.
func PositionAt(data []byte, offset int) Position { return Position(fileerr.PositionAt(data, offset)) }

// Pointer builds an RFC 6901 JSON Pointer from reference tokens.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		if strings.ContainsAny(t, "~/") {
			t = escapeToken.Replace(t)
		}
		b.WriteString(t)
	}
	return b.String()
}

var (
	escapeToken   = strings.NewReplacer("~", "~0", "/", "~1")
	unescapeToken = strings.NewReplacer("~1", "/", "~0", "~")
)

func splitPointer(p string) ([]string, bool) {
	if p == "" {
		return nil, true
	}
	if p[0] != '/' {
		return nil, false
	}
	parts := strings.Split(p[1:], "/")
	for i, t := range parts {
		if strings.IndexByte(t, '~') >= 0 {
			parts[i] = unescapeToken.Replace(t)
		}
	}
	return parts, true
}

// ptrNode is one reference token of the wanted pointers. Tokens that are
// array indices are also kept by number, so arrays need no conversion per
// element.
type ptrNode struct {
	pointers []string
	children map[string]*ptrNode
	elems    map[int]*ptrNode
}

func (n *ptrNode) child(t string) *ptrNode {
	if c := n.children[t]; c != nil {
		return c
	}
	if n.children == nil {
		n.children = map[string]*ptrNode{}
	}
	c := &ptrNode{}
	n.children[t] = c
	if i, err := strconv.Atoi(t); err == nil && i >= 0 && strconv.Itoa(i) == t {
		if n.elems == nil {
			n.elems = map[int]*ptrNode{}
		}
		n.elems[i] = c
	}
	return c
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
		s.pos++ // always progress, even on a stray delimiter in invalid JSON
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return
			}
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
			if key := s.data[start:s.pos]; len(key) >= 2 && bytes.IndexByte(key, '\\') < 0 && utf8.Valid(key) {
				child = n.children[string(key[1:len(key)-1])] // no allocation
			} else {
				child = n.children[decodeKey(key)]
			}
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
			child = n.elems[i]
		}
		s.value(child)
	}
}

// str skips a string starting at s.pos (the opening quote), jumping from
// quote to quote.
func (s *scanner) str() {
	s.pos++
	start := s.pos
	for {
		i := bytes.IndexByte(s.data[s.pos:], '"')
		if i < 0 {
			s.pos = len(s.data) // unterminated (invalid JSON)
			return
		}
		end := s.pos + i
		s.pos = end + 1
		k := end - 1
		for k >= start && s.data[k] == '\\' {
			k--
		}
		if (end-1-k)%2 == 0 { // not escaped
			return
		}
	}
}

// decodeKey returns the text of a quoted JSON string, decoded as
// encoding/json does (escapes, invalid UTF-8 replaced by U+FFFD).
func decodeKey(quoted []byte) string {
	var s string
	if json.Unmarshal(quoted, &s) == nil {
		return s
	}
	if len(quoted) < 2 {
		return ""
	}
	return string(quoted[1 : len(quoted)-1])
}

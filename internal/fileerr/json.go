package fileerr

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// Position is a 1-based line and column in a text file. Columns count UTF-16
// code units, SARIF's default column kind.
type Position struct {
	Line   int
	Column int
}

// Positions converts byte offsets of data, by name, to positions in one pass
// over the bytes.
func Positions(data []byte, offsets map[string]int) map[string]Position {
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
	line, col, pos := 1, 1, 0
	for _, it := range items {
		for pos < it.off {
			c := data[pos]
			switch {
			case c == '\n':
				line, col = line+1, 1
				pos++
			case c < utf8.RuneSelf:
				col++
				pos++
			default:
				r, size := utf8.DecodeRune(data[pos:])
				if r >= 0x10000 {
					col += 2
				} else {
					col++
				}
				pos += size
			}
		}
		out[it.key] = Position{Line: line, Column: col}
	}
	return out
}

// PositionAt converts one byte offset of data into a line and column.
func PositionAt(data []byte, offset int) Position {
	return Positions(data, map[string]int{"": offset})[""]
}

// JSON locates an error of encoding/json decoding data (a syntax error, a
// value of the wrong type, a truncated document) at its line and column in
// file; any other error is returned with the file name only.
func JSON(file string, data []byte, err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	at := func(offset int, msg string) *Error {
		pos := PositionAt(data, offset)
		return &Error{File: file, Line: pos.Line, Column: pos.Column, Msg: msg}
	}
	switch {
	case errors.As(err, &se) && se.Error() == "unexpected end of JSON input", errors.Is(err, io.ErrUnexpectedEOF):
		return at(len(data), "invalid JSON: unexpected end of file (truncated?)")
	case errors.As(err, &se):
		// Offset is just after the byte that is wrong: point at it.
		return at(int(se.Offset)-1, "invalid JSON: "+se.Error())
	case errors.As(err, &te):
		what := ""
		if te.Field != "" {
			what = te.Field + " is "
		}
		return at(valueStart(data, int(te.Offset), te.Value),
			"invalid value: "+what+article(te.Value)+", want "+kindName(te.Type.Kind()))
	}
	return &Error{File: file, Msg: "invalid JSON: " + err.Error()}
}

// valueStart is where the value of a type error starts: encoding/json gives
// the offset just after a string, number or literal, and just after the
// opening bracket of an object or array.
func valueStart(data []byte, off int, kind string) int {
	off = min(max(off, 0), len(data))
	switch {
	case kind == "object" || kind == "array":
		return max(off-1, 0)
	case off > 0 && data[off-1] == '"':
		for i := off - 2; i >= 0; i-- {
			if data[i] != '"' {
				continue
			}
			escapes := 0
			for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
				escapes++
			}
			if escapes%2 == 0 {
				return i
			}
		}
		return off
	}
	i := off
	for i > 0 && strings.IndexByte("+-.0123456789abcdefghijklmnopqrstuvwxyzE", data[i-1]) >= 0 {
		i--
	}
	return i
}

// article is "a string", "an object", "a number" for a JSON value's kind as
// encoding/json names it.
func article(kind string) string {
	switch kind {
	case "":
		return "a value"
	case "object", "array":
		return "an " + kind
	case "null":
		return "null"
	case "bool":
		return "a boolean"
	}
	return "a " + kind
}

// kindName says what a Go kind reads as in JSON.
func kindName(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a non-negative integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another kind of value"
}

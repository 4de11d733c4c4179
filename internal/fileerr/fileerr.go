// Package fileerr is the error every input file reader returns (snapshot,
// config, attestation, policy): a message located at file:line:column and,
// for JSON, the JSON Pointer of the offending value.
package fileerr

import (
	"fmt"
	"strings"
)

// Error is a problem in an input file, located as precisely as known.
type Error struct {
	File string
	// Line and Column are 1-based; 0 means unknown.
	Line   int
	Column int
	// Pointer is the RFC 6901 JSON Pointer of the offending value, when known.
	Pointer string
	Msg     string
}

// Error returns "file:line:col: at /pointer: msg", leaving out what is unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Pointer != "" {
		fmt.Fprintf(&b, "at %s: ", e.Pointer)
	}
	b.WriteString(e.Msg)
	return b.String()
}

package fileerr

import (
	"bytes"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlLine finds yaml.v3's "line 3: " or "line 3:7: " in a message.
var yamlLine = regexp.MustCompile(`line (\d+)(?::(\d+))?: `)

// YAML locates an error of gopkg.in/yaml.v3 reading data: a syntax error
// ("yaml: line 3: …", said "invalid YAML: …") or the first of a decode's
// errors. yaml.v3's words for what a user most often gets wrong are
// replaced by the user's: a tab in the indentation ("found character that
// cannot start any token") is located at the tab, and a value starting with
// a character YAML reserves (@, `) is told to be quoted. The line is 0 when
// yaml.v3 gave none and the data does not show it.
func YAML(file string, data []byte, err error) *Error {
	msg := err.Error()
	var te *yaml.TypeError
	decode := errors.As(err, &te) && len(te.Errors) > 0
	if decode {
		msg = te.Errors[0]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	e := &Error{File: file, Msg: msg}
	if m := yamlLine.FindStringSubmatchIndex(msg); m != nil {
		e.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		if m[4] >= 0 {
			e.Column, _ = strconv.Atoi(msg[m[4]:m[5]])
		}
		e.Msg = msg[:m[0]] + msg[m[1]:]
	}
	if decode {
		return e
	}
	lines := bytes.Split(data, []byte("\n"))
	if strings.Contains(e.Msg, "cannot start any token") || strings.Contains(e.Msg, "tab character") {
		if line, col := indentTab(lines, e.Line); line > 0 {
			e.Line, e.Column = line, col
			e.Msg = "tabs are not allowed for indentation in YAML: indent with spaces"
			return e
		}
	}
	if strings.Contains(e.Msg, "cannot start any token") && e.Line > 0 && e.Line <= len(lines) {
		if col := reservedStart(lines[e.Line-1]); col > 0 {
			e.Column = col
			e.Msg = "a value cannot start with " + string(lines[e.Line-1][col-1]) +
				" (YAML reserves it): put the value in quotes"
			return e
		}
	}
	e.Msg = "invalid YAML: " + e.Msg
	return e
}

// indentTab finds a tab in the indentation of line near (yaml.v3 names the
// line of the token before it as often as its own), or of any line when
// near is 0. It returns the 1-based line and column, or 0, 0.
func indentTab(lines [][]byte, near int) (int, int) {
	try := []int{near, near + 1, near - 1}
	if near == 0 {
		try = try[:0]
		for i := range lines {
			try = append(try, i+1)
		}
	}
	for _, n := range try {
		if n < 1 || n > len(lines) {
			continue
		}
		l := lines[n-1]
		indent := len(l) - len(bytes.TrimLeft(l, " \t-"))
		if i := bytes.IndexByte(l[:indent], '\t'); i >= 0 {
			return n, i + 1
		}
	}
	return 0, 0
}

// reservedStart is the 1-based column of a plain value starting with @ or `
// on line, 0 when there is none.
func reservedStart(line []byte) int {
	for i, c := range line {
		if (c == '@' || c == '`') && (i == 0 || strings.IndexByte(" \t[{,", line[i-1]) >= 0) {
			return i + 1
		}
	}
	return 0
}

package snapshot

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/atlcheck/atlcheck/internal/fileerr"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// SchemaJSON is the JSON Schema of snapshot v1.
//
//go:embed schema.json
var SchemaJSON []byte

// Document is a snapshot file that parsed and validated.
type Document struct {
	// Path is the file as given, "" when the snapshot did not come from a file.
	Path string
	// Raw is the file's bytes, used to locate findings.
	Raw []byte
	// SHA256 is the hex digest of Raw.
	SHA256 string
	// Value is the decoded document (numbers as json.Number), the policy input.
	Value any
	// Snapshot is the typed document.
	Snapshot *Snapshot
}

// Error is a problem with a snapshot file, located by line, column and JSON
// Pointer as precisely as possible.
type Error = fileerr.Error

// Load reads, parses and validates the snapshot file at path.
func Load(path string) (*Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	doc, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	doc.Path = path
	return doc, nil
}

// Parse decodes and validates a snapshot; name is used in error messages.
func Parse(name string, data []byte) (*Document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Msg: "snapshot is empty"}
	}
	value, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, syntaxError(name, data, err)
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return nil, &Error{File: name, Line: 1, Column: 1, Msg: "snapshot must be a JSON object"}
	}
	if v, ok := obj["schema_version"]; ok && fmt.Sprint(v) != fmt.Sprint(SchemaVersion) {
		return nil, locatedError(name, data, "/schema_version",
			fmt.Sprintf("unsupported schema_version %v: this atlcheck reads version %d", v, SchemaVersion))
	}
	sch, err := compiledSchema()
	if err != nil {
		return nil, err
	}
	if err := sch.Validate(value); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			leaf := firstLeaf(ve)
			return nil, locatedError(name, data, jsonPointer(leaf.InstanceLocation), leaf.ErrorKind.LocalizedString(printer))
		}
		return nil, &Error{File: name, Msg: err.Error()}
	}
	var snap Snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return nil, syntaxError(name, data, err)
	}
	sum := sha256.Sum256(data)
	return &Document{Raw: data, SHA256: hex.EncodeToString(sum[:]), Value: value, Snapshot: &snap}, nil
}

var printer = message.NewPrinter(language.English)

var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded snapshot schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://atlcheck.dev/schemas/snapshot-v1.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("embedded snapshot schema: %w", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("embedded snapshot schema: %w", err)
	}
	return sch, nil
})

// firstLeaf follows the first cause down to the most specific error.
func firstLeaf(e *jsonschema.ValidationError) *jsonschema.ValidationError {
	for len(e.Causes) > 0 {
		e = e.Causes[0]
	}
	return e
}

func jsonPointer(tokens []string) string { return Pointer(tokens...) }

func locatedError(name string, data []byte, pointer, msg string) *Error {
	e := &Error{File: name, Pointer: pointer, Msg: msg}
	if pos, ok := Locate(data, []string{pointer})[pointer]; ok {
		e.Line, e.Column = pos.Line, pos.Column
	}
	return e
}

func syntaxError(name string, data []byte, err error) *Error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		pos := PositionAt(data, int(se.Offset))
		return &Error{File: name, Line: pos.Line, Column: pos.Column, Msg: "invalid JSON: " + se.Error()}
	case errors.As(err, &te):
		pos := PositionAt(data, int(te.Offset))
		return &Error{File: name, Line: pos.Line, Column: pos.Column, Msg: "invalid value: " + te.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		pos := PositionAt(data, len(data))
		return &Error{File: name, Line: pos.Line, Column: pos.Column, Msg: "invalid JSON: unexpected end of file (truncated?)"}
	}
	return &Error{File: name, Msg: "invalid JSON: " + err.Error()}
}

package snapshot

import (
	"bytes"
	"context"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/atlcheck/atlcheck/internal/fileerr"
	"github.com/atlcheck/atlcheck/internal/inputfile"

	"github.com/open-policy-agent/opa/v1/ast"
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
	// Raw is the file's bytes without a leading byte-order mark, used to
	// locate findings; nil after DropRaw (Data reads them again).
	Raw []byte
	// SHA256 is the hex digest of the file's bytes as given (Raw, unless
	// the file starts with a byte-order mark).
	SHA256 string
	// Input is the decoded document as an OPA value, the policy input. Parse
	// builds it directly from the bytes (numbers keep their JSON text). It is
	// the one representation of the items at check time.
	Input ast.Value
	// Header is the typed document without the areas' item lists: the org,
	// collected_at and every area's envelope (with the connected-apps site
	// lists, which are small). It is what a check needs besides Input; Full
	// decodes the rest for the commands that compare or edit items.
	Header *Snapshot

	// size is the file's size when Raw was dropped.
	size int64

	full struct {
		once sync.Once
		snap *Snapshot
		err  error
	}
}

// DropRaw lets go of the file's bytes while the policies run, when Data can
// read them again: the document came from a regular file (not a pipe).
// The bytes are as large as the snapshot, and a check needs them only after
// the evaluation, to locate the findings (issue 15: the peak memory is then
// one snapshot smaller; docs/performance.md).
func (d *Document) DropRaw() {
	if d.Path == "" || d.Raw == nil {
		return
	}
	if fi, err := os.Stat(d.Path); err != nil || !fi.Mode().IsRegular() {
		return
	}
	d.size, d.Raw = int64(len(d.Raw)), nil
}

// Size is the size of the file's bytes, held or not.
func (d *Document) Size() int64 {
	if d.Raw != nil {
		return int64(len(d.Raw))
	}
	return d.size
}

// Data is the file's bytes: Raw, or after DropRaw the file read again,
// which must still be the file that was parsed (the same SHA-256).
func (d *Document) Data(ctx context.Context) ([]byte, error) {
	if d.Raw != nil {
		return d.Raw, nil
	}
	changed := &Error{File: d.Path, Msg: "snapshot changed while it was checked (it is no longer the file evaluated): check it again"}
	// Raw is without a byte-order mark, the SHA-256 is of the file as given.
	file, err := inputfile.ReadData(inputfile.WithLimit(ctx, d.size+int64(len(inputfile.BOM))), d.Path)
	var tl *inputfile.TooLargeError
	switch {
	case errors.As(err, &tl):
		return nil, changed
	case err != nil:
		return nil, fmt.Errorf("read snapshot again: %w", err)
	}
	if sum := sha256.Sum256(file); hex.EncodeToString(sum[:]) != d.SHA256 {
		return nil, changed
	}
	return inputfile.TrimBOM(file), nil
}

// Full is the whole typed document, decoded on first use (diff, attest
// init); a check never needs it. It is decoded from the file's bytes (Data),
// so raw API items keep their bytes; a file whose repeated keys encoding/json cannot decode
// (a key given twice with values of different types) is decoded from the
// policy input instead, so it holds what the policies saw (the last value).
func (d *Document) Full() (*Snapshot, error) {
	d.full.once.Do(func() {
		var s Snapshot
		data, err := d.Data(context.Background())
		if err != nil {
			d.full.err = err
			return
		}
		err = json.Unmarshal(data, &s)
		if err != nil {
			var v any
			if v, err = ast.JSON(d.Input); err == nil {
				var b []byte
				if b, err = json.Marshal(v); err == nil {
					s = Snapshot{}
					err = json.Unmarshal(b, &s)
				}
			}
		}
		if err != nil {
			d.full.err = &Error{File: d.Path, Msg: "decode snapshot: " + err.Error()}
			return
		}
		if d.Header != nil {
			fillMissingTyped(&s, d.Header)
		}
		d.full.snap = &s
	})
	return d.full.snap, d.full.err
}

// FromSnapshot is the document of a snapshot built in memory (the
// collector's, a test's): marshalled as the collector writes it (indented,
// with a final newline), then parsed and validated like a file. Full returns
// s itself.
func FromSnapshot(name string, s *Snapshot) (*Document, error) {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode snapshot: %w", err)
	}
	d, err := Parse(name, append(data, '\n'))
	if err != nil {
		return nil, err
	}
	d.full.once.Do(func() { d.full.snap = s })
	return d, nil
}

// Error is a problem with a snapshot file, located by line, column and JSON
// Pointer as precisely as possible.
type Error = fileerr.Error

// Load reads, parses and validates the snapshot file at path.
func Load(path string) (*Document, error) {
	data, err := inputfile.ReadData(context.Background(), path)
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
//
// Large snapshots are mostly the items of a few list areas (accounts and
// tokens), so Parse splits the work: it decodes the document with those item
// arrays left empty and validates it against the schema (the envelopes),
// then decodes and validates the items one by one against their item schemas
// on every core, building the policy input as it goes; the syntax check runs
// alongside. The typed Header is decoded from the small document without the
// items. No other copy of the items is ever held: the full typed document is
// decoded only on request (Full). Errors are the same as a whole-document
// validation gives, and when several items are invalid the first in
// document order is reported.
//
// This hand-written decoder is kept over the simpler decode-validate-convert
// path (jsonschema.UnmarshalJSON, Validate, ast.InterfaceToValue) because it
// measured smaller: the policy input it builds interns keys and short
// strings and holds about 87 MB less at 100,000 accounts (docs/performance.md).
func Parse(name string, file []byte) (*Document, error) {
	// A byte-order mark is skipped; the sha256 is of the file as given.
	data := inputfile.TrimBOM(file)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Error{File: name, Msg: "snapshot is empty"}
	}
	// The syntax check runs alongside everything else (json.Valid scans
	// without allocating); the decoder trusts its input to be JSON.
	checked := make(chan bool, 1)
	go func() { checked <- json.Valid(data) }()
	valid := sync.OnceValue(func() bool { return <-checked })
	defer valid() // never leave the scan running behind an error
	// fail reports err, unless the document is not even JSON: then the
	// reference decoder words and locates the syntax error, as it always did.
	fail := func(err error) (*Document, error) {
		if !valid() {
			if _, jerr := jsonschema.UnmarshalJSON(bytes.NewReader(data)); jerr != nil {
				return nil, syntaxError(name, data, jerr)
			}
			var v any
			return nil, syntaxError(name, data, json.Unmarshal(data, &v))
		}
		return nil, err
	}
	schemas, err := compiledSchemas()
	if err != nil {
		return nil, err
	}
	d := &decoder{data: data, split: schemas.items}
	value, ok := d.skeleton()
	if !ok {
		return fail(&Error{File: name, Line: 1, Column: 1, Msg: "invalid JSON"})
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return fail(&Error{File: name, Line: 1, Column: 1, Msg: "snapshot must be a JSON object"})
	}
	if v, ok := obj["schema_version"]; ok && fmt.Sprint(v) != fmt.Sprint(SchemaVersion) {
		return fail(locatedError(name, data, "/schema_version",
			fmt.Sprintf("unsupported schema_version %v: this atlcheck reads version %d", v, SchemaVersion)))
	}
	if err := schemas.root.Validate(value); err != nil {
		return fail(validationError(name, data, nil, err))
	}
	items, itemErr := d.items(schemas.items)
	if itemErr != nil {
		if itemErr.err == nil { // the decoder gave up: not JSON
			return fail(&Error{File: name, Line: 1, Column: 1, Msg: "invalid JSON"})
		}
		return fail(validationError(name, data, itemErr.prefix, itemErr.err))
	}
	if !valid() {
		return fail(&Error{File: name, Line: 1, Column: 1, Msg: "invalid JSON"})
	}
	header, err := decodeHeader(name, data, obj)
	if err != nil {
		return nil, err
	}
	if err := uniqueJoinKeys(name, data, obj, items); err != nil {
		return nil, err
	}
	if err := checkAttested(name, data, obj, header.CollectedAt); err != nil {
		return nil, err
	}
	fillMissingAreas(obj, header)
	input, err := inputValue(obj, items)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(file)
	return &Document{Raw: data, SHA256: hex.EncodeToString(sum[:]), Input: input, Header: header}, nil
}

// decodeHeader decodes the typed header from the document decoded without
// its item arrays.
func decodeHeader(name string, data []byte, obj map[string]any) (*Snapshot, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, &Error{File: name, Msg: "decode snapshot: " + err.Error()}
	}
	var h Snapshot
	if err := json.Unmarshal(b, &h); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, locatedError(name, data, Pointer(strings.Split(te.Field, ".")...), "invalid value: "+te.Error())
		}
		return nil, &Error{File: name, Msg: "invalid value: " + err.Error()}
	}
	return &h, nil
}

// validationError locates the most specific cause of a schema error; prefix
// is the location of the validated value in the document.
func validationError(name string, data []byte, prefix []string, err error) error {
	var ve *jsonschema.ValidationError
	if errors.As(err, &ve) {
		leaf := firstLeaf(ve)
		loc := append(append([]string{}, prefix...), leaf.InstanceLocation...)
		return locatedError(name, data, jsonPointer(loc), leaf.ErrorKind.LocalizedString(printer))
	}
	return &Error{File: name, Msg: err.Error()}
}

// inputValue builds the policy input from the document decoded without its
// item arrays and the items' values.
func inputValue(obj map[string]any, items map[string][]*ast.Term) (ast.Value, error) {
	root := ast.NewObject()
	for k, v := range obj {
		area, isArea := v.(map[string]any)
		terms, split := items[k]
		if !isArea || !split {
			val, err := ast.InterfaceToValue(v)
			if err != nil {
				return nil, fmt.Errorf("convert snapshot for policies: %w", err)
			}
			root.Insert(ast.StringTerm(k), ast.NewTerm(val))
			continue
		}
		o := ast.NewObject()
		for ak, av := range area {
			if ak == "items" {
				o.Insert(ast.StringTerm(ak), ast.ArrayTerm(terms...))
				continue
			}
			val, err := ast.InterfaceToValue(av)
			if err != nil {
				return nil, fmt.Errorf("convert snapshot for policies: %w", err)
			}
			o.Insert(ast.StringTerm(ak), ast.NewTerm(val))
		}
		root.Insert(ast.StringTerm(k), ast.NewTerm(o))
	}
	return root, nil
}

var printer = message.NewPrinter(language.English)

// schemaSet is the compiled snapshot schema and, for each list area whose
// items are validated one by one, the schema of one item.
type schemaSet struct {
	root  *jsonschema.Schema
	items map[string]*jsonschema.Schema
}

const schemaURL = "https://atlcheck.dev/schemas/snapshot-v1.json"

var compiledSchemas = sync.OnceValues(func() (*schemaSet, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded snapshot schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterFormat(dateTimeFormat)
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("embedded snapshot schema: %w", err)
	}
	set := &schemaSet{items: map[string]*jsonschema.Schema{}}
	if set.root, err = c.Compile(schemaURL); err != nil {
		return nil, fmt.Errorf("embedded snapshot schema: %w", err)
	}
	// A top-level area whose items are {"$ref": "#/$defs/…"} is validated item by item.
	props, _ := doc.(map[string]any)["properties"].(map[string]any)
	for area, p := range props {
		ref, _ := dig(p, "properties", "items", "items", "$ref").(string)
		if !strings.HasPrefix(ref, "#/") {
			continue
		}
		if set.items[area], err = c.Compile(schemaURL + ref); err != nil {
			return nil, fmt.Errorf("embedded snapshot schema: %w", err)
		}
	}
	return set, nil
})

func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

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

func syntaxError(name string, data []byte, err error) *Error { return fileerr.JSON(name, data, err) }

// decoder decodes a JSON document. The top-level list areas named in split
// have their item arrays decoded separately: skeleton leaves them empty and
// records where each item starts, items decodes them.
//
// It trusts its input to be JSON (the typed decode checks that alongside)
// but stays safe on anything else: every step consumes input, nesting is
// capped like encoding/json's, and running off the end panics, which
// skeleton and items recover as "not JSON".
type decoder struct {
	data  []byte
	pos   int
	depth int
	split map[string]*jsonschema.Schema
	// spans are the offsets of each split area's items, by area; order lists
	// the areas with items in document order.
	spans map[string][]int
	order []string
	// strs interns object keys and short strings as terms; yes, no and null
	// are the one true, false and null term of the items.
	strs         map[string]*ast.Term
	yes, no, nul *ast.Term
}

// skeleton decodes the whole document like encoding/json with UseNumber
// (duplicate keys: the last wins), except the split item arrays. It reports
// false when the input is not JSON (the typed decode says how).
func (d *decoder) skeleton() (v any, ok bool) {
	defer func() {
		if recover() != nil {
			v, ok = nil, false
		}
	}()
	d.spans = map[string][]int{}
	d.pos = 0
	if d.peek() != '{' {
		return d.plain(), true
	}
	d.pos++
	obj := map[string]any{}
	for d.next('}') {
		k := d.key()
		delete(d.spans, k) // a repeated key replaces the earlier value
		if _, ok := d.split[k]; ok && d.peek() == '{' {
			obj[k] = d.area(k)
		} else {
			obj[k] = d.plain()
		}
	}
	for name, spans := range d.spans {
		if len(spans) > 0 {
			d.order = append(d.order, name)
		}
	}
	sort.Slice(d.order, func(i, j int) bool { return d.spans[d.order[i]][0] < d.spans[d.order[j]][0] })
	return obj, true
}

// area decodes one list area's envelope, recording where its items start.
func (d *decoder) area(name string) map[string]any {
	d.pos++ // {
	obj := map[string]any{}
	for d.next('}') {
		k := d.key()
		if k == "items" {
			delete(d.spans, name)
		}
		if k != "items" || d.peek() != '[' {
			obj[k] = d.plain()
			continue
		}
		var spans []int
		d.pos++ // [
		for d.next(']') {
			spans = append(spans, d.pos)
			d.skip()
		}
		d.spans[name] = spans
		obj[k] = []any{}
	}
	return obj
}

// itemError is the first invalid item of a run.
type itemError struct {
	prefix []string
	err    error
}

// items decodes and validates the split items on every core and returns
// their policy values by area. Chunks are handed out in document order and a
// started chunk runs to its end or its first invalid item, so the first
// error in chunk order is the first invalid item of the document.
func (d *decoder) items(schemas map[string]*jsonschema.Schema) (map[string][]*ast.Term, *itemError) {
	type chunk struct {
		area       string
		start, end int
	}
	const chunkSize = 256
	out := make(map[string][]*ast.Term, len(d.order))
	var chunks []chunk
	for _, name := range d.order {
		n := len(d.spans[name])
		out[name] = make([]*ast.Term, n)
		for i := 0; i < n; i += chunkSize {
			chunks = append(chunks, chunk{name, i, min(i+chunkSize, n)})
		}
	}
	errs := make([]*itemError, len(chunks))
	var mu sync.Mutex
	next, failed := 0, false
	work := func() {
		w := &decoder{data: d.data, strs: map[string]*ast.Term{},
			yes: ast.BooleanTerm(true), no: ast.BooleanTerm(false), nul: ast.NullTerm()}
		current := -1
		defer func() {
			if recover() != nil { // not JSON after all
				errs[current] = &itemError{}
				mu.Lock()
				failed = true
				mu.Unlock()
			}
		}()
		for {
			mu.Lock()
			if next >= len(chunks) || failed {
				mu.Unlock()
				return
			}
			i := next
			next++
			mu.Unlock()
			current = i
			c := chunks[i]
			sch, spans, terms := schemas[c.area], d.spans[c.area], out[c.area]
			for j := c.start; j < c.end; j++ {
				w.pos, w.depth = spans[j], 0
				v, t := w.both()
				if err := sch.Validate(v); err != nil {
					errs[i] = &itemError{prefix: []string{c.area, "items", strconv.Itoa(j)}, err: err}
					mu.Lock()
					failed = true
					mu.Unlock()
					break
				}
				terms[j] = t
			}
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(chunks)) - 1 {
		wg.Add(1)
		go func() { defer wg.Done(); work() }()
	}
	work()
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	return out, nil
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) peek() byte {
	d.space()
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// next moves to the next member of an object or element of an array whose
// opening bracket was consumed, and reports whether there is one; it
// consumes the closing bracket ('}' or ']').
func (d *decoder) next(closing byte) bool {
	switch d.peek() {
	case ',':
		d.pos++
		d.space()
		return true
	case closing:
		d.pos++
		return false
	}
	d.more()
	return true // the first one
}

// more panics at the end of the input: an unterminated object or array.
func (d *decoder) more() {
	if d.pos >= len(d.data) {
		panic("snapshot: unexpected end of JSON")
	}
}

// key decodes an object key and its colon.
func (d *decoder) key() string {
	k := d.str()
	d.space()
	d.pos++ // :
	d.space()
	return k
}

// str decodes the string at d.pos.
func (d *decoder) str() string {
	start := d.pos
	d.pos++
	simple := true
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		if c == '\\' {
			simple = false
			d.pos += 2
			continue
		}
		d.pos++
		if c == '"' {
			break
		}
		if c >= utf8.RuneSelf {
			simple = false
		}
	}
	raw := d.data[start:d.pos]
	if simple || (bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw)) {
		return string(raw[1 : len(raw)-1])
	}
	// Escapes or invalid UTF-8: encoding/json's own rules.
	var s string
	_ = json.Unmarshal(raw, &s)
	return s
}

// literal returns the bytes of the number, true, false or null at d.pos
// (at least one byte, so that stray characters are consumed).
func (d *decoder) literal() []byte {
	start := d.pos
	d.pos++
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return d.data[start:d.pos]
		}
		d.pos++
	}
	return d.data[start:min(d.pos, len(d.data))]
}

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

func (d *decoder) nest() {
	if d.depth++; d.depth > maxDepth {
		panic("snapshot: nested too deeply")
	}
}

// skip moves past the value at d.pos.
func (d *decoder) skip() {
	d.space()
	d.more()
	switch d.data[d.pos] {
	case '"':
		d.pos++
		for d.pos < len(d.data) {
			c := d.data[d.pos]
			d.pos++
			if c == '\\' {
				d.pos++
			} else if c == '"' {
				return
			}
		}
	case '{', '[':
		depth := 0
		for d.pos < len(d.data) {
			switch d.data[d.pos] {
			case '"':
				d.skip()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					d.pos++
					return
				}
			}
			d.pos++
		}
	default:
		d.literal()
	}
}

// plain decodes the value at d.pos as encoding/json with UseNumber would.
func (d *decoder) plain() any {
	d.space()
	switch d.data[d.pos] {
	case '{':
		d.pos++
		d.nest()
		obj := map[string]any{}
		for d.next('}') {
			k := d.key()
			obj[k] = d.plain()
		}
		d.depth--
		return obj
	case '[':
		d.pos++
		d.nest()
		arr := []any{}
		for d.next(']') {
			arr = append(arr, d.plain())
		}
		d.depth--
		return arr
	case '"':
		return d.str()
	case 't':
		d.pos += 4
		return true
	case 'f':
		d.pos += 5
		return false
	case 'n':
		d.pos += 4
		return nil
	}
	return json.Number(d.literal())
}

// both decodes the value at d.pos as plain Go values (for the schema) and as
// an OPA term (for the policies) in one pass, sharing the strings.
func (d *decoder) both() (any, *ast.Term) {
	d.space()
	switch d.data[d.pos] {
	case '{':
		d.pos++
		d.nest()
		obj := map[string]any{}
		kvs := make([][2]*ast.Term, 0, 8)
		for d.next('}') {
			kt := d.strTerm()
			d.space()
			d.pos++ // :
			v, t := d.both()
			obj[string(kt.Value.(ast.String))] = v
			kvs = append(kvs, [2]*ast.Term{kt, t})
		}
		if len(obj) < len(kvs) {
			kvs = lastWins(kvs)
		}
		d.depth--
		return obj, ast.ObjectTerm(kvs...)
	case '[':
		d.pos++
		d.nest()
		arr := []any{}
		var terms []*ast.Term
		for d.next(']') {
			v, t := d.both()
			arr = append(arr, v)
			terms = append(terms, t)
		}
		d.depth--
		return arr, ast.ArrayTerm(terms...)
	case '"':
		t := d.strTerm()
		return string(t.Value.(ast.String)), t
	case 't':
		d.pos += 4
		return true, d.yes
	case 'f':
		d.pos += 5
		return false, d.no
	case 'n':
		d.pos += 4
		return nil, d.nul
	}
	n := json.Number(d.literal())
	return n, ast.NumberTerm(n)
}

// strTerm decodes the string at d.pos as a term, interning short ones
// (keys, statuses, roles) so that repeated values share one term.
func (d *decoder) strTerm() *ast.Term {
	start := d.pos
	if d.strs != nil {
		end := bytes.IndexByte(d.data[start+1:], '"') + start + 2
		if raw := d.data[start+1 : max(end-1, start+1)]; end > start+1 && end-start <= 34 && bytes.IndexByte(raw, '\\') < 0 {
			if t, ok := d.strs[string(raw)]; ok {
				d.pos = end
				return t
			}
			s := d.str()
			t := ast.StringTerm(s)
			if len(d.strs) < 1<<14 {
				d.strs[s] = t
			}
			return t
		}
	}
	return ast.StringTerm(d.str())
}

// lastWins drops the earlier of repeated keys, as encoding/json does.
func lastWins(kvs [][2]*ast.Term) [][2]*ast.Term {
	seen := map[ast.String]bool{}
	out := make([][2]*ast.Term, 0, len(kvs))
	for i := len(kvs) - 1; i >= 0; i-- {
		k := kvs[i][0].Value.(ast.String)
		if !seen[k] {
			seen[k] = true
			out = append(out, kvs[i])
		}
	}
	return out
}

// joinedAreas are the item lists the policies index by their key (Rego
// objects keyed by it: lib.accounts.by_id, lib.auth.member_of, the service
// accounts' _by_id): one key listed twice would make the evaluation fail
// with OPA's eval_conflict_error, and which of the two records counts would
// be ambiguous anyway.
var joinedAreas = []string{AreaManagedAccounts, AreaAuthPolicyMembers, AreaServiceAccounts}

// uniqueJoinKeys rejects a snapshot that lists one key of a joined area
// twice, or one audit-log signal id twice (the signals are indexed by id
// too), at the second occurrence.
func uniqueJoinKeys(name string, data []byte, obj map[string]any, items map[string][]*ast.Term) error {
	for _, area := range joinedAreas {
		def, _ := LookupArea(area)
		terms := make([]any, len(items[area]))
		for i, t := range items[area] {
			terms[i] = t
		}
		if err := uniqueBy(name, data, Pointer(append(slices.Clone(def.Path), def.Items)...), def.Key, terms); err != nil {
			return err
		}
	}
	if log, ok := obj["audit_log"].(map[string]any); ok {
		if signals, ok := log["signals"].([]any); ok {
			return uniqueBy(name, data, "/audit_log/signals", "id", signals)
		}
	}
	return nil
}

// uniqueBy checks that no two objects of list (at pointer) share a string
// key; list holds *ast.Term objects or decoded JSON objects.
func uniqueBy(name string, data []byte, pointer, key string, list []any) error {
	first := make(map[string]int, len(list))
	for i, item := range list {
		id, ok := stringField(item, key)
		if !ok {
			continue
		}
		if j, dup := first[id]; dup {
			return locatedError(name, data, fmt.Sprintf("%s/%d/%s", pointer, i, key),
				fmt.Sprintf("duplicate %s %q (first at %s/%d)", key, id, pointer, j))
		}
		first[id] = i
	}
	return nil
}

func stringField(item any, key string) (string, bool) {
	switch v := item.(type) {
	case *ast.Term:
		obj, ok := v.Value.(ast.Object)
		if !ok {
			return "", false
		}
		t := obj.Get(ast.StringTerm(key))
		if t == nil {
			return "", false
		}
		s, ok := t.Value.(ast.String)
		return string(s), ok
	case map[string]any:
		s, ok := v[key].(string)
		return s, ok
	}
	return "", false
}

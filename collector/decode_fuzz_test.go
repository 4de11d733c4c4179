package collector

// Fuzz test for the item decoders: whatever an API sends as an item, each
// decoder either reads it or keeps it raw as unreadable with a reason; it
// never panics and never drops it. `go test` runs the seeds; `make fuzz`
// explores.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// itemDecoders runs raw through every area's decoder and reports, per
// decoder, how many items came out readable and unreadable.
var itemDecoders = map[string]func(raw json.RawMessage) (int, int){
	"workspace": func(r json.RawMessage) (int, int) { return counts(r, decodeWorkspace) },
	"domain":    func(r json.RawMessage) (int, int) { return counts(r, decodeDomain) },
	"summary":   func(r json.RawMessage) (int, int) { return counts(r, decodeDomainSummary) },
	"key":       func(r json.RawMessage) (int, int) { return counts(r, decodeAPIKey) },
	"token":     func(r json.RawMessage) (int, int) { return counts(r, decodeAPIToken) },
	"account":   func(r json.RawMessage) (int, int) { return counts(r, decodeAccount) },
	"app":       func(r json.RawMessage) (int, int) { return counts(r, decodeApp) },
	"org":       func(r json.RawMessage) (int, int) { return counts(r, decodeOrg) },
}

func counts[T any](raw json.RawMessage, decode decodeFunc[T]) (int, int) {
	set := newItemSet[T]()
	set.add(raw, decode)
	set.add(raw, decode) // the same item twice is one item
	items, bad := set.result()
	for _, u := range bad {
		if len(u.Problems) == 0 || !json.Valid(u.Raw) {
			panic("an unreadable item without a problem or without its raw form")
		}
	}
	if data, err := json.Marshal(items); err != nil || !utf8.Valid(data) {
		panic("a readable item does not marshal to valid UTF-8 JSON")
	}
	return len(items), len(bad)
}

func FuzzDecodeItem(f *testing.F) {
	for _, s := range []string{`null`, `{}`, `[]`, `"x"`, `{"id":1}`, `{"id":"k","scopes":"all"}`,
		`{"accountId":"a","status":"active","productAccess":[null,{"lastActiveTimestamp":1e300}]}`,
		`{"domain":"x","enabled":"yes"}`, `{"key":"k","userInstalled":true,"vendor":[]}`,
		`{"id":"w","attributes":{"hostUrl":null,"sandbox":{"type":7}}}`, `{"id":"k","expiresAt":-1e18}`} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("testdata/api/*/*.json")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		var page map[string][]json.RawMessage
		if json.Unmarshal(data, &page) == nil {
			for _, list := range page {
				for _, item := range list {
					f.Add([]byte(item))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return // a page that is not JSON fails the whole page, not an item
		}
		raw = validUTF8(raw) // as the client does with every body
		for name, decode := range itemDecoders {
			if ok, bad := decode(raw); ok+bad != 1 && !(ok == 0 && bad == 2) {
				t.Fatalf("%s: %s gave %d readable and %d unreadable items, want it kept once", name, raw, ok, bad)
			}
		}
	})
}

package snapshot

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestOlderSnapshotReadsNewAreasAsNoSource: a snapshot written before the
// non-human identity areas existed (testdata/minimal.json has none) still
// loads, and each missing area reads as having no source, with the reason,
// in the typed snapshot and in the policy input alike; never as collected
// and empty.
func TestOlderSnapshotReadsNewAreasAsNoSource(t *testing.T) {
	data, err := os.ReadFile("testdata/minimal.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "service_accounts") {
		t.Fatal("the fixture must be a snapshot without the newer areas")
	}
	doc, err := Parse("minimal.json", data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	full, err := doc.Full()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{AreaServiceAccounts, AreaServiceAccountTokens, AreaOAuthClients, AreaOrgPolicies, AreaAuthPolicies, AreaAuthPolicyMembers} {
		def, _ := LookupArea(name)
		if !reflect.DeepEqual(def.Envelope(full), def.Envelope(doc.Header)) {
			t.Errorf("%s: the full document's envelope %+v is not the header's", name, def.Envelope(full))
		}
		a := def.Envelope(doc.Header)
		want := "this snapshot has no " + name + " area: it was written by an atlcheck version that did not collect it"
		if a.Source != SourceNone || a.Collected || a.Error == nil || a.Error.Message != want {
			t.Errorf("%s: got %+v, want no source with %q", name, a, want)
		}
		if def.Count(full) != 0 {
			t.Errorf("%s: got %d items", name, def.Count(full))
		}
		in, err := doc.Input.(ast.Object).Find(ast.Ref{ast.StringTerm(name)})
		if err != nil {
			t.Fatalf("%s: not in the policy input: %v", name, err)
		}
		if got := in.String(); !strings.Contains(got, `"source": "none"`) || !strings.Contains(got, want) || !strings.Contains(got, `"items": []`) {
			t.Errorf("%s: policy input %s", name, got)
		}
	}
	// Areas the document has are left alone.
	if doc.Header.APIKeys.Source != SourceAPI || doc.Header.APIKeys.Error.Status != 403 {
		t.Errorf("api_keys changed: %+v", doc.Header.APIKeys.Area)
	}
}

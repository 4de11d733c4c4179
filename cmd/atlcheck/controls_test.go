package main

import (
	"context"
	"testing"

	"github.com/atlcheck/atlcheck/policies"
	"github.com/atlcheck/atlcheck/report"
)

// TestBuiltinTagsAreInTheCatalog: every cis: and nist: tag of the built-in
// policies names a control whose title the compliance view knows.
func TestBuiltinTagsAreInTheCatalog(t *testing.T) {
	engine, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range engine.Policies() {
		for _, c := range report.ControlsOf(p) {
			n++
			if _, ok := c.Framework.Titles[c.ID]; !ok {
				t.Errorf("%s is mapped to %s, which has no title in the catalog", p.ID, c.Key())
			}
		}
	}
	if n == 0 {
		t.Error("no built-in policy is mapped to a control")
	}
}

package report

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestJUnitCounts(t *testing.T) {
	tests := []struct {
		name                     string
		out                      []byte
		tests, failures, skipped int
	}{
		{"fixture", render(t, "junit", fixtureRun()), 9, 5, 1},
		{"empty", render(t, "junit", emptyRun()), 1, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc junitSuites
			if err := xml.Unmarshal(tt.out, &doc); err != nil {
				t.Fatalf("output is not XML: %v", err)
			}
			s := doc.Suites[0]
			if s.Tests != tt.tests || s.Failures != tt.failures || s.Skipped != tt.skipped ||
				doc.Tests != tt.tests || doc.Failures != tt.failures || doc.Skipped != tt.skipped {
				t.Errorf("got tests/failures/skipped %d/%d/%d (root %d/%d/%d), want %d/%d/%d",
					s.Tests, s.Failures, s.Skipped, doc.Tests, doc.Failures, doc.Skipped, tt.tests, tt.failures, tt.skipped)
			}
			var failures, skipped int
			for _, c := range s.Cases {
				if c.Failure != nil {
					failures++
				}
				if c.Skipped != nil {
					skipped++
				}
			}
			if len(s.Cases) != tt.tests || failures != tt.failures || skipped != tt.skipped {
				t.Errorf("got %d cases, %d failures, %d skipped; want %d, %d, %d",
					len(s.Cases), failures, skipped, tt.tests, tt.failures, tt.skipped)
			}
		})
	}
}

func TestJUnitCases(t *testing.T) {
	var doc junitSuites
	if err := xml.Unmarshal(render(t, "junit", fixtureRun()), &doc); err != nil {
		t.Fatal(err)
	}
	cases := map[string]junitCase{}
	for _, c := range doc.Suites[0].Cases {
		cases[strings.SplitN(c.Name, ":", 2)[0]] = c
	}
	key := cases["ATL-KEY-001"]
	if key.Failure == nil || key.Failure.Type != "high" || strings.Count(key.Failure.Text, "[high]") != 2 ||
		key.ClassName != "atlassian.key" || key.Name != "ATL-KEY-001: Admin API keys must have scopes" {
		t.Errorf("ATL-KEY-001: got %+v, want a high failure listing 2 findings", key)
	}
	if c := cases["ATL-KEY-002"]; c.Failure != nil || c.Out == nil || !strings.Contains(c.Out.Text, "secops@example.com") {
		t.Errorf("suppressed ATL-KEY-002: got %+v, want a pass with the exception in system-out", c)
	}
	if c := cases["ATL-EXT-001"]; c.Skipped == nil || !strings.Contains(c.Skipped.Message, "no source") {
		t.Errorf("ATL-EXT-001: got %+v, want skipped with the reason", c)
	}
	if c := cases["ATL-DOM-001"]; c.Failure == nil || !strings.Contains(c.Failure.Text, "<script>alert(1)</script>\\nnext line") {
		t.Errorf("ATL-DOM-001: hostile resource not kept as escaped text: %+v", c.Failure)
	}
}

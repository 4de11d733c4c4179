package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/model"
)

// vendorText is what a vendor can put in an app name or a key label.
const vendorText = "Sync @security-team @acme/secops #1 owner/repo#3 GH-7 https://evil.example/login www.evil.example " +
	"[click](https://evil.example) ops@vendor.example \x1b[2J\x07\u202eevil"

// hostileRun is the fixture run with vendor text in every untrusted field.
func hostileRun() *model.Run {
	run := fixtureRun()
	run.OrgName = vendorText
	for i := range run.Findings {
		run.Findings[i].Resource = "res " + vendorText
		run.Findings[i].Message = "App " + vendorText + " is installed."
	}
	for i := range run.Policies {
		if run.Policies[i].Reason != "" {
			run.Policies[i].Reason = vendorText
		}
	}
	return run
}

// Issue 12 row 16: vendor text becomes no mention, reference, link or
// control sequence in any format. Before, Markdown kept live mentions,
// references and autolinks, SARIF messages embedded links and --format
// github passed ESC, BEL and RLO.
func TestVendorTextIsInert(t *testing.T) {
	run := hostileRun()
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			out := string(render(t, format, run))
			if strings.ContainsAny(out, "\x1b\x07\u202e") {
				t.Errorf("a raw control character is in the %s report", format)
			}
			switch format {
			case "markdown":
				live := escape.WithoutCodeSpans(out)
				for _, h := range []string{"@security-team", "@acme", "owner/repo#3", "#1 ", "GH-7", "https://evil", "www.evil", "[click](", "ops@vendor"} {
					if strings.Contains(live, h) {
						t.Errorf("%q is live in the Markdown report", h)
					}
				}
			case "sarif":
				var log struct {
					Runs []struct {
						Results []struct {
							Message struct{ Text string } `json:"message"`
						} `json:"results"`
					} `json:"runs"`
				}
				if err := json.Unmarshal([]byte(out), &log); err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, r := range log.Runs {
					for _, res := range r.Results {
						n++
						if strings.Contains(strings.ReplaceAll(res.Message.Text, `\[`, ""), "[click]") {
							t.Errorf("an embedded link in %q", res.Message.Text)
						}
					}
				}
				if n == 0 {
					t.Error("no results")
				}
			case "github", "text":
				for _, line := range strings.Split(out, "\n") {
					if format == "text" && strings.HasPrefix(strings.TrimSpace(line), "::") {
						t.Errorf("a text line starts a workflow command: %q", line)
					}
				}
			}
		})
	}
}

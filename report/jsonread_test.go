package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/atlcheck/atlcheck/internal/model"
)

// TestReadJSONRoundTrip checks that a JSON report read back renders to the
// same bytes: the reader loses nothing the report says.
func TestReadJSONRoundTrip(t *testing.T) {
	// A gate failed by new findings and by policies whose area failed: the
	// fleet report and the history word it from what is read back.
	gate := baselineRun()
	gate.Gate = model.Gate{FailOn: model.SeverityHigh, Failed: true, Count: 1, NotEvaluated: 2, NewOnly: true}
	for name, run := range map[string]*model.Run{"fixture": fixtureRun(), "empty": emptyRun(), "edge": edgeRun(), "baseline": baselineRun(), "gate": gate} {
		t.Run(name, func(t *testing.T) {
			first := render(t, "json", run)
			back, err := ReadJSON("r.json", first)
			if err != nil {
				t.Fatal(err)
			}
			if back.Gate != run.Gate {
				t.Errorf("gate read back as %+v, want %+v", back.Gate, run.Gate)
			}
			if second := render(t, "json", back); !bytes.Equal(first, second) {
				t.Errorf("round trip differs:\n%s", lineDiff(first, second))
			}
		})
	}
}

// TestReadJSONSkipsByteOrderMark: a report saved by an editor that adds a
// UTF-8 byte-order mark reads as the same report (it read "invalid
// character 'ï'" before), and its errors keep their lines and columns.
func TestReadJSONSkipsByteOrderMark(t *testing.T) {
	first := render(t, "json", fixtureRun())
	back, err := ReadJSON("r.json", append([]byte("\uFEFF"), first...))
	if err != nil {
		t.Fatal(err)
	}
	if second := render(t, "json", back); !bytes.Equal(first, second) {
		t.Errorf("round trip differs:\n%s", lineDiff(first, second))
	}
	_, err = ReadJSON("r.json", []byte("\uFEFF{\n  \"findings\": 3\n}"))
	if want := "r.json:2:15: invalid value: findings is a number, want an array"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func TestReadJSONRejects(t *testing.T) {
	valid := string(render(t, "json", fixtureRun()))
	tests := []struct{ name, doc, want string }{
		{"not JSON", "{", "r.json:1:2: invalid JSON: unexpected end of file (truncated?)"},
		{"syntax error", strings.Replace(valid, `"critical": 1`, `"critical": 1,,`, 1), "r.json:28:19: invalid JSON: invalid character ','"},
		{"SARIF", `{"version": "2.1.0", "runs": []}`, "not an atlcheck JSON report"},
		{"no findings", strings.Replace(valid, `"findings":`, `"findingz":`, 1), "not an atlcheck JSON report"},
		{"bad severity", strings.Replace(valid, `"severity": "critical"`, `"severity": "urgent"`, 1), "urgent"},
		{"bad status", strings.Replace(valid, `"status": "fail"`, `"status": "green"`, 1), "unknown status"},
		{"bad time", strings.Replace(valid, `"collected_at": "2`, `"collected_at": "yesterday 2`, 1), "collected_at"},
		{"wrong type", strings.Replace(valid, `"critical": 1`, `"critical": "1"`, 1), "r.json:28:17: invalid value: summary.critical is a string, want an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.doc == valid {
				t.Fatal("the replacement did not apply")
			}
			_, err := ReadJSON("r.json", []byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error with %q", err, tt.want)
			}
		})
	}
}

package snapshot

import (
	"fmt"
	"time"

	"github.com/atlcheck/atlcheck/internal/dates"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// dateTimeFormat replaces the schema's "date-time" format: an RFC 3339 time
// (as the typed decode reads it) within the range policies can compare, so a
// date such as 3000-01-01 is a located snapshot error, not a failure of
// whichever policy reads it.
var dateTimeFormat = &jsonschema.Format{Name: "date-time", Validate: func(v any) error {
	s, ok := v.(string)
	if !ok {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("not an RFC 3339 date-time such as 2026-11-20T08:00:00Z")
	}
	return dates.Check(t)
}}

// checkAttested refuses an attested area whose attested_at lies after the
// snapshot's collected_at: an attestation from the future would never go
// stale. doc is the decoded document (envelopes only is enough).
func checkAttested(name string, data []byte, doc map[string]any, collectedAt time.Time) error {
	for _, def := range Registry {
		if !def.Attestable {
			continue
		}
		s, ok := dig(doc, append(append([]string{}, def.Path...), "attested_at")...).(string)
		if !ok {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, s)
		if err == nil && dates.InFuture(at, collectedAt) {
			return locatedError(name, data, def.Pointer()+"/attested_at",
				fmt.Sprintf("attested_at %s is after the snapshot was collected (%s): an attestation cannot be from the future",
					s, collectedAt.UTC().Format(time.RFC3339)))
		}
	}
	return nil
}

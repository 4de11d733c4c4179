package diff

import (
	"cmp"
	"fmt"
	"strings"
)

// kindSigns mark a change's kind in the text format.
var kindSigns = map[Kind]string{Added: "+", Removed: "-", Changed: "~"}

// renderText is the terminal format: a header, the changes grouped by area
// ("+ added", "- removed", "~ changed" with each field's old → new value and
// the risk when it is not neutral), the parts not compared, then a summary
// line. There are no colours; control characters are shown as escapes.
func renderText(r *Result) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "Drift of %s\n", quote(orgLabel(r)))
	for _, s := range []struct {
		label string
		src   Source
	}{{"Old", r.Old}, {"New", r.New}} {
		fmt.Fprintf(&b, "%s: %s, collected %s\n", s.label, quote(cmp.Or(s.src.Path, "(not from a file)")), timestamp(s.src.CollectedAt))
	}
	area := ""
	for _, c := range r.Changes {
		if c.Area != area {
			area = c.Area
			fmt.Fprintf(&b, "\n%s\n", area)
		}
		textChange(&b, c)
	}
	if len(r.NotCompared) > 0 {
		b.WriteString("\nNot compared:\n")
		for _, n := range r.NotCompared {
			fmt.Fprintf(&b, "  %s: %s\n", quote(strings.TrimSpace(n.Area+" "+n.Resource)), quote(n.Reason))
		}
	}
	fmt.Fprintf(&b, "\n%s.\n", summaryLine(r.Summary))
	return []byte(b.String()), nil
}

// textChange writes one change and its fields.
func textChange(b *strings.Builder, c Change) {
	risk := ""
	if c.Risk != RiskNeutral {
		risk = " (risk " + string(c.Risk) + ")"
	}
	fmt.Fprintf(b, "  %s %s%s\n", kindSigns[c.Kind], quote(c.Summary), risk)
	for _, f := range c.Fields {
		fmt.Fprintf(b, "      %s: %s → %s\n", quote(f.Name), quote(valueText(f.Old)), quote(valueText(f.New)))
	}
}

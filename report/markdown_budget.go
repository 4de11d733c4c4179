package report

import (
	"fmt"
	"strings"

	"github.com/atlcheck/atlcheck/internal/model"
)

// Size limits of the places a Markdown report goes (docs/reports.md).
const (
	// PRCommentMaxChars is GitHub's limit for a pull-request or issue comment
	// body, in characters. A UTF-8 byte count is never below the character
	// count (in code points or UTF-16 units), so a byte budget under it is safe.
	PRCommentMaxChars = 65536
	// StepSummaryMaxBytes is GitHub Actions' limit for one step's
	// $GITHUB_STEP_SUMMARY; over it, the summary is dropped.
	StepSummaryMaxBytes = 1 << 20
)

// How a size budget cuts the Markdown report. The document is a list of
// blocks in reading order. When it is larger than the budget, blocks are
// left out in this order until it fits, and a last line lists exactly what
// was left out and where the whole report is:
//
//  1. the extras, last first: effective parameters, unused exceptions, the
//     findings fixed since the last run, the suppressed findings, the
//     audit-log events table of the "since last run" section (at most
//     maxSinceEvents rows per signal; the findings groups have them all);
//  2. the finding groups, least severe first (the last group first);
//  3. the list of passed policies;
//  4. then the most severe group keeps as many whole rows as fit.
//
// The header (verdict, counts, baseline comparison), the audit-log window
// with one outcome row per signal, and the policies not evaluated are never
// cut. Nothing is cut mid-row.

// mdBlock is one piece of the document.
type mdBlock struct {
	kind mdKind
	// text is the whole block; for a group it is head + rows.
	text string
	// head and rows make up a finding group.
	head string
	rows []string
	// what names the block in the note of what was left out.
	what     string
	findings int
	severity model.Severity
	// cut is set once the block is left out; keepRows once a group is trimmed.
	cut      bool
	keepRows int
}

type mdKind int

const (
	mdKeep mdKind = iota
	mdGroupKind
	mdExtra
	mdKeepLast
)

// mdDoc collects the blocks of a report.
type mdDoc struct {
	blocks []mdBlock
}

func (d *mdDoc) keep(text string) { d.blocks = append(d.blocks, mdBlock{kind: mdKeep, text: text}) }

func (d *mdDoc) keepLast(text, what string) {
	if text != "" {
		d.blocks = append(d.blocks, mdBlock{kind: mdKeepLast, text: text, what: what})
	}
}

func (d *mdDoc) extra(text, what string) {
	d.blocks = append(d.blocks, mdBlock{kind: mdExtra, text: text, what: what})
}

func (d *mdDoc) group(b mdBlock) {
	b.kind = mdGroupKind
	b.text = b.head + strings.Join(b.rows, "")
	b.keepRows = len(b.rows)
	d.blocks = append(d.blocks, b)
}

// fit renders the document within maxBytes (0: no limit).
func (d *mdDoc) fit(maxBytes int, fullReport string) (string, error) {
	if maxBytes <= 0 || d.size() <= maxBytes {
		return d.render(""), nil
	}
	for _, i := range d.cutOrder() {
		if d.size()+len(d.footer(maxBytes, fullReport)) <= maxBytes {
			break
		}
		d.blocks[i].cut = true
	}
	if d.size()+len(d.footer(maxBytes, fullReport)) > maxBytes {
		d.trimFirstGroup(maxBytes, fullReport)
	}
	footer := d.footer(maxBytes, fullReport)
	if need := d.size() + len(footer); need > maxBytes {
		return "", fmt.Errorf("the Markdown report needs at least %d bytes for its summary, more than the limit of %d", need, maxBytes)
	}
	return d.render(footer), nil
}

// cutOrder lists the blocks that may be left out, first to go first.
func (d *mdDoc) cutOrder() []int {
	var extras, groups, last []int
	for i := len(d.blocks) - 1; i >= 0; i-- {
		switch d.blocks[i].kind {
		case mdExtra:
			extras = append(extras, i)
		case mdGroupKind:
			groups = append(groups, i)
		case mdKeepLast:
			last = append(last, i)
		}
	}
	if len(groups) > 0 {
		groups = groups[:len(groups)-1] // the most severe group is trimmed, not cut
	}
	return append(append(extras, groups...), last...)
}

// trimFirstGroup keeps as many whole rows of the most severe group as fit.
func (d *mdDoc) trimFirstGroup(maxBytes int, fullReport string) {
	for i := range d.blocks {
		b := &d.blocks[i]
		if b.kind != mdGroupKind {
			continue
		}
		for b.keepRows > 0 && d.size()+len(d.footer(maxBytes, fullReport)) > maxBytes {
			// Drop rows in large steps first, then one by one.
			over := d.size() + len(d.footer(maxBytes, fullReport)) - maxBytes
			drop := 1
			if avg := len(strings.Join(b.rows, "")) / max(len(b.rows), 1); avg > 0 && over/avg > 1 {
				drop = over / avg
			}
			b.keepRows = max(b.keepRows-drop, 0)
		}
		if d.size()+len(d.footer(maxBytes, fullReport)) > maxBytes {
			b.cut = true
		}
		return
	}
}

// text of a block as rendered now.
func (b *mdBlock) rendered() string {
	switch {
	case b.cut:
		return ""
	case b.kind == mdGroupKind && b.keepRows < len(b.rows):
		left := len(b.rows) - b.keepRows
		return b.head + strings.Join(b.rows[:b.keepRows], "") +
			fmt.Sprintf("\n_… and %s more; the last line of this report says where they are._\n", plural(left, "finding"))
	}
	return b.text
}

func (d *mdDoc) size() int {
	n := 0
	for i := range d.blocks {
		n += len(d.blocks[i].rendered())
	}
	return n
}

func (d *mdDoc) render(footer string) string {
	var b strings.Builder
	for i := range d.blocks {
		b.WriteString(d.blocks[i].rendered())
	}
	b.WriteString(footer)
	return b.String()
}

// maxNamedGroups is how many left-out groups the note names one by one.
const maxNamedGroups = 20

// footer is the last line: exactly what was left out, and where the whole
// report is; "" when nothing was.
func (d *mdDoc) footer(maxBytes int, fullReport string) string {
	var parts, named []string
	groups, findings := 0, 0
	for i := range d.blocks {
		b := &d.blocks[i]
		switch {
		case b.kind == mdGroupKind && b.cut:
			groups++
			findings += b.findings
			if len(named) < maxNamedGroups {
				named = append(named, mdText(b.what))
			}
		case b.kind == mdGroupKind && b.keepRows < len(b.rows):
			parts = append(parts, fmt.Sprintf("the last %s of the %s findings of %s", thousands(len(b.rows)-b.keepRows),
				thousands(len(b.rows)), mdText(b.what)))
		case b.cut:
			parts = append(parts, b.what)
		}
	}
	if groups > 0 {
		list := strings.Join(named, ", ")
		if groups > len(named) {
			list += fmt.Sprintf(" and %d more", groups-len(named))
		}
		parts = append([]string{fmt.Sprintf("%s (%s): %s", plural(groups, "finding group"),
			plural(findings, "finding"), list)}, parts...)
	}
	if len(parts) == 0 {
		return ""
	}
	where := "the JSON report (`--format json`), or the Markdown report without a size limit"
	if fullReport != "" {
		where = mdText(fullReport)
	}
	return fmt.Sprintf("\n---\n\n✂️ **Left out to stay within %s bytes:** %s. The whole report: %s.\n",
		thousands(maxBytes), strings.Join(parts, "; "), where)
}

package report

import "github.com/atlcheck/atlcheck/internal/escape"

// The Markdown and terminal escaping shared with the diff (internal/escape).
var (
	mdText       = escape.MDText
	mdCode       = escape.MDCode
	mdCodeCell   = escape.MDCodeCell
	mdFence      = escape.MDFence
	mdRow        = escape.MDRow
	quoteControl = escape.Control
)

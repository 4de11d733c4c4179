package diff

import "github.com/atlcheck/atlcheck/internal/escape"

// The terminal and Markdown escaping shared with the report writers.
var (
	quote      = escape.Control
	mdText     = escape.MDText
	mdCode     = escape.MDCode
	mdCodeCell = escape.MDCodeCell
)

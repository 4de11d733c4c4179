package history

import (
	"fmt"
	"github.com/atlcheck/atlcheck/internal/english"
	"html"
	"strings"
)

// Chart geometry, in SVG user units.
const (
	chartW, trendH, barsH  = 760.0, 240.0, 160.0
	padL, padR, padT, padB = 48.0, 120.0, 14.0, 34.0
)

// series are the lines of the trend chart, most severe first, with the
// colours of the HTML report's severity classes.
var series = []struct {
	name, colour string
	get          func(Entry) int
}{
	{"critical", "#a40e26", func(e Entry) int { return e.Summary.Critical }},
	{"high", "#bc4c00", func(e Entry) int { return e.Summary.High }},
	{"medium", "#9a6700", func(e Entry) int { return e.Summary.Medium }},
	{"low", "#0969da", func(e Entry) int { return e.Summary.Low }},
	{"info", "#57606a", func(e Entry) int { return e.Summary.Info }},
}

// chart draws one org's trend: a line per severity of open findings, and
// below it bars of new (up) and fixed (down) findings per run. Only numbers
// and dates we format reach the SVG text, escaped all the same.
func chart(entries []Entry) string {
	var b strings.Builder
	n := len(entries)
	plotW := chartW - padL - padR
	x := func(i int) float64 {
		if n == 1 {
			return padL + plotW/2
		}
		return padL + float64(i)*plotW/float64(n-1)
	}
	top := 1
	for _, e := range entries {
		for _, s := range series {
			top = max(top, s.get(e))
		}
	}
	top = niceCeil(top)
	plotH := trendH - padT - padB
	y := func(v int) float64 { return padT + plotH - float64(v)*plotH/float64(top) }

	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img" aria-label="%s">`,
		chartW, trendH+barsH, chartW, trendH+barsH, esc("Open findings by severity and new and fixed findings over "+english.Count(n, "run")))
	b.WriteString(`<g font-size="11" font-family="sans-serif">`)
	for _, v := range []int{0, top / 2, top} {
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#d0d7de"/><text x="%g" y="%.1f" text-anchor="end">%d</text>`,
			padL, padL+plotW, y(v), y(v), padL-6, y(v)+4, v)
	}
	for i, e := range entries {
		if n <= 12 || i%((n+11)/12) == 0 || i == n-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%s</text>`, x(i), trendH-padB+16, esc(e.CollectedAt.UTC().Format("2006-01-02")))
		}
	}
	for k, s := range series {
		var pts []string
		for i, e := range entries {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(s.get(e))))
		}
		fmt.Fprintf(&b, `<polyline class="series-%s" fill="none" stroke="%s" stroke-width="2" points="%s"/>`, s.name, s.colour, strings.Join(pts, " "))
		for i, e := range entries {
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s</title></circle>`, x(i), y(s.get(e)), s.colour,
				esc(fmt.Sprintf("%s: %d %s", e.CollectedAt.UTC().Format("2006-01-02 15:04"), s.get(e), s.name)))
		}
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="10" height="10" fill="%s"/><text x="%g" y="%g">%s</text>`,
			padL+plotW+16, padT+float64(k)*16, s.colour, padL+plotW+30, padT+float64(k)*16+9, s.name)
	}
	bars(&b, entries, x, plotW)
	b.WriteString(`</g></svg>`)
	return b.String()
}

// bars draws new findings up and fixed findings down from a middle axis.
func bars(b *strings.Builder, entries []Entry, x func(int) float64, plotW float64) {
	top := 1
	for _, e := range entries {
		top = max(top, deref(e.New), deref(e.Fixed))
	}
	top = niceCeil(top)
	mid := trendH + barsH/2
	half := barsH/2 - 18
	w := min(24, plotW/float64(len(entries))*0.35)
	fmt.Fprintf(b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="#57606a"/><text x="%g" y="%g" text-anchor="end">0</text>`,
		padL, padL+plotW, mid, mid, padL-6, mid+4)
	fmt.Fprintf(b, `<text x="%g" y="%g" text-anchor="end">+%d</text><text x="%g" y="%g" text-anchor="end">−%d</text>`,
		padL-6, mid-half+4, top, padL-6, mid+half+4, top)
	for i, e := range entries {
		if e.New == nil {
			continue
		}
		up, down := float64(*e.New)*half/float64(top), float64(*e.Fixed)*half/float64(top)
		when := e.CollectedAt.UTC().Format("2006-01-02 15:04")
		fmt.Fprintf(b, `<rect class="new" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#cf222e"><title>%s</title></rect>`,
			x(i)-w, mid-up, w, up, esc(fmt.Sprintf("%s: %d new", when, *e.New)))
		fmt.Fprintf(b, `<rect class="fixed" x="%.1f" y="%g" width="%.1f" height="%.1f" fill="#1a7f37"><title>%s</title></rect>`,
			x(i), mid, w, down, esc(fmt.Sprintf("%s: %d fixed", when, *e.Fixed)))
	}
	fmt.Fprintf(b, `<rect x="%g" y="%g" width="10" height="10" fill="#cf222e"/><text x="%g" y="%g">new</text>`, padL+plotW+16, mid-24, padL+plotW+30, mid-15)
	fmt.Fprintf(b, `<rect x="%g" y="%g" width="10" height="10" fill="#1a7f37"/><text x="%g" y="%g">fixed</text>`, padL+plotW+16, mid+8, padL+plotW+30, mid+17)
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// niceCeil rounds an axis maximum up to 1, 2 or 5 times a power of ten.
func niceCeil(v int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if m*p >= v {
				return m * p
			}
		}
	}
}

func esc(s string) string { return html.EscapeString(s) }

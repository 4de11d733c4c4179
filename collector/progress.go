package collector

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/atlcheck/atlcheck/internal/escape"
	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// Progress is told what the collection is doing. Calls come from several
// goroutines at once; implementations must be safe for that.
type Progress interface {
	// AreaStarted is called when an area's first request is about to go out.
	AreaStarted(area string)
	// PageFetched is called after each page with the running totals.
	PageFetched(area string, pages, items int)
	// AreaDone is called once per area with its outcome.
	AreaDone(area string, s Summary)
}

// Expecter is an optional extension of Progress: it is told the size of an
// area once it is known (the users count), so that progress can show the
// share done and an estimate of the time left.
type Expecter interface {
	// AreaExpected says an area should take about pages pages and items items.
	AreaExpected(area string, pages, items int)
}

// Summary is the outcome of one area.
type Summary struct {
	Items int
	Pages int
	// Err is why the area was not collected; nil when it was.
	Err error
	// Note adds detail, e.g. "3 sites, 1 not collected".
	Note string
	// Unreadable counts the items received but not readable.
	Unreadable int
}

// String renders the outcome as "5 items (2 pages)" or "not collected: …".
func (s Summary) String() string {
	if s.Err != nil {
		return "not collected: " + s.Err.Error()
	}
	var extra []string
	if s.Pages > 0 {
		extra = append(extra, plural(s.Pages, "page"))
	}
	if s.Note != "" {
		extra = append(extra, s.Note)
	}
	if s.Unreadable > 0 {
		extra = append(extra, fmt.Sprintf("%d unreadable", s.Unreadable))
	}
	out := plural(s.Items, "item")
	if len(extra) > 0 {
		out += " (" + strings.Join(extra, "; ") + ")"
	}
	return out
}

// plural renders "1 page" or "2 pages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// nopProgress reports nothing.
type nopProgress struct{}

// AreaStarted does nothing.
func (nopProgress) AreaStarted(string) {}

// PageFetched does nothing.
func (nopProgress) PageFetched(string, int, int) {}

// AreaDone does nothing.
func (nopProgress) AreaDone(string, Summary) {}

// IsTerminal reports whether w is a terminal, for NewProgress.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// NewProgress returns a Progress that writes to w. On a terminal the areas
// in progress share one status line, redrawn in place, and each finished
// area gets its own line; otherwise one plain line per finished area, e.g.
// "api_keys: 5 items (2 pages)".
//
// An area whose size is known (Expecter) shows its share and the time left:
// "managed_accounts 340/1,000 pages, 34,000/100,000 items, ETA 12s"; off a
// terminal such an area also gets a line every progressEvery.
func NewProgress(w io.Writer, terminal bool) Progress {
	return &writerProgress{w: w, terminal: terminal, status: map[string]string{}, sizes: map[string]*areaSize{}, now: time.Now}
}

// progressEvery is how often a long area reports off a terminal.
const progressEvery = 30 * time.Second

// writerProgress is NewProgress's implementation.
type writerProgress struct {
	mu       sync.Mutex
	w        io.Writer
	terminal bool
	order    []string          // areas in progress, in start order
	status   map[string]string // their latest state
	sizes    map[string]*areaSize
	now      func() time.Time
}

// areaSize is what an area is expected to take, and when it started.
type areaSize struct {
	pages, items int
	start        time.Time
	startItems   int
	lastLine     time.Time
}

// AreaExpected records an area's size; the estimate starts from here.
func (p *writerProgress) AreaExpected(area string, pages, items int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	p.sizes[area] = &areaSize{pages: pages, items: items, start: now, lastLine: now}
}

// clearLine returns to the start of the line and clears it.
const clearLine = "\r\x1b[K"

// maxStatus keeps the status line on one line of a narrow terminal.
const maxStatus = 79

// AreaStarted adds the area to the status line.
func (p *writerProgress) AreaStarted(area string) { p.set(area, "started") }

// PageFetched updates the area's state on the status line.
func (p *writerProgress) PageFetched(area string, pages, items int) {
	p.mu.Lock()
	size := p.sizes[area]
	state := fmt.Sprintf("%s, %s", plural(pages, "page"), plural(items, "item"))
	var line string
	if size != nil {
		now := p.now()
		state = fmt.Sprintf("%s/%s pages, %s/%s items", count(pages), count(size.pages), count(items), count(size.items))
		if eta, ok := size.eta(items, now); ok {
			state += ", ETA " + eta
		}
		if !p.terminal && now.Sub(size.lastLine) >= progressEvery {
			size.lastLine = now
			line = area + ": " + state + "\n"
		}
	}
	p.mu.Unlock()
	if line != "" {
		p.mu.Lock()
		fmt.Fprint(p.w, line)
		p.mu.Unlock()
	}
	p.set(area, state)
}

// eta estimates the time left from the rate of items since the start.
func (s *areaSize) eta(items int, now time.Time) (string, bool) {
	if items <= s.startItems {
		s.startItems = min(s.startItems, items)
		return "", false
	}
	elapsed := now.Sub(s.start)
	left := max(0, s.items-items)
	d := time.Duration(float64(elapsed) * float64(left) / float64(items-s.startItems))
	if elapsed < time.Second && left > 0 {
		return "", false // too early to say
	}
	switch {
	case d < time.Minute:
		return d.Round(time.Second).String(), true
	default:
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s"), true
	}
}

// count renders n with thousands separators: 100,000.
func count(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// set records an area's state and redraws the status line.
func (p *writerProgress) set(area, state string) {
	if !p.terminal {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.status[area]; !ok {
		p.order = append(p.order, area)
	}
	p.status[area] = state
	p.redraw()
}

// AreaDone prints the area's final line.
func (p *writerProgress) AreaDone(area string, s Summary) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.sizes, area)
	if p.terminal {
		delete(p.status, area)
		for i, a := range p.order {
			if a == area {
				p.order = append(p.order[:i], p.order[i+1:]...)
				break
			}
		}
		fmt.Fprint(p.w, clearLine)
	}
	fmt.Fprintf(p.w, "%s: %s\n", area, escape.Control(s.String()))
	if p.terminal {
		p.redraw()
	}
}

// redraw rewrites the status line with the areas in progress.
func (p *writerProgress) redraw() {
	parts := make([]string, 0, len(p.order))
	for _, a := range p.order {
		parts = append(parts, a+" "+p.status[a])
	}
	line := escape.Control(strings.Join(parts, " · "))
	if r := []rune(line); len(r) > maxStatus {
		line = string(r[:maxStatus-1]) + "…"
	}
	fmt.Fprint(p.w, clearLine+line)
}

// reportAttested tells the progress about the areas whose source is the
// attestation file.
func (r *run) reportAttested(s *snapshot.Snapshot) {
	for _, def := range snapshot.Registry {
		// An API area the attestation covered (its API did not answer) is
		// reported again, as attested.
		if def.Source != snapshot.SourceAttestation && def.Envelope(s).Source != snapshot.SourceAttestation {
			continue
		}
		if a := def.Envelope(s); a.Collected {
			r.progress.AreaDone(def.Name, Summary{Items: def.Count(s), Note: "attestation"})
		} else if a.Error != nil {
			r.progress.AreaDone(def.Name, Summary{Err: errors.New(a.Error.Message)})
		}
	}
}

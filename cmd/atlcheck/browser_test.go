package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/atlcheck/atlcheck/collector/fakeapi"
	"github.com/atlcheck/atlcheck/internal/model"
	"github.com/atlcheck/atlcheck/report"
	"github.com/atlcheck/atlcheck/testdata/synth/synthorg"
)

// The HTML report is tested in a real browser: Debian's Chromium, headless,
// which make test installs (ATLCHECK_REQUIRE_CHROMIUM=1 turns a missing
// browser into a failure instead of a skip).

// browser is one page of a headless Chromium with everything the page does
// recorded: console messages, uncaught exceptions, log entries (CSP
// violations among them), dialogs and every request it makes.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	console  []string
	requests []string
	dialogs  []string
	// pages are the files opened, whose own requests are expected.
	pages map[string]bool
}

func newBrowser(t *testing.T, timeout time.Duration) *browser {
	t.Helper()
	exe := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		if os.Getenv("ATLCHECK_REQUIRE_CHROMIUM") != "" {
			t.Fatal("chromium is required (make test installs Debian's chromium)")
		}
		t.Skip("chromium not installed (make test installs it)")
	}
	// The flags Debian's chromium needs here: no sandbox as root, no GPU, and
	// no background connections (the machine's network is closed).
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.UserDataDir(t.TempDir()), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browser{ctx: ctx, pages: map[string]bool{}}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.record(&b.dialogs, ev.Message)
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value))
			}
			b.record(&b.console, string(ev.Type)+": "+strings.Join(args, " "))
		case *runtime.EventExceptionThrown:
			b.record(&b.console, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			b.record(&b.console, string(ev.Entry.Level)+" ("+string(ev.Entry.Source)+"): "+ev.Entry.Text)
		case *network.EventRequestWillBeSent:
			b.record(&b.requests, ev.Request.URL)
		}
	})
	if err == nil {
		_, err = chromedp.Call(ctx, network.Enable, network.EnableParams{})
	}
	if err == nil {
		_, err = chromedp.Call(ctx, log.Enable, cdp.Empty{})
	}
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

func (b *browser) record(list *[]string, s string) {
	b.mu.Lock()
	*list = append(*list, s)
	b.mu.Unlock()
}

// open loads a file and waits until the page (and its script) ran.
func (b *browser) open(t *testing.T, path string) {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	b.pages["file://"+abs] = true
	b.mu.Unlock()
	if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+abs), chromedp.WaitReady(chromedp.CSS("footer"))); err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
}

// call runs one protocol command on the page.
func call[P any](t *testing.T, b *browser, cmd cdp.Command[P, cdp.Empty], params P) {
	t.Helper()
	if _, err := chromedp.Call(b.ctx, cmd, params); err != nil {
		t.Fatalf("%s: %v", cmd.Method, err)
	}
}

// clean fails the test for any console message, exception, log entry,
// dialog or request other than the pages opened.
func (b *browser) clean(t *testing.T) {
	t.Helper()
	for _, p := range b.problems() {
		t.Error(p)
	}
}

// problems lists what the pages did beyond showing themselves.
func (b *browser) problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, c := range b.console {
		out = append(out, "console: "+c)
	}
	for _, d := range b.dialogs {
		out = append(out, "dialog: "+d)
	}
	for _, r := range b.requests {
		if !b.pages[r] {
			out = append(out, "request: "+r)
		}
	}
	return out
}

// eval evaluates js in the page and returns its value as T.
func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// demoReport writes the demo org's report in format to dir and returns its path.
func demoReport(t *testing.T, dir, format string, extra ...string) string {
	t.Helper()
	out := filepath.Join(dir, "demo."+format)
	args := append([]string{"demo", "--quiet", "--format", format, "-o", out}, extra...)
	if _, stderr, code := cli(t, args...); code > exitFindings {
		t.Fatalf("demo --format %s: exit %d: %s", format, code, stderr)
	}
	return out
}

type reportFinding struct {
	PolicyID   string `json:"policy_id"`
	Severity   string `json:"severity"`
	Resource   string `json:"resource"`
	Suppressed bool   `json:"suppressed"`
}

func demoFindings(t *testing.T, dir string) []reportFinding {
	t.Helper()
	var r struct{ Findings []reportFinding }
	b, err := os.ReadFile(demoReport(t, dir, "json"))
	if err != nil || json.Unmarshal(b, &r) != nil || len(r.Findings) == 0 {
		t.Fatalf("demo JSON report: %v", err)
	}
	return r.Findings
}

// TestHTMLReportInBrowser opens the demo org's HTML report in Chromium.
func TestHTMLReportInBrowser(t *testing.T) {
	b := newBrowser(t, 90*time.Second)
	dir := t.TempDir()
	want := demoFindings(t, dir)
	file := demoReport(t, dir, "html")
	b.open(t, file)

	// Every finding of the demo org is in the DOM, once.
	rows := eval[[][]string](t, b, `Array.from(document.querySelectorAll("tr.f")).map(r => [r.dataset.policy, r.dataset.sev, r.querySelectorAll("code")[r.closest("#suppressed") ? 1 : 0].textContent])`)
	got := map[string]int{}
	for _, r := range rows {
		got[r[0]+" "+r[1]+" "+r[2]]++
	}
	for _, f := range want {
		if key := f.PolicyID + " " + f.Severity + " " + f.Resource; got[key] != 1 {
			t.Errorf("finding %s is in the DOM %d times, want once", key, got[key])
		}
	}
	if len(rows) != len(want) {
		t.Errorf("%d finding rows in the DOM, want %d", len(rows), len(want))
	}

	// The since-last-run section shows the window and every signal, and
	// no event row of it is taken for a finding row.
	since := eval[[]string](t, b, `Array.from(document.querySelectorAll("#since-last-run tr")).map(r => r.textContent)`)
	if text := strings.Join(since, "\n"); !strings.Contains(text, "Org admin roles granted") ||
		!strings.Contains(text, "Priya Raman (priya.raman@acme-corp.example)") || !strings.Contains(text, "API tokens used by external or departed accounts") {
		t.Errorf("the since-last-run section lacks its signals or the planted admin grant:\n%s", text)
	}

	// The filters work: by severity, by policy, by text.
	shown := eval[int](t, b, `(() => { for (const c of document.querySelectorAll("input[name=sev]")) { c.checked = c.value === "critical"; }
		document.getElementById("filters").dispatchEvent(new Event("change"));
		return document.querySelectorAll("tr.f:not([hidden])").length })()`)
	if critical := count(want, func(f reportFinding) bool { return f.Severity == "critical" }); shown != critical {
		t.Errorf("severity filter shows %d rows, want the %d critical findings", shown, critical)
	}
	shown = eval[int](t, b, `(() => { for (const c of document.querySelectorAll("input[name=sev]")) { c.checked = true; }
		const p = document.getElementById("policy"); p.value = "ATL-KEY-003"; p.dispatchEvent(new Event("change", {bubbles: true}));
		return document.querySelectorAll("tr.f:not([hidden])").length })()`)
	if n := count(want, func(f reportFinding) bool { return f.PolicyID == "ATL-KEY-003" }); shown != n {
		t.Errorf("policy filter shows %d rows, want %d", shown, n)
	}
	texts := eval[[]string](t, b, `(() => { document.getElementById("policy").value = ""; const q = document.getElementById("q"); q.value = "GMAIL";
		q.form.dispatchEvent(new Event("submit", {cancelable: true}));
		return Array.from(document.querySelectorAll("tr.f:not([hidden])")).map(r => r.textContent) })()`)
	if len(texts) == 0 {
		t.Error("search for gmail shows nothing")
	}
	for _, tx := range texts {
		if !strings.Contains(strings.ToLower(tx), "gmail") {
			t.Errorf("search for gmail shows %q", tx)
		}
	}
	if eval[int](t, b, `document.querySelectorAll("details.group[hidden]").length`) == 0 {
		t.Error("groups without a matching row stay visible")
	}

	// The print stylesheet hides the filters and keeps every group.
	call(t, b, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	printed := eval[struct {
		Filters string
		Open    int
	}](t, b, `({Filters: getComputedStyle(document.getElementById("filters")).display, Open: document.querySelectorAll("details.group[open]").length})`)
	if printed.Filters != "none" || printed.Open == 0 {
		t.Errorf("print view: filters display %q, %d groups open", printed.Filters, printed.Open)
	}
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF())
	if err != nil || len(pdf) < 10000 || string(pdf[:5]) != "%PDF-" {
		t.Errorf("print to PDF: %v (%d bytes)", err, len(pdf))
	}
	b.clean(t)
}

// TestHTMLReportWithoutJavaScript: with scripts off the page still shows
// every finding; only the filters (which need the script) stay hidden.
func TestHTMLReportWithoutJavaScript(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	dir := t.TempDir()
	want := demoFindings(t, dir)
	file := demoReport(t, dir, "html")
	call(t, b, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	b.open(t, file)
	state := eval[struct {
		Rows, Visible int
		Filters       bool
	}](t, b, `({Rows: document.querySelectorAll("tr.f").length,
		Visible: Array.from(document.querySelectorAll("tr.f")).filter(r => r.checkVisibility()).length,
		Filters: document.getElementById("filters").hidden})`)
	if state.Rows != len(want) || state.Visible != len(want) || !state.Filters {
		t.Errorf("without JavaScript: %d rows, %d visible, filters hidden %v; want %d visible and no filters", state.Rows, state.Visible, state.Filters, len(want))
	}
	b.clean(t)
}

func count(fs []reportFinding, keep func(reportFinding) bool) int {
	n := 0
	for _, f := range fs {
		if keep(f) {
			n++
		}
	}
	return n
}

// screenshot writes a PNG of the viewport to path.
func (b *browser) screenshot(t *testing.T, path string, width, height int64) {
	t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if len(png) < 1000 || string(png[1:4]) != "PNG" {
		t.Fatalf("screenshot is not a PNG (%d bytes)", len(png))
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// docsImage is where a screenshot for docs/reports.md goes: docs/img with
// -update, else a temporary directory (the test still takes it).
func docsImage(t *testing.T, name string) string {
	t.Helper()
	if *update {
		return filepath.Join("..", "..", "docs", "img", name)
	}
	return filepath.Join(t.TempDir(), name)
}

// TestBrowserHarnessSeesEverything proves the checks above can fail: a page
// that logs, throws, opens a dialog, fetches and runs a script the CSP does
// not allow is caught on every count.
func TestBrowserHarnessSeesEverything(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	file := writeFile(t, "bad.html", `<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-0000000000000000000000000000000000000000000='">
</head><body><img src="http://127.0.0.1:9/x.png"><script>alert("blocked by the CSP")</script>
<footer></footer></body></html>`)
	b.open(t, file)
	unsafe := writeFile(t, "worse.html", `<!DOCTYPE html><html><body>
<script>console.error("boom"); fetch("http://127.0.0.1:9/y"); alert("hi"); throw new Error("uncaught")</script><footer></footer></body></html>`)
	b.open(t, unsafe)
	got := strings.Join(b.problems(), "\n")
	for _, want := range []string{"Content Security Policy", "request: http://127.0.0.1:9/x.png", "console: error: \"boom\"",
		"request: http://127.0.0.1:9/y", "dialog: hi", "exception: Uncaught"} {
		if !strings.Contains(got, want) {
			t.Errorf("the harness missed %q; it saw:\n%s", want, got)
		}
	}
}

// TestHTMLReportHostileValues renders values an attacker controls (resource
// names, messages, a custom policy's metadata and references) and opens the
// page: nothing runs, nothing loads, and every value reads as text.
func TestHTMLReportHostileValues(t *testing.T) {
	b := newBrowser(t, 60*time.Second)
	evil := []string{
		`<script>alert("xss")</script>`,
		`"><img src=x onerror=alert(1)>`,
		`</style><script>alert(2)</script>`,
		`javascript:alert(3)`,
		"\u202eevil\x1b[2J",
		`<svg onload=alert(4)>`,
		`</details></section><h1>forged</h1>`,
	}
	pol := model.Policy{ID: `CUST-<b>1</b>`, Title: evil[0], Severity: model.SeverityHigh, Remediation: evil[1],
		References: []string{"javascript:alert(5)", `https://example.com/"><script>alert(6)</script>`}, Tags: []string{"cis:<i>1</i>"}}
	run := &model.Run{Tool: model.Tool{Name: "atlcheck", Version: evil[2]}, OrgID: evil[3], OrgName: evil[6],
		Policies: []model.PolicyResult{{Policy: pol, Status: model.StatusFail, Findings: len(evil)}},
		Gate:     model.Gate{FailOn: model.SeverityHigh, Failed: true, Count: len(evil)}, ExitCode: 1,
		Parameters: map[string]any{"x": evil[2]}, Filters: []string{evil[5]},
		Areas:        []model.AreaResult{{Name: evil[5], Reason: evil[1]}},
		Attestations: []model.AttestationRef{{Area: evil[0], AttestedBy: evil[1]}}}
	for _, e := range evil {
		run.Findings = append(run.Findings, model.Finding{PolicyID: pol.ID, Severity: model.SeverityHigh, Title: evil[0],
			Resource: e, Message: e, Remediation: evil[1], Path: "/x", Fingerprint: model.Fingerprint(pol.ID, e)})
	}
	run.Summary.High = len(evil)
	for _, groupBy := range []string{"policy", "control"} {
		var buf bytes.Buffer
		if err := report.WriteWith(&buf, "html", run, report.Options{GroupBy: groupBy}); err != nil {
			t.Fatal(err)
		}
		file := writeFile(t, "evil-"+groupBy+".html", buf.String())
		b.open(t, file)
		if n := eval[int](t, b, `document.querySelectorAll("script").length`); n != 1 {
			t.Errorf("%d script elements, want only the report's own", n)
		}
		if n := eval[int](t, b, `document.querySelectorAll("img, [onload], [onerror], h1").length`); n != 1 { // the org's h1
			t.Errorf("%d elements injected", n-1)
		}
		// textContent, not innerText: groups below the fold are not laid out
		// (content-visibility: auto), and innerText follows the layout.
		text := eval[string](t, b, `document.body.textContent`)
		for _, want := range []string{`<script>alert("xss")</script>`, `"><img src=x onerror=alert(1)>`, `\u202eevil\x1b[2J`} {
			if !strings.Contains(text, want) {
				t.Errorf("value %q not shown as text", want)
			}
		}
		hrefs := eval[[]string](t, b, `Array.from(document.querySelectorAll(".refs a[href]")).map(a => a.getAttribute("href"))`)
		if len(hrefs) != 1 || !strings.HasPrefix(hrefs[0], "https://example.com/") || strings.ContainsAny(hrefs[0], `"<>`) {
			t.Errorf("reference links %q, want only the https one, its quotes and brackets encoded", hrefs)
		}
		b.clean(t)
	}
}

// TestHTMLReportLargeOrg opens the report of a 10,000-account org (and with
// ATLCHECK_LARGE=1 a 100,000-account one) and filters it. It checks that the
// page holds every finding and that the filters give the right rows; the
// context deadline catches a page that freezes. The times it logs are what
// docs/reports.md quotes; they are not asserted.
func TestHTMLReportLargeOrg(t *testing.T) {
	sizes := []int{10000}
	if os.Getenv("ATLCHECK_LARGE") != "" {
		sizes = append(sizes, 100000)
	}
	for _, accounts := range sizes {
		t.Run(fmt.Sprintf("accounts=%d", accounts), func(t *testing.T) {
			b := newBrowser(t, 5*time.Minute)
			dir := t.TempDir()
			snap := filepath.Join(dir, "org.json")
			cfg := filepath.Join(dir, "org.yaml")
			opts := synthorg.Options{Accounts: accounts, Seed: 1}
			if err := os.WriteFile(snap, synthorg.Bytes(opts), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cfg, []byte(synthorg.ConfigYAML(opts)), 0o644); err != nil {
				t.Fatal(err)
			}
			html, js := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.json")
			for _, out := range []string{html, js} {
				if _, stderr, code := cli(t, "check", snap, "--config", cfg, "--fail-on", "none", "--format", strings.TrimPrefix(filepath.Ext(out), "."), "-o", out); code != 0 {
					t.Fatalf("check: exit %d: %s", code, stderr)
				}
			}
			var r struct{ Findings []reportFinding }
			data, _ := os.ReadFile(js)
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			info, _ := os.Stat(html)
			start := time.Now()
			b.open(t, html)
			loaded := time.Since(start)
			load := eval[float64](t, b, `performance.getEntriesByType("navigation")[0].loadEventEnd`)
			if n := eval[int](t, b, `document.querySelectorAll("tr.f").length`); n != len(r.Findings) {
				t.Errorf("%d rows in the DOM, want all %d findings", n, len(r.Findings))
			}
			timing := eval[struct {
				Severity, Search, Reset float64
				Shown                   int
			}](t, b, `(() => {
				const form = document.getElementById("filters"), q = document.getElementById("q");
				let t0 = performance.now();
				for (const c of form.querySelectorAll("input[name=sev]")) { c.checked = c.value === "critical" || c.value === "high"; }
				form.dispatchEvent(new Event("change"));
				const severity = performance.now() - t0;
				t0 = performance.now(); q.value = "token"; form.dispatchEvent(new Event("submit", {cancelable: true}));
				const search = performance.now() - t0;
				const shown = document.querySelectorAll("tr.f:not([hidden])").length;
				t0 = performance.now(); q.value = ""; for (const c of form.querySelectorAll("input[name=sev]")) { c.checked = true; }
				form.dispatchEvent(new Event("change"));
				return {Severity: severity, Search: search, Reset: performance.now() - t0, Shown: shown};
			})()`)
			want := count(r.Findings, func(f reportFinding) bool { return f.Severity == "critical" || f.Severity == "high" })
			if timing.Shown > want || timing.Shown == 0 {
				t.Errorf("critical+high and \"token\" shows %d rows, want between 1 and %d", timing.Shown, want)
			}
			t.Logf("%d accounts: %d findings, %.1f MB HTML; load event at %.0f ms (navigation done after %v); filter by severity %.0f ms, search %.0f ms, reset %.0f ms",
				accounts, len(r.Findings), float64(info.Size())/1e6, load, loaded.Round(time.Millisecond), timing.Severity, timing.Search, timing.Reset)
			b.clean(t)
		})
	}
}

// TestHTMLReportNotEvaluatedAndLinks: an area that fails to collect is shown
// in its own box above the findings, and every link inside the page (the
// compliance view's too) lands on an element.
func TestHTMLReportNotEvaluatedAndLinks(t *testing.T) {
	b := newBrowser(t, 90*time.Second)
	srv := fakeOrg(t, fakeapi.Fault{Route: "api_keys", Kind: fakeapi.Forbidden})
	t.Setenv(envAPIKey, secretKey)
	t.Setenv(envOrgID, "")
	file := filepath.Join(t.TempDir(), "r.html")
	if _, stderr, code := cli(t, "scan", "--api-url", srv.URL(), "--org", "6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b", "--quiet",
		"--format", "html", "--group-by", "control", "-o", file); code > exitFindings {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	b.open(t, file)
	box := eval[struct {
		Text    string
		Visible bool
		Before  bool
	}](t, b, `(() => { const s = document.getElementById("not-evaluated"); if (!s) return {Text: "", Visible: false, Before: false};
		return {Text: s.innerText, Visible: s.offsetHeight > 0,
			Before: !!(s.compareDocumentPosition(document.getElementById("findings")) & Node.DOCUMENT_POSITION_FOLLOWING)} })()`)
	if !box.Visible || !box.Before || !strings.Contains(box.Text, "api_keys") || !strings.Contains(box.Text, "403") || !strings.Contains(box.Text, "ATL-KEY-001") {
		t.Errorf("not-evaluated box: visible %v, before the findings %v, text %q", box.Visible, box.Before, box.Text)
	}
	if dangling := eval[[]string](t, b, `Array.from(document.querySelectorAll('a[href^="#"]')).map(a => a.getAttribute("href")).filter(h => !document.getElementById(h.slice(1)))`); len(dangling) != 0 {
		t.Errorf("links to nothing: %q", dangling)
	}
	if n := eval[int](t, b, `document.querySelectorAll("#controls tbody tr").length`); n < 20 {
		t.Errorf("compliance view has %d controls", n)
	}
	b.clean(t)
}

// TestFleetAndHistoryPagesKeepWordsWhole opens the fleet report and the
// history page (htmlpage's stylesheet) in Chromium at a laptop's width: a
// one-word header or cell ("Critical", "current") is never broken inside
// the word to make a column narrower, as overflow-wrap:anywhere in table
// cells did ("Critic|al", "curren|t").
func TestFleetAndHistoryPagesKeepWordsWhole(t *testing.T) {
	b := newBrowser(t, 90*time.Second)
	dir := t.TempDir()
	report := demoReport(t, dir, "json", "--fail-on", "high")
	fleetFile := writeFile(t, "fleet.yaml", "fleet:\n  orgs:\n"+
		"    - {id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b, name: Acme Corp, key_env: ATLASSIAN_KEY_ACME, attestation: a.yaml}\n"+
		"    - {id: org-missing-0002, name: Acme Missing, key_env: ATLASSIAN_KEY_MISSING, attestation: b.yaml}\n")
	fleetHTML := filepath.Join(dir, "fleet.html")
	if _, stderr, code := cli(t, "fleet", "report", "--config", fleetFile, "--format", "html", "-o", fleetHTML, report); code > exitFindings {
		t.Fatalf("fleet report: exit %d: %s", code, stderr)
	}
	history, historyHTML := filepath.Join(dir, "history.jsonl"), filepath.Join(dir, "history.html")
	if _, stderr, code := cli(t, "history", "add", report, "--to", history); code != 0 {
		t.Fatalf("history add: exit %d: %s", code, stderr)
	}
	if _, stderr, code := cli(t, "history", "show", history, "--format", "html", "-o", historyHTML); code != 0 {
		t.Fatalf("history show: exit %d: %s", code, stderr)
	}
	// Each one-word cell (outside code, whose ids may break) must lay out
	// on one line: its text's client rects all share one top.
	const splitWords = `[...document.querySelectorAll("th,td")].filter(c => !c.querySelector("code") && /^\S+$/.test(c.textContent.trim())).filter(c => {
		const r = document.createRange(); r.selectNodeContents(c);
		return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1;
	}).map(c => c.textContent.trim())`
	for _, page := range []string{fleetHTML, historyHTML} {
		if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+page), chromedp.WaitReady(chromedp.CSS("table"))); err != nil {
			t.Fatalf("open %s: %v", page, err)
		}
		if split := eval[[]string](t, b, splitWords); len(split) > 0 {
			t.Errorf("%s: words broken across lines in table cells: %q", filepath.Base(page), split)
		}
	}
}

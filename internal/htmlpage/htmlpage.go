// Package htmlpage renders self-contained HTML pages (fleet report, history)
// with html/template, whose contextual escaping makes every value from a
// report inert. A page loads nothing: no script, no external style, font or
// image, and its Content-Security-Policy forbids them, so it can be opened
// from an artifact or a mail attachment safely.
package htmlpage

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
)

// base is the page around a body template named "body".
const base = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" {{.CSP}}>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>{{.CSS}}</style>
</head>
<body>
{{template "body" .Data}}
{{- with .JS}}
<script>{{.}}</script>
{{- end}}
</body>
</html>
`

// defaultCSS is the stylesheet of pages made with New.
const defaultCSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2rem;overflow-wrap:anywhere}
.verdict{display:inline-block;font-size:1.1rem;font-weight:600;padding:.3rem .7rem;border:2px solid;border-radius:6px}.bad{color:#cf222e}.good{color:#1a7f37}.warn{color:#9a6700}
.critical{color:#a40e26}.high{color:#bc4c00}.medium{color:#9a6700}.low{color:#0969da}.info{color:#57606a}
svg{max-width:100%;height:auto}
`

// Page is a parsed page template.
type Page struct {
	t      *template.Template
	assets Assets
	csp    string
}

// Assets are a page's own stylesheet and script, written inline. A page with
// Assets allows exactly these two by their hash in its
// Content-Security-Policy, and nothing else: no other script, style, image,
// font, frame or connection, so a value that slipped through escaping still
// could not run or fetch anything.
type Assets struct {
	CSS string
	JS  string
}

// New parses body (the page's content, a template run with the data given
// to Render) with funcs. The page has the default stylesheet and no script.
func New(name, body string, funcs template.FuncMap) (*Page, error) {
	p, err := parse(name, body, funcs)
	if err != nil {
		return nil, err
	}
	p.assets = Assets{CSS: defaultCSS}
	p.csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
	return p, nil
}

// NewWithAssets is New with the page's own stylesheet and script.
func NewWithAssets(name, body string, funcs template.FuncMap, a Assets) (*Page, error) {
	p, err := parse(name, body, funcs)
	if err != nil {
		return nil, err
	}
	p.assets = a
	p.csp = "default-src 'none'; style-src " + hash(a.CSS) + "; img-src data:; base-uri 'none'; form-action 'none'"
	if a.JS != "" {
		p.csp += "; script-src " + hash(a.JS)
	}
	return p, nil
}

func parse(name, body string, funcs template.FuncMap) (*Page, error) {
	t, err := template.New(name).Funcs(funcs).Parse(base)
	if err != nil {
		return nil, err
	}
	if _, err := t.New("body").Parse(body); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Page{t: t}, nil
}

// hash is a CSP source for an inline element's exact text.
func hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// Must is New that panics, for templates fixed at compile time.
func Must(p *Page, err error) *Page {
	if err != nil {
		panic(err)
	}
	return p
}

// Render runs the page with a title and the body's data.
func (p *Page) Render(title string, data any) ([]byte, error) {
	var buf bytes.Buffer
	if err := p.t.Execute(&buf, struct {
		Title string
		CSP   template.HTMLAttr
		CSS   template.CSS
		JS    template.JS
		Data  any
	}{title, template.HTMLAttr(`content="` + p.csp + `"`), template.CSS(p.assets.CSS), template.JS(p.assets.JS), data}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

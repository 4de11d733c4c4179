package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// TestDocsLinksResolve: every relative link of README.md and docs/*.md
// ([text](path), [text](path#anchor), [text](#anchor)) names a file of the
// repository, and an anchor into a Markdown file names one of its headings
// (GitHub's anchors: lower case, punctuation dropped, spaces as hyphens,
// -1, -2 … for repeats) or an explicit id. Code blocks and code spans are
// not links.
func TestDocsLinksResolve(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, readmePath)
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	scheme := regexp.MustCompile(`^[a-z][a-z0-9+.-]*:`)
	anchors := map[string]map[string]bool{}
	checked := 0
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for n, line := range proseLines(string(raw)) {
			for _, m := range link.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if scheme.MatchString(target) {
					continue // https:, mailto:
				}
				checked++
				path, anchor, _ := strings.Cut(target, "#")
				dest := file
				if path != "" {
					dest = filepath.Join(filepath.Dir(file), filepath.FromSlash(path))
				}
				if _, err := os.Stat(dest); err != nil {
					t.Errorf("%s:%d: link %s: no such file", filepath.Base(file), n+1, target)
					continue
				}
				if anchor == "" || !strings.HasSuffix(dest, ".md") {
					continue
				}
				if anchors[dest] == nil {
					doc, err := os.ReadFile(dest)
					if err != nil {
						t.Fatal(err)
					}
					anchors[dest] = markdownAnchors(string(doc))
				}
				if !anchors[dest][anchor] {
					t.Errorf("%s:%d: link %s: %s has no heading or id %q", filepath.Base(file), n+1, target, filepath.Base(dest), anchor)
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d relative links found: the pattern no longer matches the docs", checked)
	}
}

// proseLines returns the lines of a Markdown text with fenced code blocks
// blanked and code spans removed (line numbers kept).
func proseLines(text string) []string {
	lines := strings.Split(text, "\n")
	span := regexp.MustCompile("`+[^`]*`+")
	fenced := false
	for i, line := range lines {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			lines[i] = ""
			continue
		}
		if fenced {
			lines[i] = ""
			continue
		}
		lines[i] = span.ReplaceAllString(line, "")
	}
	return lines
}

// markdownAnchors lists the anchors GitHub gives a document's headings, and
// its explicit id="…" and name="…" attributes.
func markdownAnchors(doc string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	heading := regexp.MustCompile(`^#{1,6}\s+(.*?)\s*#*$`)
	linkText := regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	tag := regexp.MustCompile(`<[^>]+>`)
	fenced := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		m := heading.FindStringSubmatch(line)
		if fenced || m == nil {
			continue
		}
		h := linkText.ReplaceAllString(m[1], "$1")
		h = tag.ReplaceAllString(strings.ReplaceAll(h, "`", ""), "")
		var b strings.Builder
		for _, r := range strings.ToLower(h) {
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
				b.WriteRune(r)
			case r == ' ':
				b.WriteByte('-')
			}
		}
		slug := b.String()
		if n := seen[slug]; n > 0 {
			out[slug+"-"+strconv.Itoa(n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	for _, m := range regexp.MustCompile(`(?:id|name)="([^"]+)"`).FindAllStringSubmatch(doc, -1) {
		out[m[1]] = true
	}
	return out
}

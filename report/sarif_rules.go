package report

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/atlcheck/atlcheck/internal/model"
)

// sarifRules builds one rule per policy of a run, in run order, and returns
// each rule's index by policy id. A finding whose policy is missing from the
// run (which a well-formed run never has) gets a minimal rule appended, so
// every result's ruleIndex is valid.
func sarifRules(policies []model.PolicyResult, findings []model.Finding) ([]sarifRule, map[string]int) {
	rules := make([]sarifRule, 0, len(policies))
	index := make(map[string]int, len(policies))
	for _, p := range policies {
		if _, dup := index[p.Policy.ID]; dup {
			continue
		}
		index[p.Policy.ID] = len(rules)
		rules = append(rules, sarifRuleFor(p.Policy))
	}
	for _, f := range findings {
		if _, ok := index[f.PolicyID]; ok {
			continue
		}
		index[f.PolicyID] = len(rules)
		rules = append(rules, sarifRuleFor(model.Policy{
			ID: f.PolicyID, Title: f.Title, Severity: f.Severity, Remediation: f.Remediation,
		}))
	}
	return rules, index
}

// GitHub's limits on a rule's text ("SARIF support for code scanning",
// reportingDescriptor): the name "limited to 255 characters", the short and
// full descriptions to 1024. A custom policy's title and description have no
// limit of their own, so they are cut here (counted in UTF-16 code units,
// the stricter of the usual counts); help.text keeps the whole description.
const (
	maxRuleNameChars    = 255
	maxDescriptionChars = 1024
)

// unknownRuleID stands in for an empty policy id (GitHub requires a rule
// id); the policy engine never gives one.
const unknownRuleID = "ATL-UNKNOWN"

// sarifRuleID is a policy's rule id.
func sarifRuleID(id string) string { return cmp.Or(id, unknownRuleID) }

// sarifRuleFor describes one policy. GitHub requires shortDescription,
// fullDescription and help, so each falls back to the title, then the id.
func sarifRuleFor(p model.Policy) sarifRule {
	p.ID = sarifRuleID(p.ID)
	title := cmp.Or(p.Title, p.ID)
	tags := []string{"security"}
	for _, t := range p.Tags {
		if t != "" && !slices.Contains(tags, t) && len(tags) < maxSARIFTags {
			tags = append(tags, t) // GitHub keeps only the first 10 tags of a rule
		}
	}
	r := sarifRule{
		ID:                   p.ID,
		Name:                 truncateUTF16(pascalName(title, p.ID), maxRuleNameChars, ""),
		ShortDescription:     sarifText{Text: truncateUTF16(title, maxDescriptionChars, "…")},
		FullDescription:      sarifText{Text: truncateUTF16(cmp.Or(p.Description, title), maxDescriptionChars, "…")},
		Help:                 ruleHelp(p, title),
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(p.Severity)},
		Properties: sarifRuleProperty{
			Tags:             tags,
			SecuritySeverity: securitySeverity(p.Severity),
			Precision:        "high",
			Severity:         p.Severity.String(),
		},
	}
	if len(p.References) > 0 {
		r.HelpURI = p.References[0]
	}
	return r
}

// ruleHelp is the rule's help in text and Markdown: description,
// remediation and references.
func ruleHelp(p model.Policy, title string) sarifText {
	desc := cmp.Or(p.Description, title)
	text := []string{desc}
	md := []string{desc}
	if p.Remediation != "" {
		text = append(text, "Remediation: "+p.Remediation)
		md = append(md, "**Remediation:** "+p.Remediation)
	}
	if len(p.References) > 0 {
		text = append(text, "References:\n"+bulletList(p.References, ""))
		md = append(md, "**References:**\n\n"+bulletList(p.References, "<>"))
	}
	return sarifText{Text: strings.Join(text, "\n\n"), Markdown: strings.Join(md, "\n\n")}
}

// bulletList renders items as "- item" lines; wrap gives the characters to
// put around each item (Markdown autolinks use "<>").
func bulletList(items []string, wrap string) string {
	lines := make([]string, len(items))
	for i, it := range items {
		if len(wrap) == 2 {
			it = wrap[:1] + it + wrap[1:]
		}
		lines[i] = "- " + it
	}
	return strings.Join(lines, "\n")
}

// pascalName turns a title into a rule name such as
// "AdminApiKeysMustHaveScopes": letters and digits are kept, each word is
// capitalised and the rest of it lower-cased, as the SARIF Multitool's
// Pascal-case check wants. The id stands in for a title without letters or
// digits, and "Rule" is put before a name that would start with a digit.
func pascalName(title, id string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		rs := []rune(word)
		b.WriteRune(unicode.ToUpper(rs[0]))
		b.WriteString(strings.ToLower(string(rs[1:])))
	}
	name := b.String()
	switch {
	case name == "" && title != id:
		return pascalName(id, id)
	case name != "" && !unicode.IsLetter([]rune(name)[0]):
		return "Rule" + name
	}
	return name
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s model.Severity) string {
	switch s {
	case model.SeverityCritical, model.SeverityHigh:
		return "error"
	case model.SeverityMedium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub's 0–10 score for a severity, as a string; ""
// (omitted) for info and unknown, which are not security alerts.
func securitySeverity(s model.Severity) string {
	return map[model.Severity]string{
		model.SeverityCritical: "9.5",
		model.SeverityHigh:     "8.0",
		model.SeverityMedium:   "5.5",
		model.SeverityLow:      "3.0",
	}[s]
}

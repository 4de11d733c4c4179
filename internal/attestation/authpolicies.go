package attestation

import (
	"strconv"
	"strings"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
	"gopkg.in/yaml.v3"
)

// AuthPolicy is one authentication policy as the admin saw it in
// admin.atlassian.com > Security > User security > Authentication policies.
// No API reads a policy's settings (contract Part C.7; the Admin Control
// reference, api-group-authentication-policies, documents only adding users
// and reading which policy a user is in), so they are attested. A nil
// setting was not attested.
type AuthPolicy struct {
	Name                   string
	ID                     string
	Default                bool
	SSOEnforced            *bool
	TwoStepRequired        *bool
	ThirdPartyLoginAllowed *bool
	IdleSessionMinutes     *int
	Password               *snapshot.PasswordRules
	// Line is where the policy's entry starts.
	Line int
}

// maxIdleMinutes is the longest idle session the file accepts: the console
// offers up to 30 days (support.atlassian.com, "Update idle session
// duration": "The default setting for idle session duration is 30 days");
// a year leaves room for settings Atlassian may add, and catches a value in
// the wrong unit.
const maxIdleMinutes = 365 * 24 * 60

// passwordStrengths are the minimum strengths the file accepts (the
// console's password requirements), weakest first.
var passwordStrengths = []string{"weak", "fair", "good", "strong", "very_strong"}

// authPolicies parses the authentication_policies list: names and ids are
// unique (names case-insensitively), and at least one policy is the default
// one, as every organization has (support.atlassian.com, "Understand
// authentication policies": "Every organization has at least one default
// authentication policy").
func (p *parser) authPolicies(n *yaml.Node) ([]AuthPolicy, error) {
	items, err := p.sequence(n, "authentication_policies")
	if err != nil {
		return nil, err
	}
	out := []AuthPolicy{}
	names, ids := map[string]int{}, map[string]int{}
	hasDefault := false
	for _, item := range items {
		pol, nameNode, idNode, err := p.authPolicy(item)
		if err != nil {
			return nil, err
		}
		if first, dup := names[strings.ToLower(pol.Name)]; dup {
			return nil, p.errAt(nameNode, "authentication policy %q is listed twice (first on line %d)", pol.Name, first)
		}
		names[strings.ToLower(pol.Name)] = nameNode.Line
		if pol.ID != "" {
			if first, dup := ids[pol.ID]; dup {
				return nil, p.errAt(idNode, "authentication policy id %s is listed twice (first on line %d)", pol.ID, first)
			}
			ids[pol.ID] = idNode.Line
		}
		hasDefault = hasDefault || pol.Default
		out = append(out, pol)
	}
	if len(out) == 0 {
		// An empty list would attest an organization without a default
		// policy: AUT-002 and AUT-003 would pass on no data.
		return nil, p.errAt(n, "authentication_policies is empty: every organization has a default authentication policy; list it (default: true) and the others, or leave the block out")
	}
	if !hasDefault {
		return nil, p.errAt(n, "authentication_policies: no policy has default: true (every organization has a default policy; mark the one new members land in)")
	}
	return out, nil
}

// authPolicy parses one entry of authentication_policies.
func (p *parser) authPolicy(n *yaml.Node) (AuthPolicy, *yaml.Node, *yaml.Node, error) {
	pol := AuthPolicy{Line: n.Line}
	var nameNode, idNode *yaml.Node
	flag := func(dst **bool, key string) func(v *yaml.Node) error {
		return func(v *yaml.Node) (err error) { *dst, err = p.boolean(v, key); return err }
	}
	err := p.mapping(n, "an authentication policy", []string{"name"}, fieldSet{
		"name": func(v *yaml.Node) (err error) { nameNode = v; pol.Name, err = p.text(v, "name"); return err },
		"id":   func(v *yaml.Node) (err error) { idNode = v; pol.ID, err = p.text(v, "id"); return err },
		"default": func(v *yaml.Node) error {
			b, err := p.boolean(v, "default")
			if err == nil {
				pol.Default = *b
			}
			return err
		},
		"sso_enforced":                   flag(&pol.SSOEnforced, "sso_enforced"),
		"two_step_verification_required": flag(&pol.TwoStepRequired, "two_step_verification_required"),
		"third_party_login_allowed":      flag(&pol.ThirdPartyLoginAllowed, "third_party_login_allowed"),
		"idle_session_minutes": func(v *yaml.Node) (err error) {
			pol.IdleSessionMinutes, err = p.whole(v, "idle_session_minutes", 1, maxIdleMinutes)
			return err
		},
		"password": func(v *yaml.Node) (err error) { pol.Password, err = p.password(v); return err },
	})
	return pol, nameNode, idNode, err
}

// password parses a policy's password requirements.
func (p *parser) password(n *yaml.Node) (*snapshot.PasswordRules, error) {
	rules := &snapshot.PasswordRules{}
	err := p.mapping(n, "password", nil, fieldSet{
		"minimum_strength": func(v *yaml.Node) error {
			s, err := p.text(v, "minimum_strength")
			if err != nil {
				return err
			}
			rules.MinimumStrength = strings.ReplaceAll(strings.ToLower(s), " ", "_")
			for _, known := range passwordStrengths {
				if rules.MinimumStrength == known {
					return nil
				}
			}
			return p.errAt(v, "minimum_strength: %q must be one of %s", s, strings.Join(passwordStrengths, ", "))
		},
		"expiry_days": func(v *yaml.Node) (err error) {
			rules.ExpiryDays, err = p.whole(v, "expiry_days (0 for never)", 0, 3650)
			return err
		},
	})
	return rules, err
}

// whole parses a whole number between low and high.
func (p *parser) whole(n *yaml.Node, what string, low, high int) (*int, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return nil, p.errAt(n, "%s must be a whole number, got %s", what, kindName(n))
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < low || v > high {
		return nil, p.errAt(n, "%s must be between %d and %d, got %s", what, low, high, n.Value)
	}
	return &v, nil
}

// applyAuthPolicies fills the authentication_policies area from the block,
// or leaves it without a source.
func (f *File) applyAuthPolicies(s *snapshot.Snapshot, collected snapshot.Area, att snapshot.Attestation, now time.Time) {
	if f.AuthPolicies == nil {
		s.AuthPolicies = snapshot.AuthPoliciesArea{
			Area:  NotAttested(now, "the attestation file has no authentication_policies block"),
			Items: []snapshot.AuthPolicy{},
		}
		return
	}
	items := make([]snapshot.AuthPolicy, 0, len(f.AuthPolicies))
	for _, p := range f.AuthPolicies {
		items = append(items, snapshot.AuthPolicy{
			Name: p.Name, ID: p.ID, Default: p.Default, SSOEnforced: p.SSOEnforced, TwoStepRequired: p.TwoStepRequired,
			ThirdPartyLoginAllowed: p.ThirdPartyLoginAllowed, IdleSessionMinutes: p.IdleSessionMinutes, Password: p.Password,
		})
	}
	s.AuthPolicies = snapshot.AuthPoliciesArea{Area: collected, Attestation: att, Items: items}
}

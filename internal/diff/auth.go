package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

// authPolicies compares the attested authentication policies by name
// (case-insensitive). Turning off SSO or required two-step verification, or
// allowing third-party login, raises risk; a longer idle session too.
func (c *comparer) authPolicies() {
	const area = snapshot.AreaAuthPolicies
	key := func(p snapshot.AuthPolicy) string { return foldKey(p.Name) }
	for _, p := range match(c.old.AuthPolicies.Items, c.new.AuthPolicies.Items, key) {
		switch {
		case p.old == nil:
			c.added(area, p.new.Name, fmt.Sprintf("Authentication policy %s attested.", p.new.Name), RiskNeutral)
		case p.new == nil:
			c.removed(area, p.old.Name, fmt.Sprintf("Authentication policy %s no longer attested.", p.old.Name), RiskNeutral)
		default:
			o, n := p.old, p.new
			b := newBuilder(area, n.Name, "Authentication policy "+n.Name)
			if o.Default != n.Default {
				b.set("default", o.Default, n.Default, RiskNeutral, map[bool]string{true: "now the default policy", false: "no longer the default policy"}[n.Default])
			}
			b.boolField("sso_enforced", o.SSOEnforced, n.SSOEnforced, false, "single sign-on enforced", "single sign-on no longer enforced")
			b.boolField("two_step_verification_required", o.TwoStepRequired, n.TwoStepRequired, false,
				"two-step verification required", "two-step verification no longer required")
			b.boolField("third_party_login_allowed", o.ThirdPartyLoginAllowed, n.ThirdPartyLoginAllowed, true,
				"third-party login allowed", "third-party login blocked")
			if !equalInt(o.IdleSessionMinutes, n.IdleSessionMinutes) {
				risk := RiskNeutral
				if o.IdleSessionMinutes != nil && n.IdleSessionMinutes != nil {
					risk = riskIf(*n.IdleSessionMinutes > *o.IdleSessionMinutes, *n.IdleSessionMinutes < *o.IdleSessionMinutes)
				}
				b.set("idle_session_minutes", intValue(o.IdleSessionMinutes), intValue(n.IdleSessionMinutes), risk,
					fmt.Sprintf("idle session %s → %s", minutesText(o.IdleSessionMinutes), minutesText(n.IdleSessionMinutes)))
			}
			passwordChanges(b, o.Password, n.Password)
			c.emit(b.change())
		}
	}
}

// authPolicyMembers compares which authentication policy each account is
// in, by account id. Moving between policies is reported neutrally (what the
// policies enforce is compared above).
func (c *comparer) authPolicyMembers() {
	const area = snapshot.AreaAuthPolicyMembers
	key := func(m snapshot.AuthPolicyMember) string { return m.AccountID }
	label := func(m snapshot.AuthPolicyMember) string { return cmp.Or(m.PolicyName, m.PolicyID) }
	for _, p := range match(c.old.AuthPolicyMembers.Items, c.new.AuthPolicyMembers.Items, key) {
		switch {
		case p.old == nil:
			c.added(area, p.key, fmt.Sprintf("%s is in authentication policy %s.", c.accountLabel(p.key), label(*p.new)), RiskNeutral)
		case p.new == nil:
			c.removed(area, p.key, fmt.Sprintf("%s no longer listed in authentication policy %s.", c.accountLabel(p.key), label(*p.old)), RiskNeutral)
		case p.old.PolicyID != p.new.PolicyID || !equalFold(p.old.PolicyName, p.new.PolicyName):
			b := newBuilder(area, p.key, c.accountLabel(p.key))
			b.set("policy", label(*p.old), label(*p.new), RiskNeutral,
				fmt.Sprintf("moved from authentication policy %s to %s", label(*p.old), label(*p.new)))
			c.emit(b.change())
		}
	}
}

// accountLabel names an account by its name in the new snapshot, else its id.
func (c *comparer) accountLabel(id string) string {
	for _, a := range c.new.ManagedAccounts.Items {
		if a.AccountID == id && a.Name != "" {
			return fmt.Sprintf("Account %s (%s)", a.Name, id)
		}
	}
	return "Account " + id
}

func equalInt(a, b *int) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func equalFold(a, b string) bool { return foldKey(a) == foldKey(b) }

func intValue(v *int) any {
	if v == nil {
		return nil
	}
	return *v
}

func minutesText(v *int) string {
	if v == nil {
		return "unknown"
	}
	return fmt.Sprintf("%d min", *v)
}

// passwordStrengths are the attested minimum strengths, weakest first (the
// snapshot's enum).
var passwordStrengths = []string{"weak", "fair", "good", "strong", "very_strong"}

// passwordChanges compares the attested password rules: a weaker minimum
// strength raises risk, a stronger one lowers it; a change of the expiry is
// neutral (forced rotation is no longer advice, NIST SP 800-63B 5.1.1.2).
func passwordChanges(b *builder, o, n *snapshot.PasswordRules) {
	var os, ns string
	var oe, ne *int
	if o != nil {
		os, oe = o.MinimumStrength, o.ExpiryDays
	}
	if n != nil {
		ns, ne = n.MinimumStrength, n.ExpiryDays
	}
	if !strings.EqualFold(os, ns) {
		risk := RiskNeutral
		oi, ni := slices.Index(passwordStrengths, strings.ToLower(os)), slices.Index(passwordStrengths, strings.ToLower(ns))
		if oi >= 0 && ni >= 0 {
			risk = riskIf(ni < oi, ni > oi)
		}
		b.set("password.minimum_strength", statusValue(os), statusValue(ns), risk,
			fmt.Sprintf("minimum password strength %s → %s", cmp.Or(os, "unknown"), cmp.Or(ns, "unknown")))
	}
	if !equalInt(oe, ne) {
		b.set("password.expiry_days", intValue(oe), intValue(ne), RiskNeutral,
			fmt.Sprintf("password expiry %s → %s", passwordExpiryText(oe), passwordExpiryText(ne)))
	}
}

func passwordExpiryText(days *int) string {
	switch {
	case days == nil:
		return "unknown"
	case *days == 0:
		return "never"
	}
	return fmt.Sprintf("%d days", *days)
}

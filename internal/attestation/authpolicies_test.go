package attestation

import (
	"testing"
	"time"

	"github.com/atlcheck/atlcheck/internal/snapshot"
)

const authDoc = head + `authentication_policies:
  - name: Default policy
    id: p-default
    default: true
    sso_enforced: false
    two_step_verification_required: false
    third_party_login_allowed: true
    idle_session_minutes: 43200
    password:
      minimum_strength: Very Strong
      expiry_days: 0
  - name: Admins
    sso_enforced: true
`

// TestParseAuthPolicies reads every attested setting; left-out settings stay
// unknown (nil), never false.
func TestParseAuthPolicies(t *testing.T) {
	f, err := Parse("a.yaml", []byte(authDoc))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.AuthPolicies) != 2 {
		t.Fatalf("got %d policies", len(f.AuthPolicies))
	}
	def, admins := f.AuthPolicies[0], f.AuthPolicies[1]
	if def.Name != "Default policy" || def.ID != "p-default" || !def.Default || *def.SSOEnforced || *def.TwoStepRequired ||
		!*def.ThirdPartyLoginAllowed || *def.IdleSessionMinutes != 43200 || def.Password.MinimumStrength != "very_strong" || *def.Password.ExpiryDays != 0 {
		t.Errorf("default policy: got %+v", def)
	}
	if admins.Default || !*admins.SSOEnforced || admins.TwoStepRequired != nil || admins.IdleSessionMinutes != nil || admins.Password != nil {
		t.Errorf("admins: got %+v, want only sso_enforced attested", admins)
	}
	s := &snapshot.Snapshot{}
	f.Apply(s, time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC))
	if !s.AuthPolicies.Collected || s.AuthPolicies.Source != snapshot.SourceAttestation || s.AuthPolicies.AttestedBy != "jane" ||
		len(s.AuthPolicies.Items) != 2 || s.AuthPolicies.Items[1].SSOEnforced == nil {
		t.Errorf("applied: got %+v", s.AuthPolicies)
	}
	f.AuthPolicies = nil
	f.Apply(s, time.Now())
	if s.AuthPolicies.Collected || s.AuthPolicies.Source != snapshot.SourceNone ||
		s.AuthPolicies.Error.Message != "the attestation file has no authentication_policies block" || s.AuthPolicies.Items == nil {
		t.Errorf("without the block: got %+v", s.AuthPolicies)
	}
}

func TestParseAuthPoliciesErrors(t *testing.T) {
	d := head + "authentication_policies:\n"
	tests := []parseErrorCase{
		{"not a list", head + "authentication_policies: strict\n", `a.yaml:3:26: authentication_policies must be a list, got "strict"`},
		{"empty list", head + "authentication_policies: []\n", "a.yaml:3:26: authentication_policies is empty: every organization has a default authentication policy"},
		{"no name", d + "  - default: true\n", `a.yaml:4:5: missing required key "name" in an authentication policy`},
		{"no default policy", d + "  - name: A\n  - name: B\n    default: false\n",
			"a.yaml:4:3: authentication_policies: no policy has default: true"},
		{"unknown key", d + "  - name: A\n    default: true\n    mfa: true\n",
			`a.yaml:6:5: unknown key "mfa" in an authentication policy; known keys: default, id, idle_session_minutes, name, password, sso_enforced, third_party_login_allowed, two_step_verification_required`},
		{"a word for a boolean", d + "  - name: A\n    default: true\n    sso_enforced: enforced\n", `a.yaml:6:19: sso_enforced must be true or false, got "enforced"`},
		{"minutes as text", d + "  - name: A\n    default: true\n    idle_session_minutes: 30 days\n", `a.yaml:6:27: idle_session_minutes must be a whole number, got "30 days"`},
		{"minutes out of range", d + "  - name: A\n    default: true\n    idle_session_minutes: 0\n", "a.yaml:6:27: idle_session_minutes must be between 1 and 525600, got 0"},
		{"unknown strength", d + "  - name: A\n    default: true\n    password:\n      minimum_strength: medium\n",
			`a.yaml:7:25: minimum_strength: "medium" must be one of weak, fair, good, strong, very_strong`},
		{"negative expiry", d + "  - name: A\n    default: true\n    password:\n      expiry_days: -1\n", "a.yaml:7:20: expiry_days (0 for never) must be between 0 and 3650, got -1"},
		{"duplicate name", d + "  - name: Admins\n    default: true\n  - name: ADMINS\n",
			`a.yaml:6:11: authentication policy "ADMINS" is listed twice (first on line 4)`},
		{"duplicate id", d + "  - name: A\n    id: p1\n    default: true\n  - name: B\n    id: p1\n",
			"a.yaml:8:9: authentication policy id p1 is listed twice (first on line 5)"},
	}
	checkParseErrors(t, tests)
}

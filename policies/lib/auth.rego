# Package auth joins accounts with the authentication policy they are in (the
# authentication_policy_members area, from the API) and that policy's
# attested settings (the authentication_policies area). A member is matched to
# an attested policy by id when both have one, else by name (any case). A
# setting counts only when attested true or false: a policy the membership
# names but the attestation does not describe is unknown, never protected.
package lib.auth

# member_of indexes the membership by account id (a comprehension: built once).
member_of := {m.account_id: m | some m in input.authentication_policy_members.items}

# policy_of is the attested policy an account is in; undefined when its
# membership or the policy is unknown.
policy_of(account_id) := policy if {
	m := member_of[account_id]
	object.get(m, "policy_id", "") != ""
	some policy in input.authentication_policies.items
	object.get(policy, "id", "") == m.policy_id
} else := policy if {
	m := member_of[account_id]
	some policy in input.authentication_policies.items
	lower(policy.name) == lower(object.get(m, "policy_name", ""))
	not _other_id(policy, m)
}

_other_id(policy, m) if {
	object.get(policy, "id", "") != ""
	object.get(m, "policy_id", "") != ""
	policy.id != m.policy_id
}

# enforces_sso holds for a policy that enforces single sign-on.
enforces_sso(policy) if policy.sso_enforced == true

# requires_two_step holds for a policy that requires two-step verification.
requires_two_step(policy) if policy.two_step_verification_required == true

# enforces_neither holds for a policy attested to enforce neither single
# sign-on nor two-step verification (both attested false).
enforces_neither(policy) if {
	policy.sso_enforced == false
	policy.two_step_verification_required == false
}

# protection says what a policy enforces at login, undefined when neither.
protection(policy) := "enforces single sign-on" if {
	enforces_sso(policy)
} else := "requires two-step verification" if {
	requires_two_step(policy)
}

# covered holds for an account whose policy enforces SSO or requires
# two-step verification.
covered(account_id) if protection(policy_of(account_id))

# name names a policy for messages.
name(policy) := sprintf("%q", [policy.name])

# member_label names the policy a member is in, by name (else id).
member_label(m) := sprintf("%q", [m.policy_name]) if {
	object.get(m, "policy_name", "") != ""
} else := m.policy_id

# Package accounts holds account helpers shared by the policies that join
# other areas with the managed accounts.
package lib.accounts

# org_admin_role is the platform role of an organization admin.
org_admin_role := "atlassian/org-admin"

# by_id indexes the managed accounts by account id. It is a comprehension, not
# a partial object: OPA builds a comprehension once, where a partial object
# re-evaluates its body on every lookup by key (quadratic on large orgs).
by_id := {account.account_id: account | some account in input.managed_accounts.items}

# is_active holds for an account whose composite status is active (any case).
is_active(account) if _lower(account.status) == "active"

# is_org_admin holds for an account that holds the org admin role.
is_org_admin(account) if org_admin_role in _roles(account)

# is_active_org_admin holds for an active account that holds the org admin role.
is_active_org_admin(account) if {
	is_active(account)
	is_org_admin(account)
}

# is_gone holds for an account that is deactivated or scheduled for deletion:
# its composite status says so, or its account status is inactive or closed.
is_gone(account) if _lower(account.status) in {"deactivated", "for_deletion"}

is_gone(account) if _lower(object.get(account, "account_status", "")) in {"inactive", "closed"}

# gone_reason says in words why is_gone holds.
gone_reason(account) := "scheduled for deletion" if {
	_lower(account.status) == "for_deletion"
} else := "deactivated" if {
	_lower(account.status) == "deactivated"
} else := sprintf("%s (account status)", [_lower(account.account_status)])

# admin_roles is the sorted list of the account's roles that end in "admin".
admin_roles(account) := sort([role | some role in _roles(account); is_string(role); endswith(lower(role), "admin")])

# display names an account for messages: "Name (id)" or just the id.
display(account) := sprintf("%s (%s)", [account.name, account.account_id]) if {
	is_string(account.name)
	account.name != ""
} else := account.account_id

_roles(account) := roles if {
	roles := object.get(account, "roles", [])
	is_array(roles)
} else := []

_lower(s) := lower(s) if is_string(s)

# creator_problem says why the account id that created a credential is not an
# active org admin: unknown to the organization (named by label), not active,
# or not an org admin. Undefined when the creator is an active org admin.
creator_problem(id, label) := sprintf("was created by %s, who is not a managed account of the organization", [label]) if {
	not by_id[id]
} else := sprintf("was created by %s, who is not active (status %s)", [display(creator), object.get(creator, "status", "unknown")]) if {
	creator := by_id[id]
	not is_active(creator)
} else := sprintf("was created by %s, who is not an org admin", [display(creator)]) if {
	creator := by_id[id]
	not is_org_admin(creator)
}

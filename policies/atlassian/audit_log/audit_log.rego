# Package audit_log reports what the organization audit log recorded since
# the last run for five signals (internal/auditlog: the one table of the
# event-action display names that carry each): each event is a finding with
# its actor, time and target. A signal whose actions the org's event-actions
# list does not have, or whose events could not all be read, is not
# evaluated with the reason, never a pass; a finding found in the part that
# was read stands.
package atlassian.audit_log

import data.lib.accounts
import data.lib.result

# METADATA
# title: An org admin role was granted since the last run
# description: >-
#   The audit log records that an account was given the organization admin
#   role (or a role whose event names no role) in the window read. Org admin
#   is the highest privilege of the organization: every grant should be one
#   that someone asked for and reviewed.
# custom:
#   id: ATL-LOG-001
#   severity: high
#   remediation: >-
#     Confirm with the actor that the grant was intended and approved; if not,
#     remove the role in admin.atlassian.com under Directory > Users, review
#     what the account did since, and rotate credentials it could reach.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/track-organization-activities-from-the-audit-log/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-events/
#   tags: [security, audit-log, since-last-run, cis:5.4, cis:8.2, nist:AC-2, nist:AU-6]
#   requires: [audit_log]
deny contains finding if {
	some i, event in input.audit_log.items
	event.signal == "org_admin_granted"
	_grants_org_admin(event)
	finding := _finding(rego.metadata.rule(), i, event, "")
}

# METADATA
# title: An admin API key was created since the last run
# description: >-
#   The audit log records that an organization admin API key was created in
#   the window read. Admin API keys act for the organization, outlive their
#   creator and, without scopes, can call every admin API.
# custom:
#   id: ATL-LOG-002
#   severity: medium
#   remediation: >-
#     Confirm with the actor what the key is for; in admin.atlassian.com under
#     Settings > API keys check that it has only the scopes and the lifetime it
#     needs, and revoke it if nobody owns it.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/manage-an-organization-with-the-admin-apis/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-events/
#   tags: [security, audit-log, since-last-run, api-keys, cis:5.4, nist:AC-2, nist:AU-6]
#   requires: [audit_log]
deny contains finding if {
	some i, event in input.audit_log.items
	event.signal == "api_key_created"
	finding := _finding(rego.metadata.rule(), i, event, _key_detail(event))
}

# METADATA
# title: An app was installed or updated since the last run
# description: >-
#   The audit log records that an app was installed, or updated (an update can
#   bring new permissions), in the window read. An app acts with the
#   permissions its vendor asked for on every site it is installed on.
# custom:
#   id: ATL-LOG-003
#   severity: medium
#   remediation: >-
#     Check the app in admin.atlassian.com under Apps > Sites > Connected apps:
#     who installed it, what it may access, and whether the update's new
#     permissions were approved; remove it if nobody needs it.
#   references:
#     - https://support.atlassian.com/organization-administration/docs/managing-an-installed-app/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-events/
#   tags: [security, audit-log, since-last-run, apps, cis:2.5, nist:CM-7, nist:AU-6]
#   requires: [audit_log]
deny contains finding if {
	some i, event in input.audit_log.items
	event.signal == "app_installed"
	finding := _finding(rego.metadata.rule(), i, event, "")
}

# METADATA
# title: An org policy was disabled, deleted or edited since the last run
# description: >-
#   The audit log records that an organization policy (an IP allow-list, a
#   data security or authentication policy, …) was disabled, deleted or
#   edited in the window read. A policy switched off and on again between two
#   scans leaves no trace in the settings.
# custom:
#   id: ATL-LOG-004
#   severity: high
#   remediation: >-
#     Confirm with the actor that the change was intended and approved; in
#     admin.atlassian.com under Security check the policy is back as it should
#     be, and review what happened while it was off.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/track-organization-activities-from-the-audit-log/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-events/
#   tags: [security, audit-log, since-last-run, cis:4.1, nist:CM-3, nist:AU-6]
#   requires: [audit_log]
deny contains finding if {
	some i, event in input.audit_log.items
	event.signal == "org_policy_changed"
	finding := _finding(rego.metadata.rule(), i, event, "")
}

# METADATA
# title: An API token was used by an external or departed account since the last run
# description: >-
#   The audit log records, in the window read, the use of an API token (an
#   API-token-use event, or any event whose actor authenticated with an API
#   token) by an account that is not an active managed account of the
#   organization: deactivated or scheduled for deletion, not active, an
#   unmanaged (external) account, or unknown to the snapshot (no managed
#   account has its id: a deleted account looks like this, and an email on a
#   verified domain does not make it a member). The organization's service
#   accounts are not reported. A token that keeps working after its owner
#   left is a stolen or forgotten credential.
# custom:
#   id: ATL-LOG-005
#   severity: high
#   remediation: >-
#     Revoke the token (admin.atlassian.com > Security > User security > API
#     tokens, or the service account's tokens), block API token access for
#     external users in the external user policy, and review what the token
#     did.
#   references:
#     - https://support.atlassian.com/security-and-access-policies/docs/set-api-token-access/
#     - https://developer.atlassian.com/cloud/admin/organization/rest/api-group-events/
#   tags: [security, audit-log, since-last-run, api-tokens, cis:5.3, nist:AC-2, nist:IA-5]
#   requires: [audit_log, managed_accounts]
deny contains finding if {
	some i, event in input.audit_log.items
	_token_use(event)
	who := _outsider(event.actor)
	finding := _finding(rego.metadata.rule(), i, event, sprintf("%s, %s", [_token_text(event.actor), who]))
}

# notes: a signal that cannot be evaluated says why. A signal the org's
# event-actions list has no action for has no source for its data; a signal
# whose events could not all be read (the page cap, an error) is a partial
# failure of the area, unless what was read already fails the policy.
notes contains {"policy_id": id, "status": "not_evaluated", "reason": gap.reason, "area_failed": gap.area_failed} if {
	input.audit_log.collected == true
	some signal, id in _policy_of
	gap := _gap(signal)
	count({f | some f in deny; f.policy_id == id}) == 0
}

# _policy_of maps each signal to its policy (internal/auditlog.Signals holds
# the same pairs; a Go test pins them together).
# notes: a signal read only in part that already has findings keeps them
# (the policy fails) and says there may be more.
notes contains {"policy_id": id, "reason": sprintf("audit log: %s; these findings are from the part read, there may be more", [_note(sig)])} if {
	input.audit_log.collected == true
	some signal, id in _policy_of
	sig := _signals[signal]
	count(object.get(sig, "actions", [])) > 0
	sig.complete != true
	count({f | some f in deny; f.policy_id == id}) > 0
}

_policy_of := {
	"org_admin_granted": "ATL-LOG-001",
	"api_key_created": "ATL-LOG-002",
	"app_installed": "ATL-LOG-003",
	"org_policy_changed": "ATL-LOG-004",
	"api_token_used": "ATL-LOG-005",
}

_signals := {s.id: s | some s in object.get(input.audit_log, "signals", [])}

_gap(signal) := {"reason": "the audit log has no record of this signal", "area_failed": true} if {
	not _signals[signal]
} else := {"reason": sprintf("audit log: %s", [_note(_signals[signal])]), "area_failed": false} if {
	count(object.get(_signals[signal], "actions", [])) == 0
} else := {"reason": sprintf("audit log: %s", [_note(_signals[signal])]), "area_failed": true} if {
	_signals[signal].complete != true
}

_note(sig) := sig.note if {
	is_string(sig.note)
	sig.note != ""
} else := "its events were not read completely"

# _finding is the finding of one event: "<action> by <actor> at <time>:
# <target>", with detail after the target when there is something to add.
_finding(metadata, i, event, detail) := result.fail(metadata, {
	"resource": event.id,
	"path": sprintf("/audit_log/items/%d", [i]),
	"message": sprintf("%s by %s at %s: %s%s", [_action(event), _actor(event.actor), event.time, _targets(event), _suffix(detail)]),
})

_suffix(detail) := sprintf(" (%s)", [detail]) if detail != ""

else := ""

_action(event) := event.action_name if {
	is_string(event.action_name)
	event.action_name != ""
} else := event.action

# _actor names the actor: "Name (email)", the email, the name, or the id.
_actor(actor) := sprintf("%s (%s)", [actor.name, actor.email]) if {
	_text(actor, "name") != ""
	_text(actor, "email") != ""
} else := actor.email if {
	_text(actor, "email") != ""
} else := actor.name if {
	_text(actor, "name") != ""
} else := actor.id if {
	_text(actor, "id") != ""
} else := "an unknown actor"

_targets(event) := concat(", ", [_object(t) | some t in object.get(event, "targets", [])]) if {
	count(object.get(event, "targets", [])) > 0
} else := "no target recorded"

_object(t) := sprintf("%s %s (%s)", [t.type, t.name, t.id]) if {
	_text(t, "type") != ""
	_text(t, "name") != ""
} else := sprintf("%s (%s)", [t.name, t.id]) if {
	_text(t, "name") != ""
} else := sprintf("%s %s", [t.type, t.id]) if {
	_text(t, "type") != ""
} else := t.id

_text(obj, key) := s if {
	s := object.get(obj, key, "")
	is_string(s)
} else := ""

# _grants_org_admin holds for a role grant that names the org admin role (in
# its action or a target's role or name), or that names no role at all: an
# unknown role is reported, never assumed harmless.
_grants_org_admin(event) if _org_admin_text(_text(event, "action_name"))

_grants_org_admin(event) if {
	some t in object.get(event, "targets", [])
	_org_admin_text(_text(t, "role"))
}

_grants_org_admin(event) if {
	some t in object.get(event, "targets", [])
	_is_role(t)
	_org_admin_text(_text(t, "name"))
}

_grants_org_admin(event) if not _names_a_role(event)

_names_a_role(event) if {
	some t in object.get(event, "targets", [])
	_text(t, "role") != ""
}

_names_a_role(event) if {
	some t in object.get(event, "targets", [])
	_is_role(t)
}

# _is_role holds for a target whose type is a role (JSON:API types are often plural).
_is_role(t) if lower(_text(t, "type")) in {"role", "roles"}

_org_admin_text(s) if regex.match(`(?i)org(ani[sz]ation)?[ _/-]*admin`, s)

# _key_detail joins a created key to the admin API keys the snapshot lists.
_key_detail(event) := "the key has no scopes: it can call every admin API" if {
	some t in object.get(event, "targets", [])
	some key in object.get(input.api_keys, "items", [])
	key.id == t.id
	count(object.get(key, "scopes", [])) == 0
} else := ""

# _token_use holds for an API-token-use event, and for any event whose actor
# authenticated with an API token.
_token_use(event) if event.signal == "api_token_used"

_token_use(event) if event.actor.auth_type == "api-token"

_token_text(actor) := sprintf("with API token %s (%s)", [actor.token_label, actor.token_id]) if {
	_text(actor, "token_label") != ""
	_text(actor, "token_id") != ""
} else := sprintf("with API token %s", [actor.token_id]) if {
	_text(actor, "token_id") != ""
} else := "with an API token"

# _service_accounts are the Atlassian account ids of the org's service accounts.
_service_accounts := {sa.atlassian_id | some sa in object.get(input.service_accounts, "items", []); is_string(sa.atlassian_id)}

# _outsider says who the actor is when it is not an active managed account of
# the organization; undefined for an active managed account and for the
# organization's service accounts. An actor the snapshot does not know is
# reported whatever its email: a deleted account is unknown too, so an email
# at a verified domain is no proof of membership, and neither is an actor
# without an id.
_outsider(actor) := sprintf("whose account is %s", [accounts.gone_reason(account)]) if {
	account := accounts.by_id[_text(actor, "id")]
	accounts.is_gone(account)
} else := "an external (unmanaged) account" if {
	account := accounts.by_id[_text(actor, "id")]
	lower(_text(account, "claim_status")) == "unmanaged"
} else := sprintf("whose account is not active (status %s)", [_status(account)]) if {
	account := accounts.by_id[_text(actor, "id")]
	not accounts.is_active(account)
} else := "an account unknown to the snapshot (not a managed account of the organization: deleted, or never one)" if {
	not accounts.by_id[_text(actor, "id")]
	not _text(actor, "id") in _service_accounts
}

_status(account) := s if {
	s := _text(account, "status")
	s != ""
} else := "unknown"

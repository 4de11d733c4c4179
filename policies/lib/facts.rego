# Package facts hands atlcheck's Go side the security meanings it needs,
# computed with the very helpers the policies use, so that no meaning is
# written twice: the run reads `run` (which areas can be evaluated and why
# not, which exceptions have expired), the drift report reads `drift` (which
# keys and tokens are not active and why, which accounts have departed or are org
# admins, which roles are admin roles, how area and site errors read).
package lib.facts

import data.lib.accounts
import data.lib.areas
import data.lib.credentials
import data.lib.exceptions

# run is what a check run needs besides the findings.
run := {
	"areas": areas.states,
	"expired_exceptions": [i | some i, exc in data.atlcheck.exceptions; exceptions.expired(exc)],
}

# drift is what the drift report needs of one snapshot.
drift := {
	"areas": areas.states,
	"site_errors": areas.site_errors,
	"org_admin_role": accounts.org_admin_role,
	"inactive_keys": [{"id": key.id, "reason": reason} |
		some key in input.api_keys.items
		reason := credentials.key_inactive_reason(key)
	],
	"inactive_tokens": [{"id": token.id, "reason": reason} |
		some token in input.api_tokens.items
		reason := credentials.token_inactive_reason(token)
	],
	"inactive_service_accounts": [{"id": sa.id, "reason": reason} |
		some sa in input.service_accounts.items
		reason := credentials.out_of_use_reason(sa)
	],
	"inactive_service_account_tokens": [{"id": token.id, "reason": reason} |
		some token in input.service_account_tokens.items
		reason := credentials.token_inactive_reason(token)
	],
	"inactive_oauth_clients": [{"id": client.client_id, "reason": reason} |
		some client in input.oauth_clients.items
		reason := credentials.out_of_use_reason(client)
	],
	"departed_accounts": {account.account_id | some account in input.managed_accounts.items; accounts.is_gone(account)},
	"org_admins": {account.account_id | some account in input.managed_accounts.items; accounts.is_org_admin(account)},
	"admin_roles": {role | some account in input.managed_accounts.items; some role in accounts.admin_roles(account)},
}

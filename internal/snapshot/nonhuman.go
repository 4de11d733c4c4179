package snapshot

import "time"

// The non-human identities of an organization (contract Part C.7): service
// accounts, their API tokens and the OAuth 2.0 clients. Atlassian marks all
// three endpoints experimental.

// ServiceAccountsArea lists the organization's service accounts.
type ServiceAccountsArea struct {
	Area
	Items []ServiceAccount `json:"items"`
}

// ServiceAccount is one service account: an account that belongs to no
// person (API Access API, GET …/service-accounts).
type ServiceAccount struct {
	ID          string `json:"id" schema:"required,minLength=1" doc:"the service account id (its API tokens are listed under it)"`
	AtlassianID string `json:"atlassian_id,omitempty" doc:"the Atlassian account id the service account acts as: the actor id of its audit-log events"`
	Email       string `json:"email,omitempty" doc:"the service account's generated email address"`
	DisplayName string `json:"display_name,omitempty" doc:"the name the admin gave it"`
	// Status is kept as sent: Atlassian documents the field but not its
	// values, so any value that does not take the account out of use counts
	// as active (lib.credentials.inactive_statuses).
	Status      string     `json:"status,omitempty" doc:"the status as sent (Atlassian documents no values); any value not listed as taking it out of use counts as active"`
	CreatedByID string     `json:"created_by_id,omitempty" doc:"the account id of the admin who created it"`
	Description string     `json:"description,omitempty" doc:"what it is for and who owns it, as the admin wrote it"`
	Container   string     `json:"container,omitempty" doc:"the container the account belongs to, as sent"`
	UpdatedAt   *time.Time `json:"updated_at,omitempty" schema:"nullable" doc:"when the service account was last changed (sent as epoch milliseconds)"`
}

// ServiceAccountTokensArea lists the API tokens of every service account,
// with what each account's token list said. The area counts as collected
// when at least one account's list was read (or the org has no service
// account); each account records its own outcome.
type ServiceAccountTokensArea struct {
	Area
	// Accounts says, per service account, whether its token list was read
	// and how many tokens it held. A list that was read and held nothing is
	// "none reported by the API", never proof that the account has no token.
	Accounts []TokenList           `json:"accounts" schema:"nullable" doc:"per service account: whether its token list was read and how many tokens it reported"`
	Items    []ServiceAccountToken `json:"items"`
}

// TokenList is the outcome of reading one service account's token list.
type TokenList struct {
	ServiceAccountID string     `json:"service_account_id" schema:"required,minLength=1" doc:"the service account"`
	Collected        bool       `json:"collected" schema:"required" doc:"whether its token list was read"`
	Error            *AreaError `json:"error,omitempty" doc:"why it was not read"`
	Reported         int        `json:"reported" schema:"minimum=0" doc:"how many tokens the API listed; 0 means none reported by the API, which is not proof of none (one public report saw an empty list for an account that had credentials)"`
}

// ServiceAccountToken is one API token of a service account.
type ServiceAccountToken struct {
	ID               string     `json:"id" schema:"required,minLength=1" doc:"the token id"`
	ServiceAccountID string     `json:"service_account_id" schema:"required,minLength=1" doc:"the service account the token belongs to"`
	Label            string     `json:"label,omitempty" doc:"the name the admin gave the token"`
	Status           string     `json:"status,omitempty" doc:"the status as sent; absent, or any value not taking it out of use, means active"`
	Scopes           []string   `json:"scopes,omitempty" doc:"the token's scopes (service-account tokens are scoped)"`
	CreatedAt        *time.Time `json:"created_at,omitempty" schema:"nullable" doc:"when the token was created"`
	ExpiresAt        *time.Time `json:"expires_at,omitempty" schema:"nullable" doc:"when the token expires; absent means never"`
	LastActiveAt     *time.Time `json:"last_active_at,omitempty" schema:"nullable" doc:"when the token was last used; absent means never"`
}

// OAuthClientsArea lists the organization's OAuth 2.0 clients (the client
// credentials of service accounts).
type OAuthClientsArea struct {
	Area
	Items []OAuthClient `json:"items"`
}

// OAuthClient is one OAuth 2.0 client (API Access API, GET …/oauth-clients).
type OAuthClient struct {
	ClientID  string     `json:"client_id" schema:"required,minLength=1" doc:"the OAuth client id"`
	Name      string     `json:"name,omitempty" doc:"the client's name"`
	Status    string     `json:"status,omitempty" doc:"the status as sent (ACTIVE in Atlassian's example); any value not taking it out of use counts as active"`
	CreatedAt *time.Time `json:"created_at,omitempty" schema:"nullable" doc:"when the client was created (sent as epoch milliseconds)"`
	UpdatedAt *time.Time `json:"updated_at,omitempty" schema:"nullable" doc:"when the client was last changed (sent as epoch milliseconds)"`
	// LastUsedAt is not documented; it is read when the API sends one, so
	// the staleness policy can use it where the data allows.
	LastUsedAt *time.Time `json:"last_used_at,omitempty" schema:"nullable" doc:"when the client was last used, only when the API sends it (not documented)"`
}

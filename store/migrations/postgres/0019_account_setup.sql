-- Single-use links by which a person sets up their own account: a
-- password and, where the account has one, its second factor. Only the
-- hash of the link's token is kept.
CREATE TABLE account_setups (
	id         BIGSERIAL PRIMARY KEY,
	user_id    BIGINT NOT NULL REFERENCES users(id),
	token_hash TEXT NOT NULL UNIQUE,
	created_by BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	used_at    BIGINT
);
CREATE INDEX account_setups_user ON account_setups(user_id);
-- A session started by a set-up link (or an invitation) may enrol the
-- account's second factor; no other session may.
ALTER TABLE sessions ADD COLUMN enrol BOOLEAN NOT NULL DEFAULT FALSE;
-- API tokens: what each may do (space-separated scopes) and when it
-- stops working. Tokens issued before have no expiry and stop working.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';

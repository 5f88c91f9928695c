-- Foundation: areas, agencies, users, inspections, keys, children, sessions,
-- throttling and the access log. Times are Unix microseconds; dates are
-- YYYY-MM-DD text, as on SQLite, so both dialects share their queries.
CREATE TABLE areas (
	id       BIGSERIAL PRIMARY KEY,
	name     TEXT NOT NULL,
	la_code  TEXT NOT NULL UNIQUE,
	ons_code TEXT NOT NULL DEFAULT ''
);
CREATE TABLE agencies (
	id      BIGSERIAL PRIMARY KEY,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	kind    TEXT NOT NULL,
	name    TEXT NOT NULL,
	UNIQUE (area_id, name)
);
CREATE TABLE users (
	id             BIGSERIAL PRIMARY KEY,
	email          TEXT NOT NULL UNIQUE,
	name           TEXT NOT NULL,
	role           TEXT NOT NULL,
	inspectorate   TEXT NOT NULL DEFAULT '',
	area_id        BIGINT REFERENCES areas(id),
	agency_id      BIGINT REFERENCES agencies(id),
	password_hash  TEXT NOT NULL DEFAULT '',
	totp_secret    BYTEA,
	totp_last_step BIGINT NOT NULL DEFAULT 0,
	disabled       BOOLEAN NOT NULL DEFAULT FALSE,
	created_at     BIGINT NOT NULL
);
CREATE TABLE inspections (
	id          BIGSERIAL PRIMARY KEY,
	area_id     BIGINT NOT NULL REFERENCES areas(id),
	theme_id    TEXT NOT NULL,
	notified_on TEXT NOT NULL,
	status      TEXT NOT NULL,
	created_at  BIGINT NOT NULL
);
CREATE TABLE inspection_team (
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	user_id       BIGINT NOT NULL REFERENCES users(id),
	PRIMARY KEY (inspection_id, user_id)
);
CREATE INDEX inspection_team_user ON inspection_team(user_id);
CREATE TABLE data_keys (
	scope         TEXT PRIMARY KEY,
	master_key_id TEXT NOT NULL,
	wrapped       BYTEA,
	created_at    BIGINT NOT NULL,
	destroyed_at  BIGINT
);
CREATE TABLE children (
	id            BIGSERIAL PRIMARY KEY,
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	la_child_idx  TEXT NOT NULL,
	sealed        BYTEA NOT NULL,
	UNIQUE (inspection_id, la_child_idx)
);
CREATE TABLE sessions (
	token_hash    TEXT PRIMARY KEY,
	user_id       BIGINT NOT NULL REFERENCES users(id),
	csrf_token    TEXT NOT NULL,
	second_factor BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    BIGINT NOT NULL,
	last_seen_at  BIGINT NOT NULL,
	expires_at    BIGINT NOT NULL,
	address       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_failures (
	key          TEXT PRIMARY KEY,
	count        INTEGER NOT NULL,
	window_start BIGINT NOT NULL
);
CREATE TABLE access_log (
	seq        BIGINT PRIMARY KEY,
	at         BIGINT NOT NULL,
	actor_id   BIGINT NOT NULL DEFAULT 0,
	actor      TEXT NOT NULL,
	action     TEXT NOT NULL,
	resource   TEXT NOT NULL,
	outcome    TEXT NOT NULL,
	address    TEXT NOT NULL DEFAULT '',
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);
CREATE TABLE access_log_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO access_log_head (id, seq, hash) VALUES (1, 0, '');
CREATE FUNCTION access_log_append_only() RETURNS trigger AS $$
BEGIN
	RAISE EXCEPTION 'the access log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_log_no_change BEFORE UPDATE OR DELETE ON access_log
	FOR EACH ROW EXECUTE FUNCTION access_log_append_only();

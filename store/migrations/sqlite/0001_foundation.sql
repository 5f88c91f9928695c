-- Foundation: areas, agencies, users, inspections, keys, children, sessions,
-- throttling and the access log. Times are Unix microseconds; dates are
-- YYYY-MM-DD text.
CREATE TABLE areas (
	id       INTEGER PRIMARY KEY,
	name     TEXT NOT NULL,
	la_code  TEXT NOT NULL UNIQUE,
	ons_code TEXT NOT NULL DEFAULT ''
);
CREATE TABLE agencies (
	id      INTEGER PRIMARY KEY,
	area_id INTEGER NOT NULL REFERENCES areas(id),
	kind    TEXT NOT NULL,
	name    TEXT NOT NULL,
	UNIQUE (area_id, name)
);
CREATE TABLE users (
	id             INTEGER PRIMARY KEY,
	email          TEXT NOT NULL UNIQUE,
	name           TEXT NOT NULL,
	role           TEXT NOT NULL,
	inspectorate   TEXT NOT NULL DEFAULT '',
	area_id        INTEGER REFERENCES areas(id),
	agency_id      INTEGER REFERENCES agencies(id),
	password_hash  TEXT NOT NULL DEFAULT '',
	totp_secret    BLOB,
	totp_last_step INTEGER NOT NULL DEFAULT 0,
	disabled       INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL
);
CREATE TABLE inspections (
	id          INTEGER PRIMARY KEY,
	area_id     INTEGER NOT NULL REFERENCES areas(id),
	theme_id    TEXT NOT NULL,
	notified_on TEXT NOT NULL,
	status      TEXT NOT NULL,
	created_at  INTEGER NOT NULL
);
CREATE TABLE inspection_team (
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	user_id       INTEGER NOT NULL REFERENCES users(id),
	PRIMARY KEY (inspection_id, user_id)
);
CREATE INDEX inspection_team_user ON inspection_team(user_id);
-- Data keys, wrapped by the master key. A destroyed key has wrapped NULL.
CREATE TABLE data_keys (
	scope         TEXT PRIMARY KEY,
	master_key_id TEXT NOT NULL,
	wrapped       BLOB,
	created_at    INTEGER NOT NULL,
	destroyed_at  INTEGER
);
CREATE TABLE children (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	la_child_idx  TEXT NOT NULL,
	sealed        BLOB NOT NULL,
	UNIQUE (inspection_id, la_child_idx)
);
CREATE TABLE sessions (
	token_hash    TEXT PRIMARY KEY,
	user_id       INTEGER NOT NULL REFERENCES users(id),
	csrf_token    TEXT NOT NULL,
	second_factor INTEGER NOT NULL DEFAULT 0,
	created_at    INTEGER NOT NULL,
	last_seen_at  INTEGER NOT NULL,
	expires_at    INTEGER NOT NULL,
	address       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_failures (
	key          TEXT PRIMARY KEY,
	count        INTEGER NOT NULL,
	window_start INTEGER NOT NULL
);
CREATE TABLE access_log (
	seq        INTEGER PRIMARY KEY,
	at         INTEGER NOT NULL,
	actor_id   INTEGER NOT NULL DEFAULT 0,
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
	seq  INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO access_log_head (id, seq, hash) VALUES (1, 0, '');
-- The log is append-only: jtai never updates or deletes an entry. These
-- triggers stop accidents; the hash chain catches anyone who drops them.
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

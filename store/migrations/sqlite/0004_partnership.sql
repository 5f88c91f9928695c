-- The partnership's side: strategic documents (every version kept; the
-- bytes sealed under the inspection's data key and kept in the blob
-- store), invitations of the nominated contacts (only the token's hash),
-- and the outbox of messages to send (bodies sealed, cleared once sent).
CREATE TABLE document_versions (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	agency_id     INTEGER NOT NULL REFERENCES agencies(id),
	item          TEXT NOT NULL,
	version       INTEGER NOT NULL,
	sealed_name   BLOB NOT NULL,
	kind          TEXT NOT NULL,
	size          INTEGER NOT NULL,
	blob_key      TEXT NOT NULL UNIQUE,
	uploaded_by   TEXT NOT NULL,
	uploaded_at   INTEGER NOT NULL,
	UNIQUE (inspection_id, agency_id, item, version)
);
CREATE TABLE invitations (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	agency_id     INTEGER NOT NULL REFERENCES agencies(id),
	token_hash    TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL,
	role          TEXT NOT NULL,
	invited_by    TEXT NOT NULL,
	created_at    INTEGER NOT NULL,
	expires_at    INTEGER NOT NULL,
	accepted_at   INTEGER,
	user_id       INTEGER REFERENCES users(id)
);
CREATE INDEX invitations_inspection ON invitations(inspection_id);
CREATE TABLE outbox (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER REFERENCES inspections(id),
	recipient     TEXT NOT NULL,
	subject       TEXT NOT NULL,
	sealed_body   BLOB,
	created_at    INTEGER NOT NULL,
	sent_at       INTEGER,
	attempts      INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);

-- The partnership's side: strategic documents (every version kept; the
-- bytes sealed under the inspection's data key and kept in the blob
-- store), invitations of the nominated contacts (only the token's hash),
-- and the outbox of messages to send (bodies sealed, cleared once sent).
CREATE TABLE document_versions (
	id            BIGSERIAL PRIMARY KEY,
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	agency_id     BIGINT NOT NULL REFERENCES agencies(id),
	item          TEXT NOT NULL,
	version       BIGINT NOT NULL,
	sealed_name   BYTEA NOT NULL,
	kind          TEXT NOT NULL,
	size          BIGINT NOT NULL,
	blob_key      TEXT NOT NULL UNIQUE,
	uploaded_by   TEXT NOT NULL,
	uploaded_at   BIGINT NOT NULL,
	UNIQUE (inspection_id, agency_id, item, version)
);
CREATE TABLE invitations (
	id            BIGSERIAL PRIMARY KEY,
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	agency_id     BIGINT NOT NULL REFERENCES agencies(id),
	token_hash    TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	email         TEXT NOT NULL,
	role          TEXT NOT NULL,
	invited_by    TEXT NOT NULL,
	created_at    BIGINT NOT NULL,
	expires_at    BIGINT NOT NULL,
	accepted_at   BIGINT,
	user_id       BIGINT REFERENCES users(id)
);
CREATE INDEX invitations_inspection ON invitations(inspection_id);
CREATE TABLE outbox (
	id            BIGSERIAL PRIMARY KEY,
	inspection_id BIGINT REFERENCES inspections(id),
	recipient     TEXT NOT NULL,
	subject       TEXT NOT NULL,
	sealed_body   BYTEA,
	created_at    BIGINT NOT NULL,
	sent_at       BIGINT,
	attempts      BIGINT NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox(sent_at, id);

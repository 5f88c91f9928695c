-- The problems found in a list upload, kept for a while so that the Lists
-- page can offer them as CSV from any app server. A problem may echo a
-- value (masked when personal), so the list is sealed under the
-- inspection's data key. Rows past expires_at are removed on the next write.
CREATE TABLE import_problems (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	user_id       INTEGER NOT NULL REFERENCES users(id),
	report        TEXT NOT NULL UNIQUE,
	sealed        BLOB NOT NULL,
	created_at    INTEGER NOT NULL,
	expires_at    INTEGER NOT NULL
);
CREATE INDEX import_problems_expires ON import_problems(expires_at);

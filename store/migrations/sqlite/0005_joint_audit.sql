-- The joint audit: one row per part of a selected child's audit, answered
-- by one agency (agency_id > 0) or by the partnership as a whole (0). The
-- answers are free text about the child, sealed under the inspection's
-- data key.
CREATE TABLE audit_parts (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	child_id      INTEGER NOT NULL REFERENCES children(id),
	part_id       TEXT NOT NULL,
	agency_id     INTEGER NOT NULL DEFAULT 0,
	status        TEXT NOT NULL DEFAULT 'not-started',
	answers       BLOB,
	updated_by    TEXT NOT NULL DEFAULT '',
	updated_at    INTEGER NOT NULL DEFAULT 0,
	submitted_by  TEXT NOT NULL DEFAULT '',
	submitted_at  INTEGER NOT NULL DEFAULT 0,
	UNIQUE (inspection_id, child_id, part_id, agency_id)
);

-- Screening and selection: every lifecycle move of an inspection, and the
-- children selected for case tracking and the wider sample. A written
-- reason may name people, so it is sealed under the inspection's data key.
CREATE TABLE inspection_transitions (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	from_status   TEXT NOT NULL,
	to_status     TEXT NOT NULL,
	reason        BLOB,
	actor_id      INTEGER NOT NULL DEFAULT 0,
	actor         TEXT NOT NULL,
	at            INTEGER NOT NULL
);
CREATE INDEX inspection_transitions_inspection ON inspection_transitions(inspection_id);
CREATE TABLE selections (
	inspection_id INTEGER PRIMARY KEY REFERENCES inspections(id),
	seed          TEXT NOT NULL,
	created_by    TEXT NOT NULL,
	created_at    INTEGER NOT NULL
);
CREATE TABLE selected_children (
	id             INTEGER PRIMARY KEY,
	inspection_id  INTEGER NOT NULL REFERENCES selections(inspection_id),
	child_id       INTEGER NOT NULL REFERENCES children(id),
	kind           TEXT NOT NULL,
	reason         TEXT NOT NULL DEFAULT '',
	covers         TEXT NOT NULL DEFAULT '',
	manual_reason  BLOB,
	added_by       TEXT NOT NULL,
	added_at       INTEGER NOT NULL,
	removed_reason BLOB,
	removed_by     TEXT,
	removed_at     INTEGER
);
CREATE INDEX selected_children_inspection ON selected_children(inspection_id);

-- Evidence records: one an onsite activity. What the policy and the
-- evidence picture count on (kind, day, inspector, agencies, child,
-- criteria, polarity) is plain; the note, which names people and tells
-- what happened to a child, is sealed under the inspection's data key.
-- agencies and criteria are space-separated ids; agreement is whether
-- the inspectors agree with the partnership's audit, on an evaluation of it. A record is never
-- changed or deleted; erasing the inspection's data key leaves its notes
-- unreadable.
CREATE TABLE evidence (
	id            INTEGER PRIMARY KEY,
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	kind          TEXT NOT NULL,
	happened_on   TEXT NOT NULL,
	inspector_id  INTEGER NOT NULL REFERENCES users(id),
	inspectorate  TEXT NOT NULL,
	agencies      TEXT NOT NULL,
	child_id      INTEGER REFERENCES children(id),
	criteria      TEXT NOT NULL,
	polarity      TEXT NOT NULL CHECK (polarity IN ('strength', 'improvement', 'context')),
	agreement     TEXT NOT NULL DEFAULT '',
	sealed_note   BLOB NOT NULL,
	recorded_by   TEXT NOT NULL,
	recorded_at   INTEGER NOT NULL
);
CREATE INDEX evidence_inspection ON evidence(inspection_id, child_id);
-- An inspector's draft of the evidence record they are writing, kept
-- while they type (one an inspector and inspection) and gone once the
-- record is kept: the form as typed, sealed like the note.
CREATE TABLE evidence_drafts (
	inspection_id INTEGER NOT NULL REFERENCES inspections(id),
	user_id       INTEGER NOT NULL REFERENCES users(id),
	sealed        BLOB NOT NULL,
	saved_at      INTEGER NOT NULL,
	PRIMARY KEY (inspection_id, user_id)
);

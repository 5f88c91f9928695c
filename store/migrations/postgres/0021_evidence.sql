-- Evidence records: one an onsite activity. What the policy and the
-- evidence picture count on (kind, day, inspector, agencies, child,
-- criteria, polarity) is plain; the note, which names people and tells
-- what happened to a child, is sealed under the inspection's data key.
-- agencies and criteria are space-separated ids; agreement is whether
-- the inspectors agree with the partnership's audit, on an evaluation of it. A record is never
-- changed or deleted; erasing the inspection's data key leaves its notes
-- unreadable.
CREATE TABLE evidence (
	id            BIGSERIAL PRIMARY KEY,
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	kind          TEXT NOT NULL,
	happened_on   TEXT NOT NULL,
	inspector_id  BIGINT NOT NULL REFERENCES users(id),
	inspectorate  TEXT NOT NULL,
	agencies      TEXT NOT NULL,
	child_id      BIGINT REFERENCES children(id),
	criteria      TEXT NOT NULL,
	polarity      TEXT NOT NULL CHECK (polarity IN ('strength', 'improvement', 'context')),
	agreement     TEXT NOT NULL DEFAULT '',
	sealed_note   BYTEA NOT NULL,
	recorded_by   TEXT NOT NULL,
	recorded_at   BIGINT NOT NULL
);
CREATE INDEX evidence_inspection ON evidence(inspection_id, child_id);
-- An inspector's draft of the evidence record they are writing, kept
-- while they type (one an inspector and inspection) and gone once the
-- record is kept: the form as typed, sealed like the note.
CREATE TABLE evidence_drafts (
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	user_id       BIGINT NOT NULL REFERENCES users(id),
	sealed        BYTEA NOT NULL,
	saved_at      BIGINT NOT NULL,
	PRIMARY KEY (inspection_id, user_id)
);

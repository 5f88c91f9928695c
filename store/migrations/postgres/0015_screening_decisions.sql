-- Screening kept: an inspection's screening is worked out when its lists or
-- the inspectors' decisions change, and kept sealed under the inspection's
-- data key (it says which children have signs of domestic abuse), so that
-- pages open it rather than screening every child on each view. basis
-- names the theme's rules it was worked out under.
CREATE TABLE screenings (
	inspection_id BIGINT PRIMARY KEY REFERENCES inspections(id),
	basis         TEXT NOT NULL,
	sealed        BYTEA NOT NULL,
	computed_at   BIGINT NOT NULL
);
-- An inspector's decision on a child in needs review: in or out, and why,
-- sealed (it is the inspection team's), one a child; a child taken off the
-- lists takes its decision with it.
CREATE TABLE screening_decisions (
	inspection_id BIGINT NOT NULL REFERENCES inspections(id),
	child_id      BIGINT NOT NULL REFERENCES children(id) ON DELETE CASCADE,
	sealed        BYTEA NOT NULL,
	decided_at    BIGINT NOT NULL,
	PRIMARY KEY (inspection_id, child_id)
);

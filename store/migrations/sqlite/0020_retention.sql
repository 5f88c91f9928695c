-- Retention: when each ended inspection's team was warned of the erasure of
-- its personal data, and when it was erased. Leases let one server at a
-- time run a daily job such as retention.
CREATE TABLE retention (
	inspection_id INTEGER PRIMARY KEY REFERENCES inspections(id),
	warned_at     INTEGER,
	erased_at     INTEGER
);
CREATE TABLE leases (
	name   TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	until  INTEGER NOT NULL
);
